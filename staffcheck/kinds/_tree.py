"""How a kind draws a person's finding in an explanation tree, as data `staffcheck.explain` renders."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Literal

from staffcheck.kinds._text import tr
from staffcheck.model import Finding, Labels, Profile, Rule


@dataclass(frozen=True, slots=True)
class Place:
    """What drawing a person's finding in an explanation tree may read of it."""

    rule: Rule
    finding: Finding
    profile: Profile
    #: the post the person holds or is screened for
    role: str
    #: the active strategy's id, and the posts it needs (none without a strategy)
    strategy: str | None
    needed: Collection[str]
    #: the person's fit for a post, as the diagnosis weighed it
    fit: Callable[[str], int]
    #: the level the profile shows of a skill: stated, else inferred, else NOT_SHOWN (-1)
    level: Callable[[str], int]
    #: the names of the pack's posts, modules, skills and channels: trees name them
    labels: Labels = field(default_factory=Labels)
    #: the active strategy's name
    strategy_name: str | None = None


@dataclass(frozen=True, slots=True)
class TreeStep:
    """One node a kind draws around its finding; ``kind`` is a value of `explain.NodeKind`."""

    label: str
    kind: str
    rule: str | None = None
    #: the rationale the node carries: none, its pack rule's, or that of the engine's core `rule`
    rationale: Literal["", "rule", "core"] = ""


@dataclass(frozen=True, slots=True)
class Branch:
    """How a finding appears in an explanation tree, between its post and its rule."""

    #: outermost first: each node holds the next, the last holds the rule and its finding
    above: tuple[TreeStep, ...] = ()
    #: under the finding (an example, better posts)
    below: tuple[TreeStep, ...] = ()
    #: a skill: the finding is drawn under the post's requirement of it, when the post has one
    requirement: str | None = None


def derivation(finding: Finding) -> Branch:
    """A finding's derivation in words (its `because` but the rule's own line) above its rule."""
    return Branch(
        tuple(
            TreeStep(line, "evidence")
            for line in finding.because
            if not line.startswith(tr("rule {id}: {title}", id=finding.rule, title=""))
        )
    )
