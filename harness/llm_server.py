"""The scripted OpenAI-compatible server lives in the package (the adversarial gate evaluation in
`opc eval` starts it too); tests import it from here."""

from assistant.evaluate.scripted_llm import CHUNK_CHARS, ScriptedLLM  # noqa: F401
