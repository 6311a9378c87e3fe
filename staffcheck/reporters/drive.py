"""The shape every format gives a screening (a drive): its verdict counts, the shortlist, the
rest, the open applications, and what to call each person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from staffcheck.batch import RankedCandidates, Reread, rank_key
from staffcheck.diagnose import shortlisted, unplaced
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
    #: of the partial ones, open applicants on no post they can carry yet (`BatchSummary`)
    unplaced: int = 0


def verdict_counts(report: Report) -> VerdictCounts:
    """The whole batch's counts (`Report.batch`, which --top does not cut), else the shown ones'.

    A batch summary without the counts per verdict (built by older code) gives the screened and
    mismatch totals; fits are then those shown, the rest of the batch partial: a cut keeps the
    best, so whoever it hides fits no better than those shown.
    """
    batch = report.batch
    if batch is not None and batch.fit + batch.partial + batch.mismatch == batch.screened:
        # The batch's own counts: no pass over a ranking that may be held outside memory.
        return VerdictCounts(
            batch.screened, batch.fit, batch.partial, batch.mismatch, batch.open_applications,
            batch.unplaced,
        )  # fmt: skip
    counted = Counter(c.verdict for c in report.candidates)
    opened = sum(c.open_application for c in report.candidates)
    waiting = sum(unplaced(c) for c in report.candidates)
    if batch is None:
        total = len(report.candidates)
        return VerdictCounts(
            total, counted[Verdict.FIT], counted[Verdict.PARTIAL], counted[Verdict.MISMATCH],
            opened, waiting,
        )  # fmt: skip
    fit = counted[Verdict.FIT]
    partial = max(0, batch.screened - fit - batch.mismatches)
    return VerdictCounts(batch.screened, fit, partial, batch.mismatches, opened, waiting)


@dataclass(frozen=True, slots=True)
class Ranked:
    """A candidate with its place in the drive's order (1 = best)."""

    rank: int
    candidate: CandidateResult


class Ranks(Reread[Ranked]):
    """The places `start` to `stop` of a ranking, numbered, read from it as they are iterated:
    a ranking held outside memory (`batch.RankedCandidates`) is not copied."""

    def __init__(self, ranking: Sequence[CandidateResult], start: int, stop: int) -> None:
        self._ranking = ranking
        self._start = start
        self._stop = stop

    def __len__(self) -> int:
        return self._stop - self._start

    def __iter__(self) -> Iterator[Ranked]:
        places = islice(self._ranking, self._start, self._stop)
        for rank, c in enumerate(places, self._start + 1):
            yield Ranked(rank, c)


@dataclass(frozen=True, slots=True)
class DriveView:
    """A drive split for reading: who to call (`diagnose.shortlisted`), the rest, the open
    applications."""

    shortlist: Sequence[Ranked]
    rest: Sequence[Ranked]
    open_applications: Sequence[CandidateResult]


def drive_view(report: Report) -> DriveView:
    """The shortlist (`diagnose.shortlisted`, the rule the advice follows) and the rest, best first,
    numbered in one order; a ranked report keeps its ranking. Open applicants are in one of the
    two (for their best post) and in their own list.

    A ranked report's shortlist is its first places (`rank_key` puts it first): the view reads
    them from the ranking as it goes, so a ranking held outside memory stays there.
    """
    if report.ranked:
        ranking = report.candidates
        if isinstance(ranking, RankedCandidates):  # counted as it was built: no pass over it
            listed, any_open = ranking.shortlisted, ranking.open_applications > 0
        else:
            listed, any_open = sum(shortlisted(c) for c in ranking), True
        opened = tuple(c for c in ranking if c.open_application) if any_open else ()
        return DriveView(Ranks(ranking, 0, listed), Ranks(ranking, listed, len(ranking)), opened)
    numbered = [
        Ranked(rank, c) for rank, c in enumerate(sorted(report.candidates, key=rank_key), 1)
    ]
    return DriveView(
        tuple(r for r in numbered if shortlisted(r.candidate)),
        tuple(r for r in numbered if not shortlisted(r.candidate)),
        tuple(r.candidate for r in numbered if r.candidate.open_application),
    )


def shared_names_of(candidates: Sequence[CandidateResult]) -> frozenset[str]:
    """The names two people of a report share: a ranking held outside memory counted them as it
    was built (a dict of every name would hold them all)."""
    if isinstance(candidates, RankedCandidates):
        return candidates.shared_names
    return shared_names((c.id, c.name) for c in candidates)


class PersonNames:
    """What to call the people of a report: their name, and their id too where two share it."""

    def __init__(self, report: Report) -> None:
        self._candidates = report.candidates
        self._shared = shared_names_of(report.candidates)
        self._names: dict[str, str] | None = None  # by id, made when first asked (not by a drive)

    def name(self, ident: str) -> str:
        """The person's name (their id when the report does not name them)."""
        if self._names is None:
            self._names = {c.id: c.name for c in self._candidates}
        return self._names.get(ident, ident)

    def person(self, c: CandidateResult) -> str:
        """`label` of a candidate at hand (ids are unique in a report): no lookup by id."""
        return who(c.name, c.id, self._shared)

    def person_shared(self, c: CandidateResult) -> bool:
        """`shared` of a candidate at hand."""
        return c.name in self._shared

    def shared(self, ident: str) -> bool:
        """Another person of the report has the same name: show the id beside it."""
        return self.name(ident) in self._shared

    def label(self, ident: str) -> str:
        """``Wang Fang``, or ``Wang Fang (e-3)`` when another Wang Fang is in the report."""
        return who(self.name(ident), ident, self._shared)
