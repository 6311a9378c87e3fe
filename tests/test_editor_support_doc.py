"""docs/editor-support.md's table of what only staffcheck checks: a row holds as it says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jsonschema import Draft202012Validator

from staffcheck.file_schemas import file_schema
from staffcheck.model import KnowledgeBase

from .conftest import ROOT, Run

PAGE = ROOT / "docs" / "editor-support.md"


def test_a_level_written_with_a_point_passes_the_schema_but_not_staffcheck(
    cli: Callable[..., Run], kb: KnowledgeBase, tmp_path: Path
) -> None:
    profile = {
        "id": "f-1",
        "name": "Fang",
        "applying_for": "seo-specialist",
        "skills": {"seo": 4.0},
    }
    assert Draft202012Validator(file_schema("profile", kb)).is_valid(profile)
    path = tmp_path / "fang.yaml"
    path.write_text(
        "id: f-1\nname: Fang\napplying_for: seo-specialist\nskills:\n  seo: 4.0\n", encoding="utf-8"
    )
    run = cli("screen", path)
    assert run.code == 2 and "not float 4.0" in run.err
    assert "`skills: {seo: 4.0}`" in PAGE.read_text(encoding="utf-8")  # the page says so
