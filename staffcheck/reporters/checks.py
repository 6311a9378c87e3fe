"""Whether a pack is sound: ``rules validate`` (`PackCheck`) and ``rules test`` (`FixtureRun`).

The table formats are the plain lines these commands have always printed. The JSON documents:

- ``staffcheck.pack-check/1``: ``directory``, ``ok``, ``problems`` and ``warnings`` (located
  messages, as printed), and ``counts`` (strategies, roles, skills, rules; null if it does not load).
- ``staffcheck.fixture-run/1``: ``passed`` and ``failed`` (as in the summary line), ``fixtures``
  (``name``, ``path``, ``description``, ``passed``, and the rules ``missing`` and ``unexpected``),
  ``untested`` (coverage gaps) and ``errors`` (problems of fixture files that would not load).
"""

from __future__ import annotations

from typing import Any

from staffcheck.escaping import inert
from staffcheck.fixtures import FixtureOutcome, FixtureRun
from staffcheck.i18n import tr
from staffcheck.knowledge import PackCheck
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.json_report import dumps


def render_check_table(check: PackCheck, options: RenderOptions) -> str:
    """What a pack that loads holds, on one line; nothing for one that does not (see `check_notes`)."""
    if not check.ok or check.counts is None:
        return ""
    held = tr(", ").join(_counted(what, count) for what, count in check.counts.items())
    if check.warnings:
        held += tr(", {count} warnings", count=len(check.warnings))
    return tr("{directory}: ok — {held}", directory=inert(str(check.directory)), held=held) + "\n"


def _counted(what: str, count: int) -> str:
    """``3 strategies``: a count of what a pack holds, in the reader's language."""
    words = {
        "strategies": tr("{count} strategies", count=count),
        "roles": tr("{count} roles", count=count),
        "skills": tr("{count} skills", count=count),
        "rules": tr("{count} rules", count=count),
    }
    return words.get(what, f"{count} {what}")


def check_notes(check: PackCheck) -> list[str]:
    """The lines for standard error: every problem and how many, or every warning."""
    if check.ok:
        return [inert(warning) for warning in check.warnings]
    count = len(check.problems)
    lines = [inert(str(problem)) for problem in check.problems]
    shown = inert(str(check.directory))  # a directory's name may hold escape sequences
    if count == 1:
        return [*lines, tr("1 problem in {directory}", directory=shown)]
    return [*lines, tr("{count} problems in {directory}", count=count, directory=shown)]


def render_check_json(check: PackCheck, options: RenderOptions) -> str:
    """The ``staffcheck.pack-check/1`` document."""
    return dumps(
        {
            "schema": "staffcheck.pack-check/1",
            "kind": "pack-check",
            "directory": str(check.directory),
            "ok": check.ok,
            "problems": [str(problem) for problem in check.problems],
            "warnings": list(check.warnings),
            "counts": None if check.counts is None else dict(check.counts),
        }
    )


def render_run_table(run: FixtureRun, options: RenderOptions) -> str:
    """One line per fixture (PASS or FAIL, with what went wrong), coverage gaps, and a summary."""
    lines = [
        tr("ERROR {problem}", problem=inert(str(problem)))
        for problems in run.broken
        for problem in problems
    ]
    for outcome in run.outcomes:
        lines.extend(_outcome_lines(outcome))
    lines.extend(tr("FAIL  coverage: {gap}", gap=inert(gap)) for gap in run.untested)
    lines.append(tr("{passed} passed, {failed} failed", passed=run.passed, failed=run.failed))
    return "".join(f"{line}\n" for line in lines)


def _outcome_lines(outcome: FixtureOutcome) -> list[str]:
    fixture = outcome.fixture
    if outcome.passed:
        return [tr("PASS  {fixture}", fixture=inert(fixture.name))]
    return [
        tr(
            "FAIL  {fixture} — {description}",
            fixture=inert(fixture.name),
            description=inert(fixture.description),
        ),
        *(
            "      " + tr("expected {rule} to fire; it did not", rule=rule)
            for rule in sorted(outcome.missing)
        ),
        *(
            "      " + tr("expected {rule} to stay quiet; it fired", rule=rule)
            for rule in sorted(outcome.unexpected)
        ),
    ]


def render_run_json(run: FixtureRun, options: RenderOptions) -> str:
    """The ``staffcheck.fixture-run/1`` document."""
    return dumps(
        {
            "schema": "staffcheck.fixture-run/1",
            "kind": "fixture-run",
            "passed": run.passed,
            "failed": run.failed,
            "fixtures": [_outcome_dict(outcome) for outcome in run.outcomes],
            "untested": list(run.untested),
            "errors": [str(problem) for problems in run.broken for problem in problems],
        }
    )


def _outcome_dict(outcome: FixtureOutcome) -> dict[str, Any]:
    fixture = outcome.fixture
    return {
        "name": fixture.name,
        "path": fixture.path,
        "description": fixture.description,
        "passed": outcome.passed,
        "missing": sorted(outcome.missing),
        "unexpected": sorted(outcome.unexpected),
    }
