"""Screening a recruiting drive: a stream of applicants through the engine, in parallel processes.

Results come out in input order whatever the number of processes, and each process builds the
engine once. Rejected records pass through in their place, so a caller can report them. Then
`batch_report` ranks the results for a post and cuts them to the best N (``--top``), or
`ranked_brief_lines` does so for a stream of JSON lines, in bounded memory (`external_sort`): a whole
ranking is a `RankedCandidates`, the results pickled in an external sort, read back in rank
order as often as a report needs.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import os
import pickle
import signal
import weakref
from abc import abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, groupby, islice
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

from staffcheck import method_cache
from staffcheck.collector import collector_paused
from staffcheck.diagnose import check_role, screen, shortlisted, strategy_posts, unplaced
from staffcheck.errors import StaffcheckError
from staffcheck.external_sort import ExternalSort, memory_rows
from staffcheck.i18n import language, set_language, tr
from staffcheck.model import (
    BatchSummary,
    CandidateResult,
    KnowledgeBase,
    Labels,
    Profile,
    Reject,
    Report,
    Severity,
    Strategy,
    StrategyRef,
    Verdict,
)

if TYPE_CHECKING:
    import multiprocessing.process
    from concurrent.futures import Future

#: Applicants handed to a process at a time: large enough to amortise the hand-over.
CHUNK = 480

#: What each result becomes in the process that screened it, before it is sent back.
Finish = Callable[[CandidateResult], Any]

_worker_state: tuple[KnowledgeBase, Strategy | None, str | None, Finish | None] | None = None


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _init_worker(
    kb: KnowledgeBase, strategy: Strategy | None, role: str | None, lang: str,
    finish: Finish | None = None,
) -> None:  # fmt: skip
    global _worker_state
    set_language(lang)  # a spawned worker starts in English: findings speak the parent's language
    # Ctrl-C reaches the whole process group; the parent alone answers it, once. The worker
    # was started with SIGINT blocked (`_sigint_held`): ignoring it now also drops one pending.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_state = (kb, strategy, role, finish)
    gc.disable()  # a worker collects every COLLECT_EVERY chunks (`_screen_chunk`)


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers may be started; it is delivered to us when this ends.

    A worker inherits the signal mask, so one started here cannot be interrupted before its
    initializer ignores SIGINT (it would print a KeyboardInterrupt traceback of its own);
    CPython starts its resource tracker the same way.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _screen_chunk(profiles: list[Profile]) -> list[Any]:
    global _chunks_screened
    assert _worker_state is not None
    kb, strategy, role, finish = _worker_state
    found = _screened(kb, profiles, strategy, role, finish)
    _chunks_screened += 1
    if _chunks_screened == 1:
        # What a worker holds for good is built by now (the pack, the engines of the posts in
        # play, their snapshots): out of the collector's way, whose full passes would walk it
        # all again and again. Building the engines left cycles: freed first, not frozen.
        gc.collect()
        gc.freeze()
    elif _chunks_screened % COLLECT_EVERY == 0:
        gc.collect()  # what building a new post's engine left in cycles (tests/test_batch.py)
    return found


#: The chunks a worker has screened (`_screen_chunk`).
_chunks_screened = 0
#: A worker runs without the automatic collector (`_init_worker`): it started every 700
#: allocations, walked what the last chunk left alive (each post engine's last run) and found
#: nothing to free, again and again (about a tenth of a worker's time); one full pass every
#: this many chunks frees what building a post's engine left in cycles (a chunk leaves none).
COLLECT_EVERY = 64


@collector_paused  # the lines too: `screen` pauses it for itself only
def _screened(
    kb: KnowledgeBase,
    profiles: list[Profile],
    strategy: Strategy | None,
    role: str | None,
    finish: Finish | None,
) -> list[Any]:
    found = screen(kb, profiles, strategy, role).candidates if profiles else ()
    return list(found) if finish is None else [finish(c) for c in found]


def screen_batch(
    kb: KnowledgeBase,
    records: Iterable[Profile | Reject],
    strategy: Strategy | None,
    role: str | None = None,
    jobs: int = 1,
) -> Iterator[CandidateResult | Reject]:
    """Screen every profile of a stream; yields results and rejects in input order.

    A profile that applies for no post, without `role`, is an open application (`screen`): it
    is tried on every post of the strategy in its chunk's run, and comes out in its place.
    """
    return _batch(kb, records, strategy, role, jobs, None)


def brief_batch(
    kb: KnowledgeBase,
    records: Iterable[Profile | Reject],
    strategy: Strategy | None,
    role: str | None,
    jobs: int,
    line: Callable[[Streamed], str],
) -> Iterator[Brief | Reject]:
    """`screen_batch` for a stream of JSON lines: each result comes as its `Brief`, its line
    made by `line` (picklable: a module's function, or a partial of one) in the process that
    screened it. A line is a few KB of text to send back; a `CandidateResult` is a tree of
    objects that costs more to pickle and unpickle than the line costs to make."""
    finish = partial(briefly, line=line, ranked=role is not None)
    return _batch(kb, records, strategy, role, jobs, finish)


def _batch(
    kb: KnowledgeBase,
    records: Iterable[Profile | Reject],
    strategy: Strategy | None,
    role: str | None,
    jobs: int,
    finish: Finish | None,
) -> Iterator[Any]:
    if role is not None:
        role = check_role(kb, role)  # a post may be named by its id or its name
    iterator = iter(records)
    first = list(islice(iterator, CHUNK))
    following = list(islice(iterator, 1))  # one record more: a drive of more than one chunk
    chunks = chain([first] if first else [], _chunks(chain(following, iterator)))
    if jobs <= 1 or not following:
        # Small batches stay in this process: starting workers costs more than it saves.
        for chunk in chunks:
            yield from _merge(chunk, _screen_here(kb, chunk, strategy, role, finish))
        return
    # Imported here: a drive of one chunk (CHUNK applicants or fewer) never starts a pool, and
    # these cost ~13 ms.
    import concurrent.futures
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")  # no fork under rich's refresh thread
    # Pickled once for every worker; unpickled there once the dataclass cache is in place.
    start = pickle.dumps(
        (_init_worker, (kb, strategy, role, language(), finish)), pickle.HIGHEST_PROTOCOL
    )
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=method_cache.start_worker,
        initargs=(method_cache.installed(), start),
    )  # fmt: skip
    pending: deque[tuple[list[Profile | Reject], Future[list[Any]]]] = deque()
    unsent: list[list[Profile | Reject]] = []  # the chunk being handed over, if that fails
    try:
        for chunk in chunks:
            profiles = [r for r in chunk if isinstance(r, Profile)]
            unsent.append(chunk)
            with _sigint_held():  # submit starts a worker while fewer than `jobs` are running
                pending.append((chunk, pool.submit(_screen_chunk, profiles)))
            unsent.clear()
            # A bounded number of chunks in flight: memory stays flat however long the input.
            while len(pending) > jobs * 3:
                yield from _merge(pending[0][0], pending[0][1].result())
                pending.popleft()  # only once its results are out: a failure counts it lost
        while pending:
            yield from _merge(pending[0][0], pending[0][1].result())
            pending.popleft()
    except BrokenProcessPool:
        # A worker was killed (the OOM killer, kill -9): its chunk is lost and the pool with it.
        # The pool ends the other workers; once it is shut down every exit status is known.
        workers = list((getattr(pool, "_processes", None) or {}).values())  # a CPython detail
        pool.shutdown(wait=True, cancel_futures=True)
        how = _worker_death(workers)
        lost = [*unsent, *(chunk for chunk, _ in pending)]
        raise _worker_died(how, lost, chunks) from None
    except BaseException:
        # Ctrl-C or an abandoned stream: drop the queued work instead of finishing it.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _worker_death(workers: list[multiprocessing.process.BaseProcess]) -> str:
    """How a worker of a broken pool ended: ``signal 9``, ``exit status 1`` (else unknown)."""
    # The one that died first has its own status; the pool ended the others with SIGTERM.
    codes = [p.exitcode for p in workers if p.exitcode not in (None, 0)]
    killed = sorted(codes, key=lambda code: code == -signal.SIGTERM)
    if not killed:
        return tr("unknown cause")
    code = killed[0]
    return tr("signal {number}", number=-code) if code < 0 else tr("exit status {code}", code=code)


def _worker_died(
    how: str, lost: list[list[Profile | Reject]], chunks: Iterator[list[Profile | Reject]]
) -> StaffcheckError:
    """The error for a dead worker, counting every applicant not screened (the rest is read)."""
    count = sum(isinstance(r, Profile) for chunk in chain(lost, chunks) for r in chunk)
    return StaffcheckError.at(
        tr("a worker process died ({how}); {count} applicants were not screened",
           how=how, count=count),
        hint=tr("run again, or with --jobs 1"),
    )  # fmt: skip


def _screen_here(
    kb: KnowledgeBase,
    chunk: list[Profile | Reject],
    strategy: Strategy | None,
    role: str | None,
    finish: Finish | None,
) -> list[Any]:
    profiles = [r for r in chunk if isinstance(r, Profile)]
    return _screened(kb, profiles, strategy, role, finish)


def _chunks(records: Iterable[Profile | Reject]) -> Iterator[list[Profile | Reject]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _merge(chunk: list[Profile | Reject], results: list[Any]) -> Iterator[Any]:
    found = iter(results)
    for record in chunk:
        yield record if isinstance(record, Reject) else next(found)


def rank_key(result: CandidateResult) -> tuple[bool, int, int, str]:
    """Best first: the shortlist (`diagnose.shortlisted`) before the rest, so that ``--top``
    keeps the best of it; then higher fit, better verdict, id (a stable, total order)."""
    return (not shortlisted(result), -result.fit, result.verdict.weight, result.id)


def worst_finding(result: CandidateResult) -> Severity | None:
    """The severity of a result's heaviest finding (None without findings)."""
    return max((f.severity for f in result.findings), default=None)


class Brief(NamedTuple):
    """A screened applicant as a stream of JSON lines needs it (`brief_batch`): its line, and
    what a `Tally` counts and a ranking sorts by."""

    #: the JSON line; when ranked, rendered with rank 0 (`ranked_brief_lines` puts the rank)
    line: str
    rank_key: tuple[bool, int, int, str]
    verdict: Verdict
    open_application: bool
    unplaced: bool
    worst: Severity | None


def briefly(candidate: CandidateResult, *, line: Callable[[Streamed], str], ranked: bool) -> Brief:
    """`candidate` as its `Brief`."""
    return Brief(
        line(Streamed(candidate, 0 if ranked else None)),
        rank_key(candidate),
        candidate.verdict,
        candidate.open_application,
        unplaced(candidate),
        worst_finding(candidate),
    )


@dataclass(frozen=True, slots=True)
class Streamed:
    """One screened applicant as a stream writes it, with its rank when ranked for a post."""

    candidate: CandidateResult
    rank: int | None = None


class Tally:
    """A running count of screened candidates as they stream past: what --top and --fail-on keep."""

    def __init__(self) -> None:
        self.screened = 0
        self.verdicts = dict.fromkeys(Verdict, 0)
        self.open_applications = 0
        self.unplaced = 0
        self.worst: Severity | None = None

    @property
    def mismatches(self) -> int:
        return self.verdicts[Verdict.MISMATCH]

    def count(self, candidates: Iterable[CandidateResult]) -> Iterator[CandidateResult]:
        """Pass the candidates on, counting each (an open applicant by the post they fit best)."""
        for c in candidates:
            self._add(c.verdict, c.open_application, unplaced(c), worst_finding(c))
            yield c

    def count_briefs(self, briefs: Iterable[Brief]) -> Iterator[Brief]:
        """`count`, for the `Brief` of each candidate."""
        for b in briefs:
            self._add(b.verdict, b.open_application, b.unplaced, b.worst)
            yield b

    def _add(
        self, verdict: Verdict, open_application: bool, unplaced: bool, worst: Severity | None
    ) -> None:
        self.screened += 1
        self.verdicts[verdict] += 1
        self.open_applications += open_application
        self.unplaced += unplaced
        if worst is not None and (self.worst is None or worst > self.worst):
            self.worst = worst

    def summary(self) -> BatchSummary:
        """The batch so far."""
        return BatchSummary(
            self.screened,
            self.mismatches,
            self.worst,
            fit=self.verdicts[Verdict.FIT],
            partial=self.verdicts[Verdict.PARTIAL],
            mismatch=self.mismatches,
            open_applications=self.open_applications,
            unplaced=self.unplaced,
        )


def summarise(candidates: Iterable[CandidateResult]) -> BatchSummary:
    """How many were screened, how many of each verdict (and open applications), and the worst
    finding: the drive's headline, and what --top must keep."""
    tally = Tally()
    for _ in tally.count(candidates):
        pass
    return tally.summary()


def batch_report(
    candidates: Iterable[CandidateResult],
    rejects: Iterable[Reject],
    strategy: Strategy | None,
    *,
    post: str | None = None,
    top: int | None = None,
    labels: Labels | None = None,
) -> Report:
    """The report of a drive: ranked best first when screened for one `post`, cut to `top`; its
    `batch` counts the whole drive (before the cut) by verdict.

    The candidates are read once, as a stream: with `top` only the best N are held (a heap), so
    ``--top`` costs memory for N results however many are screened; a whole ranking is held as
    a `RankedCandidates` (pickled, in bounded memory).
    """
    tally = Tally()
    counted = tally.count(candidates)
    found: Sequence[CandidateResult]
    if post is None:
        found = tuple(islice(counted, top))  # input order: the first N
        for _ in counted:  # the rest is counted, not kept
            pass
    elif top is None:
        found = RankedCandidates.of(counted)
    else:
        found = tuple(heapq.nsmallest(top, counted, key=rank_key))  # as sorted(...)[:top], stable
    return Report(
        None if strategy is None else StrategyRef(strategy.id, strategy.name),
        found,
        posts=strategy_posts(strategy),
        rejects=tuple(rejects),
        ranked=post is not None,
        batch=tally.summary(),
        labels=labels or Labels(),
    )


Item = TypeVar("Item")


class Reread(Sequence[Item]):
    """A sequence read afresh from its start each time it is iterated, never held: an item is
    found by reading up to it (a report asks for few, the first of a ranking)."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def __iter__(self) -> Iterator[Item]: ...

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Item, ...]: ...
    def __getitem__(self, index: int | slice) -> Item | tuple[Item, ...]:
        if isinstance(index, slice):
            return tuple(islice(self, *index.indices(len(self))))
        place = index + len(self) if index < 0 else index
        if not 0 <= place < len(self):
            raise IndexError(index)
        return next(islice(self, place, None))


class RankedCandidates(Reread[CandidateResult]):
    """A drive's results ranked for one post (`rank_key`), without holding them: each is kept
    pickled (a few KB) in an `ExternalSort`, in memory up to `external_sort.memory_rows()` of
    them and in temporary files beyond, and unpickled as it is read. Every iteration reads the
    whole ranking again, in order; a report's passes over it cost time, not memory.

    What a report needs of the whole before its rows is counted as it is built: how many are
    on the shortlist (they come first) and the names two people share (`lookup.shared_names`).
    """

    def __init__(
        self, ranking: ExternalSort[bytes], count: int, shortlisted: int, opened: int,
        shared: frozenset[str],
    ) -> None:  # fmt: skip
        self._ranking = ranking
        # Its temporary files closed (so removed) when it is collected, if `close` was not called.
        weakref.finalize(self, ranking.close)
        self._count = count
        #: how many of the ranking are on the shortlist (`diagnose.shortlisted`): its first ones
        self.shortlisted = shortlisted
        #: how many are open applications (none when everyone was screened for one post)
        self.open_applications = opened
        #: the names two or more of the ranking share (`lookup.shared_names`)
        self.shared_names = shared

    @classmethod
    def of(cls, candidates: Iterable[CandidateResult]) -> RankedCandidates:
        """Every candidate of the stream, ranked."""
        ranking: ExternalSort[bytes] = ExternalSort(memory_rows())
        count = listed = opened = 0
        with ExternalSort[tuple[str, str]](memory_rows()) as names:
            for c in candidates:
                ranking.add(rank_key(c), pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL))
                names.add((c.name, c.id), (c.name, c.id))
                count += 1
                listed += shortlisted(c)
                opened += c.open_application
            shared = _shared_names(names.items())
        return cls(ranking, count, listed, opened, shared)

    @property
    def spilled(self) -> int:
        """How many sorted runs went to temporary files (0: it is all in memory)."""
        return self._ranking.spilled

    def close(self) -> None:
        """Remove the temporary files now (else when the ranking is collected)."""
        self._ranking.close()

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[CandidateResult]:
        for data in self._ranking.items():
            yield pickle.loads(data)  # pickled by this process, just above


def _shared_names(people: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The names shared by two ids or more, of (name, id) pairs sorted by name."""
    shared = set()
    for name, group in groupby(people, key=lambda pair: pair[0]):
        if len({ident for _, ident in islice(group, 2)}) > 1:  # ids are unique in a batch
            shared.add(name)
    return frozenset(shared)


def ranked_lines(
    candidates: Iterable[CandidateResult],
    render: Callable[[Streamed], str],
    *,
    post: str | None = None,
    top: int | None = None,
) -> Iterator[str]:
    """The lines of a stream (`render` makes one, ending in a newline): `ranked_brief_lines` of
    the candidates' briefs, made here."""
    briefs = (briefly(c, line=render, ranked=post is not None) for c in candidates)
    return ranked_brief_lines(briefs, post=post, top=top)


def ranked_brief_lines(
    briefs: Iterable[Brief], *, post: str | None = None, top: int | None = None
) -> Iterator[str]:
    """The lines of a stream of briefs (made by `brief_batch` with `post`): as they come, or
    ranked for `post` and cut to `top`, holding only a sort key and a line per applicant, in
    memory up to `external_sort.memory_rows()` of them and in temporary files beyond.

    Every brief is read, the ones after a cut too: a tally counting them sees them all.
    """
    stream = iter(briefs)
    if post is None:
        for brief in islice(stream, top):
            yield brief.line
        for _ in stream:
            pass
        return
    with ExternalSort[str](memory_rows(), keep=top) as ranking:
        for brief in stream:
            ranking.add(brief.rank_key, _unranked(brief.line))
        for rank, line in enumerate(ranking.lines(), 1):
            yield f"{line}{rank}}}\n"


#: How a line rendered with rank 0 ends: the rank is its last field (`json_report.render_line`).
_RANK_ZERO = ', "rank": 0}\n'


def _unranked(line: str) -> str:
    """A line rendered with rank 0, cut before the rank's digits, to be completed once ranked."""
    if not line.endswith(_RANK_ZERO):  # pragma: no cover - the renderer's contract changed
        raise AssertionError(f"a ranked JSON line must end with the rank: {line[-40:]!r}")
    return line[: -len("0}\n")]
