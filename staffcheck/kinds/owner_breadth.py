"""A person on one of `posts` has, for some module of the strategy, no essential skill of the
posts carrying it at `level` or above: they cannot judge that module's work.

Meant for the project owner, who need not do every job but must understand every module.

```yaml
  - id: owner-blind-to-modules
    kind: owner-breadth
    severity: low
    posts: [project-manager]
    level: 2
    message: "{person} knows none of the work of {modules} at level {level}"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    AS,
    MATCH,
    SALIENCE_FINDINGS,
    TEST,
    ActiveStrategy,
    Fact,
    Holding,
    P,
    Person,
    declare_finding,
    pack_rule,
    skill_field,
)
from staffcheck.kinds._base import (
    Explanation,
    Firing,
    PackIds,
    Param,
    fires_on_its_posts,
    posts_param,
    words,
)
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

NAME = "owner-breadth"
TEAM_LEVEL = False
PARAMS: tuple[Field, ...] = (
    Field("posts", "references", required=True, target="roles", min_items=1),
    Field("level", "integer", required=True, low=1, high=MAX_LEVEL),
)
#: a rule watches the posts it lists: it cannot fire for anyone on another
fires_for = fires_on_its_posts
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"person", "role", "strategy", "modules", "level"})


@dataclass(frozen=True, slots=True)
class BreadthSpec:
    """A person on one of `posts` knows no essential skill (at `level`) of some module's posts."""

    posts: tuple[str, ...]
    level: int


def parse(c: Cursor, ids: PackIds) -> BreadthSpec | None:
    """Read `posts` and `level`."""
    posts = c.child("posts").references(ids.roles, "role")
    level = c.child("level").integer(*limits(field_named(PARAMS, "level")), "a level")
    return BreadthSpec(posts, level) if posts and level else None


def describe(spec: BreadthSpec) -> list[Param]:
    """The posts it watches and the level that counts as knowing a skill."""
    return [
        posts_param(spec.posts),
        words(
            tr("level"),
            tr("≥ {level} in an essential skill of each module's posts", level=spec.level),
        ),
    ]


def explain(spec: BreadthSpec, firing: Firing) -> Explanation:
    """The strategy's modules, and those the person knows nothing of."""
    b, person = firing.bindings, firing.person
    assert person is not None
    return Explanation(
        (
            tr(
                "{strategy} is decomposed into modules, each carried by posts",
                strategy=firing.situation.strategy_name(b["strategy"]),
            ),
            tr(
                "{person} has no essential skill of the posts carrying "
                "{modules} at level {level} or above",
                person=person.name,
                modules=firing.situation.module_names(b["modules"]),
                level=b["level"],
            ),
        )
    )


def compile_rule(rule: Rule, spec: BreadthSpec, kb: KnowledgeBase) -> Any:
    """A watched post whose holder is blind to at least one module of the active strategy."""
    owner_posts, level = frozenset(spec.posts), spec.level
    strategies = kb.strategies
    role_skills = {role.id: tuple(role.essential) for role in kb.roles.values()}

    def blind_modules(strategy: str, person: Fact) -> tuple[str, ...]:
        """Modules of the strategy none of whose posts' essential skills the person has."""
        blind = []
        for need in strategies[strategy].modules:
            skills = {s for role, _ in need.roles for s in role_skills.get(role, ())}
            if not any(person[skill_field(s)] >= level for s in skills):
                blind.append(need.module)
        return tuple(blind)

    @pack_rule(
        rule,
        SALIENCE_FINDINGS,
        AS.active << ActiveStrategy(strategy=MATCH.strategy),
        AS.holding << Holding(cid=MATCH.cid, role=MATCH.role & P(lambda r: r in owner_posts)),
        AS.person << Person(cid=MATCH.cid),
        TEST(lambda strategy, person: bool(blind_modules(strategy, person))),
    )
    def breadth(
        engine: Any,
        active: Fact,
        holding: Fact,
        person: Fact,
        cid: str,
        role: str,
        strategy: str,
    ) -> None:
        declare_finding(
            engine, rule, cid, role, (active, holding),
            strategy=strategy, modules=blind_modules(strategy, person), level=level,
        )  # fmt: skip

    return breadth
