"""The shape every format gives a screening (a drive): its verdict counts, the shortlist, the
rest, the open applications, and what to call each person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from staffcheck.batch import rank_key
from staffcheck.diagnose import shortlisted
from staffcheck.lookup import shared_names, who
from staffcheck.model import CandidateResult, Report, Verdict


@dataclass(frozen=True, slots=True)
class VerdictCounts:
    """How many of a drive's applicants fit, fit in part, or do not fit; and the open ones."""

    screened: int
    fit: int
    partial: int
    mismatch: int
    open_applications: int


def verdict_counts(report: Report) -> VerdictCounts:
    """The whole batch's counts (`Report.batch`, which --top does not cut), else the shown ones'.

    A batch summary without the counts per verdict (built by older code) gives the screened and
    mismatch totals; fits are then those shown, the rest of the batch partial: a cut keeps the
    best, so whoever it hides fits no better than those shown.
    """
    batch = report.batch
    counted = Counter(c.verdict for c in report.candidates)
    opened = sum(c.open_application for c in report.candidates)
    if batch is None:
        total = len(report.candidates)
        return VerdictCounts(
            total, counted[Verdict.FIT], counted[Verdict.PARTIAL], counted[Verdict.MISMATCH], opened
        )
    if batch.fit + batch.partial + batch.mismatch == batch.screened:
        return VerdictCounts(
            batch.screened, batch.fit, batch.partial, batch.mismatch, batch.open_applications
        )
    fit = counted[Verdict.FIT]
    partial = max(0, batch.screened - fit - batch.mismatches)
    return VerdictCounts(batch.screened, fit, partial, batch.mismatches, opened)


@dataclass(frozen=True, slots=True)
class Ranked:
    """A candidate with its place in the drive's order (1 = best)."""

    rank: int
    candidate: CandidateResult


@dataclass(frozen=True, slots=True)
class DriveView:
    """A drive split for reading: who to call (`diagnose.shortlisted`), the rest, the open
    applications."""

    shortlist: tuple[Ranked, ...]
    rest: tuple[Ranked, ...]
    open_applications: tuple[CandidateResult, ...]


def drive_view(report: Report) -> DriveView:
    """The shortlist (`diagnose.shortlisted`, the rule the advice follows) and the rest, best first,
    numbered in one order; a ranked report keeps its ranking. Open applicants are in one of the
    two (for their best post) and in their own list."""
    ordered = report.candidates if report.ranked else sorted(report.candidates, key=rank_key)
    numbered = [Ranked(rank, c) for rank, c in enumerate(ordered, 1)]
    return DriveView(
        tuple(r for r in numbered if shortlisted(r.candidate)),
        tuple(r for r in numbered if not shortlisted(r.candidate)),
        tuple(r.candidate for r in numbered if r.candidate.open_application),
    )


class PersonNames:
    """What to call the people of a report: their name, and their id too where two share it."""

    def __init__(self, report: Report) -> None:
        self._shared = shared_names((c.id, c.name) for c in report.candidates)
        self._names = {c.id: c.name for c in report.candidates}

    def name(self, ident: str) -> str:
        """The person's name (their id when the report does not name them)."""
        return self._names.get(ident, ident)

    def shared(self, ident: str) -> bool:
        """Another person of the report has the same name: show the id beside it."""
        return self.name(ident) in self._shared

    def label(self, ident: str) -> str:
        """``Wang Fang``, or ``Wang Fang (e-3)`` when another Wang Fang is in the report."""
        return who(self.name(ident), ident, self._shared)
