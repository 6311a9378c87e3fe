"""The "looks like / actually is" pattern: a person whose profile matches another post is staffed
on one of `posts`, which they cannot carry.

`when.skills` maps skill ids to level ranges the profile must fall in (all of them);
`channels_any` asks for at least one of these channels, `channels_none` for none of them.
`better_roles` are the posts the profile actually fits: the diagnosis weighs the person
against them and suggests them first. The rule's `example` (looks like / actually is) is
quoted in the explanation.

```yaml
  - id: seo-specialist-in-taobao-post
    kind: confusable-role
    severity: high
    posts: [taobao-operator]
    when:
      skills: {seo: {min: 3}, taobao-operations: {max: 1}}
      channels_any: [baidu]                # optional
      channels_none: [taobao, tmall]       # optional
    better_roles: [seo-specialist]
    message: "{person} looks like an SEO specialist but the {role} post runs a store"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    AS,
    MATCH,
    SALIENCE_FINDINGS,
    Consider,
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
    Ref,
    as_clause,
    channels_named,
    fires_on_its_posts,
    listing,
    optional_refs,
    parse_range,
    posts_param,
    range_field,
    shown_levels,
    verb_phrase,
)
from staffcheck.kinds._text import join_spaced_words, tr
from staffcheck.kinds._tree import Branch, Place, TreeStep
from staffcheck.model import KnowledgeBase, Range, Rule
from staffcheck.schema import (
    Cursor,
    Field,
    did_you_mean,
    field_names,
    optional_names,
    required_names,
)

NAME = "confusable-role"
TEAM_LEVEL = False
#: `when`: the skill ranges (each a `{min, max}`) and channels that tell the confusion.
WHEN = (
    Field("skills", "by_id", required=True, target="skills", min_items=1,
          fields=(range_field("range"),)),
    Field("channels_any", "references", target="channels"),
    Field("channels_none", "references", target="channels"),
)  # fmt: skip
PARAMS: tuple[Field, ...] = (
    Field("posts", "references", required=True, target="roles", min_items=1),
    Field("when", "mapping", required=True, fields=WHEN),
    Field("better_roles", "references", required=True, target="roles", min_items=1),
)
#: a rule watches the posts it lists: it cannot fire for anyone on another
fires_for = fires_on_its_posts
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"person", "role", "better_roles", "evidence"})
#: "looks like / actually is" explains the skill gaps, so its findings lead them.
LEADS = True


@dataclass(frozen=True, slots=True)
class ConfusableSpec:
    """A profile that matches another post, staffed on one of `posts`."""

    posts: tuple[str, ...]
    skills: tuple[tuple[str, Range], ...]
    better_roles: tuple[str, ...]
    channels_any: tuple[str, ...] = ()
    channels_none: tuple[str, ...] = ()


def parse(c: Cursor, ids: PackIds) -> ConfusableSpec | None:
    """Read `posts`, `when: {skills, channels_any, channels_none}` and `better_roles`."""
    when = c.child("when")
    if not when.mapping(required=required_names(WHEN), optional=field_names(WHEN)):
        return None
    conditions: list[tuple[str, Range]] = []
    for skill, rc in when.child("skills").entries():
        if skill not in ids.skills:
            rc.report(f"unknown skill {skill!r}", did_you_mean(skill, ids.skills), key=True)
            continue
        rng = parse_range(rc)
        if rng is not None:
            conditions.append((skill, rng))
    posts = c.child("posts").references(ids.roles, "role")
    better = c.child("better_roles").references(ids.roles, "role")
    any_ch = optional_refs(when, "channels_any", ids.channels, "channel")
    none_ch = optional_refs(when, "channels_none", ids.channels, "channel")
    if set(any_ch) & set(none_ch):
        when.report(
            "a channel is in both channels_any and channels_none", "this rule can never fire"
        )
        return None
    if not conditions or not posts or not better:
        return None
    return ConfusableSpec(tuple(posts), tuple(conditions), tuple(better), any_ch, none_ch)


def describe(spec: ConfusableSpec) -> list[Param]:
    """The posts it watches, the skill ranges and channels it looks for, the better posts."""
    params = [
        posts_param(spec.posts),
        Param(tr("when"), tuple(Ref("skill", skill, f" {rng}") for skill, rng in spec.skills)),
    ]
    if spec.channels_any:
        channels = tuple(Ref("channel", c) for c in spec.channels_any)
        params.append(Param(tr("a channel of"), channels))
    if spec.channels_none:
        channels = tuple(Ref("channel", c) for c in spec.channels_none)
        params.append(Param(tr("no channel of"), channels))
    params.append(Param(tr("better posts"), tuple(Ref("post", p) for p in spec.better_roles)))
    return params


def _sentence(text: str) -> str:
    """A rule's example text as a clause: first letter lowered, final full stop dropped."""
    return as_clause(" ".join(text.split()).rstrip(".。"))


def explain(spec: ConfusableSpec, firing: Firing) -> Explanation:
    """The post, what the profile shows and looks like, what it is, and the better posts."""
    b, rule, person = firing.bindings, firing.rule, firing.person
    assert person is not None
    labels = firing.situation.labels
    shown = shown_levels((labels.skill(skill), level) for skill, level in b["evidence"])
    fits = {r.role: r.fit for r in firing.better}
    alternatives = listing(
        tr("{post} (fit {fit})", post=labels.post(r), fit=fits[r]) if r in fits else labels.post(r)
        for r in b["better_roles"]
    )
    verb = verb_phrase(firing.situation.verb)
    looks, actual = _sentence(rule.example.looks_like), _sentence(rule.example.actually_is)
    role = labels.post(firing.role)
    return Explanation(
        (
            tr("{person} {verb} the {role} post", person=person.name, verb=verb, role=role),
            tr("the profile shows {shown}: looks like {looks}", shown=shown, looks=looks),
            tr("actually is {actual}", actual=actual),
            tr("fits better: {alternatives}", alternatives=alternatives),
        )
    )


def suggested_posts(spec: ConfusableSpec) -> dict[str, tuple[str, ...]]:
    """On each post it watches, the rule suggests its better posts."""
    return dict.fromkeys(spec.posts, spec.better_roles)


def references(spec: ConfusableSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The skills its pattern reads, and the better posts it names."""
    return tuple(skill for skill, _ in spec.skills), spec.better_roles


def tree_branch(spec: ConfusableSpec, place: Place) -> Branch:
    """The rule's pattern, what the profile shows; the example and better posts under the finding."""
    profile, rule, labels = place.profile, place.rule, place.labels
    pattern = [f"{labels.skill(skill)} {rng}" for skill, rng in spec.skills]
    shown = [shown_levels([(labels.skill(skill), place.level(skill))]) for skill, _ in spec.skills]
    either = tr(" or ")
    channel = labels.channels.get
    if spec.channels_any:
        channels = join_spaced_words(either, (channel(c, c) for c in spec.channels_any))
        pattern.append(tr("worked on {channels}", channels=channels))
    if spec.channels_none:
        channels = join_spaced_words(either, (channel(c, c) for c in spec.channels_none))
        pattern.append(tr("never on {channels}", channels=channels))
    if spec.channels_any or spec.channels_none:
        worked = channels_named(labels, profile.channels)
        shown.append(
            tr("worked on {channels}", channels=worked) if worked else tr("worked on no channel")
        )
    example = TreeStep(
        tr(
            "looks like {looks}; actually is {actual}",
            looks=as_clause(rule.example.looks_like.rstrip(".。")),
            actual=as_clause(rule.example.actually_is.rstrip(".。")),
        ),
        "example",
        rule.id,
    )
    options = tuple(
        TreeStep(
            tr(
                "fits better: {alternatives}",
                alternatives=tr("{post} (fit {fit})", post=labels.post(post), fit=place.fit(post)),
            ),
            "option",
            "explore-other-posts",
            "core",
        )
        for post in spec.better_roles
    )
    pattern_line = tr("the rule's pattern: {pattern}", pattern=listing(pattern))
    return Branch(
        (
            TreeStep(pattern_line, "condition", rule.id, "rule"),
            TreeStep(
                tr("{person} has {shown}", person=profile.name, shown=listing(shown)),
                "evidence",
            ),
        ),
        (example, *options),
    )


def compile_rule(rule: Rule, spec: ConfusableSpec, kb: KnowledgeBase) -> Any:
    """Two single-fact tests: the post held, and the skill levels and channels of the person."""
    posts = frozenset(spec.posts)
    any_channels, no_channels = frozenset(spec.channels_any), frozenset(spec.channels_none)
    conditions: dict[str, Any] = {skill_field(skill): P(rng.contains) for skill, rng in spec.skills}
    if any_channels or no_channels:
        conditions["channels"] = P(
            lambda chs: (
                (not any_channels or bool(any_channels & set(chs))) and not (no_channels & set(chs))
            )
        )
    skills = tuple(skill for skill, _ in spec.skills)
    better = spec.better_roles

    @pack_rule(
        rule,
        SALIENCE_FINDINGS,
        AS.holding << Holding(cid=MATCH.cid, role=MATCH.role & P(lambda r: r in posts)),
        AS.person << Person(cid=MATCH.cid, **conditions),
    )
    def confusable(engine: Any, cid: str, role: str, holding: Fact, person: Fact) -> None:
        evidence = tuple((skill, person[skill_field(skill)]) for skill in skills)
        # Channels worked on are stated: "never on Taobao" backs "no store skill shown".
        declare_finding(
            engine, rule, cid, role, (holding,),
            better_roles=better, evidence=evidence, absence_backed=bool(no_channels),
        )  # fmt: skip
        for other in better:
            engine.declare(Consider(cid=cid, role=other))

    return confusable
