"""``staffcheck screen``: a batch of applicants in, a report (or a stream of JSON lines) out."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TextIO

from staffcheck.batch import default_jobs, rank_key, screen_batch
from staffcheck.diagnose import strategy_posts
from staffcheck.knowledge import pack_files
from staffcheck.model import (
    BatchSummary,
    CandidateResult,
    KnowledgeBase,
    Reject,
    Report,
    Strategy,
    StrategyRef,
    Verdict,
)
from staffcheck.output import atomic_output, check_output_target
from staffcheck.reporters.json_report import candidate_dict
from staffcheck.reporters.text import inert
from staffcheck.sources import expand_paths, read_applicants

#: The progress bar appears only for work that has already taken this long.
PROGRESS_AFTER_SECONDS = 1.0


class _Ticker:
    """Counts screened applicants on stderr once the work has taken over a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.count = 0
        self.progress: Any = None  # rich.progress.Progress, imported only when shown
        self.task: Any = None

    def tick(self) -> None:
        self.count += 1
        if not self.enabled:
            return
        if self.progress is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_SECONDS:
                return
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("screening: {task.completed:,} applicants"),
                TimeElapsedColumn(),
                console=Console(stderr=True, markup=False, highlight=False),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("screen", total=None)
        assert self.task is not None
        self.progress.update(self.task, completed=self.count)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def run(
    args: argparse.Namespace,
    kb: KnowledgeBase,
    strategy: Strategy | None,
    extra_inputs: list[Path],
    emit: Callable[[Report, argparse.Namespace, list[Path]], int],
) -> int:
    """Screen every applicant of the inputs; exit 2 if any record was rejected."""
    files = [p for p in expand_paths(args.profiles) if isinstance(p, Path)]
    inputs = [*files, *extra_inputs, *pack_files(Path(kb.root))]
    if args.output is not None:
        check_output_target(args.output, inputs)
    # More processes than cores only adds start-up time and memory.
    jobs = min(args.jobs or default_jobs(), default_jobs())
    records = read_applicants(args.profiles, kb, args.stdin_format)
    results = screen_batch(kb, records, strategy, args.role, jobs)
    ticker = _Ticker(enabled=not args.quiet and sys.stderr.isatty())
    rejects: list[Reject] = []
    try:
        if args.format == "jsonl":
            _stream_jsonl(results, args, inputs, rejects, ticker)
            return _finish(rejects, 0, printed=True)
        candidates: list[CandidateResult] = []
        for item in results:
            ticker.tick()
            if isinstance(item, Reject):
                rejects.append(item)
            else:
                candidates.append(item)
    finally:
        ticker.close()
    if not candidates and rejects:
        return _finish(rejects, 0, screened=False)
    ranked = args.role is not None
    if ranked:
        candidates.sort(key=rank_key)
    batch = None
    if args.top is not None:
        severities = [f.severity for c in candidates for f in c.findings]
        batch = BatchSummary(
            screened=len(candidates),
            mismatches=sum(c.verdict is Verdict.MISMATCH for c in candidates),
            worst=max(severities, key=lambda s: s.weight, default=None),
        )
        candidates = candidates[: args.top]
    report = Report(
        None if strategy is None else StrategyRef(strategy.id, strategy.name),
        tuple(candidates),
        posts=strategy_posts(strategy),
        rejects=tuple(rejects),
        ranked=ranked,
        batch=batch,
    )
    return _finish(rejects, emit(report, args, inputs))


def _finish(
    rejects: list[Reject], code: int, *, printed: bool = False, screened: bool = True
) -> int:
    """List the rejects (unless already streamed) and turn them into exit status 2."""
    if not printed:
        for reject in rejects:
            print(f"staffcheck: error: {inert(str(reject))}", file=sys.stderr)
    if rejects:
        count = len(rejects)
        if count > 1:
            rest = "the others were screened" if screened else "nothing was screened"
            print(f"staffcheck: {count} records rejected; {rest}", file=sys.stderr)
        return 2
    return code


def _stream_jsonl(
    results: Iterable[CandidateResult | Reject],
    args: argparse.Namespace,
    inputs: list[Path],
    rejects: list[Reject],
    ticker: _Ticker,
) -> None:
    """One JSON object per candidate as each is done; in rank order only with --role."""
    target: AbstractContextManager[TextIO] = (
        nullcontext(sys.stdout) if args.output is None else atomic_output(args.output, inputs)
    )
    with target as handle:
        ordered: Iterator[CandidateResult] = _candidates(results, rejects, ticker)
        if args.role is not None or args.top is not None:
            # Ranking needs every result; plain streaming never holds them.
            everything = sorted(ordered, key=rank_key) if args.role else list(ordered)
            ordered = iter(everything[: args.top] if args.top is not None else everything)
        for rank, candidate in enumerate(ordered, 1):
            entry = candidate_dict(candidate)
            if args.role is not None:
                entry["rank"] = rank
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            if args.output is None:
                handle.flush()


def _candidates(
    results: Iterable[CandidateResult | Reject], rejects: list[Reject], ticker: _Ticker
) -> Iterator[CandidateResult]:
    for item in results:
        ticker.tick()
        if isinstance(item, Reject):
            rejects.append(item)
            print(f"staffcheck: error: {inert(str(item))}", file=sys.stderr)
        else:
            yield item
