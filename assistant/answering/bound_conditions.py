"""Conditions bound to the benefit a statement's figure belongs to (the verified fact records of the cited clauses).

"Members of OPC communities get up to 50 m²" is false where the 50 m² record requires settling OUTSIDE OPC
communities; "the training voucher requires a company in an OPC community" moves the smart voucher's condition
onto it. A statement's yes/no conditions (claims.yaml `flags`, those support.yaml `bound_flags` names: their
words are specific enough to read) must agree with the record its figure belongs to.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from assistant.answering.statements import spell_out
from assistant.knowledge.figures import extract_figures

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.facts import Fact
    from assistant.knowledge.figures import Figure

_UNIT_KIND = {"yuan": "money", "m2": "area", "%": "percent", "count": "count"}


def _owners(figure: Figure, facts: Sequence[Fact], subject: str | None, claims: ClaimRules) -> list[Fact]:
    """The records whose amount is this figure (of the subject the statement gives it, when it gives one)."""
    out = [f for f in facts for a in (f.amount, f.alt_amount)
           if a is not None and _UNIT_KIND.get(a.unit) == figure.kind and abs(a.value - figure.value) < 1e-6]
    fitting = [f for f in out if subject and f.subject and claims.compatible(subject, f.subject)]
    return fitting or out


def flags_said(text: str, facts: Sequence[Fact], claims: ClaimRules, readable: Collection[str]) -> dict[str, bool]:
    """The yes/no conditions of the records (those ``readable`` names) that ``text`` states one way
    ({in_opc_community: True})."""
    flags = {c.field for f in facts for c in f.conditions
             if isinstance(c.value, bool) and c.op == "eq" and c.field in readable}
    said: dict[str, bool] = {}
    for flag in flags:
        says = claims.flag_says(flag, text)
        if says and len(says) == 1:
            said[flag] = next(iter(says))
    return said


def conflicts(part: str, facts: Sequence[Fact], claims: ClaimRules | None, readable: Collection[str],
              restricted: bool = False) -> str | None:
    """The condition of ``part`` (a statement with the clauses it belongs to) that contradicts the record its
    figure states; with ``restricted`` (the statement restricts: "requires", 仅限) also a condition the record
    lacks while another record of the clause has it (a condition moved between benefits). None when they agree
    or nothing can be bound."""
    if not facts or claims is None or not claims.flags:
        return None
    text = spell_out(part)
    said = flags_said(text, facts, claims, readable)
    if not said:
        return None
    bound = {id(b.figure): b.subject for b in claims.bind(text)}
    groups = [_owners(fig, facts, bound.get(id(fig)), claims) for fig in extract_figures(text)]
    if not any(groups):
        # no figure of a record: the benefits the statement names ("smart vouchers for firms outside OPC
        # communities" binds the condition to the smart voucher's record all the same)
        named = claims.subjects_in(text)
        groups = [[f for f in facts if f.subject and any(claims.compatible(n, f.subject) for n in named)]]
    for owners in groups:
        bad = _disagreement(owners, said, restricted)
        if bad:
            return bad
    return None


def _disagreement(owners: Sequence[Fact], said: dict[str, bool], restricted: bool) -> str | None:
    """The condition every one of ``owners`` (records the statement may be about) contradicts; None when one agrees."""
    problems: list[str] = []
    for owner in owners:
        own = {c.field: c.value for c in owner.conditions if isinstance(c.value, bool) and c.op == "eq"}
        bad = [flag for flag, value in said.items() if (flag in own and own[flag] != value)
               or (restricted and value and flag not in own)]
        if not bad:
            return None
        problems.append(bad[0])
    return problems[0] if problems else None
