"""A post has several holders while a post the strategy needs has none (team).

No parameters: the remedy is usually to move one of the holders.

```yaml
  - id: overstaffed-post-while-another-is-empty
    kind: overstaffed-post
    severity: medium
    message: "{holders} all hold the {role} post while nobody holds {empty_role}"
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
    P,
    PostHolders,
    PostNeeded,
    TeamMode,
    declare_team_finding,
    pack_rule,
)
from staffcheck.kinds._base import Explanation, Firing, PackIds, Param, listing
from staffcheck.kinds._text import tr
from staffcheck.model import KnowledgeBase, Rule
from staffcheck.schema import Cursor, Field

NAME = "overstaffed-post"
TEAM_LEVEL = True
PARAMS: tuple[Field, ...] = ()
REQUIRED: tuple[str, ...] = ()
OPTIONAL: tuple[str, ...] = ()
PLACEHOLDERS = frozenset({"role", "holders", "empty_role", "strategy"})


@dataclass(frozen=True, slots=True)
class OverstaffedSpec:
    """No parameters."""


def parse(c: Cursor, ids: PackIds) -> OverstaffedSpec:
    """Nothing to read."""
    return OverstaffedSpec()


def describe(spec: OverstaffedSpec) -> list[Param]:
    """No parameters to list."""
    return []


def explain(spec: OverstaffedSpec, firing: Firing) -> Explanation:
    """Who shares the post, and which needed post nobody holds."""
    situation = firing.situation
    assert situation.strategy is not None
    holders = listing(situation.holders.get(firing.role, ()))
    empty = situation.labels.post(firing.bindings["empty_role"])
    role = situation.labels.post(firing.role)
    return Explanation(
        (
            tr("{holders} all hold the {role} post", holders=holders, role=role),
            tr(
                "nobody holds the {role} post, which {strategy} needs",
                role=empty,
                strategy=situation.strategy_name(),
            ),
        ),
        {"holders": holders},
    )


def compile_rule(rule: Rule, spec: OverstaffedSpec, kb: KnowledgeBase) -> Any:
    """A needed post with two holders or more, and a needed post with none."""

    @pack_rule(
        rule,
        SALIENCE_GAPS,
        TeamMode(),
        ActiveStrategy(strategy=MATCH.strategy),
        PostHolders(role=MATCH.role, count=P(lambda count: count >= 2)),
        PostNeeded(role=MATCH.role),
        PostNeeded(role=MATCH.empty_role),
        NOT(PostHolders(role=MATCH.empty_role)),
    )
    def overstaffed(engine: Any, strategy: str, role: str, empty_role: str) -> None:
        declare_team_finding(engine, rule, role, empty_role=empty_role, strategy=strategy)

    return overstaffed
