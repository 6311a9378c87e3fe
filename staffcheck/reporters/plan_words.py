"""The words every format of a plan shares: dates, stages, people, money, in the reader's language."""

from __future__ import annotations

import datetime

from staffcheck.i18n import language, tr
from staffcheck.model import Stage
from staffcheck.money import money, signed_money
from staffcheck.project_plan import AssigneeKind, ProjectPlan

__all__ = [
    "amount",
    "change",
    "critical_names",
    "kind_word",
    "long_date",
    "short_date",
    "signed",
    "stage_word",
]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: datetime.date) -> str:
    """``14 Mar`` (``3月14日``): a day of the plan, where the year is clear from the heading."""
    if language() == "zh":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]}"


def long_date(day: datetime.date) -> str:
    """``14 Mar 2027`` (``2027年3月14日``)."""
    if language() == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def stage_word(stage: Stage) -> str:
    """The name of one of essay 001's three stages."""
    words = {
        Stage.GOALS: tr("Set goals"),
        Stage.ANALYSIS: tr("Analyse"),
        Stage.IMPLEMENTATION: tr("Implement"),
    }
    return words[stage]


def kind_word(kind: AssigneeKind) -> str:
    """How a person comes to do the work: as they are, after training, once hired."""
    words = {
        AssigneeKind.MEMBER: tr("member"),
        AssigneeKind.TRAINEE: tr("after training"),
        AssigneeKind.HIRE: tr("to hire"),
    }
    return words[kind]


def amount(plan: ProjectPlan, value: int) -> str:
    """`value` in the plan's currency: ``¥14,000``."""
    return money(value, plan.currency)


def signed(plan: ProjectPlan, value: int) -> str:
    """`value` with its sign, in the plan's currency: ``+¥14,000``."""
    return signed_money(value, plan.currency)


def change(before: datetime.date, after: datetime.date) -> str:
    """``14 Mar → 28 Feb``, or ``14 Mar (unchanged)``."""
    if before == after:
        return tr("{date} (unchanged)", date=short_date(before))
    return f"{short_date(before)} → {short_date(after)}"


def critical_names(plan: ProjectPlan) -> list[str]:
    """The critical path's steps by name, first to last, after the hiring or training it waits
    for, if it starts with one."""
    names = {step.id: step.name for step in plan.steps}
    start = [plan.critical_start] if plan.critical_start else []
    return [*start, *(names.get(ident, ident) for ident in plan.critical_path)]
