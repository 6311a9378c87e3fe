"""The cyclic collector is paused over a screening, a team's assessment and a plan, and is
always given back as it was (a library caller's own setting included)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from staffcheck import batch, diagnose
from staffcheck.collector import collector_paused
from staffcheck.model import KnowledgeBase
from staffcheck.sources import load_subject

EXAMPLES = Path(__file__).resolve().parent.parent / "profiles" / "examples"


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_while_it_runs_and_given_back_after() -> None:
    seen = collector_paused(gc.isenabled)()
    assert seen is False
    assert gc.isenabled()


def test_given_back_when_the_work_fails() -> None:
    @collector_paused
    def fails() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        fails()
    assert gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off() -> None:
    gc.disable()
    assert collector_paused(lambda: 42)() == 42
    assert not gc.isenabled()


def test_nested_pauses_give_it_back_once_at_the_outermost() -> None:
    inner = collector_paused(gc.isenabled)
    outer = collector_paused(lambda: (inner(), gc.isenabled()))
    assert outer() == (False, False)
    assert gc.isenabled()


def _recording(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[bool]:
    """Record whether the collector was on each time `owner.name` is called."""
    seen: list[bool] = []
    original = getattr(owner, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return seen


def test_a_screening_puts_its_findings_in_words_with_the_collector_paused(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only the engine run: the interpretation makes as many short-lived objects."""
    seen = _recording(monkeypatch, diagnose._Interpreter, "candidates")
    subject = load_subject([str(EXAMPLES / "candidates")], kb)
    report = diagnose.screen(kb, subject.profiles)
    assert report.candidates and seen == [False]
    assert gc.isenabled()


def test_a_batch_makes_its_lines_with_the_collector_paused(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def line(result: Any) -> str:
        seen.append(gc.isenabled())
        return result.id

    subject = load_subject([str(EXAMPLES / "candidates")], kb)
    lines = batch._screened(kb, list(subject.profiles), None, None, line)
    assert lines == [p.id for p in subject.profiles]
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_team_report_runs_with_the_collector_paused(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _recording(monkeypatch, diagnose, "_team_run")
    subject = load_subject([str(EXAMPLES / "spring-launch.yaml")], kb)
    assert subject.team is not None
    report = diagnose.assess_team(kb, subject.team)
    assert report.team is not None and seen == [False]
    assert gc.isenabled()
