"""`ProjectPlan`s built by hand, for the plan's reporters (no pack, no scheduler behind them).

- `small_plan`: a team with a member, a trainee and a hire, a critical path and a what-if.
- `long_plan`: no team file, every post a hire, about 40 weeks of steps.
- `hostile_plan`: the small plan with every name replaced by hostile text (rich markup, ANSI
  escapes, Markdown, HTML and Mermaid injection, a 300-character Chinese name).

Dates come from `staffcheck.workdays`, costs are summed from the steps and preparations, so each
plan is consistent with itself whatever the numbers.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from staffcheck.model import (
    Confidence,
    Importance,
    Labels,
    Severity,
    Stage,
    StrategyRef,
    Verdict,
    frozen_map,
)
from staffcheck.plan_costs import basis_words
from staffcheck.planning import ModulePlan, PostPlan, SkillLevel, StaffingPlan
from staffcheck.project_plan import (
    Analysis,
    Assignee,
    AssigneeKind,
    CostLine,
    Costs,
    Effect,
    GoalLine,
    PersonStanding,
    PlannedStep,
    PostFollowUp,
    PostGap,
    Preparation,
    PreparationKind,
    ProjectPlan,
    StepMove,
)
from staffcheck.workdays import last_day, workday

START = datetime.date(2027, 1, 4)  # a Monday
DAY_RATE = 500  # money a person's working day costs in these samples

ZHOU = Assignee("zhou-min", "Zhou Min", AssigneeKind.MEMBER, "seo-specialist")
LI = Assignee("li-lei", "Li Lei", AssigneeKind.TRAINEE, "content-editor")
HIRE = Assignee("hire:data-analyst", "hire: Data analyst", AssigneeKind.HIRE, "data-analyst")

POSTS = {
    "seo-specialist": "SEO specialist",
    "content-editor": "Content editor",
    "data-analyst": "Data analyst",
}
MODULES = {"site": "Site building", "seo": "SEO operations", "analytics": "Data and analytics"}

#: (id, name, module, stage, assignee, start day, end day, after, critical, spend)
_SMALL_STEPS = (
    ("define-goals", "Define the traffic goals", "site", Stage.GOALS, ZHOU, 0, 2, (), True, 0),
    ("audit", "Audit the site", "site", Stage.ANALYSIS, ZHOU, 2, 5, ("define-goals",), True, 0),
    (
        "site-structure",
        "Plan the site structure",
        "site",
        Stage.IMPLEMENTATION,
        ZHOU,
        5,
        15,
        ("audit",),
        True,
        0,
    ),
    (
        "content-plan",
        "Write the content plan",
        "seo",
        Stage.IMPLEMENTATION,
        LI,
        5,
        10,
        ("audit",),
        False,
        0,
    ),
    (
        "keyword-refinement",
        "Refine the keyword list",
        "seo",
        Stage.IMPLEMENTATION,
        ZHOU,
        15,
        20,
        ("site-structure",),
        True,
        2000,
    ),
    (
        "data-monitoring",
        "Monitor and analyse the data",
        "analytics",
        Stage.IMPLEMENTATION,
        HIRE,
        20,
        30,
        ("keyword-refinement",),
        True,
        0,
    ),
)


def step(
    ident: str,
    name: str,
    module: str,
    stage: Stage,
    who: Assignee,
    first: int,
    end: int,
    after: tuple[str, ...] = (),
    critical: bool = False,
    spend: int = 0,
) -> PlannedStep:
    """A scheduled step of working days ``first`` … ``end - 1`` from `START`."""
    return PlannedStep(
        id=ident,
        name=name,
        module=module,
        stage=stage,
        post=who.post,
        effort=end - first,
        assignee=who,
        start_day=first,
        end_day=end,
        start=workday(START, first),
        end=last_day(START, end),
        after=after,
        critical=critical,
        labour_cost=(end - first) * DAY_RATE,
        spend=spend,
    )


def preparation(
    kind: PreparationKind, who: Assignee, description: str, end: int, cost: int
) -> Preparation:
    """A preparation from day 0 to `end` (exclusive)."""
    training = kind is PreparationKind.TRAINING
    return Preparation(
        kind=kind,
        assignee=who,
        items=("content-course",) if training else (),
        skills=("copywriting",) if training else (),
        description=description,
        start_day=0,
        end_day=end,
        start=START,
        end=last_day(START, end),
        cost=cost,
    )


def costs(steps: Iterable[PlannedStep], preparations: Iterable[Preparation]) -> Costs:
    """The plan's money by stage, module and month, summed from its steps and preparations
    (preparations count in the goals stage, in no module, in the month they start)."""
    steps, preparations = tuple(steps), tuple(preparations)

    def line(key: str, label: str, of: Callable[[PlannedStep], str], preps: bool) -> CostLine:
        """The money of the steps whose `of` is `key` (and the preparations', if `preps`)."""
        picked = [s for s in steps if of(s) == key]
        kept = preparations if preps else ()
        return CostLine(
            key=key,
            label=label,
            labour=sum(s.labour_cost for s in picked),
            hiring=sum(p.cost for p in kept if p.kind is PreparationKind.HIRING),
            training=sum(p.cost for p in kept if p.kind is PreparationKind.TRAINING),
            spend=sum(s.spend for s in picked),
        )

    def stage_of(s: PlannedStep) -> str:
        return s.stage.value

    def module_of(s: PlannedStep) -> str:
        return s.module

    def month_of(s: PlannedStep) -> str:
        return s.start.strftime("%Y-%m")

    def whole(s: PlannedStep) -> str:
        return "total"

    first_month = START.strftime("%Y-%m")
    modules = dict.fromkeys(map(module_of, steps))
    months = dict.fromkeys(map(month_of, steps))
    return Costs(
        by_stage=tuple(line(st.value, st.value, stage_of, st is Stage.GOALS) for st in Stage),
        by_module=tuple(line(m, MODULES.get(m, m), module_of, False) for m in modules),
        by_month=tuple(line(m, m, month_of, m == first_month) for m in months),
        total=line("total", "total", whole, True),
    )


def _staffing(posts: dict[str, str], headcount: int = 1) -> StaffingPlan:
    return StaffingPlan(
        strategy=StrategyRef("search-growth", "Search-centred growth"),
        description="Grow through search engines.",
        modules=tuple(
            ModulePlan(m, name, tuple((p, Importance.CRITICAL) for p in posts))
            for m, name in MODULES.items()
        ),
        posts=tuple(
            PostPlan(
                role=p,
                name=name,
                modules=tuple(MODULES),
                priority=Importance.CRITICAL,
                headcount=headcount,
                headcount_reason="",
                skills=(SkillLevel("seo", "SEO", 3),),
            )
            for p, name in posts.items()
        ),
    )


def small_plan() -> ProjectPlan:
    """A team: Zhou Min as they are, Li Lei after a course, a data analyst to hire; a what-if."""
    steps = tuple(step(*row) for row in _SMALL_STEPS)
    preps = (
        preparation(PreparationKind.TRAINING, LI, "Content writing course", 5, 3000),
        preparation(PreparationKind.HIRING, HIRE, "recruit a Data analyst", 20, 6000),
    )
    moved = steps[-1]
    effect = Effect(
        change="hire a Data analyst",
        finish_before=workday(START, 44),
        finish_after=last_day(START, 30),
        monthly_cost=14000,
        one_off_cost=6000,
        total_before=30000,
        total_after=costs(steps, preps).total.total,
        moved=(
            StepMove(
                moved.id,
                ZHOU,
                HIRE,
                workday(START, 35),
                workday(START, 44),
                moved.start,
                moved.end,
            ),
        ),
    )
    return ProjectPlan(
        strategy=StrategyRef("search-growth", "Search-centred growth"),
        description="Grow through search engines.",
        team="Acme search team",
        start=START,
        finish=last_day(START, 30),
        days=30,
        currency="CNY",
        goals=(
            GoalLine(
                "organic-traffic",
                "Grow organic search traffic",
                "20,000 organic visits a month by June",
                company_kpi=True,
            ),
            GoalLine("rankings", "Rank for the core keywords", "30 keywords in Baidu's top 10"),
        ),
        analysis=_small_analysis(),
        steps=steps,
        preparations=preps,
        follow_up=_small_follow_up(),
        costs=costs(steps, preps),
        critical_path=tuple(s.id for s in steps if s.critical),
        what_if=effect,
        labels=Labels(posts=frozen_map(POSTS), modules=frozen_map(MODULES)),
    )


def _small_analysis() -> Analysis:
    """Stage 2 of the small plan: Zhou Min fits, Li Lei is one level short, no analyst."""
    return Analysis(
        staffing=_staffing(POSTS),
        people=(
            PersonStanding(
                "zhou-min", "Zhou Min", "seo-specialist", Verdict.FIT, 92, Confidence.HIGH
            ),
            PersonStanding(
                "li-lei",
                "Li Lei",
                "content-editor",
                Verdict.PARTIAL,
                70,
                Confidence.MEDIUM,
                "Copywriting is one level short",
            ),
        ),
        gaps=(
            PostGap(
                "data-analyst",
                Severity.CRITICAL,
                "Nobody on the team covers the Data analyst post",
                (HIRE,),
            ),
        ),
    )


def _small_follow_up() -> tuple[PostFollowUp, ...]:
    return (
        PostFollowUp(
            "seo-specialist",
            (ZHOU,),
            ("Keywords in Baidu's top 10",),
            ("Advanced SEO course",),
            (8000, 12000),
        ),
        PostFollowUp(
            "content-editor",
            (LI,),
            ("Articles published a month",),
            ("Content writing course",),
            (6000, 9000),
        ),
        PostFollowUp("data-analyst", (HIRE,), ("Reports delivered on time",), (), (15000, 22000)),
    )


def long_plan() -> ProjectPlan:
    """No team file: three hires work one after another for about 40 weeks (200 working days)."""
    hires = {
        module: Assignee(f"hire:{post}", f"hire: {POSTS[post]}", AssigneeKind.HIRE, post)
        for module, post in zip(MODULES, POSTS, strict=True)
    }
    rows = []
    day = 0
    for number in range(10):
        module = tuple(MODULES)[number % 3]
        after = (f"step-{number - 1}",) if number else ()
        rows.append(
            step(
                f"step-{number}",
                f"Step number {number}",
                module,
                Stage.IMPLEMENTATION,
                hires[module],
                day,
                day + 20,
                after,
                True,
            )
        )
        day += 20
    ordered = tuple(sorted(rows, key=lambda s: tuple(MODULES).index(s.module)))
    return ProjectPlan(
        strategy=StrategyRef("search-growth", "Search-centred growth"),
        description="",
        team=None,
        start=START,
        finish=last_day(START, day),
        days=day,
        currency="USD",
        goals=(GoalLine("organic-traffic", "Grow organic search traffic", "10,000 visits"),),
        analysis=Analysis(staffing=_staffing(POSTS, headcount=2)),
        steps=ordered,
        preparations=(),
        follow_up=tuple(PostFollowUp(h.post, (h,), ("On time",), (), None) for h in hires.values()),
        costs=costs(ordered, ()),
        critical_path=tuple(s.id for s in rows),
        labels=Labels(posts=frozen_map(POSTS), modules=frozen_map(MODULES)),
    )


#: Names that try to break out of every format the plan is written in.
RICH = "[bold red]Boss[/bold red] [link=http://evil.example]x[/link]"
ANSI = "\x1b[31mRed\x1b[0m\x1b]0;title\x07"
MARKDOWN_HTML = "**Big** [link](http://evil.example) <script>alert(1)</script> | cell"
MERMAID = "x : crit, 2020-01-01, 1d\nsection Evil\n%%{init: {}}%% `code` #35; a;b <b>c</b>"
CJK = "数据分析与搜索引擎优化" * 27 + "完成"  # 299 + 2 = 300 characters, 600 cells
HOSTILE_NAMES = (RICH, ANSI, MARKDOWN_HTML, MERMAID, CJK)


def hostile_plan() -> ProjectPlan:
    """The small plan with every name, label and free text hostile."""
    plan = small_plan()
    names = iter(HOSTILE_NAMES * 4)
    people = {ZHOU.id: next(names), LI.id: next(names), HIRE.id: next(names)}

    def who(person: Assignee) -> Assignee:
        return Assignee(person.id, people[person.id], person.kind, person.post)

    steps = tuple(_replace_step(s, next(names), who(s.assignee)) for s in plan.steps)
    preps = tuple(
        Preparation(
            p.kind,
            who(p.assignee),
            p.items,
            p.skills,
            next(names),
            p.start_day,
            p.end_day,
            p.start,
            p.end,
            p.cost,
        )
        for p in plan.preparations
    )
    labels = Labels(
        posts=frozen_map({post: next(names) for post in POSTS}),
        modules=frozen_map({module: next(names) for module in MODULES}),
    )
    return ProjectPlan(
        strategy=StrategyRef("search-growth", MERMAID),
        description=MARKDOWN_HTML,
        team=RICH,
        start=plan.start,
        finish=plan.finish,
        days=plan.days,
        currency=plan.currency,
        goals=tuple(GoalLine(g.id, MERMAID, ANSI, g.company_kpi) for g in plan.goals),
        analysis=plan.analysis,
        steps=steps,
        preparations=preps,
        follow_up=tuple(
            PostFollowUp(
                f.post, tuple(who(p) for p in f.people), (MARKDOWN_HTML,), (CJK,), f.salary
            )
            for f in plan.follow_up
        ),
        costs=plan.costs,
        critical_path=plan.critical_path,
        what_if=plan.what_if,
        labels=labels,
    )


def _replace_step(original: PlannedStep, name: str, person: Assignee) -> PlannedStep:
    return dataclasses.replace(original, name=name, assignee=person)


def years_plan(steps: int = 5, length: int = 250) -> ProjectPlan:
    """`steps` chained steps of `length` working days each: a plan of years (5 × 250 days)."""
    long = long_plan()
    who = long.steps[0].assignee
    rows = tuple(
        step(
            f"phase-{n}",
            f"Phase {n}",
            "site",
            Stage.IMPLEMENTATION,
            who,
            n * length,
            (n + 1) * length,
            (f"phase-{n - 1}",) if n else (),
            True,
        )
        for n in range(steps)
    )
    days = steps * length
    return dataclasses.replace(
        long,
        steps=rows,
        days=days,
        finish=last_day(START, days),
        costs=costs(rows, ()),
        critical_path=tuple(s.id for s in rows),
    )


#: the Saturday the user asked to start on; `START` is the Monday after
ASKED_START = datetime.date(2027, 1, 2)


def unknowns_plan() -> ProjectPlan:
    """The small plan with every unknown the builder reports: a weekend start moved to the
    Monday after, a module with no work steps, a step's spend and a hiring cost not priced
    (in the pack's currency only), and a what-if bringing pay nobody knows."""
    plan = small_plan()
    steps = tuple(
        dataclasses.replace(s, spend=0, spend_known=False) if s.id == "site-structure" else s
        for s in plan.steps
    )
    preps = tuple(
        dataclasses.replace(p, cost=0, cost_known=False) if p.kind is PreparationKind.HIRING else p
        for p in plan.preparations
    )
    unpriced = ("spend: Plan the site structure", "recruit a Data analyst")
    basis = basis_words()  # the builder's own sentence
    money = dataclasses.replace(costs(steps, preps), unpriced=unpriced, basis=basis)
    assert plan.what_if is not None
    effect = dataclasses.replace(plan.what_if, monthly_cost=0, unpriced=("pay: Data analyst",))
    labels = Labels(
        posts=frozen_map(POSTS), modules=frozen_map({**MODULES, "ads": "Paid search ads"})
    )
    return dataclasses.replace(
        plan,
        steps=steps,
        preparations=preps,
        costs=money,
        what_if=effect,
        start_moved_from=ASKED_START,
        modules_without_steps=("ads",),
        labels=labels,
    )
