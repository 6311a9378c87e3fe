"""The JSON report: the stable ``staffcheck.report/2`` contract documented in the README."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from staffcheck.escaping import inert_json
from staffcheck.model import Basis, CandidateResult, Finding, Gap, Report, WaiverNote
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.streams import batched

if TYPE_CHECKING:
    from staffcheck.batch import Streamed

SCHEMA = "staffcheck.report/2"


def waiver_dict(note: WaiverNote | None) -> dict[str, Any] | None:
    """A finding's waiver as JSON, or None."""
    if note is None:
        return None
    return {
        "reason": note.reason,
        "approved_by": note.approved_by,
        "expires": note.expires.isoformat(),
        "expired": note.expired,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding as JSON: rule, severity, message, the chain of reasons, its waiver if any."""
    data: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "because": list(finding.because),
        "modules": list(finding.modules),
        "matched": list(finding.matched),
    }
    if finding.skill is not None:
        data["skill"] = finding.skill
    if finding.basis is not None:
        data["basis"] = finding.basis.value
    if finding.explains:
        data["explains"] = [finding_dict(f) for f in finding.explains]
    if finding.waiver is not None:
        data["waiver"] = waiver_dict(finding.waiver)
    return data


def candidate_dict(candidate: CandidateResult) -> dict[str, Any]:
    """One candidate as in the report's ``candidates`` list (also one line of ``jsonl``)."""
    return {
        "id": candidate.id,
        "name": candidate.name,
        "role": candidate.role,
        "fit": candidate.fit,
        "verdict": candidate.verdict.value,
        "confidence": {
            "level": candidate.confidence.value,
            **{
                basis.value: [skill for skill, b in candidate.evidence if b is basis]
                for basis in Basis
            },
        },
        "findings": [finding_dict(f) for f in candidate.findings],
        "better_roles": [
            {"role": r.role, "fit": r.fit, "reason": r.reason} for r in candidate.better_roles
        ],
        "questions": [
            {"skill": q.skill, "need": q.need, "text": q.text} for q in candidate.questions
        ],
        "inferred": [
            {
                "skill": i.skill,
                "level": i.level,
                "certainty": i.certainty,
                "rule": i.rule,
                "evidence": i.evidence,
            }
            for i in candidate.inferred
        ],
        "open_application": candidate.open_application,
        # the spreadsheet's other columns, header -> value in their order (JSON keeps it)
        "extra": dict(candidate.extra),
    }


def gap_dict(gap: Gap) -> dict[str, Any]:
    """An uncovered post as JSON, with the members who could cover it."""
    data: dict[str, Any] = {
        "rule": gap.rule,
        "role": gap.role,
        "module": gap.modules[0] if gap.modules else None,
        "modules": list(gap.modules),
        "severity": gap.severity.value,
        "message": gap.message,
        "because": list(gap.because),
        "could_cover": [
            {"id": option.person_id, "name": option.person_name, "fit": option.fit}
            for option in gap.could_cover
        ],
        "restated": [finding_dict(f) for f in gap.restated],
    }
    if gap.waiver is not None:
        data["waiver"] = waiver_dict(gap.waiver)
    return data


def report_dict(report: Report) -> dict[str, Any]:
    """The whole report as the ``staffcheck.report/2`` object."""
    data = _without_candidates(report)
    data["candidates"] = list(_candidate_entries(report))
    return data


def _candidate_entries(report: Report) -> Iterator[dict[str, Any]]:
    """Each candidate's object, with its rank when the report is ranked."""
    for rank, c in enumerate(report.candidates, 1):
        entry = candidate_dict(c)
        if report.ranked:
            entry["rank"] = rank
        yield entry


def _without_candidates(report: Report) -> dict[str, Any]:
    """The report's object with an empty ``candidates`` list, in its place."""
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "strategy": None
        if report.strategy is None
        else {"id": report.strategy.id, "name": report.strategy.name},
        "candidates": [],
    }
    if report.batch is not None:
        batch = report.batch
        data["batch"] = {
            "screened": batch.screened,
            "mismatches": batch.mismatches,
            "fit": batch.fit,
            "partial": batch.partial,
            "mismatch": batch.mismatch,
            "open_applications": batch.open_applications,
            "unplaced": batch.unplaced,
        }
    if report.rejects:
        data["rejects"] = [
            {
                "source": r.location.path,
                "row": r.location.line,
                "column": r.location.column,
                "reason": r.reason,
            }
            for r in report.rejects
        ]
    if report.team is not None:
        data["team"] = {
            "name": report.team.name,
            "gaps": [gap_dict(g) for g in report.team.gaps],
            "findings": [finding_dict(f) for f in report.team.findings],
            "advice": list(report.advice),
            "advice_complete": not report.advice_more,
        }
    return data


def dumps(data: dict[str, Any]) -> str:
    """A JSON document as every JSON output of staffcheck writes it: indented, UTF-8 as is but
    for the characters a terminal would obey (`inert_json`)."""
    return inert_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def render(report: Report, options: RenderOptions) -> str:
    """The report as the ``staffcheck.report/2`` JSON document."""
    return "".join(render_parts(report, options))


#: How the empty list stands in the document for the candidates written one by one.
_EMPTY_CANDIDATES = '\n  "candidates": []'


def render_parts(report: Report, options: RenderOptions) -> Iterator[str]:
    """`render`'s document in parts, each candidate's object written as `json.dumps` indents
    it inside the list (a drive's ranking is read as it goes, never held as one document)."""
    shell = dumps(_without_candidates(report))
    head, found, tail = shell.partition(_EMPTY_CANDIDATES)
    assert found, "the report's object has its candidates list"
    entries = (
        inert_json(json.dumps(entry, indent=2, ensure_ascii=False)).replace("\n", "\n    ")
        for entry in _candidate_entries(report)
    )
    first = next(entries, None)
    if first is None:
        yield shell
        return
    yield head + '\n  "candidates": [\n    ' + first
    yield from batched(f",\n    {entry}" for entry in entries)
    yield "\n  ]" + tail


def render_line(item: Streamed, options: RenderOptions) -> str:
    """One screened applicant as a line of ``jsonl``: as in the report, with its rank if ranked."""
    entry = candidate_dict(item.candidate)
    if item.rank is not None:
        entry["rank"] = item.rank
    return inert_json(json.dumps(entry, ensure_ascii=False)) + "\n"
