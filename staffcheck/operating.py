"""The operating system of a strategy: its three-stage plan, down to people, dates and money.

`build_plan` turns a strategy (and a team, if any) into a `project_plan.ProjectPlan`: the goals
and KPIs; the team's diagnosis; every work step of the strategy's modules on a named person,
scheduled by `staffcheck.scheduling`; who is assessed on what and trained when; the cost per
stage, module and month (`staffcheck.plan_costs`). `effect` compares two plans.

Who does a post's steps, in order of preference: the members holding it whose verdict is not a
mismatch (trained first when one level short on a stated essential skill the post's training
lifts); members elsewhere who could cover it (the diagnosis names them) and have every essential
skill at its level, since its work comes on top of their own; a holder one level short on every
missing skill, who can be trained; a hire, who starts after the post's lead time (a pack that gives
none: `DEFAULT_LEAD_TIME`). Without a team every post is hired, as many as its headcount.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from staffcheck.diagnose import MemberMemo, assess_team, check_role
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.knowledge import find_strategy
from staffcheck.lookup import find_person
from staffcheck.model import (
    KnowledgeBase,
    Labels,
    Member,
    PostTerms,
    Report,
    Stage,
    Step,
    Strategy,
    StrategyRef,
    Team,
    TrainingItem,
    Verdict,
    frozen_map,
)
from staffcheck.plan_costs import Pricing, costs_of, labour_of
from staffcheck.plan_effect import effect
from staffcheck.planning import StaffingPlan, plan_staffing
from staffcheck.project_plan import (
    Analysis,
    Assignee,
    AssigneeKind,
    GoalLine,
    PersonStanding,
    PlannedStep,
    PostFollowUp,
    PostGap,
    Preparation,
    PreparationKind,
    ProjectPlan,
)
from staffcheck.scheduling import Resource, ScheduleError, Task, schedule
from staffcheck.schema import did_you_mean
from staffcheck.workdays import first_workday, last_day, workday

#: Working days to fill a post whose pack gives no hiring lead time (about a month of recruiting).
DEFAULT_LEAD_TIME = 20

__all__ = [
    "DEFAULT_LEAD_TIME",
    "build_plan",
    "effect",
    "plan_after_actions",
    "plan_for",
    "terms_of",
    "training_of",
]

_STAGE_ORDER = (Stage.GOALS, Stage.ANALYSIS, Stage.IMPLEMENTATION)


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

    `without`: member ids taken out of the team (they leave); `hire`: post ids to hire one more
    person for. With either, the plan's `what_if` compares it with the plan without them.
    Waivers are judged as of `today` (default: the current date), as `assess_team` does.
    """
    if team is not None and team.strategy != strategy.id:
        team, report = replace(team, strategy=strategy.id), None
    _check_changes(kb, strategy, team, without, hire)
    memo: MemberMemo = {}  # the changed team's members are re-run only if their runs differ
    baseline = _Builder(kb, strategy, start, team, report, (), today, memo=memo).plan()
    if not without and not hire:
        return baseline
    changed_team = team
    if team is not None and without:
        gone = set(without)
        kept = tuple(m for m in team.members if m.profile.id not in gone)
        changed_team, report = replace(team, members=kept), None
    changed = _Builder(
        kb, strategy, start, changed_team, report, tuple(hire), today, memo=memo
    ).plan()
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
                tr("plan needs --strategy or --team"),
                hint=tr("e.g. staffcheck plan --strategy search-centred"),
            )
        strategy = find_strategy(kb, team.strategy)
    if kb.strategies.get(strategy.id) is not strategy:  # a strategy file: the team is judged by it
        kb = replace(kb, strategies=frozen_map({**kb.strategies, strategy.id: strategy}))
    if without and team is None:
        raise StaffcheckError.at(tr("--without needs a team file"), hint=tr("add --team TEAM_FILE"))
    profiles = [m.profile for m in team.members] if team is not None else []
    gone = [find_person(profiles, wanted, where).id for wanted in without]
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
) -> ProjectPlan:
    """The plan of `team` as a team report's actions leave it (`report`: its diagnosis): the
    people those actions hire (member id -> post) are hires of the plan, with their lead time
    and recruiting cost, not members ready on day 0."""
    members = tuple(m for m in team.members if m.profile.id not in hires)
    candidates = tuple(c for c in report.candidates if c.id not in hires)
    return _Builder(
        kb,
        strategy,
        start,
        replace(team, members=members, strategy=strategy.id),
        replace(report, candidates=candidates),
        (),
        None,
        hired=tuple(hires.values()),
    ).plan()


def change_words(
    kb: KnowledgeBase, team: Team | None, without: Sequence[str], hire: Sequence[str]
) -> str:
    """A what-if in words: "without Zhou Min, hire a Data analyst"."""
    names = {m.profile.id: m.profile.name for m in team.members} if team is not None else {}
    parts = [tr("without {person}", person=names.get(pid, pid)) for pid in without]
    parts += [tr("hire a {post}", post=kb.roles[post].name) for post in hire]
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
            raise StaffcheckError.at(
                tr("{post} is not a post of {strategy}", post=repr(post), strategy=strategy.name),
                hint=did_you_mean(post, posts),
            )


def _by_id(people: Mapping[str, list[_Person]]) -> dict[str, _Person]:
    """Everyone the plan puts work on, once each: a member who covers another post is the same
    person (trained first if they are trained for their own post)."""
    found: dict[str, _Person] = {}
    for listed in people.values():
        for person in listed:
            known = found.get(person.assignee.id)
            if known is None or (known.preparation is None and person.preparation is not None):
                found[person.assignee.id] = person
    return found


def currency_of(kb: KnowledgeBase, team: Team | None) -> str:
    """The plan's currency: the team file's own, else the pack's."""
    own = team.plan.currency if team is not None else None
    return own or kb.currency


def terms_of(kb: KnowledgeBase, team: Team | None, post: str) -> PostTerms:
    """A post's pay, recruiting cost and lead time: the team's own over the pack's (in another
    currency than the pack's, the team's own amounts only: the pack's are not converted)."""
    own = team.plan.posts.get(post) if team is not None else None
    pack = kb.roles[post].terms
    if currency_of(kb, team) != kb.currency:
        pack = PostTerms(lead_time=pack.lead_time)  # days are no currency
    return own.over(pack) if own is not None else pack


def training_of(kb: KnowledgeBase, team: Team | None, post: str) -> tuple[TrainingItem, ...]:
    """A post's training items with the team's own days and cost (the pack's cost only in the
    pack's currency)."""
    own = team.plan.training if team is not None else {}
    foreign = currency_of(kb, team) != kb.currency
    items = []
    for item in kb.roles[post].training:
        terms = own.get(item.id)
        cost = 0 if foreign else item.cost
        days = item.days
        if terms is not None:
            days = terms.days if terms.days is not None else days
            cost = terms.cost if terms.cost is not None else cost
        items.append(replace(item, days=days, cost=cost))
    return tuple(items)


@dataclass(frozen=True, slots=True)
class _Person:
    """A resource of the plan: who, from which working day they can work, what prepares them."""

    assignee: Assignee
    ready: int = 0
    preparation: Preparation | None = None


class _Builder:
    """One plan: the strategy's steps, the people for each post, the schedule, the money."""

    def __init__(
        self,
        kb: KnowledgeBase,
        strategy: Strategy,
        start: datetime.date,
        team: Team | None,
        report: Report | None,
        extra_hires: tuple[str, ...],
        today: datetime.date | None,
        hired: tuple[str, ...] = (),
        memo: MemberMemo | None = None,
    ) -> None:
        self.kb, self.strategy, self.team = kb, strategy, team
        self.start = first_workday(start)
        #: one more hire for each (``--hire``); posts a team report's action hires for
        self.extra_hires, self.action_hires = extra_hires, hired
        self.currency = currency_of(kb, team)
        #: the team's amounts are in another currency: the pack's cannot be added to them
        self.foreign = self.currency != kb.currency
        if team is not None and report is None:
            report = assess_team(kb, team, today, memo=memo)
        self.report = report
        self.staffing: StaffingPlan = plan_staffing(kb, strategy)
        self.post_ids = [p.role for p in self.staffing.posts]

    # -- the plan ------------------------------------------------------------------------------

    def plan(self) -> ProjectPlan:
        steps = self.steps()
        people = {post: self.people_for(post) for post in self.post_ids}
        posts = {s.id: self.post_of(module, s) for module, s in steps}
        after = self.prerequisites([s for _, s in steps])
        by_id = _by_id(people)
        tasks = [
            Task(
                step.id,
                step.effort,
                after[step.id],
                tuple(p.assignee.id for p in people[posts[step.id]]),
            )
            for _, step in steps
        ]
        resources = [Resource(pid, p.ready) for pid, p in by_id.items()]
        try:
            placed = schedule(tasks, resources)
        except ScheduleError as error:
            why = tr("the plan's steps cannot be scheduled: {why}", why=error)
            raise StaffcheckError.at(why) from error
        pricing = self.pricing()
        planned = []
        for index, (module, step) in enumerate(steps):
            slot = placed.slots[step.id]
            person = by_id[slot.resource].assignee
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
                    ),
                )
            )
        ordered = tuple(p for *_, p in sorted(planned, key=lambda t: t[:3]))
        preparations = tuple(p.preparation for p in by_id.values() if p.preparation is not None)
        return ProjectPlan(
            strategy=StrategyRef(self.strategy.id, self.strategy.name),
            description=self.strategy.description,
            team=self.team.name if self.team is not None else None,
            start=self.start,
            finish=last_day(self.start, placed.finish) if placed.finish else self.start,
            days=placed.finish,
            currency=self.currency,
            goals=self.goals(),
            analysis=self.analysis(people),
            steps=ordered,
            preparations=preparations,
            follow_up=self.follow_up(people),
            costs=costs_of(pricing, self.start, ordered, preparations, self.first_modules()),
            critical_path=tuple(t for t in placed.critical if t in posts),
            labels=Labels.of(self.kb),
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

    def analysis(self, people: Mapping[str, list[_Person]]) -> Analysis:
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

    def terms(self, post: str) -> PostTerms:
        return terms_of(self.kb, self.team, post)

    def training_items(self, post: str) -> tuple[TrainingItem, ...]:
        return training_of(self.kb, self.team, post)

    def pricing(self) -> Pricing:
        posts = {m.role for m in self.team.members} if self.team is not None else set()
        posts.update(self.post_ids)
        salaries = {p: self.terms(p).salary for p in posts if p in self.kb.roles}
        return Pricing(self.currency, salaries, Labels.of(self.kb))

    def people_for(self, post: str) -> list[_Person]:
        """Who does `post`'s steps (preferred first): see the module's docstring."""
        found = self.holders(post) or self.covers(post) or self.trainable(post)
        if post in self.action_hires and not self.holders(post):  # the action's hire, not a cover
            found = []
        if not found:
            count = 1 if self.team is not None else self.headcount(post)
            count = max(count, self.action_hires.count(post))
            found = [self.hired(post, n) for n in range(1, count + 1)]
        extra = self.extra_hires.count(post)
        taken = sum(p.assignee.kind is AssigneeKind.HIRE for p in found)
        found += [self.hired(post, taken + n) for n in range(1, extra + 1)]
        return found

    def headcount(self, post: str) -> int:
        return next(p.headcount for p in self.staffing.posts if p.role == post)

    def members(self) -> Sequence[Member]:
        return self.team.members if self.team is not None else ()

    def verdicts(self) -> dict[str, Verdict]:
        return {c.id: c.verdict for c in self.report.candidates} if self.report else {}

    def holders(self, post: str) -> list[_Person]:
        verdicts = self.verdicts()
        found = []
        for member in self.members():
            pid = member.profile.id
            if member.role != post or verdicts.get(pid) is Verdict.MISMATCH:
                continue
            trained = self.training_of(member, post, all_short=False)
            found.append(trained or self.member(member, post))
        return found

    def covers(self, post: str) -> list[_Person]:
        gaps = self.report.team.gaps if self.report and self.report.team else ()
        gap = next((g for g in gaps if g.role == post), None)
        if gap is None:
            return []
        by_id = {m.profile.id: m for m in self.members()}
        essential = self.kb.roles[post].essential.items()
        # Work on top of their own: only someone with every essential skill at the post's level.
        return [
            self.member(by_id[c.person_id], by_id[c.person_id].role)
            for c in gap.could_cover
            if c.person_id in by_id
            and all(by_id[c.person_id].profile.level(s) >= need for s, need in essential)
        ]

    def trainable(self, post: str) -> list[_Person]:
        # Only its holders: training someone from another post into it is a move and a
        # training, which the team report's actions weigh (the plan takes the team as it is).
        found = []
        for member in self.members():
            if member.role == post:
                trained = self.training_of(member, post, all_short=True)
                if trained is not None:
                    found.append(trained)
        return found

    def member(self, member: Member, post: str) -> _Person:
        kind = AssigneeKind.MEMBER
        return _Person(Assignee(member.profile.id, member.profile.name, kind, post))

    def training_of(self, member: Member, post: str, *, all_short: bool) -> _Person | None:
        """`member` trained first on `post`, if one level short on stated essential skills the
        post's training lifts (with `all_short`: every skill they lack must be such a one)."""
        stated = member.profile.skills
        short = [
            skill
            for skill, need in self.kb.roles[post].essential.items()
            if stated.get(skill, 0) < need
        ]
        liftable = [
            s for s in short if s in stated and stated[s] == self.kb.roles[post].essential[s] - 1
        ]
        items = [i for i in self.training_items(post) if set(i.skills) & set(liftable)]
        lifted = {s for i in items for s in i.skills} & set(liftable)
        if not lifted or (all_short and lifted != set(short)):
            return None
        kind = AssigneeKind.TRAINEE
        person = Assignee(member.profile.id, member.profile.name, kind, member.role)
        days = sum(i.days for i in items)
        preparation = Preparation(
            kind=PreparationKind.TRAINING,
            assignee=person,
            items=tuple(i.id for i in items),
            skills=tuple(sorted(lifted)),
            description=tr(", ").join(i.name for i in items),
            start_day=0,
            end_day=days,
            start=self.start,
            end=last_day(self.start, days),
            cost=sum(i.cost for i in items),
        )
        return _Person(person, days, preparation)

    def hired(self, post: str, n: int) -> _Person:
        name = self.kb.roles[post].name
        ident = f"hire:{post}" if n == 1 else f"hire:{post}:{n}"
        label = tr("hire: {post}", post=name) + ("" if n == 1 else f" {n}")
        person = Assignee(ident, label, AssigneeKind.HIRE, post)
        terms = self.terms(post)
        lead = terms.lead_time if terms.lead_time is not None else DEFAULT_LEAD_TIME
        preparation = Preparation(
            kind=PreparationKind.HIRING,
            assignee=person,
            items=(),
            skills=(),
            description=tr("recruit a {post}", post=name),
            start_day=0,
            end_day=lead,
            start=self.start,
            end=last_day(self.start, lead),
            cost=terms.hiring_cost or 0,
        )
        return _Person(person, lead, preparation)

    # -- follow-up -----------------------------------------------------------------------------

    def follow_up(self, people: Mapping[str, list[_Person]]) -> tuple[PostFollowUp, ...]:
        return tuple(
            PostFollowUp(
                post,
                tuple(p.assignee for p in people[post]),
                tuple(k.name for k in self.kb.roles[post].kpis),
                tuple(i.name for i in self.kb.roles[post].training),
                self.terms(post).salary,
            )
            for post in self.post_ids
        )
