"""``staffcheck plan``: the three-stage plan of every bundled strategy and of a team; the staffing
plan that is its stage 2."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest

from staffcheck.cli import options
from staffcheck.headcount import headcount_for
from staffcheck.knowledge import load_knowledge
from staffcheck.model import Importance, KnowledgeBase
from staffcheck.planning import plan_staffing
from staffcheck.project_plan import AssigneeKind, ProjectPlan
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.staffing import render_markdown, render_table

from .conftest import ROOT, RULES

STRATEGIES = list(load_knowledge(RULES).strategies)
SEARCH_TEAM = str(ROOT / "profiles" / "examples" / "search-team.yaml")


START = "2027-03-01"


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[ProjectPlan]:
    """The plans ``plan`` hands its reporter (the reporters are tested on their own)."""
    found: list[ProjectPlan] = []

    def keep(result: object, *_: object) -> None:
        assert isinstance(result, ProjectPlan)
        found.append(result)

    monkeypatch.setattr(options, "emit", keep)
    return found


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_plan_of_every_strategy_stages_its_posts(
    cli, emitted: list[ProjectPlan], kb: KnowledgeBase, strategy: str
) -> None:
    run = cli("plan", "--strategy", strategy, "--start", START)
    assert run.code == 0 and run.err == ""
    (plan,) = emitted
    assert plan.strategy.id == strategy and plan.team is None
    assert plan.start == datetime.date(2027, 3, 1)
    staffing = plan.analysis.staffing
    assert {p.role for p in staffing.posts} == set(kb.strategies[strategy].posts())
    weights = [p.priority.weight for p in staffing.posts]
    assert weights == sorted(weights, reverse=True), "posts are ordered critical first"
    assert [f.post for f in plan.follow_up] == [p.role for p in staffing.posts]
    assert all(s.assignee.kind is AssigneeKind.HIRE for s in plan.steps)


def test_a_team_is_planned_for_its_own_strategy_from_its_start(
    cli, emitted: list[ProjectPlan]
) -> None:
    assert cli("plan", "--team", SEARCH_TEAM).code == 0
    assert cli("plan", "--team", SEARCH_TEAM, "--strategy", "content-marketing").code == 0
    assert cli("plan", "--team", SEARCH_TEAM, "--start", "2027-01-06").code == 0
    own, other, started = emitted
    assert own.strategy.id == "search-centred" and own.team == "Search growth"
    assert {p.name for p in own.analysis.people} >= {"Zhou Min", "Lu Kai"}
    assert other.strategy.id == "content-marketing" and other.team == "Search growth"
    assert own.start == datetime.date.today() or own.start.weekday() == 0
    assert started.start == datetime.date(2027, 1, 6)


def test_without_a_member_by_name_and_a_hire_by_id(cli, emitted: list[ProjectPlan]) -> None:
    assert cli("plan", "--team", SEARCH_TEAM, "--without", "Zhou Min").code == 0
    assert cli("plan", "--team", SEARCH_TEAM, "--hire", "sem-specialist").code == 0
    without, hired = emitted
    assert without.what_if is not None and without.what_if.change == "without Zhou Min"
    assert "Zhou Min" not in {p.name for p in without.analysis.people}
    assert any(a.id == "hire:data-analyst" for f in without.follow_up for a in f.people)
    assert hired.what_if is not None and hired.what_if.change.startswith("one more ")
    assert any(p.assignee.id == "hire:sem-specialist" for p in hired.preparations)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--team", SEARCH_TEAM, "--without", "Zhou Minn"), "did you mean 'Zhou Min' (e-8)?"),
        (("--team", SEARCH_TEAM, "--hire", "data-analist"), "did you mean 'data-analyst'?"),
        (("--team", SEARCH_TEAM, "--hire", "live-stream-host"), "not a post of"),
        (("--strategy", "search-centred", "--without", "e-8"), "--without needs a team file"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, args: tuple[str, ...], error: str) -> None:
    run = cli("plan", *args)
    assert run.code == 2 and run.out == ""
    assert len(run.err.splitlines()) == 1 and error in run.err


def test_headcount_rule() -> None:
    assert headcount_for(Importance.CRITICAL, 2)[0] == 2
    assert headcount_for(Importance.CRITICAL, 1)[0] == 1
    assert headcount_for(Importance.HIGH, 3)[0] == 1


def test_taobao_store_plan(kb: KnowledgeBase) -> None:
    plan = plan_staffing(kb, kb.strategies["taobao-store"])
    posts = {p.role: p for p in plan.posts}
    # critical, 3 modules (project planning, profit model, operating system): not one person
    assert posts["project-manager"].headcount == 2
    assert posts["project-manager"].priority is Importance.CRITICAL
    assert posts["taobao-operator"].modules == ("store-operations", "merchandise-management")
    assert posts["taobao-operator"].headcount == 2
    assert posts["data-analyst"].headcount == 1
    assert posts["marketing-copywriter"].priority is Importance.MEDIUM
    assert plan.posts[-1].role == "marketing-copywriter"


def test_unknown_strategy_exits_2_with_one_line(cli) -> None:
    run = cli("plan", "--strategy", "taobao-stor")
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines() == [
        "staffcheck: error: unknown strategy 'taobao-stor' (did you mean 'taobao-store'?)"
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--strategy", "search-centred", "--start", "2027-02-30"),
         "argument --start: '2027-02-30' is not a day of the calendar"),
        ((), "--strategy or --team is required"),
    ],
)  # fmt: skip
def test_usage_errors(cli, capsys, args: tuple[str, ...], error: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli("plan", *args)
    assert stopped.value.code == 2
    assert error in capsys.readouterr().err


def test_csv_is_not_a_plan_format(cli) -> None:
    run = cli("--format", "csv", "plan", "--strategy", "taobao-store")
    assert run.code == 2 and len(run.err.splitlines()) == 1
    assert "plan has no 'csv' format" in run.err


def test_plan_output_file(cli, tmp_path: Path) -> None:
    pytest.importorskip("staffcheck.reporters.plan_markdown")  # written in parallel
    target = tmp_path / "plan.md"
    run = cli("plan", "--strategy", "search-centred", "--start", START, "-o", target)
    assert run.code == 0 and run.out == ""
    assert "Search-centred" in target.read_text(encoding="utf-8")


def test_plan_refuses_to_write_over_the_pack_or_the_team(cli) -> None:
    pytest.importorskip("staffcheck.reporters.plan_text")  # written in parallel
    run = cli("plan", "--strategy", "taobao-store", "--output", RULES / "roles.yaml")
    assert run.code == 2 and "refusing" in run.err
    run = cli("plan", "--team", SEARCH_TEAM, "--format", "table", "--output", SEARCH_TEAM)
    assert run.code == 2 and "refusing" in run.err


def test_pack_text_in_the_plan_is_inert(kb: KnowledgeBase) -> None:
    hostile = "[bold]Boss[/bold] <script>x</script> [x](http://e.vil) \x1b[31mRED | cell"
    strategy = replace(kb.strategies["taobao-store"], name=hostile, description=hostile)
    role = replace(kb.roles["data-analyst"], name=hostile)
    plan = plan_staffing(replace(kb, roles={**kb.roles, "data-analyst": role}), strategy)
    markdown = render_markdown(plan, RenderOptions())
    assert "<script>" not in markdown and "[x](http://e.vil)" not in markdown
    assert "\x1b" not in markdown and "\\| cell" in markdown
    table = render_table(plan, RenderOptions(width=200))
    assert "[bold]Boss[/bold]" in table and "\x1b" not in table


# -- red-team fixes ----------------------------------------------------------------------------


def _team_file(tmp_path: Path, old: str = "", new: str = "") -> str:
    """The example search team, with one change to its text."""
    text = Path(SEARCH_TEAM).read_text(encoding="utf-8")
    text = text.replace("candidates/", f"{Path(SEARCH_TEAM).parent / 'candidates'}/")
    assert not old or text.count(old) == 1
    path = tmp_path / "team.yaml"
    path.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("start", "said"),
    [
        ("9999-12-31", "9999-12-31 is outside 1970-01-01 … 2200-12-31"),
        ("0001-01-01", "0001-01-01 is outside 1970-01-01 … 2200-12-31"),
        ("20270104", "'20270104' is not a date written YYYY-MM-DD"),
        ("2027-W01-1", "'2027-W01-1' is not a date written YYYY-MM-DD"),
    ],
)
def test_a_start_is_yyyy_mm_dd_within_the_years_a_plan_may_start_in(
    cli, capsys, start: str, said: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli("plan", "--strategy", "search-centred", "--start", start)
    assert stopped.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert said in line and "internal error" not in line


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "'20270104'", "'2027-W01-1'"])
def test_a_team_files_start_out_of_range_is_a_located_error(
    cli, tmp_path: Path, start: str
) -> None:
    team = _team_file(tmp_path, "start: 2027-01-04", f"start: {start}")
    run = cli("plan", "--team", team)
    assert run.code == 2 and "internal error" not in run.err
    (line,) = run.err.splitlines()
    assert "team.yaml:74:" in line
    assert "plan.start must be a date written YYYY-MM-DD" in line or "outside 1970" in line


def test_a_weekend_start_moves_to_monday_and_says_so(cli, emitted: list[ProjectPlan]) -> None:
    run = cli("plan", "--strategy", "search-centred", "--start", "2027-03-06")  # a Saturday
    assert run.code == 0
    (plan,) = emitted
    assert plan.start == datetime.date(2027, 3, 8)
    assert plan.start_moved_from == datetime.date(2027, 3, 6)
    assert "staffcheck: note: the start 2027-03-06 is a weekend day: the plan starts on Monday " \
        "2027-03-08" in run.err  # fmt: skip


def test_a_weekday_start_is_no_note(cli, emitted: list[ProjectPlan]) -> None:
    run = cli("plan", "--strategy", "search-centred", "--start", START)
    assert run.code == 0 and run.err == ""
    assert emitted[0].start_moved_from is None


def test_the_same_member_named_twice_leaves_once(cli, emitted: list[ProjectPlan]) -> None:
    run = cli("plan", "--team", SEARCH_TEAM, "--without", "e-8", "--without", "Zhou Min")
    assert run.code == 0
    (plan,) = emitted
    assert plan.what_if is not None and plan.what_if.change == "without Zhou Min"


def test_a_hire_for_a_post_the_change_hires_for_anyway_is_that_hire(
    cli, emitted: list[ProjectPlan]
) -> None:
    run = cli("plan", "--team", SEARCH_TEAM, "--without", "e-8", "--hire", "data-analyst")
    assert run.code == 0
    (plan,) = emitted
    analyst = next(f for f in plan.follow_up if f.post == "data-analyst")
    assert [a.id for a in analyst.people] == ["hire:data-analyst"]
    cli("plan", "--team", SEARCH_TEAM, "--hire", "data-analyst")  # nobody leaves: one more
    analyst = next(f for f in emitted[1].follow_up if f.post == "data-analyst")
    assert [a.id for a in analyst.people] == ["e-8", "hire:data-analyst"]


def test_a_shared_name_asks_for_the_id_with_without(cli, tmp_path: Path) -> None:
    team = _team_file(tmp_path, "name: Lu Kai", "name: Zhou Min")
    run = cli("plan", "--team", team, "--without", "Zhou Min")
    assert run.code == 2
    assert "--without e-8" in run.err and "--person" not in run.err


def test_a_post_outside_the_strategy_lists_its_posts(cli) -> None:
    run = cli("plan", "--team", SEARCH_TEAM, "--hire", "taobao-operator")
    assert run.code == 2 and len(run.err.splitlines()) == 1
    assert "is not a post of Search-centred promotion" in run.err
    assert "its posts: project-manager, " in run.err and "data-analyst" in run.err


def test_the_help_describes_the_plans_own_formats(cli, capsys) -> None:
    with pytest.raises(SystemExit):
        cli("plan", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "one row per candidate" not in text and ".jsonl" not in text and ".csv" not in text
    assert "xlsx: one row per step" in text
    assert "(.html, .md, .json, .xlsx; .txt or none: table)" in text
