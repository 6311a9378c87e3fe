"""The rule kinds, one module each, registered in one table: adding a kind is one new module.

Each module is a `Kind` (mypy checks it against the protocol): its spec, fields, placeholders,
parser, description, explanation and experta compiler, with its docstring as its documentation.
"""

from __future__ import annotations

from typing import Any

from staffcheck.kinds import (
    confusable_role,
    hands_on_channels,
    overstaffed_post,
    owner_breadth,
    post_outside_strategy,
    requirement_gap,
    single_holder,
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
)
from staffcheck.model import KnowledgeBase, Rule

__all__ = [
    "KINDS",
    "Explanation",
    "Firing",
    "Kind",
    "PackIds",
    "Param",
    "Ref",
    "Situation",
    "compile_rule",
    "describe_rule",
    "explain_firing",
    "kind_of",
]

_MODULES: tuple[Kind, ...] = (
    requirement_gap,
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
