"""Project plans built by hand for the HTML and XLSX renderers' tests (no pack, no engine).

`sample_plan` is a small SEO launch: two goals, a team of two with a gap filled by a hire, five
steps over three modules (three on the critical path), a training and a hiring preparation, and
a what-if. `hostile_plan` is the same plan with names made to break HTML, SVG and spreadsheets.
"""

from __future__ import annotations

import dataclasses
import datetime

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
from staffcheck.planning import PostPlan, StaffingPlan
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

#: a Wednesday: week 0 of the plan has three working days, so weeks and days do not line up
START = datetime.date(2027, 1, 6)

LI = Assignee("li-na", "Li Na", AssigneeKind.MEMBER, "seo-specialist")
ZHOU = Assignee("zhou-min", "Zhou Min", AssigneeKind.TRAINEE, "content-writer")
HIRE = Assignee("hire:data-analyst", "hire: Data analyst", AssigneeKind.HIRE, "data-analyst")

HOSTILE_SCRIPT = "<script>alert('x')</script>"
HOSTILE_QUOTES = 'Tom & "Jerry" <b>'
HOSTILE_CJK = "搜索引擎优化关键词研究与内容规划以及竞争对手分析和长期流量增长目标的制定" * 2


def _step(
    ident: str,
    name: str,
    module: str,
    stage: Stage,
    who: Assignee,
    days: tuple[int, int],
    *,
    critical: bool = False,
    after: tuple[str, ...] = (),
) -> PlannedStep:
    first, end = days
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
        labour_cost=(end - first) * 500,
        spend=1000 if ident == "ads" else 0,
    )


def _preparation(
    kind: PreparationKind, who: Assignee, text: str, days: int, cost: int
) -> Preparation:
    return Preparation(
        kind=kind,
        assignee=who,
        items=("seo-course",) if kind is PreparationKind.TRAINING else (),
        skills=("seo",) if kind is PreparationKind.TRAINING else (),
        description=text,
        start_day=0,
        end_day=days,
        start=workday(START, 0),
        end=last_day(START, days),
        cost=cost,
    )


STEPS = (
    _step("goals-workshop", "Agree goals and KPIs", "research", Stage.GOALS, LI, (0, 2), critical=True),
    _step("market-scan", "Scan the market", "research", Stage.ANALYSIS, LI, (2, 7), critical=True),
    _step("keywords", "Refine the keyword list", "seo", Stage.IMPLEMENTATION, LI, (7, 12), critical=True),
    _step("articles", "Write the first articles", "content", Stage.IMPLEMENTATION, ZHOU, (7, 10)),
    _step("ads", "Run the launch ads", "content", Stage.IMPLEMENTATION, HIRE, (20, 22)),
)  # fmt: skip

LABELS = Labels(
    posts=frozen_map(
        {"seo-specialist": "SEO specialist", "content-writer": "Content writer",
         "data-analyst": "Data analyst"}
    ),
    modules=frozen_map({"research": "Research", "seo": "Search optimisation", "content": "Content"}),
)  # fmt: skip


def _cost(key: str, label: str, labour: int, **more: int) -> CostLine:
    return CostLine(key=key, label=label, labour=labour, **more)


def sample_plan(*, team: bool = True) -> ProjectPlan:
    """The sample plan; `team=False`: planned without a team file (the analysis lists posts)."""
    staffing = StaffingPlan(
        strategy=StrategyRef("seo-launch", "SEO launch"),
        description="Organic search first.",
        modules=(),
        posts=(
            PostPlan("seo-specialist", "SEO specialist", ("seo",), Importance.CRITICAL, 1, "", ()),
            PostPlan("data-analyst", "Data analyst", ("content",), Importance.HIGH, 1, "", ()),
        ),
    )
    people = (
        PersonStanding("li-na", "Li Na", "seo-specialist", Verdict.FIT, 86, Confidence.HIGH),
        PersonStanding(
            "zhou-min", "Zhou Min", "content-writer", Verdict.PARTIAL, 61, Confidence.LOW,
            "one level short on copywriting",
        ),
    )  # fmt: skip
    gap = PostGap("data-analyst", Severity.HIGH, "No one covers Data analyst", (HIRE,))
    return ProjectPlan(
        strategy=StrategyRef("seo-launch", "SEO launch"),
        description="Organic search first.",
        team="Spring launch" if team else None,
        start=START,
        finish=last_day(START, 22),
        days=22,
        currency="CNY",
        goals=(
            GoalLine("organic-traffic", "Grow organic search traffic", "10,000 visits a month"),
            GoalLine("leads", "More leads", "=SUM(A1:A9) leads", company_kpi=True),
        ),
        analysis=Analysis(staffing, people if team else (), (gap,) if team else ()),
        steps=STEPS,
        preparations=(
            _preparation(PreparationKind.TRAINING, ZHOU, "Advanced SEO course", 4, 3000),
            _preparation(PreparationKind.HIRING, HIRE, "recruit a Data analyst", 20, 6000),
        ),
        follow_up=(
            PostFollowUp("seo-specialist", (LI,), ("Keywords in the top 10",), (), (8000, 12000)),
            PostFollowUp(
                "content-writer", (ZHOU,), ("Articles a month",), ("Advanced SEO course",)
            ),
            PostFollowUp("data-analyst", (HIRE,), ("Reports on time",), (), (15000, 22000)),
        ),
        costs=Costs(
            by_stage=(
                _cost("goals", "Set goals", 1000),
                _cost("analysis", "Analyse", 2500),
                _cost("implementation", "Implement", 5000, hiring=6000, training=3000, spend=1000),
            ),
            by_module=(
                _cost("research", "Research", 3500),
                _cost("seo", "Search optimisation", 2500),
                _cost("content", "Content", 2500, hiring=6000, training=3000, spend=1000),
            ),
            by_month=(
                _cost("2027-01", "2027-01", 6000, training=3000),
                _cost("2027-02", "2027-02", 2500, hiring=6000, spend=1000),
            ),
            total=_cost("total", "Total", 8500, hiring=6000, training=3000, spend=1000),
        ),
        critical_path=("goals-workshop", "market-scan", "keywords"),
        what_if=Effect(
            change="hire a Data analyst",
            finish_before=last_day(START, 30),
            finish_after=last_day(START, 22),
            monthly_cost=18500,
            one_off_cost=6000,
            total_before=12000,
            total_after=18500,
            moved=(
                StepMove(
                    "ads",
                    LI,
                    HIRE,
                    workday(START, 25),
                    last_day(START, 27),
                    workday(START, 20),
                    last_day(START, 22),
                ),
            ),
        ),
        labels=LABELS,
    )


def hostile_plan() -> ProjectPlan:
    """The sample plan with a script, quotes and ampersands, and a very long Chinese step name."""
    plan = sample_plan()
    evil = Assignee("li-na", HOSTILE_SCRIPT, AssigneeKind.MEMBER, "seo-specialist")
    steps = (
        dataclasses.replace(STEPS[0], name=HOSTILE_SCRIPT, assignee=evil),
        dataclasses.replace(STEPS[1], name=HOSTILE_QUOTES, id='x"><svg onload=alert(1)>'),
        dataclasses.replace(STEPS[2], name=HOSTILE_CJK),
        *STEPS[3:],
    )
    labels = Labels(
        posts=LABELS.posts,
        modules=frozen_map({"research": HOSTILE_QUOTES, "seo": "=HYPERLINK(\"http://x\")",
                            "content": "Content"}),
    )  # fmt: skip
    return dataclasses.replace(
        plan,
        strategy=StrategyRef("seo-launch", HOSTILE_SCRIPT),
        team=HOSTILE_QUOTES,
        steps=steps,
        labels=labels,
    )
