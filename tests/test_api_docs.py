"""docs/api.md is true: every example in it runs, from any directory, and it documents every
public name."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import staffcheck

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_every_example_of_the_api_docs_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the examples find their files through examples_dir()
    results = doctest.testfile(
        str(API_DOC),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert results.attempted > 40
    assert results.failed == 0, "docs/api.md: see the failing examples above"


def test_the_api_docs_name_every_public_name() -> None:
    table = API_DOC.read_text(encoding="utf-8").split("## The public names", 1)[1]
    named = set(re.findall(r"`(\w+)", table))
    assert set(staffcheck.__all__) <= named
