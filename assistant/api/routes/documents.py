"""The corpus as founders may browse it: documents and single clauses."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from ...types import Citation, DocumentInfo
from ..deps import Bot

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=list[DocumentInfo], summary="Documents the assistant answers from")
def list_documents(bot: Bot) -> list[DocumentInfo]:
    return bot.documents()


@router.get("/clauses/{clause_id}", response_model=Citation, summary="One clause, with its parallel text",
            responses={404: {"description": "No such clause"}})
def get_clause(clause_id: str, bot: Bot,
               lang: Literal["en", "zh", "zh-Hant"] = Query("en", description="Language of `text`.")) -> Citation:
    return bot.clause(clause_id, lang)
