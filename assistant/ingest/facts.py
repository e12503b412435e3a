"""An added document's facts, extracted when it is added and written beside it as ``facts.yaml``.

The document is built in memory from the version being written (and the versions its folder already holds),
its facts are read — by the configured model when ``OPC_FACTS_BY_MODEL`` allows, else by rule — and only
verified records go into the file; the load verifies them again against the clause, cheaply, instead of
extracting them at every load. Dropped fields and a failed model come back as warnings of the add.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.answering.llm import ChatModel
from assistant.knowledge.corpus import document_from
from assistant.knowledge.fact_files import facts_yaml
from assistant.knowledge.facts_by_model import Reading, read_facts
from assistant.settings import Settings

FACTS_FILE = "facts.yaml"


def _body(folder: Path, prepared, lang: str) -> dict:
    if lang == prepared.lang:
        return {"lang": lang, "clauses": prepared.rows}
    return yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8")) or {}


def chat_model(settings: Settings):
    """The configured chat model for fact extraction, or None (rules only)."""
    if not settings.facts_model_on:
        return None

    return ChatModel(settings.llm)


def extract(prepared, root: Path, rules, settings: Settings, model=None) -> tuple[dict[str, str], Reading]:
    """The ``facts.yaml`` of the folder ``prepared`` will produce, and what the extraction found."""
    folder = Path(root) / prepared.doc_id
    doc = document_from(folder, prepared.meta, lambda lang: _body(folder, prepared, lang))
    reading = read_facts(doc, rules, model, settings.facts_model_chars)
    return {FACTS_FILE: facts_yaml(reading.facts)}, reading
