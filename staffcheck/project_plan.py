"""The three-stage plan of a strategy (``staffcheck plan``), as the reporters receive it.

Essay 001 writes a network-marketing plan in three stages: set goals, analyse, decompose the
implementation into modules and steps "implemented to people", drawn as a Gantt chart; essay 000
adds the operating system that follows it up (posts, pay, assessment, training). A `ProjectPlan`
holds all of it, already decided: `staffcheck.operating` builds it, reporters only lay it out.

Days are working days (Monday to Friday) counted from the plan's start: day 0 is the start date
(or the first working day after it). Every ``end`` is exclusive as a day number and inclusive as
a date (the last working day of the step). Money is whole units of `ProjectPlan.currency`.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from staffcheck.model import (
    Confidence,
    Labels,
    Severity,
    Stage,
    StrategyRef,
    Verdict,
)
from staffcheck.planning import StaffingPlan


class AssigneeKind(enum.StrEnum):
    """Who does a step: a member as they are, a member after training, or a person yet to hire."""

    MEMBER = "member"
    TRAINEE = "trainee"
    HIRE = "hire"


@dataclass(frozen=True, slots=True)
class Assignee:
    """A person the plan puts work on."""

    #: a member's id, or ``hire:<post>`` (``hire:<post>:2`` for a second hire on one post)
    id: str
    #: the member's name, or "hire: <post name>" in the language in use
    name: str
    kind: AssigneeKind
    #: the post they hold in the plan (a member's post in the team file; a hire's post)
    post: str


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One work step, scheduled: who does it, from when to when, and what it waits for."""

    id: str
    name: str
    module: str
    stage: Stage
    #: the post that does the step in this strategy
    post: str
    #: working days of one person
    effort: int
    assignee: Assignee
    start_day: int
    end_day: int
    start: datetime.date
    end: datetime.date
    #: steps of this plan that must finish before it starts
    after: tuple[str, ...] = ()
    #: on the critical path: any delay to it delays the finish
    critical: bool = False
    #: pay for the days the assignee spends on it (mid-band monthly salary / 21.75 per day)
    labour_cost: int = 0
    #: the step's money other than pay (the pack's ``spend``)
    spend: int = 0
    #: False: the step has spend in the pack's currency, which the plan's (the team's) is not
    #: (`spend` is then 0 and `Costs.unpriced` names it)
    spend_known: bool = True


class PreparationKind(enum.StrEnum):
    HIRING = "hiring"
    TRAINING = "training"


@dataclass(frozen=True, slots=True)
class Preparation:
    """Time before a person can start: recruiting a hire, or training a member one level up."""

    kind: PreparationKind
    assignee: Assignee
    #: training: the training items taken, by id (hiring: empty)
    items: tuple[str, ...]
    #: training: the skills lifted (hiring: empty)
    skills: tuple[str, ...]
    #: the training items' names, or "recruiting: <post>", in the language in use
    description: str
    start_day: int
    end_day: int
    start: datetime.date
    end: datetime.date
    #: recruiting cost, or the training items' cost
    cost: int
    #: False: part of the cost is unknown (no recruiting cost for the post, or a training item
    #: priced only in another currency): `cost` leaves it out and `Costs.unpriced` names it
    cost_known: bool = True


@dataclass(frozen=True, slots=True)
class GoalLine:
    """Stage 1: a goal of the strategy and the KPI it is measured by."""

    id: str
    name: str
    kpi: str
    #: the KPI is the team file's own, not the pack's default
    company_kpi: bool = False


@dataclass(frozen=True, slots=True)
class PersonStanding:
    """Stage 2: how one member stands on their post (the team diagnosis, one line each)."""

    id: str
    name: str
    post: str
    verdict: Verdict
    fit: int
    confidence: Confidence
    #: the leading finding's message, or "" when nothing was found
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PostGap:
    """Stage 2: a post the strategy needs that the team does not cover, and what the plan does."""

    post: str
    severity: Severity
    message: str
    #: who takes its steps in the plan (a trainee, a member who fits it, or a hire)
    filled_by: tuple[Assignee, ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """Stage 2: the team's diagnosis, or, without a team, the posts to fill."""

    staffing: StaffingPlan
    people: tuple[PersonStanding, ...] = ()
    gaps: tuple[PostGap, ...] = ()


@dataclass(frozen=True, slots=True)
class PostFollowUp:
    """The operating system: who holds a post, what they are assessed on, what it pays."""

    post: str
    people: tuple[Assignee, ...]
    kpis: tuple[str, ...]
    #: the post's typical training, by name
    training: tuple[str, ...] = ()
    salary: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class CostLine:
    """Money of one stage, module or month (or the whole plan), by kind."""

    #: a stage value, a module id, ``YYYY-MM``, or ``total``
    key: str
    label: str
    labour: int = 0
    hiring: int = 0
    training: int = 0
    spend: int = 0

    @property
    def total(self) -> int:
        return self.labour + self.hiring + self.training + self.spend


@dataclass(frozen=True, slots=True)
class Costs:
    """The plan's 人财物 in money: per stage, per module, per month, and in all."""

    by_stage: tuple[CostLine, ...]
    by_module: tuple[CostLine, ...]
    by_month: tuple[CostLine, ...]
    total: CostLine
    #: a post's cost is unknown (the pack gives no salary band for it): totals leave it out
    unpriced_posts: tuple[str, ...] = ()
    #: every amount the totals leave out because it is unknown, in words in the language in use
    #: ("pay: Live-stream host", "recruiting: Live-stream host", "training: Advanced SEO course",
    #: "spend: Bid on keywords"): no salary band, recruiting or training cost, or an amount only
    #: in the pack's currency when the plan's (the team file's) is another
    unpriced: tuple[str, ...] = ()
    #: what the totals count, in words: the plan's work (days on its steps), hiring, training
    #: and spend, and what they leave out (for the reporters to print under the totals)
    basis: str = ""


@dataclass(frozen=True, slots=True)
class StepMove:
    """A step a what-if changed: who did it and when, before and after."""

    step: str
    before: Assignee
    after: Assignee
    before_start: datetime.date
    before_end: datetime.date
    after_start: datetime.date
    after_end: datetime.date


@dataclass(frozen=True, slots=True)
class Effect:
    """What a change does to the plan: the finish date and the money.

    The change is a what-if (``--without``, ``--hire``) or a recommended action of a team report.
    """

    #: the change in words, e.g. "hire a Data analyst", "without Zhou Min"
    change: str
    finish_before: datetime.date
    finish_after: datetime.date
    #: change in monthly payroll (a hire's mid-band salary, minus a leaver's): the people on
    #: the payroll, not the plan's cost, which counts only the days they spend on its steps
    monthly_cost: int = 0
    #: change in one-off money (recruiting, training)
    one_off_cost: int = 0
    total_before: int = 0
    total_after: int = 0
    #: steps whose person or dates changed, in plan order
    moved: tuple[StepMove, ...] = ()
    #: money the change brings that is unknown, in words ("pay: Data analyst", "recruiting:
    #: Data analyst"): `monthly_cost` and `one_off_cost` leave it out (never read them as 0)
    unpriced: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """A strategy's three-stage plan, down to people and dates (``staffcheck plan``)."""

    strategy: StrategyRef
    description: str
    #: the team planned with (None: no team file; every post is a hire)
    team: str | None
    start: datetime.date
    finish: datetime.date
    #: working days from the start to the finish
    days: int
    #: ISO 4217 code of every amount
    currency: str
    goals: tuple[GoalLine, ...]
    analysis: Analysis
    #: grouped by module in the strategy's order, then by start day
    steps: tuple[PlannedStep, ...]
    preparations: tuple[Preparation, ...]
    follow_up: tuple[PostFollowUp, ...]
    costs: Costs
    #: step ids on the critical path, first to last
    critical_path: tuple[str, ...]
    #: the hiring or training the critical path waits for before its first step (its
    #: description, e.g. "recruiting: Marketing data analyst"), or "" when it starts on day 0
    critical_start: str = ""
    #: the plan's what-ifs (``--without``, ``--hire``), compared with the plan without them
    what_if: Effect | None = None
    #: the start asked for when it fell on a weekend (`start` is then the Monday after); None
    #: when the plan starts on the day asked for
    start_moved_from: datetime.date | None = None
    #: the strategy's modules that have no work steps (a custom pack's): stage 3 has nothing
    #: to schedule for them, by module id in the strategy's order
    modules_without_steps: tuple[str, ...] = ()
    labels: Labels = field(default_factory=Labels)
