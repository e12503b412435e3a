"""The grounding gate's allow-list as reviewed data: what corpus/support.yaml holds, validated at load. Each part
names the module that reads it; support.py composes them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.answering.absence import AbsentSpec
from assistant.answering.derived import ArithmeticSpec
from assistant.answering.polarity import PolaritySpec
from assistant.answering.relations import RelationSpec
from assistant.answering.restated import RestatedSpec
from assistant.answering.restatement import RestatementSpec
from assistant.answering.roles import RolesSpec
from assistant.answering.sequence import OrderSpec
from assistant.knowledge.claims import Terms


class SupportSpec(BaseModel):
    filler: Terms = Field(description="Words that carry no claim: never checked.")
    restriction: Terms = Field(default_factory=Terms, description="Words restricting a benefit to some people: "
                               "what follows them must be stated as a limit (assistant/answering/restrictions.py).")
    exclusive: Terms = Field(default_factory=Terms, description="Restriction words keeping a benefit to what "
                             "follows them (only, 仅限): a proper part of a list a cited clause enumerates is unsupported.")
    leading: Terms = Field(default_factory=Terms, description="Words giving someone the leading role (牵头, led by): "
                           "a restriction a cited clause must make too.")
    guidance: Terms = Field(default_factory=Terms, description="Words of what guides a measure (guided by, 引导): "
                            "\"led by\" what a cited clause says guides it gives no one a leading role.")
    reporting: Terms = Field(default_factory=Terms, description="Words reporting what the plan says (says, 提到): "
                             "\"it only says X\" restricts the report, not a benefit.")
    bound_flags: list[str] = Field(default_factory=list, description="Yes/no conditions (claims.yaml flags) a "
                                   "statement must state as the record of its figure does.")
    equivalents: list[list[str]] = Field(default_factory=list, description="Words that say the same thing.")
    families: dict[str, list[str]] = Field(default_factory=dict, description="Condition concepts (claims.yaml) a "
                                           "clause lists together: a restriction may not keep only some of them.")
    markers: dict[str, Terms] = Field(description="Claim types a cited clause must make too.")
    absence: Terms = Field(description="Words of a statement about what the plan does not say.")
    absent: AbsentSpec = Field(default_factory=AbsentSpec, description="What a statement of absence may name as "
                               "missing and how the sources give it (assistant/answering/absence.py).")
    obligation: Terms = Field(default_factory=Terms, description="Words stating a duty: what they oblige must be a "
                              "condition of the benefit or a duty a cited sentence states (assistant/answering/modality.py).")
    frequency: dict[str, Terms] = Field(default_factory=dict, description="Periods by kind (modality.py).")
    encouragement: Terms = Field(default_factory=Terms, description="Words of a sentence that encourages, supports or "
                                 "explores: no duty.")
    provision: Terms = Field(default_factory=Terms, description="Words of what a sentence provides (provide, 提供): "
                             "what follows them is given, not encouraged.")
    eligibility: Terms = Field(default_factory=Terms, description="Words saying only that the benefit's conditions "
                               "are met (符合条件, eligible): a precondition of them alone restates the clause's own.")
    restated: RestatedSpec = Field(default_factory=RestatedSpec, description="One amount said two ways (before and "
                                   "after tax) is no choice (assistant/answering/restated.py).")
    relations: RelationSpec = Field(default_factory=RelationSpec, description="Either/or, both and comparison "
                                    "words (assistant/answering/relations.py).")
    arithmetic: ArithmeticSpec = Field(default_factory=ArithmeticSpec, description="Words of figures worked out "
                                       "from cited ones (assistant/answering/derived.py).")
    restatement: RestatementSpec = Field(default_factory=RestatementSpec, description="Uncovered words read (restatement.py).")
    polarity: PolaritySpec = Field(default_factory=PolaritySpec, description="A negation denying what a cited "
                                   "sentence states (polarity.py).")
    purpose: Terms = Field(default_factory=Terms, description="Words stating what a thing is for (用于, used for): "
                           "the purpose after them is supported word for word, as a restriction is.")
    ceiling: Terms = Field(default_factory=Terms, description="Words capping or fixing a figure (exactly, 达到即止): a "
                           "floor of the sources said with them is turned round (thresholds.py).")
    order: OrderSpec = Field(default_factory=OrderSpec, description="A prerequisite order a cited sentence must "
                             "state too (sequence.py).")
    roles: RolesSpec = Field(default_factory=RolesSpec, description="Who sets up or provides a thing and where it "
                             "is: an actor or a place a cited sentence must bind to it too (roles.py).")
