"""The person's post is not one the strategy needs: the post is staffed, the plan has no use for it.

No parameters. It fires only when a strategy is given (a screening without one has no plan to
be outside of).

```yaml
  - id: post-outside-strategy
    kind: post-outside-strategy
    severity: medium
    message: "the {role} post that {person} holds is not needed by {strategy}"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    AS,
    MATCH,
    NOT,
    SALIENCE_FINDINGS,
    ActiveStrategy,
    Fact,
    Holding,
    PostNeeded,
    declare_finding,
    pack_rule,
)
from staffcheck.kinds._base import Explanation, Firing, PackIds, Param, posts_named, verb_phrase
from staffcheck.kinds._text import tr
from staffcheck.kinds._tree import Branch, Place, TreeStep, derivation
from staffcheck.model import KnowledgeBase, Rule
from staffcheck.schema import Cursor, Field

NAME = "post-outside-strategy"
TEAM_LEVEL = False
PARAMS: tuple[Field, ...] = ()
REQUIRED: tuple[str, ...] = ()
OPTIONAL: tuple[str, ...] = ()
PLACEHOLDERS = frozenset({"person", "role", "strategy"})


@dataclass(frozen=True, slots=True)
class OutsideSpec:
    """No parameters."""


def parse(c: Cursor, ids: PackIds) -> OutsideSpec:
    """Nothing to read."""
    return OutsideSpec()


def describe(spec: OutsideSpec) -> list[Param]:
    """No parameters to list."""
    return []


def explain(spec: OutsideSpec, firing: Firing) -> Explanation:
    """The posts the strategy needs, and the one the person holds."""
    assert firing.person is not None
    situation = firing.situation
    posts = posts_named(situation.labels, sorted(situation.posts))
    return Explanation(
        (
            tr(
                "{strategy} needs the posts {posts}",
                strategy=situation.strategy_name(firing.bindings["strategy"]),
                posts=posts,
            ),
            tr(
                "{person} {verb} {role}, which it does not need",
                person=firing.person.name,
                verb=verb_phrase(situation.verb),
                role=situation.labels.post(firing.role),
            ),
        )
    )


def tree_branch(spec: OutsideSpec, place: Place) -> Branch:
    """Under a strategy, the post the person holds and those it needs; else its derivation."""
    if place.strategy is None:
        return derivation(place.finding)
    posts = posts_named(place.labels, sorted(place.needed))
    held = tr(
        "{person} holds {role}; {strategy} needs {posts}",
        person=place.profile.name,
        role=place.labels.post(place.role),
        strategy=place.strategy_name or place.strategy,
        posts=posts,
    )
    return Branch((TreeStep(held, "evidence"),))


def compile_rule(rule: Rule, spec: OutsideSpec, kb: KnowledgeBase) -> Any:
    """A post held under the active strategy, with no `PostNeeded` fact for it."""

    @pack_rule(
        rule,
        SALIENCE_FINDINGS,
        AS.active << ActiveStrategy(strategy=MATCH.strategy),
        AS.holding << Holding(cid=MATCH.cid, role=MATCH.role),
        NOT(PostNeeded(role=MATCH.role)),
    )
    def outside(
        engine: Any, active: Fact, holding: Fact, cid: str, role: str, strategy: str
    ) -> None:
        declare_finding(engine, rule, cid, role, (active, holding), strategy=strategy)

    return outside
