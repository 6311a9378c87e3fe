"""Short phrases every format of the report shares: a waiver's note, a candidate's top reason,
the first steps of a team's advice."""

from __future__ import annotations

from staffcheck.actions import MORE_ADVICE
from staffcheck.model import CandidateResult, Report, WaiverNote


def waiver_text(note: WaiverNote | None) -> str:
    """`waived by X until D: reason`, or that the waiver expired: shown after a finding."""
    if note is None:
        return ""
    if note.expired:
        return (
            f"waiver expired on {note.expires.isoformat()} (was: {note.reason}; {note.approved_by})"
        )
    return f"waived by {note.approved_by} until {note.expires.isoformat()}: {note.reason}"


def top_reason(c: CandidateResult) -> str:
    """The heaviest finding in a few words (its rule's title and skill), or why there is none."""
    if not c.findings:
        return "meets every essential skill"
    first = c.findings[0]
    if not first.title:
        return first.message
    return f"{first.title}: {first.skill}" if first.skill else first.title


def first_steps(report: Report) -> tuple[tuple[str, ...], str | None]:
    """The advice a text format lists, and the line that ends it when more steps follow.

    A team report's advice is the start of its plan, most pressing first; ``explain --actions``
    has the whole plan (and says how many steps it has). A screening's advice is whole.
    """
    if report.team is None or not report.advice_more:
        return report.advice, None
    return report.advice, f"… and more: {MORE_ADVICE}."


#: What the mark ``?`` on a verdict means: open questions could still change it.
UNSURE_LEGEND = "? open questions could change this verdict: ask them (staffcheck ask)"
