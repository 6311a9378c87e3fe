"""Shared helpers: run the CLI in-process, find the bundled example data."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from staffcheck.cli import main
from staffcheck.knowledge import load_knowledge
from staffcheck.model import KnowledgeBase

# Reports are compared with English goldens whatever the machine's locale; tests of other
# languages pass --lang or set the variables themselves.
os.environ["LC_ALL"] = "C.UTF-8"
# Nor may a developer's own settings change them: no configuration file from the directories
# around the clone, no pack or language from the environment (tests/test_config.py sets them).
os.environ["STAFFCHECK_NO_CONFIG"] = "1"
for _name in ("STAFFCHECK_RULES", "STAFFCHECK_LANG"):
    os.environ.pop(_name, None)
# Reports say the day they were made (and a team's waivers are judged as of it): one fixed day,
# 2026-12-01 UTC, so that golden reports do not change daily (staffcheck.reporters.meta).
os.environ["SOURCE_DATE_EPOCH"] = "1796083200"

# Parsed packs are cached on disk between runs (staffcheck.pack_cache): the suite keeps its own
# cache, away from the developer's, for this run only (a fresh one for every run of the suite).
os.environ["STAFFCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="staffcheck-test-cache-")
os.environ.pop("STAFFCHECK_NO_CACHE", None)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "profiles" / "examples"
CANDIDATES = EXAMPLES / "candidates"
RULES = ROOT / "rules"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: str | Path) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(RULES)


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Any:
    """`--lang zh` in one in-process run must not leave the next test in Chinese."""
    yield
    from staffcheck.i18n import SOURCE, set_language

    set_language(SOURCE)
