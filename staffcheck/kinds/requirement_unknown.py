"""Fires for each essential skill of the person's post that the profile does not show: neither
stated nor inferred by an evidence rule — or inferred only at a level under the one the post needs
(an inferred level is a lower bound, not a measurement). Silence is not evidence of absence: the
finding asks. `{shown}` says what the profile does show (empty, or " (only ≥ 2, inferred)").

`when.need` narrows it to a band of the level the post needs, so that a pack can weigh a core
skill not shown (need 3 or more: a question that decides the verdict) above a minor one. Its
severity should stay `medium` or below: a skill nobody asked about is not a mismatch.

```yaml
  - id: essential-skill-not-shown
    kind: requirement-unknown
    severity: medium
    when: {need: {min: 3}}
    message: "{person}'s profile does not show {skill}{shown}, which the {role} post needs at {need}: ask"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    SALIENCE_FINDINGS,
    TEST,
    Fact,
    declare_finding,
    pack_rule,
)
from staffcheck.kinds._base import (
    Explanation,
    Firing,
    PackIds,
    Param,
    parse_range,
    range_field,
    words,
)
from staffcheck.kinds._requirement import requirement_chain, requirement_pattern, under_requirement
from staffcheck.kinds._text import tr
from staffcheck.model import NOT_SHOWN, KnowledgeBase, Range, Rule, Severity
from staffcheck.schema import Cursor, Field, field_names, optional_names, required_names

NAME = "requirement-unknown"
TEAM_LEVEL = False
#: `when`: the levels needed that it asks about (default: any).
WHEN = (range_field("need"),)
PARAMS: tuple[Field, ...] = (Field("when", "mapping", fields=WHEN),)
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"person", "role", "skill", "need", "modules", "question", "shown"})
#: A skill the profile does not show is a question, never a mismatch (overrides included).
MAX_SEVERITY = Severity.MEDIUM


@dataclass(frozen=True, slots=True)
class UnknownSpec:
    """An essential skill of the post, needed at a level in this range, that nothing shows."""

    need: Range


def parse(c: Cursor, ids: PackIds) -> UnknownSpec | None:
    """Read `when: {need}` (default: any level)."""
    if not c.has("when"):
        return UnknownSpec(Range())
    when = c.child("when")
    if not when.mapping(optional=field_names(WHEN)):
        return None
    need = parse_range(when.child("need")) if when.has("need") else Range()
    if need is None:
        return None
    return UnknownSpec(need)


def describe(spec: UnknownSpec) -> list[Param]:
    """The band of needed levels it fires in."""
    if (spec.need.min, spec.need.max) == (None, None):
        fires = tr("each essential skill the profile does not show")
    else:
        fires = tr(
            "each essential skill needed at {need} the profile does not show", need=spec.need
        )
    return [words(tr("fires on"), fires)]


def explain(spec: UnknownSpec, firing: Firing) -> Explanation:
    """The module that needs the post, the level it needs, and the silence of the profile."""
    b = firing.bindings
    assert firing.person is not None
    chain = requirement_chain(firing)
    skill = firing.situation.labels.skill(b["skill"])
    if b.get("have", NOT_SHOWN) == NOT_SHOWN:
        chain.append(
            tr(
                "the profile of {person} neither states {skill} "
                "nor shows a title or channel that implies it",
                person=firing.person.name,
                skill=skill,
            )
        )
    else:
        chain.append(
            tr(
                "the profile of {person} states no level of {skill}; its title or "
                "channels suggest at least {have}, and only the person can say how far above",
                person=firing.person.name,
                skill=skill,
                have=b["have"],
            )
        )
    return Explanation(tuple(chain))


#: Under the post's requirement of the skill.
tree_branch = under_requirement


def compile_rule(rule: Rule, spec: UnknownSpec, kb: KnowledgeBase) -> Any:
    """One test on each `Requirement` fact: a level nothing shows, needed in the rule's band."""
    need_range = spec.need
    questions = {skill.id: skill.question for skill in kb.skills.values()}
    names = {skill.id: skill.name for skill in kb.skills.values()}

    def not_shown(need: int, have: int, inferred: bool) -> bool:
        # Nothing shows it, or only an inferred lower bound under the need: ask.
        return (have == NOT_SHOWN or (inferred and have < need)) and need_range.contains(need)

    @pack_rule(
        rule,
        SALIENCE_FINDINGS,
        requirement_pattern(),
        TEST(not_shown),
    )
    def unknown(
        engine: Any,
        requirement: Fact,
        cid: str,
        role: str,
        skill: str,
        need: int,
        have: int,
        modules: tuple[str, ...],
    ) -> None:
        question = questions.get(skill) or tr(
            "What is your level in {skill}?", skill=names.get(skill, skill)
        )
        shown = "" if have == NOT_SHOWN else tr(" (only ≥ {have}, inferred)", have=have)
        declare_finding(
            engine, rule, cid, role, (requirement,),
            skill=skill, need=need, have=have, shown=shown, modules=modules, question=question,
        )  # fmt: skip

    return unknown
