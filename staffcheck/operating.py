"""The operating system of a strategy: its three-stage plan, down to people, dates and money.

`build_plan` turns a strategy (and a team, if any) into a `project_plan.ProjectPlan`: the goals
and KPIs; the team's diagnosis; every work step of the strategy's modules on a named person,
scheduled by `staffcheck.scheduling`; who is assessed on what and trained when; the cost per
stage, module and month (`staffcheck.plan_costs`). `effect` compares two plans
(`staffcheck.plan_effect`).

Who does a post's steps is `staffcheck.plan_people`'s to say: members, trainees, hires.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from staffcheck.collector import collector_paused
from staffcheck.diagnose import MemberMemo, TeamMemo, assess_team, check_role
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.knowledge import find_strategy
from staffcheck.lookup import find_person
from staffcheck.model import (
    KnowledgeBase,
    Labels,
    Report,
    Stage,
    Step,
    Strategy,
    StrategyRef,
    Team,
    frozen_map,
)
from staffcheck.plan_costs import Pricing, costs_of, labour_of
from staffcheck.plan_effect import effect
from staffcheck.plan_people import (
    DEFAULT_LEAD_TIME,
    People,
    PeopleMemo,
    Person,
    by_id,
    currency_of,
    terms_of,
    training_of,
)
from staffcheck.planning import StaffingPlan, plan_staffing
from staffcheck.project_plan import (
    Analysis,
    AssigneeKind,
    GoalLine,
    PersonStanding,
    PlannedStep,
    PostFollowUp,
    PostGap,
    ProjectPlan,
)
from staffcheck.scheduling import Resource, Schedule, ScheduleError, Task, schedule
from staffcheck.schema import did_you_mean
from staffcheck.workdays import (
    EARLIEST_START,
    LATEST_DATE,
    LATEST_START,
    first_workday,
    fits_calendar,
    last_day,
    start_in_range,
    workday,
)

__all__ = [
    "DEFAULT_LEAD_TIME",
    "build_plan",
    "effect",
    "plan_after_actions",
    "plan_for",
    "terms_of",
    "training_of",
]

_HIRE = AssigneeKind.HIRE
_STAGE_ORDER = (Stage.GOALS, Stage.ANALYSIS, Stage.IMPLEMENTATION)


@collector_paused
def build_plan(
    kb: KnowledgeBase,
    strategy: Strategy,
    start: datetime.date,
    *,
    team: Team | None = None,
    report: Report | None = None,
    without: Sequence[str] = (),
    hire: Sequence[str] = (),
    today: datetime.date | None = None,
) -> ProjectPlan:
    """The three-stage plan of `strategy` from `start`, with `team` (its `report` if already made).

    `without`: member ids taken out of the team (they leave; each once however often named);
    `hire`: post ids to hire one more person for than the plan without the change makes (a
    post the change leaves to a hire anyway is that hire, not one more). With either, the
    plan's `what_if` compares it with the plan without them. Waivers are judged as of `today`
    (default: the current date), as `assess_team` does.
    """
    if not start_in_range(start):
        raise StaffcheckError.at(
            tr("{date} is outside {first} … {last}: start the plan within those dates",
               date=start.isoformat(), first=EARLIEST_START.isoformat(),
               last=LATEST_START.isoformat()),
        )  # fmt: skip
    if team is not None and team.strategy != strategy.id:
        team, report = replace(team, strategy=strategy.id), None
    without = tuple(dict.fromkeys(without))
    _check_changes(kb, strategy, team, without, hire)
    # The changed team's members are re-read only if their runs differ (a what-if changes few).
    memo = TeamMemo()
    builder = _Builder(kb, strategy, start, team, report, {}, today, memo=memo)
    baseline = builder.plan()
    if not without and not hire:
        return baseline
    hired = Counter(a.post for f in baseline.follow_up for a in f.people if a.kind is _HIRE)
    wanted = {post: hired[post] + hire.count(post) for post in hire}
    changed_team, report = team, builder.report  # a hire changes the plan, not the team
    if team is not None and without:
        gone = set(without)
        kept = tuple(m for m in team.members if m.profile.id not in gone)
        changed_team, report = replace(team, members=kept), None
    changed = _Builder(kb, strategy, start, changed_team, report, wanted, today, memo=memo).plan()
    words = change_words(kb, team, without, hire)
    return replace(changed, what_if=effect(baseline, changed, words))


def plan_for(
    kb: KnowledgeBase,
    strategy: Strategy | None,
    team: Team | None,
    start: datetime.date | None = None,
    *,
    without: Sequence[str] = (),
    hire: Sequence[str] = (),
    where: str | None = None,
) -> ProjectPlan:
    """``staffcheck plan`` and `staffcheck.api.plan`: the plan of `strategy` (default: the team's
    own) from `start` (default: the team file's ``plan: {start}``, else today). `without` names
    members by id or name, `hire` posts by id or name; `where` is the team file, for errors."""
    if strategy is None:
        if team is None:
            raise StaffcheckError.at(
                tr("--strategy or --team is required"),
                hint=tr("e.g. staffcheck plan --strategy search-centred"),
            )
        strategy = find_strategy(kb, team.strategy)
    if kb.strategies.get(strategy.id) is not strategy:  # a strategy file: the team is judged by it
        kb = replace(kb, strategies=frozen_map({**kb.strategies, strategy.id: strategy}))
    if without and team is None:
        raise StaffcheckError.at(tr("--without needs a team file"), hint=tr("add --team TEAM_FILE"))
    profiles = [m.profile for m in team.members] if team is not None else []
    gone = [find_person(profiles, wanted, where, option="--without").id for wanted in without]
    posts = [check_role(kb, post) for post in hire]
    first = start or (team.plan.start if team is not None else None) or datetime.date.today()
    return build_plan(kb, strategy, first, team=team, without=gone, hire=posts)


def plan_after_actions(
    kb: KnowledgeBase,
    strategy: Strategy,
    start: datetime.date,
    team: Team,
    report: Report,
    hires: Mapping[str, str],
    memo: PeopleMemo | None = None,
) -> ProjectPlan:
    """The plan of `team` as a team report's actions leave it (`report`: its diagnosis): the
    people those actions hire (member id -> post) are hires of the plan, with their lead time
    and recruiting cost, not members ready on day 0. A post nobody covers and no action hires for
    falls to the member who fits it best (`People.stretched`), not to a hire: an action that
    hires is measured against the team carrying that work itself. Plans of one team's
    successive steps share a `memo` (same `start`): each re-reads only the people a step changes.
    What such a plan measures is its schedule and money: its analysis (stage 2) is left empty."""
    if hires:  # the people hired are the plan's hires, not members
        team = replace(team, members=tuple(m for m in team.members if m.profile.id not in hires))
        cands = tuple(c for c in report.candidates if c.id not in hires)
        report = replace(report, candidates=cands)
    return _Builder(
        kb,
        strategy,
        start,
        replace(team, strategy=strategy.id),
        report,
        {},
        None,
        hired=tuple(hires.values()),
        stretch=True,
        people_memo=memo,
        analysed=False,
    ).plan()


def _waited_for(placed: Schedule, everyone: Mapping[str, Person]) -> str:
    """The hiring or training the critical path's first step waits for ("" if none)."""
    if not placed.critical:
        return ""
    kind, _, resource = placed.waits.get(placed.critical[0], "").partition(":")
    preparation = everyone[resource].preparation if kind == "ready" else None
    return preparation.description if preparation is not None else ""


def change_words(
    kb: KnowledgeBase, team: Team | None, without: Sequence[str], hire: Sequence[str]
) -> str:
    """A what-if in words: "without Zhou Min, hire a Data analyst"."""
    names = {m.profile.id: m.profile.name for m in team.members} if team is not None else {}
    parts = [tr("without {person}", person=names.get(pid, pid)) for pid in without]
    parts += [tr("one more {post}", post=kb.roles[post].name) for post in hire]
    return tr(", ").join(parts)


def _check_changes(
    kb: KnowledgeBase,
    strategy: Strategy,
    team: Team | None,
    without: Sequence[str],
    hire: Sequence[str],
) -> None:
    """Unknown members or posts in a what-if: an error naming the closest one."""
    if without and team is None:
        raise StaffcheckError.at(tr("--without needs a team file"), hint=tr("add --team TEAM_FILE"))
    members = [m.profile.id for m in team.members] if team is not None else []
    for pid in without:
        if pid not in members:
            raise StaffcheckError.at(
                tr("unknown member {person}", person=repr(pid)),
                hint=did_you_mean(pid, members),
            )
    posts = list(strategy.posts())
    for post in hire:
        if post not in posts:
            listed = tr("its posts: {posts}", posts=", ".join(posts))
            raise StaffcheckError.at(
                tr("{post} is not a post of {strategy}", post=repr(post), strategy=strategy.name),
                hint=did_you_mean(post, posts) or listed,
            )


class _Builder:
    """One plan: the strategy's steps, the people for each post, the schedule, the money."""

    def __init__(
        self,
        kb: KnowledgeBase,
        strategy: Strategy,
        start: datetime.date,
        team: Team | None,
        report: Report | None,
        hires_wanted: Mapping[str, int],
        today: datetime.date | None,
        hired: tuple[str, ...] = (),
        memo: MemberMemo | TeamMemo | None = None,
        stretch: bool = False,
        people_memo: PeopleMemo | None = None,
        analysed: bool = True,
    ) -> None:
        self.kb, self.strategy, self.team = kb, strategy, team
        #: whether the plan carries stage 2, the analysis of every member (a plan measuring an
        #: action's effect reads its schedule and money only)
        self.analysed = analysed
        self.start = first_workday(start)
        self.asked = start
        self.currency = currency_of(kb, team)
        #: the team's amounts are in another currency: the pack's cannot be added to them
        self.foreign = self.currency != kb.currency
        if team is not None and report is None:
            report = assess_team(kb, team, today, memo=memo)
        self.report = report
        self.staffing: StaffingPlan = plan_staffing(kb, strategy)
        self.post_ids = [p.role for p in self.staffing.posts]
        headcounts = {p.role: p.headcount for p in self.staffing.posts}
        self.people = People(
            kb, team, report, self.start, headcounts, hires_wanted, hired, stretch, people_memo
        )

    # -- the plan ------------------------------------------------------------------------------

    def plan(self) -> ProjectPlan:
        people = {post: self.people.for_post(post) for post in self.post_ids}
        if self.analysed:
            return self.scheduled(people)
        # Without the analysis, a plan is the same when its people are: an action that moves
        # someone off the strategy's posts, or that no plan's work falls to, leaves it as it was.
        memo = self.people.memo
        if memo.last_plan is None or memo.last_plan[0] != people:
            memo.last_plan = (people, self.scheduled(people))
        return memo.last_plan[1]

    def scheduled(self, people: Mapping[str, list[Person]]) -> ProjectPlan:
        """The plan with `people` doing each post's work: scheduled, priced, analysed."""
        steps = self.steps()
        posts = {s.id: self.post_of(module, s) for module, s in steps}
        after = self.prerequisites([s for _, s in steps])
        everyone = by_id(people)
        candidates = {post: tuple(p.assignee.id for p in listed) for post, listed in people.items()}
        tasks = [
            Task(step.id, step.effort, after[step.id], candidates[posts[step.id]])
            for _, step in steps
        ]
        resources = [Resource(pid, p.ready) for pid, p in everyone.items()]
        try:
            placed = schedule(tasks, resources)
        except ScheduleError as error:
            why = tr("the plan's steps cannot be scheduled: {why}", why=error)
            raise StaffcheckError.at(why) from error
        self.check_calendar(max([placed.finish, *(p.ready for p in everyone.values())]))
        pricing = self.pricing()
        planned = []
        for index, (module, step) in enumerate(steps):
            slot = placed.slots[step.id]
            person = everyone[slot.resource].assignee
            labour = labour_of(pricing, person.post, self.start, slot.start, slot.end)
            planned.append(
                (
                    self.module_rank(module),
                    slot.start,
                    index,
                    PlannedStep(
                        id=step.id,
                        name=step.name,
                        module=module,
                        stage=step.stage,
                        post=posts[step.id],
                        effort=step.effort,
                        assignee=person,
                        start_day=slot.start,
                        end_day=slot.end,
                        start=workday(self.start, slot.start),
                        end=last_day(self.start, slot.end),
                        after=after[step.id],
                        critical=step.id in placed.critical,
                        labour_cost=sum(labour.values()),
                        spend=0 if self.foreign else step.spend,
                        spend_known=not (self.foreign and step.spend),
                    ),
                )
            )
        ordered = tuple(p for *_, p in sorted(planned, key=lambda t: t[:3]))
        preparations = tuple(p.preparation for p in everyone.values() if p.preparation is not None)
        return ProjectPlan(
            strategy=StrategyRef(self.strategy.id, self.strategy.name),
            description=self.strategy.description,
            team=self.team.name if self.team is not None else None,
            start=self.start,
            finish=last_day(self.start, placed.finish) if placed.finish else self.start,
            days=placed.finish,
            currency=self.currency,
            goals=self.goals(),
            analysis=self.analysis(people) if self.analysed else Analysis(self.staffing),
            steps=ordered,
            preparations=preparations,
            follow_up=self.follow_up(people),
            costs=costs_of(pricing, self.start, ordered, preparations, self.first_modules()),
            critical_path=tuple(t for t in placed.critical if t in posts),
            critical_start=_waited_for(placed, everyone),
            labels=Labels.of(self.kb),
            start_moved_from=self.asked if self.asked != self.start else None,
            modules_without_steps=self.modules_without_steps(),
        )

    def check_calendar(self, last: int) -> None:
        """A plan whose dates would run off the calendar: an error, not an internal one."""
        if not fits_calendar(self.start, last):
            raise StaffcheckError.at(
                tr("the plan runs {days} working days from {start}, past {last}",
                   days=last, start=self.start.isoformat(), last=LATEST_DATE.isoformat()),
                hint=tr("start it earlier, or shorten the efforts of its steps"),
            )  # fmt: skip

    def modules_without_steps(self) -> tuple[str, ...]:
        """The strategy's modules with no work step: stage 3 schedules nothing for them."""
        return tuple(
            need.module
            for need in self.strategy.modules
            if need.module not in self.kb.modules or not self.kb.modules[need.module].steps
        )

    def module_rank(self, module: str) -> int:
        return next(i for i, need in enumerate(self.strategy.modules) if need.module == module)

    def first_modules(self) -> Mapping[str, str]:
        """Each post -> the first module it carries in the strategy (where its preparation goes)."""
        return {post: mods[0] for post, (mods, _) in self.strategy.posts().items()}

    # -- stage 1 and 2 -------------------------------------------------------------------------

    def goals(self) -> tuple[GoalLine, ...]:
        own = self.team.plan.goals if self.team is not None else {}
        return tuple(
            GoalLine(g.id, g.name, own.get(g.id, g.kpi), company_kpi=g.id in own)
            for g in self.strategy.goals
        )

    def analysis(self, people: Mapping[str, list[Person]]) -> Analysis:
        if self.report is None or self.report.team is None:
            return Analysis(self.staffing)
        standings = tuple(
            PersonStanding(
                c.id,
                c.name,
                c.role,
                c.verdict,
                c.fit,
                c.confidence,
                next((f.message for f in c.findings if f.counts), ""),
            )
            for c in self.report.candidates
        )
        gaps = tuple(
            PostGap(
                g.role,
                g.severity,
                g.message,
                tuple(p.assignee for p in people.get(g.role, [])),
            )
            for g in self.report.team.gaps
            if g.counts
        )
        return Analysis(self.staffing, standings, gaps)

    # -- stage 3: steps ------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Step]]:
        """The strategy's modules' steps, in the strategy's order: (module id, step)."""
        return [
            (need.module, step)
            for need in self.strategy.modules
            if need.module in self.kb.modules
            for step in self.kb.modules[need.module].steps
        ]

    def post_of(self, module: str, step: Step) -> str:
        """The first of the step's posts the strategy puts on its module, else the module's
        leading post (highest importance, first listed)."""
        roles = next(need.roles for need in self.strategy.modules if need.module == module)
        on_module = [role for role, _ in roles]
        for post in step.posts:
            if post in on_module:
                return post
        best = max(roles, key=lambda pair: pair[1].weight)[1].weight
        return next(role for role, importance in roles if importance.weight == best)

    def prerequisites(self, steps: Sequence[Step]) -> dict[str, tuple[str, ...]]:
        """Each step's prerequisites within the plan (those outside it skipped, theirs kept), and
        the stage order: a step waits for the last steps of the stage before its own."""
        known = {s.id: s for m in self.kb.modules.values() for s in m.steps}
        inside = {s.id for s in steps}

        def within(ids: Sequence[str], seen: set[str]) -> list[str]:
            found: list[str] = []
            for ident in ids:
                if ident in seen:
                    continue
                seen.add(ident)
                if ident in inside:
                    found.append(ident)
                elif ident in known:
                    found += within(known[ident].after, seen)
            return found

        declared = {s.id: within(s.after, {s.id}) for s in steps}
        ends: dict[Stage, list[str]] = {}
        for stage in _STAGE_ORDER:
            mine = [s.id for s in steps if s.stage is stage]
            named = {p for s in mine for p in declared[s] if p in mine}
            ends[stage] = [s for s in mine if s not in named]
        result = {}
        for step in steps:
            earlier = _STAGE_ORDER[: _STAGE_ORDER.index(step.stage)]
            before = next((ends[s] for s in reversed(earlier) if ends[s]), [])
            result[step.id] = tuple(dict.fromkeys([*declared[step.id], *before]))
        return result

    # -- stage 3: people -----------------------------------------------------------------------

    def pricing(self) -> Pricing:
        posts = {m.role for m in self.team.members} if self.team is not None else set()
        posts.update(self.post_ids)
        salaries = {p: terms_of(self.kb, self.team, p).salary for p in posts if p in self.kb.roles}
        return Pricing(self.currency, salaries, Labels.of(self.kb))

    def follow_up(self, people: Mapping[str, list[Person]]) -> tuple[PostFollowUp, ...]:
        return tuple(
            PostFollowUp(
                post,
                tuple(p.assignee for p in people[post]),
                tuple(k.name for k in self.kb.roles[post].kpis),
                tuple(i.name for i in self.kb.roles[post].training),
                terms_of(self.kb, self.team, post).salary,
            )
            for post in self.post_ids
        )
