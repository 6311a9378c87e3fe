"""Fires for each essential skill of the person's post whose stated level is below the minimum.
A skill the profile does not show, or shows only by an inferred level (a lower bound) under the
minimum, is left to `requirement-unknown`: a question, not a measured shortfall.

`when` narrows it with ranges over `have` (the person's level) and `shortfall` (need − have);
without `shortfall` any shortfall of at least 1 counts. A rule per band of shortfall lets a pack
tell a skill one level short (coach it) from one that is missing (reassign or hire).

```yaml
  - id: essential-skill-missing
    kind: requirement-gap
    severity: high
    when: {have: {max: 0}}
    message: "{person} has no {skill}; the {role} post needs {skill} ≥ {need}"
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
from staffcheck.model import KnowledgeBase, Range, Rule
from staffcheck.schema import Cursor, Field, field_names, optional_names, required_names

NAME = "requirement-gap"
TEAM_LEVEL = False
#: `when`: the person's level (`have`) and the shortfall (need − have) it fires on.
WHEN = (range_field("have"), range_field("shortfall"))
PARAMS: tuple[Field, ...] = (Field("when", "mapping", required=True, fields=WHEN),)
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"person", "role", "skill", "need", "have", "shortfall", "modules"})


@dataclass(frozen=True, slots=True)
class GapSpec:
    """An essential skill of the post whose level falls in these ranges."""

    have: Range
    shortfall: Range


def parse(c: Cursor, ids: PackIds) -> GapSpec | None:
    """Read `when: {have, shortfall}`."""
    when = c.child("when")
    if not when.mapping(optional=field_names(WHEN)):
        return None
    have = parse_range(when.child("have")) if when.has("have") else Range()
    short = parse_range(when.child("shortfall")) if when.has("shortfall") else Range(min=1)
    if have is None or short is None:
        return None
    if short.max is not None and short.max < 1:
        when.child("shortfall").report(
            "a gap needs a shortfall of at least 1", "this rule can never fire"
        )
        return None
    return GapSpec(have, short)


def describe(spec: GapSpec) -> list[Param]:
    """The level and shortfall bands it fires in."""
    ranges = [(tr("level"), spec.have), (tr("shortfall"), spec.shortfall)]
    bounds = [f"{name} {rng}" for name, rng in ranges if (rng.min, rng.max) != (None, None)]
    fires = tr("each essential skill with {bounds}", bounds=tr(" and ").join(bounds))
    return [words(tr("fires on"), fires)]


def explain(spec: GapSpec, firing: Firing) -> Explanation:
    """The module that needs the post, the level it needs, the level the person has."""
    b = firing.bindings
    assert firing.person is not None
    chain = requirement_chain(firing)
    chain.append(
        tr(
            "{person} has {skill} {have}",
            person=firing.person.name,
            skill=firing.situation.labels.skill(b["skill"]),
            have=b["have"],
        )
    )
    return Explanation(tuple(chain))


#: Under the post's requirement of the skill.
tree_branch = under_requirement


def compile_rule(rule: Rule, spec: GapSpec, kb: KnowledgeBase) -> Any:
    """One test on each `Requirement` fact: a shortfall in the rule's bands."""
    have_range, short_range = spec.have, spec.shortfall

    def shortfall_matches(need: int, have: int, inferred: bool) -> bool:
        # A skill nothing shows (NOT_SHOWN, below 0), or an inferred level (a lower bound) under
        # the need, is a question, not a gap: requirement-unknown.
        return (
            not inferred
            and 0 <= have < need
            and have_range.contains(have)
            and short_range.contains(need - have)
        )

    @pack_rule(
        rule,
        SALIENCE_FINDINGS,
        requirement_pattern(),
        TEST(shortfall_matches),
    )
    def gap(
        engine: Any,
        requirement: Fact,
        cid: str,
        role: str,
        skill: str,
        need: int,
        have: int,
        modules: tuple[str, ...],
    ) -> None:
        declare_finding(
            engine, rule, cid, role, (requirement,),
            skill=skill, need=need, have=have, shortfall=need - have, modules=modules,
        )  # fmt: skip

    return gap
