"""A post of one of the listed importances (default `[critical]`) has exactly one holder, who
can carry it: nobody stands in when they are away (team).

A holder who cannot carry the post leaves it uncovered instead (`uncovered-post`).

```yaml
  - id: single-point-of-failure
    kind: single-holder
    severity: medium
    importance: [critical]
    message: "only {person} holds the {role} post, which {strategy} needs ({importance})"
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
    Blocking,
    P,
    PostHolders,
    PostNeeded,
    TeamMode,
    declare_team_finding,
    pack_rule,
)
from staffcheck.kinds._base import Explanation, Firing, PackIds, Param, Ref
from staffcheck.model import Importance, KnowledgeBase, Rule
from staffcheck.schema import Cursor

NAME = "single-holder"
TEAM_LEVEL = True
REQUIRED: tuple[str, ...] = ()
OPTIONAL: tuple[str, ...] = ("importance",)
PLACEHOLDERS = frozenset({"person", "role", "importance", "strategy"})


@dataclass(frozen=True, slots=True)
class SingleHolderSpec:
    """A post of one of these importances has exactly one holder."""

    importance: tuple[Importance, ...]


def parse(c: Cursor, ids: PackIds) -> SingleHolderSpec | None:
    """Read the optional `importance` list."""
    if not c.has("importance"):
        return SingleHolderSpec((Importance.CRITICAL,))
    names = [i.value for i in Importance]
    picked = [item.choice(names) for item in c.child("importance").items()]
    if not picked or None in picked:
        if not picked:
            c.child("importance").report("importance must list at least one, e.g. [critical]")
        return None
    return SingleHolderSpec(tuple(Importance(name) for name in picked if name))


def describe(spec: SingleHolderSpec) -> list[Param]:
    """The importances of the posts it watches."""
    return [Param("posts of importance", tuple(Ref("", i.value) for i in spec.importance))]


def explain(spec: SingleHolderSpec, firing: Firing) -> Explanation:
    """The post the strategy needs, and its only holder."""
    b, situation = firing.bindings, firing.situation
    assert situation.strategy is not None
    person = situation.names.get(b["person"], b["person"])
    return Explanation(
        (
            f"{situation.strategy.id} needs the {firing.role} post ({b['importance']})",
            f"only {person} holds it: nobody stands in",
        ),
        {"person": person},
    )


def compile_rule(rule: Rule, spec: SingleHolderSpec, kb: KnowledgeBase) -> Any:
    """A needed post of a watched importance with one holder, who is not blocked on it."""
    importances = frozenset(i.value for i in spec.importance)

    @pack_rule(
        rule,
        SALIENCE_GAPS,
        TeamMode(),
        ActiveStrategy(strategy=MATCH.strategy),
        PostNeeded(role=MATCH.role, importance=MATCH.importance & P(lambda i: i in importances)),
        PostHolders(role=MATCH.role, count=1, first=MATCH.cid),
        NOT(Blocking(cid=MATCH.cid)),  # a holder who cannot carry it is a gap, not a risk
    )
    def single(engine: Any, strategy: str, role: str, importance: str, cid: str) -> None:
        declare_team_finding(
            engine, rule, role, person=cid, importance=importance, strategy=strategy
        )

    return single
