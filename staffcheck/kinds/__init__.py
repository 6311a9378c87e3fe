"""The rule kinds, one module each, registered in one table: adding a kind is one new module.

Each module is a `Kind` (mypy checks it against the protocol): its spec, fields, placeholders,
parser, description, explanation and experta compiler, with its docstring as its documentation;
and, if it needs them, the optional hooks of `_base.OPTIONAL_HOOKS` (the engine, the diagnosis, the
pack's lint and the explanation trees reach a kind only through the functions here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from staffcheck.kinds import (
    _base,
    confusable_role,
    hands_on_channels,
    overstaffed_post,
    owner_breadth,
    post_outside_strategy,
    requirement_gap,
    requirement_unknown,
    single_holder,
    skill_evidence,
    team_skill_missing,
    uncovered_module,
    uncovered_post,
)
from staffcheck.kinds._base import (
    Explanation,
    Firing,
    Kind,
    PackIds,
    Param,
    Ref,
    Situation,
    as_clause,
    shown_levels,
)
from staffcheck.kinds._text import fill_pattern as fill_spaced
from staffcheck.kinds._text import tr
from staffcheck.kinds._tree import Branch, Place, TreeStep, derivation
from staffcheck.model import (
    Finding,
    Gap,
    Inference,
    KnowledgeBase,
    Profile,
    Role,
    Rule,
    Severity,
    Strategy,
)

__all__ = [
    "KINDS",
    "Branch",
    "Explanation",
    "Firing",
    "Kind",
    "PackIds",
    "Param",
    "Place",
    "Ref",
    "Situation",
    "TreeStep",
    "as_clause",
    "compile_rule",
    "derivation",
    "describe_rule",
    "explain_firing",
    "fill_spaced",
    "fires_for",
    "fold_restated",
    "infer",
    "infers",
    "kind_of",
    "leads",
    "references",
    "severity_ceiling",
    "shown_levels",
    "suggested_posts",
    "tree_branch",
]

_MODULES: tuple[Kind, ...] = (
    skill_evidence,
    requirement_gap,
    requirement_unknown,
    confusable_role,
    post_outside_strategy,
    uncovered_post,
    hands_on_channels,
    owner_breadth,
    team_skill_missing,
    single_holder,
    overstaffed_post,
    uncovered_module,
)
#: Every rule kind by the name a rule's `kind:` gives, in the order the docs list them.
KINDS: dict[str, Kind] = {kind.NAME: kind for kind in _MODULES}


def kind_of(rule: Rule) -> Kind:
    """The kind of a loaded rule (the loader accepts only registered kinds)."""
    return KINDS[rule.kind]


def describe_rule(rule: Rule) -> list[Param]:
    """A rule's parameters, as `rules show` and the catalogue list them."""
    return kind_of(rule).describe(rule.spec)


def explain_firing(firing: Firing) -> Explanation:
    """A firing of a rule in words."""
    return kind_of(firing.rule).explain(firing.rule.spec, firing)


def compile_rule(rule: Rule, kb: KnowledgeBase) -> Any:
    """A rule of the pack as an experta rule, by its kind's compiler; nothing is ever eval-ed."""
    return kind_of(rule).compile_rule(rule, rule.spec, kb)


def _hook(rule: Rule, name: str) -> Any:
    """A kind's optional hook (`_base.OPTIONAL_HOOKS`), or its default in `_base`."""
    return getattr(kind_of(rule), name, getattr(_base, name))


def leads(rule: Rule) -> bool:
    """Whether the rule's findings lead a person's findings of the same severity."""
    return bool(_hook(rule, "LEADS"))


def suggested_posts(rule: Rule) -> Mapping[str, tuple[str, ...]]:
    """Held post -> the posts the rule may suggest instead."""
    hook: Callable[[Any], Mapping[str, tuple[str, ...]]] = _hook(rule, "suggested_posts")
    return hook(rule.spec)


def fires_for(rule: Rule, role: Role) -> bool:
    """Whether the rule can fire in a run of people on `role` (a team-level rule never does)."""
    if kind_of(rule).TEAM_LEVEL:
        return False
    hook: Callable[[Any, Role], bool] = _hook(rule, "fires_for")
    return hook(rule.spec, role)


def references(rule: Rule) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The skills and posts the rule uses, as the pack's lint counts them."""
    hook: Callable[[Any], tuple[tuple[str, ...], tuple[str, ...]]] = _hook(rule, "references")
    return hook(rule.spec)


def tree_branch(place: Place) -> Branch:
    """How a person's finding appears in an explanation tree, as its rule's kind draws it."""
    hook: Callable[[Any, Place], Branch] = _hook(place.rule, "tree_branch")
    return hook(place.rule.spec, place)


def infer(rule: Rule, profile: Profile) -> tuple[Inference, ...]:
    """Skill levels an evidence rule derives from a profile (none for any other kind)."""
    hook: Callable[[Rule, Any, Profile], tuple[Inference, ...]] = _hook(rule, "infer")
    return hook(rule, rule.spec, profile)


def infers(rule: Rule) -> bool:
    """Whether the rule is an evidence rule: its kind infers skill levels before the diagnosis."""
    return hasattr(kind_of(rule), "infer")


def fold_restated(
    kb: KnowledgeBase, strategy: Strategy, gaps: Sequence[Gap], findings: Sequence[Finding]
) -> tuple[tuple[Gap, ...], tuple[Finding, ...]]:
    """Fold each team finding that only restates reported gaps into them: one root cause, one finding.

    A finding's kind names, through its `restates` hook, the posts whose gaps say all it says
    (an uncovered module: the posts that carry it). When every one of them is reported uncovered
    the finding leaves the team's findings and joins those gaps: each keeps it (`Gap.restated`),
    says it in its derivation, and takes its severity if that is heavier.
    """
    uncovered = {gap.role for gap in gaps}
    kept: list[Finding] = []
    folded: dict[str, list[Finding]] = {}
    for finding in findings:
        hook: Callable[[Any, Finding, Strategy], tuple[str, ...]] = _hook(
            kb.rules[finding.rule], "restates"
        )
        posts = hook(kb.rules[finding.rule].spec, finding, strategy)
        if posts and set(posts) <= uncovered:
            for post in posts:
                folded.setdefault(post, []).append(finding)
        else:
            kept.append(finding)
    merged = [_absorb(gap, folded.get(gap.role, ())) for gap in gaps]
    merged.sort(key=lambda gap: (-gap.severity.weight, gap.role))
    return tuple(merged), tuple(kept)


def _absorb(gap: Gap, findings: Sequence[Finding]) -> Gap:
    """`gap` with the findings that restate it: named in its derivation, before the rule line."""
    if not findings:
        return gap
    said = tuple(
        tr("so {message} ({rule})", message=finding.message, rule=finding.rule)
        for finding in findings
    )
    return replace(
        gap,
        severity=max([gap.severity, *(finding.severity for finding in findings)]),
        because=(*gap.because[:-1], *said, *gap.because[-1:]),
        restated=(*gap.restated, *findings),
    )


def severity_ceiling(kind: str) -> Severity | None:
    """The heaviest severity a rule of this kind may have (`MAX_SEVERITY`), if it is limited."""
    if kind not in KINDS:
        return None
    ceiling: Severity | None = getattr(KINDS[kind], "MAX_SEVERITY", _base.MAX_SEVERITY)
    return ceiling
