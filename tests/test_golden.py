"""Golden Markdown reports, reviewed in diffs. Regenerate with STAFFCHECK_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import CANDIDATES, EXAMPLES

GOLDEN = Path(__file__).with_name("golden")
CASES = {
    "spring-launch-team.md": ("team", EXAMPLES / "spring-launch.yaml"),
    "sun-li-screen.md": ("screen", CANDIDATES / "sun-li.yaml", "--strategy", "taobao-store"),
}


@pytest.mark.parametrize("name", CASES)
def test_markdown_matches_golden(cli, name: str) -> None:
    run = cli(*CASES[name], "--format", "markdown")
    assert run.code == 0
    golden = GOLDEN / name
    if os.environ.get("STAFFCHECK_UPDATE_GOLDEN"):
        golden.write_text(run.out, encoding="utf-8")
    assert run.out == golden.read_text(encoding="utf-8")
