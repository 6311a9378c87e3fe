"""What every rule kind provides, and the small pieces several kinds share (ranges, post lists).

Besides the `Kind` protocol, a kind may define the optional hooks named in `OPTIONAL_HOOKS`
(`LEADS`, `suggested_posts`, `references`, `tree_branch`, `restates`); one it leaves out is the default
defined here, so most kinds write none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from staffcheck.i18n import tr_in
from staffcheck.kinds._text import tr
from staffcheck.kinds._tree import Branch, Place, derivation
from staffcheck.model import (
    NOT_SHOWN,
    Finding,
    Inference,
    KnowledgeBase,
    Labels,
    Profile,
    Range,
    Role,
    RoleFit,
    Rule,
    Severity,
    Strategy,
)
from staffcheck.schema import MAX_LEVEL, Cursor, Field, field_names, limits


@dataclass(frozen=True, slots=True)
class PackIds:
    """The ids a rule's parameters may refer to, as far as the pack has defined them."""

    skills: Collection[str]
    roles: Collection[str]
    channels: Collection[str]
    modules: Collection[str]


@dataclass(frozen=True, slots=True)
class Ref:
    """One value of a parameter: an id of the pack (``kind`` post, skill, channel, module) or words."""

    kind: str
    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a rule as `rules show` and the catalogue list it: a label and its values."""

    label: str
    values: tuple[Ref, ...]


@dataclass(frozen=True, slots=True)
class Situation:
    """What explaining a firing may read of the run it came from."""

    strategy: Strategy | None
    #: "holds" in a team, "is screened for" in a screening
    verb: str
    #: the posts the active strategy needs
    posts: Collection[str]
    module_names: Callable[[Iterable[str]], str]
    #: post -> names of the members holding it (team runs)
    holders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: person id -> name
    names: Mapping[str, str] = field(default_factory=dict)
    #: the names of the pack's posts, modules, skills and channels: derivations name them
    labels: Labels = field(default_factory=Labels)

    def strategy_name(self, ident: str | None = None) -> str:
        """The active strategy's name (or `ident`, a strategy the run does not know)."""
        if self.strategy is not None and ident in (None, self.strategy.id):
            return self.strategy.name
        return ident or ""


@dataclass(frozen=True, slots=True)
class Firing:
    """One firing of a rule, to be put in words."""

    rule: Rule
    role: str
    bindings: Mapping[str, Any]
    situation: Situation
    #: the person it is about (None for a finding about the team)
    person: Profile | None = None
    #: the posts the diagnosis suggests instead, with their fit
    better: tuple[RoleFit, ...] = ()


@dataclass(frozen=True, slots=True)
class Explanation:
    """A firing in words: the derivation chain, and message values the kind computes."""

    because: tuple[str, ...]
    values: Mapping[str, Any] = field(default_factory=dict)


class Kind(Protocol):
    """What a rule kind's module provides: the module itself is the kind, its docstring the docs."""

    #: the name a rule's `kind:` gives
    NAME: str
    #: rules about the team as a whole fire only when a team is assessed
    TEAM_LEVEL: bool
    #: the fields a rule of this kind has besides those of every rule (`staffcheck schema pack`
    #: describes them), and their names: those it must have, and those it may have
    PARAMS: tuple[Field, ...]
    REQUIRED: tuple[str, ...]
    OPTIONAL: tuple[str, ...]
    #: the `{names}` its rules' messages may use
    PLACEHOLDERS: frozenset[str]

    def parse(self, c: Cursor, ids: PackIds) -> object | None:
        """The kind's spec from a rule's YAML mapping, or None after reporting its problems."""

    def describe(self, spec: Any) -> list[Param]:
        """The spec's parameters, as `rules show` and the catalogue list them."""

    def explain(self, spec: Any, firing: Firing) -> Explanation:
        """A firing of a rule of this kind in words."""

    def compile_rule(self, rule: Rule, spec: Any, kb: KnowledgeBase) -> Any:
        """The experta rule (an ``experta.Rule``-decorated function) for one rule of the pack."""


# --- optional hooks: a kind that leaves one out gets the default below ---------------------

#: The hooks a kind's module may define; `staffcheck.kinds` falls back on these defaults.
OPTIONAL_HOOKS = (
    *("LEADS", "suggested_posts", "references", "tree_branch", "infer", "restates"),
    *("MAX_SEVERITY", "fires_for"),
)

#: A kind whose findings lead a person's findings of the same severity (they explain the others).
LEADS = False

#: The heaviest severity a rule of the kind may have, its own or an override's (None: any).
MAX_SEVERITY: Severity | None = None


def suggested_posts(spec: Any) -> Mapping[str, tuple[str, ...]]:
    """Held post -> the posts a rule may suggest instead (the engine weighs the person on them)."""
    return {}


def fires_for(spec: Any, role: Role) -> bool:
    """Whether a person-level rule can fire for someone on `role`: the engine leaves a rule that
    cannot out of the runs of people on that post (one watching other posts, say). Yes by default."""
    return True


def fires_on_its_posts(spec: Any, role: Role) -> bool:
    """`fires_for` of a kind whose rules watch only the posts their spec lists as `posts`."""
    return role.id in spec.posts


def references(spec: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The skills and posts a rule uses that the pack's lint counts as used (none by default)."""
    return (), ()


def restates(spec: Any, finding: Finding, strategy: Strategy) -> tuple[str, ...]:
    """The posts whose gaps, all reported together, say everything this team finding says.

    When each of them is reported uncovered, the team diagnosis folds the finding into their
    gaps (one root cause, one finding); empty, the default: the finding stands on its own.
    """
    return ()


def tree_branch(spec: Any, place: Place) -> Branch:
    """How a firing appears in an explanation tree: by default, its derivation in words."""
    return derivation(place.finding)


def infer(rule: Rule, spec: Any, profile: Profile) -> tuple[Inference, ...]:
    """Skill levels the rule derives from a profile before the diagnosis (evidence rules only)."""
    return ()


def as_clause(text: str) -> str:
    """A title as a clause after a colon: first letter lowered unless it starts an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    if not text[:1].isascii():
        return text  # a Chinese title has no capital to lower
    return text[:1].lower() + text[1:]


# --- pieces several kinds share ---------------------------------------------------------------


#: A ``{min, max}`` range of levels.
RANGE = (
    Field("min", "integer", low=0, high=MAX_LEVEL),
    Field("max", "integer", low=0, high=MAX_LEVEL),
)


def range_field(name: str, *, required: bool = False) -> Field:
    """A field holding a range of levels (`parse_range`): either end may be left out, not both."""
    return Field(name, "mapping", required=required, fields=RANGE, min_items=1)


def parse_range(c: Cursor) -> Range | None:
    """A ``{min, max}`` range of levels (either end may be left out, not both)."""
    if not c.mapping(optional=field_names(RANGE)):
        return None
    if not c.value:
        c.report(f"{c.label} needs 'min' or 'max'")
        return None
    low = c.child("min").integer(*limits(RANGE[0])) if c.has("min") else None
    high = c.child("max").integer(*limits(RANGE[1])) if c.has("max") else None
    if (c.has("min") and low is None) or (c.has("max") and high is None):
        return None
    if low is not None and high is not None and low > high:
        c.report(f"{c.label} has min {low} above max {high}", "this condition can never hold")
        return None
    return Range(low, high)


def optional_refs(c: Cursor, key: str, known: Collection[str], kind: str) -> tuple[str, ...]:
    """A list of ids under `key`, or none when the key is left out."""
    return c.child(key).references(known, kind) if c.has(key) else ()


def posts_param(posts: Iterable[str]) -> Param:
    """The posts a rule watches."""
    return Param(tr("watches posts"), tuple(Ref("post", p) for p in posts))


def words(label: str, text: str) -> Param:
    """A parameter stated in words."""
    return Param(label, (Ref("", text),))


def listing(items: Iterable[str]) -> str:
    """Names in a list, in the reader's language (``a, b`` / ``a、b``)."""
    return tr(", ").join(items)


def posts_named(labels: Labels, posts: Iterable[str]) -> str:
    """Posts by name, in a list."""
    return listing(labels.post(p) for p in posts)


def channels_named(labels: Labels, channels: Iterable[str]) -> str:
    """Channels by name, in a list."""
    return listing(labels.channels.get(c, c) for c in channels)


def shown_levels(levels: Iterable[tuple[str, int]]) -> str:
    """``SEO 4, Store operations not shown``: levels as a profile shows them (skills by name)."""
    return tr(", ").join(
        tr("{skill} not shown", skill=skill) if level == NOT_SHOWN else f"{skill} {level}"
        for skill, level in levels
    )


def importance_word(value: str) -> str:
    """How much a strategy needs a post (``critical``…), in the reader's language."""
    return tr_in("importance", value)


def verb_phrase(verb: str) -> str:
    """`Situation.verb` ("holds", "is screened for") in the reader's language."""
    return tr_in("verb", verb)
