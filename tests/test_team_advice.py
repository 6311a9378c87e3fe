"""A team's advice in order of what matters, and team findings without noise (issue 10).

What a manager reading the advice would notice: the critical hires come first, no step that
changes nothing comes before one that does, no step takes back another, and a long list ends
with "and N more" in the text formats while JSON keeps it whole. The team rules: a sole holder
of a critical post is a risk to plan for only where the staffing plan and the team's size call
for a second person; one root cause (a post nobody covers) gives one finding.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from staffcheck.actions import (
    ADVICE_STEPS,
    PLAN_STEPS,
    ActionPlan,
    PlannedAction,
    Tally,
    advise,
    plan_actions,
)
from staffcheck.diagnose import MemberMemo, assess_team
from staffcheck.fixtures import fired_rules
from staffcheck.headcount import second_holder_due
from staffcheck.model import (
    Action,
    Importance,
    KnowledgeBase,
    Member,
    Report,
    Severity,
    Team,
    Verdict,
)
from staffcheck.profiles import load_team
from staffcheck.reporters import RenderOptions, render

from .conftest import EXAMPLES

THIRTY = Path(__file__).parent / "data" / "thirty-member-store.yaml"
SPRING = EXAMPLES / "spring-launch.yaml"
EXAMPLE_TEAMS = sorted(p for p in EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def thirty(kb: KnowledgeBase) -> Team:
    return load_team(THIRTY, kb)


@pytest.fixture(scope="module")
def thirty_plan(kb: KnowledgeBase, thirty: Team) -> ActionPlan:
    return plan_actions(kb, thirty)


def _critical(kb: KnowledgeBase, team: Team) -> set[str]:
    posts = kb.strategies[team.strategy].posts()
    return {role for role, (_, imp) in posts.items() if imp is Importance.CRITICAL}


def _changes_something(step: PlannedAction) -> bool:
    def state(t: Tally) -> tuple[object, ...]:
        return (sorted(t.uncovered), sorted(t.mismatches), sorted(t.verdicts), t.findings)

    return state(step.before) != state(step.after)


# --- the order of the advice ------------------------------------------------------------------


def test_the_thirty_member_team_reproduces_the_issue(kb: KnowledgeBase, thirty: Team) -> None:
    report = assess_team(kb, thirty)
    assert len(thirty.members) == 30
    assert report.team is not None
    needed = kb.strategies[thirty.strategy].posts()
    assert {g.role for g in report.team.gaps} == _critical(kb, thirty)
    on_unneeded = [m for m in thirty.members if m.role not in needed]
    assert len(on_unneeded) >= 20
    assert sum(c.verdict.value == "mismatch" for c in report.candidates) >= 20


def test_critical_hires_are_the_first_items(
    kb: KnowledgeBase, thirty: Team, thirty_plan: ActionPlan
) -> None:
    critical = _critical(kb, thirty)
    first = thirty_plan.actions[: len(critical)]
    assert [a.action for a in first] == [Action.HIRE] * len(critical)
    assert {role for a in first for role in a.covers} == critical
    assert thirty_plan.after.uncovered == ()


def test_the_report_advice_starts_with_the_critical_hires(thirty_report: Report) -> None:
    report = thirty_report
    assert report.advice[0].startswith("Hire for Taobao store operator")
    assert report.advice[1].startswith("Hire for Network marketing project manager")


def test_no_step_without_effect_comes_before_one_with_effect(thirty_plan: ActionPlan) -> None:
    effects = [_changes_something(step) for step in thirty_plan.actions]
    assert effects, "the plan has steps"
    first_idle = effects.index(False) if False in effects else len(effects)
    assert all(not e for e in effects[first_idle:]), effects
    assert all(effects), "every step the planner takes changes something"


def test_steps_before_the_critical_ones_never_leave_a_critical_post_open(
    kb: KnowledgeBase, thirty: Team, thirty_plan: ActionPlan
) -> None:
    critical = _critical(kb, thirty)
    last_critical = max(i for i, a in enumerate(thirty_plan.actions) if set(a.covers) & critical)
    assert last_critical == len(critical) - 1


def test_no_two_steps_contradict(thirty_plan: ActionPlan, spring_plan: ActionPlan) -> None:
    for plan in (thirty_plan, spring_plan):
        moved: dict[str, str] = {}  # person id -> the post a step put them on
        covered: set[str] = set()
        for step in plan.actions:
            text = " ".join([step.summary, *step.notes])
            for earlier, post in moved.items():
                # a person the plan has put on a post is not proposed for any post again
                assert f"({earlier})" not in text, (earlier, post, text)
            names = [m.person_name for m in step.moves]
            for note in step.notes:
                assert not any(note.startswith(f"{n} (fit") for n in names), note
            for move in step.moves:
                assert move.person_id not in moved, f"{move.person_id} moved twice"
                if not move.hire:
                    moved[move.person_id] = move.to_role
            if step.action is Action.HIRE:
                assert not set(step.covers) & covered, "a hire for a post already covered"
            covered |= set(step.covers)
            covered -= set(step.uncovers)


def test_nobody_is_moved_onto_a_post_they_cannot_carry(
    thirty_plan: ActionPlan, spring_plan: ActionPlan
) -> None:
    for plan in (thirty_plan, spring_plan):
        for step in plan.actions:
            after = dict(step.after.verdicts)
            for move in step.moves:
                assert after[move.person_id] is not Verdict.MISMATCH, step.summary


@pytest.fixture(scope="module")
def spring_plan(kb: KnowledgeBase) -> ActionPlan:
    return plan_actions(kb, load_team(SPRING, kb))


def test_a_member_reassigned_to_a_post_is_not_then_proposed_to_cover_it(
    kb: KnowledgeBase, thirty_plan: ActionPlan
) -> None:
    guan = next(a for a in thirty_plan.actions if any(m.person_id == "t-30" for m in a.moves))
    assert guan.moves[0].to_role == "customer-service-rep"
    later = thirty_plan.actions[thirty_plan.actions.index(guan) + 1 :]
    assert not any("Guan Yue" in " ".join([a.summary, *a.notes]) for a in later)


def test_a_plan_with_limit_is_the_start_of_the_whole_plan(
    kb: KnowledgeBase, thirty: Team, thirty_plan: ActionPlan
) -> None:
    short = plan_actions(kb, thirty, limit=3)
    assert [a.summary for a in short.actions] == [a.summary for a in thirty_plan.actions[:3]]


# --- long lists in each format ----------------------------------------------------------------


def _more(text: str) -> int:
    """N of the "… and N more" that ends the list of steps (the text's last)."""
    found = re.findall(r"… and (\d+) more", " ".join(text.split()))
    assert found, text[-400:]
    return int(found[-1])


@pytest.fixture(scope="module")
def thirty_report(kb: KnowledgeBase, thirty: Team) -> Report:
    memo: MemberMemo = {}
    return advise(kb, assess_team(kb, thirty, memo=memo), thirty, memo=memo)


def test_team_report_gives_the_first_steps_and_says_more_follow(
    thirty_report: Report, thirty_plan: ActionPlan
) -> None:
    # The report plans only its first steps (a large team's whole plan is explain --actions'
    # job): they are the whole plan's first steps, and every text format says more follow.
    assert len(thirty_plan.actions) > ADVICE_STEPS
    assert list(thirty_report.advice) == [
        " — ".join([a.summary, *a.notes]) + "." for a in thirty_plan.actions[:ADVICE_STEPS]
    ]
    data = json.loads(render(thirty_report, "json"))["team"]
    assert data["advice"] == list(thirty_report.advice) and data["advice_complete"] is False
    table = render(thirty_report, "table", RenderOptions(width=80))
    todo = table.split("What to do first")[1]
    assert re.search(rf"^\s*{ADVICE_STEPS}\. ", todo, re.M)
    assert not re.search(rf"^\s*{ADVICE_STEPS + 1}\. ", todo, re.M)
    for text in (table, render(thirty_report, "markdown"), render(thirty_report, "html")):
        flat = html.unescape(" ".join(text.split()))
        assert "… and more: 'staffcheck explain TEAM" in flat and "--actions'" in flat


def test_explain_actions_text_formats_end_long_plans_with_and_n_more(
    cli, thirty_plan: ActionPlan
) -> None:
    steps = json.loads(render(thirty_plan, "json"))["actions"]["steps"]
    assert len(steps) == len(thirty_plan.actions) > PLAN_STEPS
    hidden = len(steps) - PLAN_STEPS
    assert _more(render(thirty_plan, "markdown")) == hidden
    table = cli("explain", THIRTY, "--actions").out
    assert _more(table) == hidden
    assert max(len(line) for line in table.splitlines()) <= 80


def test_short_advice_is_shown_whole(cli) -> None:
    table = cli("team", SPRING).out
    advice = table[table.index("What to do first") :]
    assert "… and" not in advice and "more:" not in advice
    data = cli("team", SPRING, "--format", "json").json()
    assert data["team"]["advice"][0].startswith("Hire for Taobao store operator")
    assert data["team"]["advice_complete"] is True


# --- single holders: a deputy for a lean team, a second holder for a full one -----------------


@pytest.mark.parametrize("path", EXAMPLE_TEAMS, ids=[p.stem for p in EXAMPLE_TEAMS])
def test_example_teams_are_told_to_name_a_deputy_not_to_hire(kb: KnowledgeBase, path: Path) -> None:
    report = assess_team(kb, load_team(path, kb))
    assert report.team is not None
    rules = {f.rule: f for f in report.team.findings}
    assert "single-point-of-failure" not in rules
    deputy = rules.get("critical-post-without-deputy")
    if deputy is not None:
        assert deputy.severity is Severity.LOW
        assert "name a deputy" in deputy.message


def test_a_team_as_large_as_the_plan_is_told_to_plan_a_second_holder(kb: KnowledgeBase) -> None:
    spring = load_team(SPRING, kb)
    extra = [
        Member("customer-service-rep", replace(m.profile, id=f"x-{i}", name=f"Extra {i}"))
        for i, m in enumerate(spring.members[3:4] * 3)
    ]
    team = replace(spring, members=(*spring.members, *extra))
    assert len(team.members) == 11  # the taobao-store plan takes 11 people
    report = assess_team(kb, team)
    assert report.team is not None
    found = [f for f in report.team.findings if f.rule == "single-point-of-failure"]
    assert len(found) == 1 and found[0].severity is Severity.MEDIUM
    assert (
        "Network marketing project manager" in found[0].message
        and "plans for 2 people" in found[0].message
    )
    assert "critical-post-without-deputy" not in {f.rule for f in report.team.findings}


@pytest.mark.parametrize(
    ("headcount", "members", "planned", "due"),
    [
        (2, 8, 8, True),  # planned for two, the team as large as the plan: a second holder
        (2, 30, 8, True),
        (2, 7, 8, False),  # a smaller team: a deputy instead
        (1, 30, 8, False),  # the plan gives the post one person: a deputy
    ],
)
def test_when_a_second_holder_is_due(headcount: int, members: int, planned: int, due: bool) -> None:
    assert second_holder_due(headcount, members, planned) is due


# --- one root cause, one finding --------------------------------------------------------------


def test_an_uncovered_module_is_folded_into_the_gap_of_its_post(kb: KnowledgeBase) -> None:
    report = assess_team(kb, load_team(SPRING, kb))
    assert report.team is not None
    assert "nobody-on-data-analysis" not in {f.rule for f in report.team.findings}
    [analyst] = [g for g in report.team.gaps if g.role == "data-analyst"]
    assert [f.rule for f in analyst.restated] == ["nobody-on-data-analysis"]
    assert analyst.modules == ("data-monitoring",)
    assert any("nobody-on-data-analysis" in line for line in analyst.because)
    assert analyst.because[-1].startswith("rule uncovered-post")
    assert "nobody-on-data-analysis" in fired_rules(report)  # rules test still sees it fire


def test_the_module_finding_stands_when_no_gap_says_it(kb: KnowledgeBase) -> None:
    quiet_gaps = replace(kb.rules["uncovered-post"], enabled=False)
    pack = replace(kb, rules={**kb.rules, "uncovered-post": quiet_gaps})
    report = assess_team(pack, load_team(SPRING, pack))
    assert report.team is not None and report.team.gaps == ()
    assert "nobody-on-data-analysis" in {f.rule for f in report.team.findings}


def test_the_merged_finding_is_in_the_json_gap(cli) -> None:
    data = cli("team", SPRING, "--format", "json").json()
    gap = next(g for g in data["team"]["gaps"] if g["role"] == "data-analyst")
    assert [f["rule"] for f in gap["restated"]] == ["nobody-on-data-analysis"]
    assert all(f["rule"] != "nobody-on-data-analysis" for f in data["team"]["findings"])
