"""A module of the strategy (of `modules`, or any when left out) none of whose posts is
covered: a whole part of the plan has nobody to carry it (team).

When every post that carries the module is reported uncovered (an `uncovered-post` rule fired
for each), the finding says nothing those gaps do not: the team diagnosis folds it into them,
so the report shows one finding for one root cause, the gap naming the module.

```yaml
  - id: nobody-on-data-analysis
    kind: uncovered-module
    severity: high
    modules: [data-monitoring]      # optional: only these modules
    message: "nobody carries {module} (posts: {roles}) in {strategy}"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    MATCH,
    NOT,
    SALIENCE_GAPS,
    ActiveStrategy,
    ModuleCovered,
    ModuleRole,
    P,
    TeamMode,
    declare_team_finding,
    pack_rule,
)
from staffcheck.kinds._base import (
    Explanation,
    Firing,
    PackIds,
    Param,
    Ref,
    optional_refs,
    posts_named,
)
from staffcheck.kinds._text import tr
from staffcheck.model import Finding, KnowledgeBase, Rule, Strategy
from staffcheck.schema import Cursor, Field, optional_names, required_names

NAME = "uncovered-module"
TEAM_LEVEL = True
PARAMS: tuple[Field, ...] = (Field("modules", "references", target="modules"),)
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
PLACEHOLDERS = frozenset({"module", "roles", "strategy"})


@dataclass(frozen=True, slots=True)
class ModuleSpec:
    """A module (of `modules`, or any) whose every post is uncovered."""

    modules: tuple[str, ...] = ()


def parse(c: Cursor, ids: PackIds) -> ModuleSpec:
    """Read the optional `modules` list."""
    return ModuleSpec(optional_refs(c, "modules", ids.modules, "module"))


def describe(spec: ModuleSpec) -> list[Param]:
    """The modules it watches (every module when none is named)."""
    watched = tuple(Ref("module", m) for m in spec.modules) or (Ref("", tr("every module")),)
    return [Param(tr("watches modules"), watched)]


def explain(spec: ModuleSpec, firing: Firing) -> Explanation:
    """The module the strategy needs, and the posts that would carry it."""
    situation = firing.situation
    assert situation.strategy is not None
    module = firing.bindings["module"]
    carried = {need.module: [r for r, _ in need.roles] for need in situation.strategy.modules}
    values = {
        "module": situation.module_names([module]),
        "roles": posts_named(situation.labels, carried.get(module, [])),
    }
    return Explanation(
        (
            tr(
                "{strategy} needs {module}, carried by {roles}",
                strategy=situation.strategy_name(),
                module=values["module"],
                roles=values["roles"],
            ),
            tr("none of those posts is covered"),
        ),
        values,
    )


def restates(spec: ModuleSpec, finding: Finding, strategy: Strategy) -> tuple[str, ...]:
    """The posts that carry the module: their gaps, reported together, say it is uncovered."""
    modules = set(finding.modules)
    return tuple(
        dict.fromkeys(
            role for need in strategy.modules if need.module in modules for role, _ in need.roles
        )
    )


def compile_rule(rule: Rule, spec: ModuleSpec, kb: KnowledgeBase) -> Any:
    """A watched module of the active strategy with no `ModuleCovered` fact."""
    watched = frozenset(spec.modules)

    @pack_rule(
        rule,
        SALIENCE_GAPS,
        TeamMode(),
        ActiveStrategy(strategy=MATCH.strategy),
        ModuleRole(module=MATCH.module & P(lambda m: not watched or m in watched)),
        NOT(ModuleCovered(module=MATCH.module)),
    )
    def uncovered_module(engine: Any, strategy: str, module: str) -> None:
        declare_team_finding(engine, rule, "", module=module, strategy=strategy)

    return uncovered_module
