"""``staffcheck plan``: the staffing plan of every bundled strategy, in every format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from staffcheck.headcount import headcount_for
from staffcheck.knowledge import load_knowledge
from staffcheck.model import Importance, KnowledgeBase
from staffcheck.planning import plan_staffing
from staffcheck.reporters import RenderOptions, formats_for
from staffcheck.reporters.staffing import render_markdown, render_table

from .conftest import RULES

STRATEGIES = list(load_knowledge(RULES).strategies)


@pytest.mark.parametrize("fmt", formats_for("StaffingPlan"))
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_plan_for_every_strategy_and_format(cli, kb: KnowledgeBase, strategy: str, fmt) -> None:
    run = cli("plan", "--strategy", strategy, "--format", fmt)
    assert run.code == 0 and run.err == ""
    if fmt == "json":
        assert run.json()["strategy"]["id"] == strategy
        return
    for role in kb.strategies[strategy].posts():  # by name; Markdown adds the id
        assert kb.roles[role].name.split()[0] in run.out
        assert fmt == "table" or f"`{role}`" in run.out
    if fmt == "markdown":
        assert run.out.startswith(f"# Staffing plan: {kb.strategies[strategy].name}")
    else:
        assert max(len(line) for line in run.out.splitlines()) <= 80


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_plan_json_has_modules_posts_skills_headcount_priority(
    cli, kb: KnowledgeBase, strategy: str
) -> None:
    data = cli("plan", "-s", strategy, "--format", "json").json()
    assert data["schema"] == "staffcheck.plan/1"
    assert [m["id"] for m in data["modules"]] == [n.module for n in kb.strategies[strategy].modules]
    for module in data["modules"]:
        assert module["posts"] and set(module["posts"][0]) == {"role", "importance"}
    posts = data["posts"]
    assert {p["role"] for p in posts} == set(kb.strategies[strategy].posts())
    weights = [Importance(p["priority"]).weight for p in posts]
    assert weights == sorted(weights, reverse=True), "posts are ordered critical first"
    for post in posts:
        assert set(post) >= {"role", "name", "modules", "skills", "headcount", "priority"}
        assert post["headcount"] in (1, 2) and post["modules"]
        essential = dict(kb.roles[post["role"]].essential)
        assert {s["skill"]: s["level"] for s in post["skills"]} == essential
    assert data["headcount"] == sum(p["headcount"] for p in posts)


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


def test_html_is_not_a_plan_format(cli) -> None:
    run = cli("--format", "html", "plan", "--strategy", "taobao-store")
    assert run.code == 2 and len(run.err.splitlines()) == 1
    assert "plan has no 'html' format" in run.err


def test_plan_output_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    run = cli("plan", "--strategy", "search-centred", "--format", "markdown", "-o", target)
    assert run.code == 0 and run.out == ""
    assert target.read_text(encoding="utf-8").startswith("# Staffing plan: Search-centred")


def test_plan_refuses_to_write_over_the_pack(cli) -> None:
    run = cli("plan", "--strategy", "taobao-store", "--output", RULES / "roles.yaml")
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
