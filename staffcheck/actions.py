"""What to do: a what-if planner that turns a team's diagnosis into ordered, measured actions.

It is the one source of a team's advice: ``staffcheck explain --actions`` shows its plan step by
step, and `advise` puts the same steps, one sentence each, in a report's "what to do first". The
steps are chosen and measured in `staffcheck.trials`. A screening's advice is about hiring, not
staffing (`staffcheck.hiring`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from staffcheck.diagnose import MemberMemo, TeamMemo, assess_team, screen
from staffcheck.errors import StaffcheckError
from staffcheck.explain import Explanation, explain, strategy_and_team
from staffcheck.hiring import screening_advice
from staffcheck.i18n import tr
from staffcheck.model import (
    KnowledgeBase,
    Report,
    Strategy,
    StrategyRef,
    Team,
)
from staffcheck.money import monthly as midpoint
from staffcheck.operating import plan_after_actions
from staffcheck.plan_effect import effect_words
from staffcheck.plan_people import PeopleMemo, terms_of, training_of, unpriced_training
from staffcheck.project_plan import Effect
from staffcheck.trials import Move, PlannedAction, Planner, Tally, Training

if TYPE_CHECKING:
    from staffcheck.sources import Subject

__all__ = [
    "ADVICE_STEPS",
    "MORE_STEPS",
    "PLAN_STEPS",
    "ActionPlan",
    "Move",
    "PlannedAction",
    "Tally",
    "Training",
    "advice_lines",
    "advise",
    "explain_subject",
    "more_line",
    "plan_actions",
    "screening_advice",
]

#: Steps a team report's "what to do first" gives (then "… and more"); ``explain --actions``
#: gives the whole plan.
ADVICE_STEPS = 5
#: Steps ``explain --actions`` shows in text formats, then "… and N more" (its JSON: all).
PLAN_STEPS = 10
MORE_STEPS = "'--format json' lists every step"


def more_line(hidden: int, where: str) -> str:
    """The line that ends a cut list of steps in a text format: how many more, and where."""
    return f"… and {hidden} more: {where}."


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """What to do, in order, and where the team ends if every step is taken."""

    actions: tuple[PlannedAction, ...]
    before: Tally
    after: Tally
    #: the team planned for, and its strategy (for headings)
    team: str | None = None
    strategy: StrategyRef | None = None
    #: the trees of the diagnosis planned from (``explain_subject``): the plan's JSON carries both
    explanation: Explanation | None = None

    @property
    def effect(self) -> str:
        text = f"uncovered posts {len(self.before.uncovered)} → {len(self.after.uncovered)}"
        return text + f", mismatches {len(self.before.mismatches)} → {len(self.after.mismatches)}"


def plan_actions(
    kb: KnowledgeBase,
    team: Team,
    report: Report | None = None,
    *,
    limit: int | None = None,
    today: datetime.date | None = None,
    memo: MemberMemo | TeamMemo | None = None,
) -> ActionPlan:
    """Turn a team's diagnosis into ordered actions, each with its measured effect.

    The candidate steps are: move a member onto an uncovered post they fit, reassign a
    mismatched member to a post they fit, train a member one level up on an essential skill,
    hire for an uncovered post. Each is measured by re-running `assess_team` on the changed
    team, and the plan takes, one at a time, the step that helps most (`trials.gain`): one that covers
    a critical post first, then by its effect on the posts covered (weighted by importance),
    the mismatches, the verdicts and the findings; a move before training before a hire of
    equal effect. A step that changes nothing is never taken; a person is moved at most once
    and never named again once moved; a post is hired for only while nobody covers it.
    With `limit`, planning stops after that many steps; waivers are judged as of `today`
    (default: the current date), as `assess_team` does. A `memo` filled by the `assess_team`
    that made `report` saves re-running unchanged members (a `TeamMemo`, also re-reading them).
    """
    memo = memo if isinstance(memo, TeamMemo) else TeamMemo(memo)
    if report is None:
        report = assess_team(kb, team, today, memo=memo)
    planner = Planner(kb, team, report, limit, today, memo)
    start = planner.tally
    planner.run()
    strategy = StrategyRef(planner.strategy.id, planner.strategy.name)
    actions = _with_plan_notes(kb, team, report, planner, team.plan.start or today)
    return ActionPlan(actions, start, planner.tally, team.name, strategy)


def _with_plan_notes(
    kb: KnowledgeBase, team: Team, report: Report, planner: Planner, start: datetime.date | None
) -> tuple[PlannedAction, ...]:
    """Each action with what it does to the strategy's plan (``staffcheck plan``), measured on
    the team with the actions above it taken: "plan: +¥14,000/month, +¥6,000 once, finish
    14 Mar → 28 Feb". The plan starts on `start` (the team file's, else ``--as-of``, else today)."""
    first = start or datetime.date.today()
    strategy = planner.strategy
    memo = PeopleMemo()  # every plan below is of one team file from one start
    before = plan_after_actions(kb, strategy, first, team, report, {}, memo)
    hires: dict[str, str] = {}
    noted = []
    for action, (changed, changed_report) in zip(planner.actions, planner.states, strict=True):
        hires.update({m.person_id: m.to_role for m in action.moves if m.hire})
        after = plan_after_actions(kb, strategy, first, changed, changed_report, hires, memo)
        monthly, once, unpriced = _action_money(kb, team, action)
        dated = before.days > 0 or after.days > 0
        finish = (before.finish, after.finish) if dated else ()
        words = effect_words(monthly, once, after.currency, finish, unpriced)
        note = (tr("plan: {effect}", effect=words),) if words else ()
        measured = Effect(
            change=action.summary,
            finish_before=before.finish,
            finish_after=after.finish,
            monthly_cost=monthly,
            one_off_cost=once,
            total_before=before.costs.total.total,
            total_after=after.costs.total.total,
            unpriced=unpriced,
        )
        noted.append(replace(action, notes=(*action.notes, *note), plan_effect=measured))
        before = after
    return tuple(noted)


def _action_money(
    kb: KnowledgeBase, team: Team, action: PlannedAction
) -> tuple[int, int, tuple[str, ...]]:
    """What an action costs a month and once: a hire's mid-band pay and recruiting cost; the
    training items that lift the skills trained; a move's change of pay band. Then what of it
    is unknown (no band, no recruiting or training cost in the plan's currency), in words."""
    monthly = once = 0
    unpriced: list[str] = []
    for move in action.moves:
        if move.to_role not in kb.roles:
            continue
        terms, post = terms_of(kb, team, move.to_role), kb.roles[move.to_role].name
        held = move.from_role if move.from_role in kb.roles else None
        old = terms_of(kb, team, held).salary if held is not None else None
        if move.hire:
            monthly += midpoint(terms.salary) if terms.salary is not None else 0
            once += terms.hiring_cost or 0
            if terms.salary is None:
                unpriced.append(tr("pay: {post}", post=post))
            if terms.hiring_cost is None:
                unpriced.append(tr("recruiting: {post}", post=post))
        elif terms.salary is not None and old is not None:
            monthly += midpoint(terms.salary) - midpoint(old)
        elif held is not None:
            unpriced.append(tr("pay: {post}", post=post))
    trained = {t.skill for t in action.training}
    if trained:
        member = next(m for m in team.members if m.profile.id == action.training[0].person_id)
        if member.role in kb.roles:
            items = [i for i in training_of(kb, team, member.role) if trained & set(i.skills)]
            unknown = unpriced_training(kb, team, member.role)
            once += sum(i.cost for i in items if i.id not in unknown)
            unpriced += [tr("training: {items}", items=i.name) for i in items if i.id in unknown]
    return monthly, once, tuple(dict.fromkeys(unpriced))


def explain_subject(
    kb: KnowledgeBase,
    subject: Subject,
    strategy: Strategy | None = None,
    *,
    person: str | None = None,
    rule: str | None = None,
    post: str | None = None,
    actions: bool = False,
) -> Explanation | ActionPlan:
    """``explain``: the trees of a team (with its actions) or of profiles; with `actions`, the plan.

    A team is judged by `strategy`, else its own, and explained on the posts its members hold;
    profiles are screened under `strategy` (if any) for `post` (default: the one each applies
    for). A team's explanation carries its action plan, and the plan the trees.
    """
    strategy, team = strategy_and_team(subject, kb, strategy)
    if team is None:
        if actions:
            raise StaffcheckError.at(
                "--actions needs a team file", hint="actions re-assess a whole team"
            )
        report = screen(kb, subject.profiles, strategy, role=post)
        return explain(kb, report, subject.profiles, person=person, rule=rule)
    if post is not None:
        raise StaffcheckError.at(
            "--post needs --why-not with a team file",
            hint="members are explained on the posts they hold",
        )
    memo = TeamMemo()  # the planner starts from this assessment's runs and words
    report = assess_team(kb, team, memo=memo)
    explanation = explain(kb, report, subject.profiles, person=person, rule=rule)
    plan = plan_actions(kb, team, report, memo=memo)
    return replace(plan, explanation=explanation) if actions else replace(explanation, actions=plan)


def advise(
    kb: KnowledgeBase,
    report: Report,
    team: Team | None = None,
    today: datetime.date | None = None,
    memo: MemberMemo | TeamMemo | None = None,
) -> Report:
    """`report` with its advice: the first `ADVICE_STEPS` steps of a team's plan from the
    planner (and whether more follow); for a screening (no team), hiring advice.

    Pass the `memo` the team's `assess_team` filled, so the planner starts from its runs.
    """
    if team is None:
        return replace(report, advice=screening_advice(report))
    # The first steps only, and whether more follow: each step is a measured what-if, and a
    # large team's whole plan is explain --actions' job.
    plan = plan_actions(kb, team, report, limit=ADVICE_STEPS + 1, today=today, memo=memo)
    lines = advice_lines(plan)
    return replace(report, advice=lines[:ADVICE_STEPS], advice_more=len(lines) > ADVICE_STEPS)


def advice_lines(plan: ActionPlan) -> tuple[str, ...]:
    """Each step of the plan as one sentence: what to do, then the notes that qualify it."""
    return tuple(
        tr("{step}.", step=" — ".join([step.summary, *step.notes])) for step in plan.actions
    )
