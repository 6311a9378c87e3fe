"""What a change does to a plan (a what-if, or a recommended action of a team report): the
finish date before and after, the payroll a month and the money once, the steps that moved.

The payroll a month is the change in who is paid (a hire's mid-band salary, minus a leaver's);
the plan's totals count only the days people spend on its steps, so the two differ: three more
hires raise the payroll by three salaries but the totals only by their recruiting, when the work
was already counted. Money that is unknown (no salary band, no recruiting cost, an amount only in
another currency) is named, never counted as 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from staffcheck.i18n import tr
from staffcheck.money import signed_money
from staffcheck.project_plan import AssigneeKind, Effect, ProjectPlan, StepMove
from staffcheck.words import short_date


def effect(before: ProjectPlan, after: ProjectPlan, change: str) -> Effect:
    """What going from `before` to `after` does: finish date, money, steps moved."""
    pay_before, pay_after = _monthly_pay(before), _monthly_pay(after)
    joined = [pay for pid, pay in pay_after.items() if pid not in pay_before]
    left = [pay for pid, pay in pay_before.items() if pid not in pay_after]
    monthly = sum(pay for pay in joined if isinstance(pay, int))
    monthly -= sum(pay for pay in left if isinstance(pay, int))
    unknown_pay = [pay for pay in (*joined, *left) if isinstance(pay, str)]
    gained = [item for item in after.costs.unpriced if item not in before.costs.unpriced]
    one_off_before = before.costs.total.hiring + before.costs.total.training
    one_off_after = after.costs.total.hiring + after.costs.total.training
    earlier = {s.id: s for s in before.steps}
    moved = tuple(
        StepMove(s.id, old.assignee, s.assignee, old.start, old.end, s.start, s.end)
        for s in after.steps
        if (old := earlier.get(s.id)) is not None
        and (old.assignee.id, old.start, old.end) != (s.assignee.id, s.start, s.end)
    )
    return Effect(
        change=change,
        finish_before=before.finish,
        finish_after=after.finish,
        monthly_cost=monthly,
        one_off_cost=one_off_after - one_off_before,
        total_before=before.costs.total.total,
        total_after=after.costs.total.total,
        moved=moved,
        unpriced=tuple(dict.fromkeys([*unknown_pay, *gained])),
    )


def _monthly_pay(plan: ProjectPlan) -> dict[str, int | str]:
    """Everyone on the plan's payroll (members and hires) -> their post's mid-band monthly pay,
    or, when their post has no salary band, "pay: <post>" (unknown)."""
    bands = {f.post: f.salary for f in plan.follow_up}
    people = {p.id: p.post for p in plan.analysis.people}
    people.update(
        {a.id: a.post for f in plan.follow_up for a in f.people if a.kind is AssigneeKind.HIRE}
    )
    pay: dict[str, int | str] = {}
    for pid, post in people.items():
        band = bands.get(post)
        unknown = tr("pay: {post}", post=plan.labels.post(post))
        pay[pid] = round((band[0] + band[1]) / 2) if band is not None else unknown
    return pay


def effect_words(
    monthly: int,
    once: int,
    currency: str,
    finish: tuple[datetime.date, ...],
    unpriced: Sequence[str] = (),
) -> str:
    """``payroll +¥14,000/month, +¥6,000 once, finish 14 Mar → 28 Feb``: the money that changes
    (the payroll a month, not the plan's cost), what of it is unknown, then the finish
    (`finish`: before and after; empty when the plan has no dated work)."""
    parts = []
    if monthly:
        parts.append(tr("payroll {amount}/month", amount=signed_money(monthly, currency)))
    if once:
        parts.append(tr("{amount} once", amount=signed_money(once, currency)))
    if unpriced:
        parts.append(tr("unpriced: {items}", items=tr(", ").join(unpriced)))
    if finish:
        before, after = finish
        if before == after:
            parts.append(tr("finish {date} (unchanged)", date=short_date(before)))
        else:
            moved = f"{short_date(before)} → {short_date(after)}"
            parts.append(tr("finish {dates}", dates=moved))
    return tr(", ").join(parts)
