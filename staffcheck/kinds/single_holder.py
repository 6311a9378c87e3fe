"""A post of one of the listed importances (default `[critical]`) has exactly one holder, who
can carry it: nobody stands in when they are away (team).

A holder who cannot carry the post leaves it uncovered instead (`uncovered-post`).

`scale` (optional, default `any`) says which teams the rule speaks to, measured against the
strategy's staffing plan (`staffcheck plan`: two people for a critical post that carries two or
more modules, one for every other post):

- `full`: the plan puts two or more people on the post, and the team has at least as many members
  as the whole plan takes. A second holder is planned and the team is big enough for one.
- `lean`: every other case: the plan puts one person on the post, or the team is smaller than
  the plan. A second holder is not what the plan asks of such a team; a named deputy is.
- `any`: every post with one holder, whatever the plan and the team's size.

So a pack pairs a `full` rule (plan a second holder) with a `lean` one (name a deputy), and each
post with one holder gets one of the two.

```yaml
  - id: single-point-of-failure
    kind: single-holder
    severity: medium
    importance: [critical]
    scale: full
    message: "only {person} holds the {role} post, which {strategy} plans for {headcount}"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    MATCH,
    NOT,
    SALIENCE_GAPS,
    TEST,
    ActiveStrategy,
    Blocking,
    P,
    PostHolders,
    PostNeeded,
    TeamMode,
    TeamSize,
    declare_team_finding,
    pack_rule,
)
from staffcheck.headcount import headcount_for, second_holder_due
from staffcheck.kinds._base import Explanation, Firing, PackIds, Param, Ref, importance_word, words
from staffcheck.kinds._text import tr
from staffcheck.model import Importance, KnowledgeBase, Rule
from staffcheck.schema import Cursor, Field, optional_names, required_names

NAME = "single-holder"
TEAM_LEVEL = True
PLACEHOLDERS = frozenset(
    {"person", "role", "importance", "strategy", "headcount", "members", "planned"}
)
#: The values of `scale`, and what each watches (as `rules show` words them).
SCALES = {
    "any": "every post with one holder",
    "full": "the plan puts two or more people on the post and the team is as large as the plan",
    "lean": "the plan puts one person on the post, or the team is smaller than the plan",
}


PARAMS: tuple[Field, ...] = (
    Field("importance", "list_of", min_items=1,
          fields=(Field("importance", "choice", choices=tuple(i.value for i in Importance)),)),
    Field("scale", "choice", choices=tuple(SCALES)),
)  # fmt: skip
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)


@dataclass(frozen=True, slots=True)
class SingleHolderSpec:
    """A post of one of these importances has exactly one holder, in teams of this scale."""

    importance: tuple[Importance, ...]
    scale: str = "any"


def parse(c: Cursor, ids: PackIds) -> SingleHolderSpec | None:
    """Read the optional `importance` list and `scale`."""
    scale = c.child("scale").choice(list(SCALES)) if c.has("scale") else "any"
    if scale is None:
        return None
    if not c.has("importance"):
        return SingleHolderSpec((Importance.CRITICAL,), scale)
    names = [i.value for i in Importance]
    picked = [item.choice(names) for item in c.child("importance").items()]
    if not picked or None in picked:
        if not picked:
            c.child("importance").report("importance must list at least one, e.g. [critical]")
        return None
    return SingleHolderSpec(tuple(Importance(name) for name in picked if name), scale)


def describe(spec: SingleHolderSpec) -> list[Param]:
    """The importances of the posts it watches, and the teams it speaks to."""
    return [
        Param(
            tr("posts of importance"),
            tuple(Ref("", importance_word(i.value)) for i in spec.importance),
        ),
        words(tr("teams"), f"{spec.scale}: {_scale_words(spec.scale)}"),
    ]


def _scale_words(scale: str) -> str:
    """What a `scale` watches, in the reader's language."""
    words = {
        "any": tr("every post with one holder"),
        "full": tr(
            "the plan puts two or more people on the post and the team is as large as the plan"
        ),
        "lean": tr("the plan puts one person on the post, or the team is smaller than the plan"),
    }
    return words.get(scale, SCALES.get(scale, scale))


def explain(spec: SingleHolderSpec, firing: Firing) -> Explanation:
    """The post the strategy needs, its only holder, and the plan's headcount beside the team's."""
    b, situation = firing.bindings, firing.situation
    assert situation.strategy is not None
    person = situation.names.get(b["person"], b["person"])
    headcount = b.get("headcount", 1)
    people = tr("1 person") if headcount == 1 else tr("{n} people", n=headcount)
    importance = importance_word(b["importance"])
    return Explanation(
        (
            tr(
                "{strategy} needs the {role} post ({importance})",
                strategy=situation.strategy_name(),
                role=situation.labels.post(firing.role),
                importance=importance,
            ),
            tr("only {person} holds it: nobody stands in", person=person),
            tr(
                "the staffing plan puts {people} on it; the team has {members} "
                "members, the whole plan {planned}",
                people=people,
                members=b.get("members", "?"),
                planned=b.get("planned", "?"),
            ),
        ),
        {"person": person, "headcount": people, "importance": importance},
    )


def _in_scale(scale: str, headcount: int, members: int, planned: int) -> bool:
    """Whether a post the plan gives `headcount` people is watched in a team of `members`."""
    return scale == "any" or (scale == "full") == second_holder_due(headcount, members, planned)


def compile_rule(rule: Rule, spec: SingleHolderSpec, kb: KnowledgeBase) -> Any:
    """A needed post of a watched importance and scale with one holder, not blocked on it."""
    importances = frozenset(i.value for i in spec.importance)

    def watched(importance: str, modules: tuple[str, ...], members: int, planned: int) -> bool:
        headcount = headcount_for(Importance(importance), len(modules))[0]
        return _in_scale(spec.scale, headcount, members, planned)

    @pack_rule(
        rule,
        SALIENCE_GAPS,
        TeamMode(),
        ActiveStrategy(strategy=MATCH.strategy),
        TeamSize(members=MATCH.members, planned=MATCH.planned),
        PostNeeded(
            role=MATCH.role,
            modules=MATCH.modules,
            importance=MATCH.importance & P(lambda i: i in importances),
        ),
        TEST(watched),
        PostHolders(role=MATCH.role, count=1, first=MATCH.cid),
        NOT(Blocking(cid=MATCH.cid)),  # a holder who cannot carry it is a gap, not a risk
    )
    def single(
        engine: Any,
        strategy: str,
        role: str,
        modules: tuple[str, ...],
        importance: str,
        cid: str,
        members: int,
        planned: int,
    ) -> None:
        headcount = headcount_for(Importance(importance), len(modules))[0]
        declare_team_finding(
            engine,
            rule,
            role,
            person=cid,
            importance=importance,
            strategy=strategy,
            headcount=headcount,
            members=members,
            planned=planned,
        )

    return single
