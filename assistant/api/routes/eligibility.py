"""What can I get? A founder profile checked against every benefit of the plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.api.deps import Bot
from assistant.api.routes.ask import NOT_FOUND
from assistant.types import EligibilityResult, FounderProfile, Language

_Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]

router = APIRouter(tags=["eligibility"])


class EligibilityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"language": "en", "profile": {"degree": "master", "graduation_year": 2023, "newly_arrived": True,
                                       "is_founder": True, "company_size": "micro"}}]})

    profile: FounderProfile = Field(description="What the founder tells us; leave out what is unknown.")
    language: Language = Field("en", description="Language of names, amounts and citations.")
    documents: list[_Name] | None = Field(
        None, max_length=50, description="Only these documents' benefits (ids from GET /v1/documents).")
    issuers: list[Annotated[str, StringConstraints(min_length=2, max_length=120)]] | None = Field(
        None, max_length=50, description="Only benefits of documents of these issuers (any part of the name).")
    jurisdictions: list[_Name] | None = Field(
        None, max_length=50, description="Only benefits of documents of these places ('深圳市', 'Nanshan District'). "
                                         "Default, naming none of the three: the home jurisdiction's documents in "
                                         "force today, the built-in plan first.")
    limit: int | None = Field(None, ge=1, le=1000, description="Benefits to list (default OPC_ELIGIBILITY_LIMIT); "
                                                               "`total` counts them all.")


@router.post("/eligibility", response_model=EligibilityResult, summary="Which benefits fit a founder profile",
             responses=NOT_FOUND)
def eligibility(body: EligibilityRequest, bot: Bot) -> EligibilityResult:
    """Every benefit with its conditions decided (met / not met / unknown), the amount, the clause that states
    it, and what is still needed to decide; met first, then undecided, then ruled out, by amount, each labelled
    with its issuer. Unknown documents, issuers or places answer 404 naming them. Impossible values (a future
    graduation year, a team of -1, an unknown field) are rejected with 422 naming the field."""
    return bot.eligibility(body.profile, body.language, documents=body.documents, issuers=body.issuers,
                           jurisdictions=body.jurisdictions, limit=body.limit)
