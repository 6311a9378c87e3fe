"""The plan's documentation holds examples that work as written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from .conftest import EXAMPLES, ROOT, Run


def _yaml_block_after(doc: Path, heading: str) -> str:
    text = doc.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match is not None, f"no YAML block after {heading!r}"
    return match.group(1)


def _plan_with(block: str, example: Path, cli: Callable[..., Run], tmp_path: Path) -> Run:
    """`plan --format json` of the example team with `block` (its `plan:`) in place of its own."""
    team = yaml.safe_load(example.read_text(encoding="utf-8"))
    team.pop("plan", None)
    for member in team["members"]:  # the copy lives elsewhere: point at the example profiles
        if "profile" in member:
            member["profile"] = str(EXAMPLES / member["profile"])
    team.update(yaml.safe_load(block))
    path = tmp_path / "team.yaml"
    path.write_text(yaml.safe_dump(team, allow_unicode=True), encoding="utf-8")
    run = cli("plan", "--team", path, "--format", "json")
    assert run.code == 0, run.err
    return run


def test_the_team_plan_example_of_the_knowledge_format_loads(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    block = _yaml_block_after(ROOT / "docs" / "knowledge-format.md", "## A team file's `plan:`")
    plan = _plan_with(block, EXAMPLES / "spring-launch.yaml", cli, tmp_path).json()
    assert plan["start"] == "2027-01-04"
    assert any(goal["company_kpi"] for goal in plan["goals"])


def test_the_readme_plan_example_loads_on_the_search_team(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    block = _yaml_block_after(ROOT / "README.md", "under `plan:`")
    plan = _plan_with(block, EXAMPLES / "search-team.yaml", cli, tmp_path).json()
    assert plan["start"] == "2027-01-04"
    assert any(goal["company_kpi"] for goal in plan["goals"])
