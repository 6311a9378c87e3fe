"""Golden files of ``staffcheck plan``: every bundled strategy and every example team, five formats.

A strategy alone is planned from a fixed ``--start`` (every post a hire); an example team is
planned from the ``plan: {start: …}`` of its own file, so neither depends on the day the tests run.
The XLSX workbook is compared as a readable dump (`tests.xlsx_dump.dump_xlsx`): each sheet's cells
row by row, the Gantt bars' fills as glyphs. Regenerate with::

    STAFFCHECK_UPDATE_GOLDEN=1 python3 dev.py pytest tests/test_plan_golden.py

and review the diff (``tests/golden/plan/``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT, Run
from .test_golden import GOLDEN, check_golden, normalise
from .xlsx_dump import dump_xlsx

START = "2027-03-01"
STRATEGIES = (
    "network-retail",
    "taobao-store",
    "search-centred",
    "content-marketing",
    "forum-blog-promotion",
    "network-advertising",
    "integrated-campaign",
    "data-driven-optimisation",
    "live-commerce",
)
TEAMS = tuple(sorted(p for p in EXAMPLES.glob("*.yaml")))
TEXT_FORMATS = {"table": "table.txt", "markdown": "md", "html": "html", "json": "json"}


def _subjects() -> dict[str, tuple[str, ...]]:
    found = {f"strategy-{s}": ("plan", "--strategy", s, "--start", START) for s in STRATEGIES}
    found |= {f"team-{t.stem}": ("plan", "--team", str(t)) for t in TEAMS}
    return found


SUBJECTS = _subjects()


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_every_bundled_strategy_and_example_team_is_planned(kb: object) -> None:
    from staffcheck.model import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    assert set(STRATEGIES) == set(kb.strategies), "a bundled strategy has no plan golden"
    assert len(TEAMS) >= 8


def test_every_plan_golden_file_is_a_case() -> None:
    """A golden file no case writes is left over from a renamed or removed case."""
    cases = {f"{s}.{ext}" for s in SUBJECTS for ext in (*TEXT_FORMATS.values(), "xlsx.txt")}
    stray = sorted(p.name for p in (GOLDEN / "plan").iterdir() if p.name not in cases)
    assert stray == []


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("subject", SUBJECTS)
def test_plan_matches_golden(cli: Callable[..., Run], subject: str, fmt: str) -> None:
    color = ("--no-color",) if fmt == "table" else ()
    run = cli(*SUBJECTS[subject], "--format", fmt, *color)
    assert run.code == 0, run.err
    assert run.err == ""
    assert "\x1b" not in run.out, "escape sequence in the output"
    check_golden(f"plan/{subject}.{TEXT_FORMATS[fmt]}", normalise(run.out))


@pytest.mark.parametrize("subject", SUBJECTS)
def test_plan_workbook_matches_golden(
    cli: Callable[..., Run], subject: str, tmp_path: Path
) -> None:
    out = tmp_path / "plan.xlsx"
    run = cli(*SUBJECTS[subject], "--output", str(out))
    assert run.code == 0, run.err
    check_golden(f"plan/{subject}.xlsx.txt", normalise(dump_xlsx(out.read_bytes())))
