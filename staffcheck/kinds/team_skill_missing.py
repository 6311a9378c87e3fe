"""Nobody in the team has `skill` at `level` or above (team).

For the abilities a team needs somewhere but no single post owns: strategy, creativity, systems.

```yaml
  - id: team-without-creativity
    kind: team-skill-missing
    severity: medium
    skill: creativity
    level: 3
    message: "nobody in the team has {skill} at level {level} or above"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    MATCH,
    NOT,
    SALIENCE_GAPS,
    ActiveStrategy,
    MemberFact,
    P,
    TeamMode,
    declare_team_finding,
    pack_rule,
    skill_field,
)
from staffcheck.kinds._base import Explanation, Firing, PackIds, Param, Ref, words
from staffcheck.kinds._text import tr
from staffcheck.model import KnowledgeBase, Rule
from staffcheck.schema import (
    MAX_LEVEL,
    Cursor,
    Field,
    field_named,
    limits,
    optional_names,
    required_names,
)

NAME = "team-skill-missing"
TEAM_LEVEL = True
PARAMS: tuple[Field, ...] = (
    Field("skill", "reference", required=True, target="skills"),
    Field("level", "integer", required=True, low=1, high=MAX_LEVEL),
)
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"skill", "level", "strategy"})


@dataclass(frozen=True, slots=True)
class TeamSkillSpec:
    """Nobody in the team has `skill` at `level` or above."""

    skill: str
    level: int


def parse(c: Cursor, ids: PackIds) -> TeamSkillSpec | None:
    """Read `skill` and `level`."""
    skill = c.child("skill").reference(ids.skills, "skill")
    level = c.child("level").integer(*limits(field_named(PARAMS, "level")), "a level")
    return TeamSkillSpec(skill, level) if skill and level else None


def describe(spec: TeamSkillSpec) -> list[Param]:
    """The skill and the level somebody must have."""
    return [Param(tr("skill"), (Ref("skill", spec.skill),)), words(tr("level"), f"≥ {spec.level}")]


def explain(spec: TeamSkillSpec, firing: Firing) -> Explanation:
    """Nobody has the skill at the level."""
    b = firing.bindings
    skill = firing.situation.labels.skill(b["skill"])
    return Explanation((tr("no member has {skill} ≥ {level}", skill=skill, level=b["level"]),))


def compile_rule(rule: Rule, spec: TeamSkillSpec, kb: KnowledgeBase) -> Any:
    """No member fact with the skill at the level."""
    field, level = skill_field(spec.skill), spec.level

    @pack_rule(
        rule,
        SALIENCE_GAPS,
        TeamMode(),
        ActiveStrategy(strategy=MATCH.strategy),
        NOT(MemberFact(**{field: P(lambda have: have >= level)})),
    )
    def team_skill(engine: Any, strategy: str) -> None:
        declare_team_finding(engine, rule, "", skill=spec.skill, level=level, strategy=strategy)

    return team_skill
