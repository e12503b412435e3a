"""What can I get? A founder profile checked against every benefit of the plan (issue 15)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ...types import EligibilityResult, FounderProfile, Language
from ..deps import Bot

router = APIRouter(tags=["eligibility"])


class EligibilityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"language": "en", "profile": {"degree": "master", "graduation_year": 2023, "newly_arrived": True,
                                       "is_founder": True, "company_size": "micro"}}]})

    profile: FounderProfile = Field(description="What the founder tells us; leave out what is unknown.")
    language: Language = Field("en", description="Language of names, amounts and citations.")


@router.post("/eligibility", response_model=EligibilityResult, summary="Which benefits fit a founder profile")
def eligibility(body: EligibilityRequest, bot: Bot) -> EligibilityResult:
    """Every benefit with its conditions decided (met / not met / unknown), the amount, the clause that states
    it, and what is still needed to decide. Impossible values (a future graduation year, a team of -1, an unknown
    field) are rejected with 422 naming the field."""
    return bot.eligibility(body.profile, body.language)
