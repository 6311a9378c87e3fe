"""The money of a plan (人财物 in money): labour, recruiting, training and spend, by stage, module
and month.

Labour is a step's working days at its person's day rate (the post's mid-band monthly salary /
`money.WORKDAYS_PER_MONTH`), counted in the months the days fall in and rounded per month, so
that the months add up to the step. A preparation's cost (recruiting, training) goes to the month
it starts, and to the stage and module of the person's first step (with no step: the first module
their post carries, in the implementation stage). Every view adds up to the same total.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from staffcheck.i18n import language, tr
from staffcheck.model import Labels, Stage
from staffcheck.money import daily_rate
from staffcheck.project_plan import CostLine, Costs, PlannedStep, Preparation, PreparationKind
from staffcheck.workdays import days_by_month, month_of

_STAGES = (Stage.GOALS, Stage.ANALYSIS, Stage.IMPLEMENTATION)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_KINDS = ("labour", "hiring", "training", "spend")


@dataclass(frozen=True, slots=True)
class Pricing:
    """What the plan's money is counted in: its currency, each post's salary band (None: unknown)."""

    currency: str
    salaries: Mapping[str, tuple[int, int] | None]
    labels: Labels


def labour_of(
    pricing: Pricing, post: str, start: datetime.date, first: int, end: int
) -> dict[str, int]:
    """Pay for working days `first` … `end - 1` of a person on `post`, by ``YYYY-MM`` month."""
    band = pricing.salaries.get(post)
    if band is None:
        return {}
    rate = daily_rate(band)
    return {month: round(days * rate) for month, days in days_by_month(start, first, end).items()}


def month_label(key: str) -> str:
    """``Jan 2027`` (``2027年1月``) for ``2027-01``."""
    year, month = (int(part) for part in key.split("-"))
    if language() == "zh":
        return f"{year}年{month}月"
    return f"{_MONTHS[month - 1]} {year}"


def stage_label(stage: Stage) -> str:
    words = {
        Stage.GOALS: tr("Set goals"),
        Stage.ANALYSIS: tr("Analyse"),
        Stage.IMPLEMENTATION: tr("Implement"),
    }
    return words[stage]


class _Ledger:
    """Amounts by kind under keys, in the order the keys were first opened."""

    def __init__(self) -> None:
        self.lines: dict[str, dict[str, int]] = {}

    def add(self, key: str, kind: str, value: int) -> None:
        line = self.lines.setdefault(key, dict.fromkeys(_KINDS, 0))
        line[kind] += value

    def open(self, key: str) -> None:
        self.lines.setdefault(key, dict.fromkeys(_KINDS, 0))

    def cost_lines(self, label: Mapping[str, str]) -> tuple[CostLine, ...]:
        return tuple(
            CostLine(key, label.get(key, key), **amounts) for key, amounts in self.lines.items()
        )


def costs_of(
    pricing: Pricing,
    start: datetime.date,
    steps: Sequence[PlannedStep],
    preparations: Sequence[Preparation],
    first_modules: Mapping[str, str],
) -> Costs:
    """The plan's money per stage (in stage order), module (in `steps`' order), month and total."""
    by_stage, by_module, by_month, total = _Ledger(), _Ledger(), _Ledger(), _Ledger()
    for stage in _STAGES:
        by_stage.open(stage.value)
    for step in steps:
        by_module.open(step.module)

    def add(stage: str, module: str, month: str, kind: str, value: int) -> None:
        for ledger, key in ((by_stage, stage), (by_module, module), (by_month, month)):
            ledger.add(key, kind, value)
        total.add("total", kind, value)

    unpriced: list[str] = []
    missing: list[str] = []
    for step in steps:
        if pricing.salaries.get(step.assignee.post) is None:
            unpriced.append(step.assignee.post)
            missing.append(tr("pay: {post}", post=pricing.labels.post(step.assignee.post)))
        if not step.spend_known:
            missing.append(tr("spend: {step}", step=step.name))
        labour = labour_of(pricing, step.assignee.post, start, step.start_day, step.end_day)
        for month, value in labour.items():
            add(step.stage.value, step.module, month, "labour", value)
        month = month_of(start, step.start_day)
        add(step.stage.value, step.module, month, "spend", step.spend)
    first_steps: dict[str, PlannedStep] = {}
    for step in sorted(steps, key=lambda s: s.start_day):
        first_steps.setdefault(step.assignee.id, step)
    # A big team trains hundreds: their costs are added up by where they go, in the order
    # those places first come (the order each ledger opens its lines in), then added once.
    prepared: dict[tuple[str, str, str, str], int] = {}
    for prep in preparations:
        first = first_steps.get(prep.assignee.id)
        phase = first.stage.value if first else Stage.IMPLEMENTATION.value
        module = first.module if first else first_modules.get(prep.assignee.post, "")
        kind = "hiring" if prep.kind is PreparationKind.HIRING else "training"
        if not prep.cost_known:
            missing.append(
                prep.description
                if prep.kind is PreparationKind.HIRING
                else tr("training: {items}", items=prep.description)
            )
        where = (phase, module, month_of(start, prep.start_day), kind)
        prepared[where] = prepared.get(where, 0) + prep.cost
    for (phase, module, month, kind), cost in prepared.items():
        add(phase, module, month, kind, cost)
    months = dict(sorted(by_month.lines.items()))
    by_month.lines = months
    total.open("total")
    return Costs(
        by_stage=by_stage.cost_lines({s.value: stage_label(s) for s in _STAGES}),
        by_module=by_module.cost_lines(dict(pricing.labels.modules)),
        by_month=by_month.cost_lines({key: month_label(key) for key in months}),
        total=total.cost_lines({"total": tr("Whole plan")})[0],
        unpriced_posts=tuple(dict.fromkeys(unpriced)),
        unpriced=tuple(dict.fromkeys(missing)),
        basis=basis_words(),
    )


def basis_words() -> str:
    """What a plan's totals count (what they leave out is `Costs.unpriced`)."""
    return tr("the cost of the plan's work (days on its steps), hiring, training and spend")
