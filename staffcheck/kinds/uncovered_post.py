"""A post the strategy needs that no member carries adequately: every holder has a finding of
severity high or worse, or nobody holds it (team).

`severity_by_importance` (optional) lets the severity follow how much the strategy needs the
post; an importance left out keeps the rule's `severity`. The report lists the members who
would fit the post.

```yaml
  - id: uncovered-post
    kind: uncovered-post
    severity: high
    severity_by_importance: {critical: critical, high: high, medium: medium, low: low}
    message: "nobody covers the {role} post that {modules} needs"
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from staffcheck.facts import (
    AS,
    MATCH,
    NOT,
    SALIENCE_GAPS,
    Covers,
    Fact,
    GapFact,
    PostNeeded,
    TeamMode,
    pack_rule,
)
from staffcheck.kinds._base import (
    Explanation,
    Firing,
    PackIds,
    Param,
    Ref,
    importance_word,
    listing,
)
from staffcheck.kinds._text import tr
from staffcheck.model import Importance, KnowledgeBase, Rule, Severity, frozen_map
from staffcheck.schema import Cursor, Field, did_you_mean, optional_names, required_names
from staffcheck.words import severity_word

NAME = "uncovered-post"
TEAM_LEVEL = True
PARAMS: tuple[Field, ...] = (
    Field("severity_by_importance", "by_id", choices=tuple(i.value for i in Importance),
          fields=(Field("severity", "choice", choices=tuple(s.value for s in Severity)),)),
)  # fmt: skip
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"role", "modules", "importance", "strategy"})


@dataclass(frozen=True, slots=True)
class UncoveredSpec:
    """Severity may follow the post's importance to the strategy."""

    severity_by_importance: Mapping[Importance, Severity] = field(default_factory=frozen_map)


def parse(c: Cursor, ids: PackIds) -> UncoveredSpec:
    """Read the optional `severity_by_importance` mapping."""
    mapping: dict[Importance, Severity] = {}
    if c.has("severity_by_importance"):
        names = [i.value for i in Importance]
        for imp, sev in c.child("severity_by_importance").entries():
            if imp not in names:
                sev.report(f"unknown importance {imp!r}", did_you_mean(imp, names), key=True)
                continue
            chosen = sev.choice([s.value for s in Severity])
            if chosen:
                mapping[Importance(imp)] = Severity(chosen)
    return UncoveredSpec(frozen_map(mapping))


def describe(spec: UncoveredSpec) -> list[Param]:
    """The severity for each importance of the post, if it varies."""
    if not spec.severity_by_importance:
        return []
    pairs = tuple(
        Ref("", f"{importance_word(imp.value)} → {severity_word(spec.severity_by_importance[imp])}")
        for imp in Importance
        if imp in spec.severity_by_importance
    )
    return [Param(tr("severity by importance"), pairs)]


def explain(spec: UncoveredSpec, firing: Firing) -> Explanation:
    """The post the strategy needs for which modules, and who holds it (if anyone)."""
    situation = firing.situation
    assert situation.strategy is not None
    names = situation.module_names(firing.bindings["modules"])
    importance = importance_word(firing.bindings["importance"])
    held_by = situation.holders.get(firing.role, ())
    chain = [
        tr(
            "{strategy} needs the {role} post for {modules} ({importance})",
            strategy=situation.strategy_name(),
            role=situation.labels.post(firing.role),
            modules=names,
            importance=importance,
        )
    ]
    if held_by:
        chain.append(
            tr(
                "held by {holders}, who cannot carry it (a finding of severity high or worse)",
                holders=listing(held_by),
            )
        )
    else:
        chain.append(tr("no member holds it"))
    values = {
        "role": firing.role,
        "modules": names,
        "importance": importance,
        "strategy": situation.strategy.id,
    }
    return Explanation(tuple(chain), values)


def compile_rule(rule: Rule, spec: UncoveredSpec, kb: KnowledgeBase) -> Any:
    """A needed post with no `Covers` fact: declared as a gap, with its severity."""
    by_importance = {imp.value: sev.value for imp, sev in spec.severity_by_importance.items()}

    @pack_rule(
        rule,
        SALIENCE_GAPS,
        TeamMode(),
        AS.needed
        << PostNeeded(role=MATCH.role, modules=MATCH.modules, importance=MATCH.importance),
        NOT(Covers(role=MATCH.role)),
    )
    def uncovered(
        engine: Any, needed: Fact, role: str, modules: tuple[str, ...], importance: str
    ) -> None:
        engine.declare(
            GapFact(
                rule=rule.id,
                role=role,
                modules=modules,
                importance=importance,
                severity=by_importance.get(importance, rule.severity.value),
            )
        )

    return uncovered
