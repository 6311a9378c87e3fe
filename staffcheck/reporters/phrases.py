"""Short phrases every format of the report shares: a waiver's note, a candidate's top reason."""

from __future__ import annotations

from staffcheck.model import CandidateResult, WaiverNote


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


#: What the mark ``?`` on a verdict means: open questions could still change it.
UNSURE_LEGEND = "? open questions could change this verdict: ask them (staffcheck ask)"
