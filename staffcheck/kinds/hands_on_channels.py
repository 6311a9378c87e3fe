"""A person on one of `posts` (a post the strategy needs) has worked on none of the strategy's
channels: they would lead work they have never done.

It stays quiet under a strategy without channels.

```yaml
  - id: owner-without-hands-on-experience
    kind: hands-on-channels
    severity: medium
    posts: [project-manager]
    message: "{person} would lead {strategy} but has worked on none of {channels}"
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
    PostNeeded,
    StrategyChannels,
    declare_finding,
    pack_rule,
)
from staffcheck.kinds._base import (
    Explanation,
    Firing,
    PackIds,
    Param,
    channels_named,
    fires_on_its_posts,
    posts_param,
)
from staffcheck.kinds._text import tr
from staffcheck.model import KnowledgeBase, Rule
from staffcheck.schema import Cursor, Field, optional_names, required_names

NAME = "hands-on-channels"
TEAM_LEVEL = False
PARAMS: tuple[Field, ...] = (
    Field("posts", "references", required=True, target="roles", min_items=1),
)
#: a rule watches the posts it lists: it cannot fire for anyone on another
fires_for = fires_on_its_posts
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"person", "role", "strategy", "channels"})


@dataclass(frozen=True, slots=True)
class HandsOnSpec:
    """A person on one of `posts` has worked on none of the strategy's channels."""

    posts: tuple[str, ...]


def parse(c: Cursor, ids: PackIds) -> HandsOnSpec | None:
    """Read `posts`."""
    posts = c.child("posts").references(ids.roles, "role")
    return HandsOnSpec(posts) if posts else None


def describe(spec: HandsOnSpec) -> list[Param]:
    """The posts it watches."""
    return [posts_param(spec.posts)]


def explain(spec: HandsOnSpec, firing: Firing) -> Explanation:
    """The strategy's channels, and the person's."""
    b, person = firing.bindings, firing.person
    assert person is not None
    labels = firing.situation.labels
    channels = channels_named(labels, b["channels"])
    strategy = firing.situation.strategy_name(b["strategy"])
    worked = channels_named(labels, person.channels)
    return Explanation(
        (
            tr("{strategy} runs on {channels}", strategy=strategy, channels=channels),
            tr("{person} has worked on {channels}", person=person.name, channels=worked)
            if worked
            else tr("{person} has worked on no channel", person=person.name),
        )
    )


def compile_rule(rule: Rule, spec: HandsOnSpec, kb: KnowledgeBase) -> Any:
    """A watched post the strategy needs, held by a person with none of its channels."""
    hands_on_posts = frozenset(spec.posts)

    def worked_on_none(strategy_channels: tuple[str, ...], channels: tuple[str, ...]) -> bool:
        return bool(strategy_channels) and not set(strategy_channels) & set(channels)

    @pack_rule(
        rule,
        SALIENCE_FINDINGS,
        AS.active << ActiveStrategy(strategy=MATCH.strategy),
        StrategyChannels(strategy=MATCH.strategy, channels=MATCH.strategy_channels),
        AS.holding << Holding(cid=MATCH.cid, role=MATCH.role & P(lambda r: r in hands_on_posts)),
        PostNeeded(role=MATCH.role),  # a post outside the strategy has its own finding
        Person(cid=MATCH.cid, channels=MATCH.channels),
        TEST(worked_on_none),
    )
    def hands_on(
        engine: Any,
        active: Fact,
        holding: Fact,
        cid: str,
        role: str,
        strategy: str,
        strategy_channels: tuple[str, ...],
    ) -> None:
        declare_finding(
            engine, rule, cid, role, (active, holding),
            strategy=strategy, channels=strategy_channels,
        )  # fmt: skip

    return hands_on
