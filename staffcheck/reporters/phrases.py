"""Short phrases every format of the report shares: a waiver's note, a candidate's top reason,
the first steps of a team's advice."""

from __future__ import annotations

from staffcheck.actions import ADVICE_STEPS, MORE_ADVICE, more_line
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
    """The advice a text format lists, and the line that ends it when it was cut.

    A team's advice is its whole plan, most pressing first: the text formats show the first
    `ADVICE_STEPS`, then "… and N more" (JSON keeps the whole list). A screening's is whole.
    """
    advice = report.advice
    if report.team is None or len(advice) <= ADVICE_STEPS:
        return advice, None
    return advice[:ADVICE_STEPS], more_line(len(advice) - ADVICE_STEPS, MORE_ADVICE)


#: What the mark ``?`` on a verdict means: open questions could still change it.
UNSURE_LEGEND = "? open questions could change this verdict: ask them (staffcheck ask)"
