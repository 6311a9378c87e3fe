"""The words every format of a plan shares: dates, stages, people, money, in the reader's language."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import replace

from staffcheck.i18n import tr
from staffcheck.lookup import shared_names, who
from staffcheck.model import Stage
from staffcheck.money import money, signed_money
from staffcheck.project_plan import (
    Assignee,
    AssigneeKind,
    PlannedStep,
    Preparation,
    ProjectPlan,
)
from staffcheck.words import long_date, month_year, short_date

__all__ = [
    "amount",
    "change",
    "critical_names",
    "kind_word",
    "long_date",
    "month_year",
    "short_date",
    "signed",
    "stage_word",
    "told_apart",
]


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


def known_amount(plan: ProjectPlan, value: int, known: bool) -> str:
    """`value` as an amount; when part of it is unknown, "unpriced" (nothing known) or
    ``¥3,000 + unpriced``, so an unknown is never read as 0."""
    if known:
        return amount(plan, value)
    if not value:
        return tr("unpriced")
    return tr("{amount} + unpriced", amount=amount(plan, value))


def step_cost_known(plan: ProjectPlan, step: PlannedStep) -> bool:
    """Whether a step's pay and spend are both known (its post has a salary band)."""
    return step.spend_known and step.assignee.post not in plan.costs.unpriced_posts


def step_amount(plan: ProjectPlan, step: PlannedStep) -> str:
    """A step's pay and spend, or what of them is unknown."""
    return known_amount(plan, step.labour_cost + step.spend, step_cost_known(plan, step))


def preparation_amount(plan: ProjectPlan, prep: Preparation) -> str:
    """A hiring's or a training's cost, or what of it is unknown."""
    return known_amount(plan, prep.cost, prep.cost_known)


def start_words(plan: ProjectPlan) -> str:
    """The start date, and the weekend day asked for when the plan was moved to the Monday after."""
    if plan.start_moved_from is None:
        return long_date(plan.start)
    return tr(
        "{start} ({asked} is a weekend day)",
        start=long_date(plan.start),
        asked=long_date(plan.start_moved_from),
    )


def no_steps_words(plan: ProjectPlan) -> str:
    """Stage 3's line on the strategy's modules that have no work steps, or ""."""
    if not plan.modules_without_steps:
        return ""
    names = tr(", ").join(plan.labels.module(m) for m in plan.modules_without_steps)
    return tr("No work steps in the pack for: {modules}", modules=names)


def not_priced_words(items: Sequence[str]) -> str:
    """``Not priced: pay: Live-stream host, spend: Bid on keywords``, or "" when all are priced."""
    if not items:
        return ""
    return tr("Not priced: {items}", items=tr(", ").join(items))


def basis_words(plan: ProjectPlan) -> str:
    """The sentence under the cost tables on what the totals count, or "" when there is none
    (what they leave out, `Costs.unpriced`, is `not_priced_words`'s line)."""
    basis = plan.costs.basis
    return tr("The totals count {basis}.", basis=basis) if basis else ""


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


def told_apart(plan: ProjectPlan) -> ProjectPlan:
    """The plan with ``name (id)`` for every person whose name another person of the plan shares
    (the house rule: names first, the id only where two share one), so no format shows two
    people as one; a plan where every name is different comes back as it is."""
    people = [(a.id, a.name) for a in _assignees(plan)]
    people += [(p.id, p.name) for p in plan.analysis.people]
    shared = shared_names(people)
    if not shared:
        return plan

    def named(person: Assignee) -> Assignee:
        return replace(person, name=who(person.name, person.id, shared))

    analysis = plan.analysis
    analysis = replace(
        analysis,
        people=tuple(replace(p, name=who(p.name, p.id, shared)) for p in analysis.people),
        gaps=tuple(replace(g, filled_by=tuple(map(named, g.filled_by))) for g in analysis.gaps),
    )
    effect = plan.what_if
    if effect is not None:
        moved = tuple(
            replace(m, before=named(m.before), after=named(m.after)) for m in effect.moved
        )
        effect = replace(effect, moved=moved)
    return replace(
        plan,
        analysis=analysis,
        steps=tuple(replace(s, assignee=named(s.assignee)) for s in plan.steps),
        preparations=tuple(replace(p, assignee=named(p.assignee)) for p in plan.preparations),
        follow_up=tuple(replace(f, people=tuple(map(named, f.people))) for f in plan.follow_up),
        what_if=effect,
    )


def _assignees(plan: ProjectPlan) -> Iterator[Assignee]:
    """Everyone the plan names as doing work, before or after a what-if."""
    yield from (step.assignee for step in plan.steps)
    yield from (prep.assignee for prep in plan.preparations)
    for post in plan.follow_up:
        yield from post.people
    if plan.what_if is not None:
        for move in plan.what_if.moved:
            yield from (move.before, move.after)
