"""Conditions bound to the benefit a statement's figure belongs to (the verified fact records of the cited clauses).

"Members of OPC communities get up to 50 m²" is false where the 50 m² record requires settling OUTSIDE OPC
communities; "the training voucher requires a company in an OPC community" moves the smart voucher's condition
onto it. A statement's yes/no conditions (claims.yaml `flags`, those support.yaml `bound_flags` names: their
words are specific enough to read) must agree with the record its figure belongs to.

A condition qualifies the benefit of its own clause, not the sentence as a whole (`moved_within`): "符合条件的留学青年
人才入选鲲鹏青年创新创业项目后，可获最高100万元创业资助" moves the Kunpeng condition of the clause's other benefits onto
the creation funding, whose record lacks it. A clause stating no figure ("入选…后，", "once selected, …") governs the
next one; a clause of one figure is judged (of several, which one a condition qualifies is not read here).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from assistant.answering.statements import CITE_MARK, spell_out, statements
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


def moved_within(part: str, clause: str, facts: Sequence[Fact], claims: ClaimRules | None,
                 readable: Collection[str], question: str = "") -> str | None:
    """A yes/no condition the ``clause`` of ``part`` (or the clause before it) gives a figure of ``clause`` whose
    record lacks it while another record of the cited clauses has it (see the module doc); None when every
    condition stays with its own benefits. What the founder says of themselves in ``question`` ("我是海归") is
    their situation said back, not a condition."""
    if not facts or claims is None or not claims.flags or not flags_said(spell_out(part), facts, claims, readable):
        return None   # most sentences state no yes/no condition: their clauses need no reading
    own = flags_said(spell_out(question), facts, claims, readable) if question else {}
    carried: dict[str, bool] = {}
    for st in statements(part):
        text = spell_out(CITE_MARK.sub(" ", st.text))
        said = {f: v for f, v in {**carried, **flags_said(text, facts, claims, readable)}.items() if own.get(f) != v}
        figures = extract_figures(text)
        carried = {} if figures else said   # a clause of conditions alone governs the clause after it
        if len(figures) != 1 or not said or st.text != clause:
            continue   # of several figures, which one a condition qualifies is the whole-part check's question
        bound = {id(b.figure): b.subject for b in claims.bind(text)}
        for fig in figures:
            bad = _disagreement(_owners(fig, facts, bound.get(id(fig)), claims), said, True)
            if bad:
                return bad
    return None
