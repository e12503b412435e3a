"""Composing answers: extractive answers, answers from facts, citations, prompts and the language model
client, model-written answers, and the gate that checks an answer's claims against its sources."""
