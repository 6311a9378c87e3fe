"""``staffcheck screen``: a batch of applicants in, a report (or a stream of JSON lines) out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from staffcheck.cli import options
from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.reporters import formats_for
from staffcheck.reporters.progress import Ticker

if TYPE_CHECKING:
    from staffcheck.batch import Brief, Tally
    from staffcheck.model import CandidateResult, KnowledgeBase, Reject, Report

#: A screened applicant: a result, or its `batch.Brief` in a stream of JSON lines.
Done = TypeVar("Done")

FORMATS = formats_for("Report", "Streamed")
NAME = "screen"
HELP = "screen candidates for a post"
DESCRIPTION = (
    "Screen one or more candidates for the post they apply for (or --post), "
    "under a strategy, and say whether each fits, with the reasons and better posts."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = "a finding reached --fail-on"
EXAMPLES = """\
examples:
  staffcheck examples --copy examples
  staffcheck screen examples/candidates/sun-li.yaml --strategy taobao-store
  staffcheck screen examples/exports/taobao-drive.csv --post taobao-operator --top 3
  staffcheck screen examples/exports/taobao-drive.csv --post taobao-operator -o shortlist.xlsx
  staffcheck screen examples/candidates/ --strategy taobao-store --format jsonl --jobs 2 > results.jsonl
  cat examples/exports/referrals.jsonl | staffcheck screen - --fail-on high
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``screen``."""
    parser.add_argument(
        "profiles", nargs="+", metavar="INPUT",
        help=tr("profile YAML files, directories (searched recursively), CSV, XLSX, XLS or ODS "
        "exports (one applicant per row, see docs/intake.md), JSON Lines files (.jsonl), "
        "or - for standard input"),
    )  # fmt: skip
    parser.add_argument(
        "--strategy", "-s", metavar="ID|FILE",
        help=tr("strategy id from the knowledge pack, or a YAML file with one strategy"),
    )  # fmt: skip
    parser.add_argument(
        "--post", "--role", "-r", dest="post", metavar="POST",
        help=tr("screen everyone for this post and rank them, best first "
        "(default: each profile's applying_for, in input order; a profile with no applying_for "
        "is an open application, ranked across the strategy's posts); --role is the old spelling"),
    )  # fmt: skip
    parser.add_argument(
        "--top", type=options.positive, metavar="N", help=tr("report only the first N")
    )
    parser.add_argument(
        "--jobs", "-j", type=options.positive, metavar="N",
        help=tr("processes to screen with (default and most: the cores available); results do not depend on N"),
    )  # fmt: skip
    parser.add_argument(
        "--quiet", "-q", action="store_true", help=tr("no progress bar on standard error")
    )
    parser.add_argument(
        "--sheet", metavar="NAME|N",
        help=tr("the sheet of XLSX, XLS and ODS workbooks to read, by name or number from 1 "
        "(default: the first sheet with a header row); applies to the workbooks only, "
        "an error if no input is one"),
    )  # fmt: skip
    parser.add_argument(
        "--stdin-format", choices=("auto", "yaml", "csv", "jsonl"), default="auto",
        help=tr("format of standard input (default: guess from its first line)"),
    )  # fmt: skip
    options.add_rules(parser)
    options.add_output(parser, "report", FORMATS)
    options.add_fail_on(parser)


def run(args: argparse.Namespace) -> int:
    """Screen every applicant of the inputs; exit 2 if any record was rejected."""
    options.check_format(args, "screen", FORMATS)
    from staffcheck.batch import batch_report, default_jobs, screen_batch
    from staffcheck.knowledge import load_knowledge, pack_files, resolve_strategy, strategy_files
    from staffcheck.output import check_output_target
    from staffcheck.sources import expand_paths, read_applicants

    kb = load_knowledge(args.rules)
    strategy = resolve_strategy(kb, args.strategy)
    files = [p for p in expand_paths(args.profiles) if isinstance(p, Path)]
    extra = strategy_files(args.strategy)
    inputs = [*files, *extra, *pack_files(Path(kb.root))]
    target = options.output_path(args)
    if target is not None:
        check_output_target(target, inputs)
    # More processes than cores only adds start-up time and memory.
    jobs = min(args.jobs or default_jobs(), default_jobs())
    records = read_applicants(
        args.profiles, kb, args.stdin_format, sheet=args.sheet, on_note=options.print_note
    )
    # A report lists every reject, so it keeps them; a stream prints each as it comes and
    # keeps a count (a million rejects cost no memory).
    rejects = RejectLog(keep=args.format != "jsonl")
    with Ticker(enabled=not args.quiet and sys.stderr.isatty()) as ticker:
        if args.format == "jsonl":
            from functools import partial

            from staffcheck.batch import brief_batch
            from staffcheck.reporters.json_report import render_line

            # Each line is made where its applicant was screened (`brief_batch`).
            line = partial(render_line, options=options.render_options(args))
            briefs = brief_batch(kb, records, strategy, args.post, jobs, line)
            tally = _stream_jsonl(_candidates(ticker.count(briefs), rejects), args, inputs)
            code = options.fail_code(tally.worst, args.fail_on)
            return _finish(rejects, code, screened=tally.screened)
        results = screen_batch(kb, records, strategy, args.post, jobs)
        from staffcheck.model import Labels

        ranked = batch_report(
            _candidates(ticker.count(results), rejects),
            (),
            strategy,
            post=args.post,
            top=args.top,
            labels=Labels.of(kb),
        )
    with _closing(ranked.candidates):
        return _report(ranked, rejects, args, inputs, kb)


def _report(
    ranked: Report, rejects: RejectLog, args: argparse.Namespace, inputs: list[Path],
    kb: KnowledgeBase,
) -> int:  # fmt: skip
    """Write the drive's report (part by part: a ranking may be held outside memory)."""
    screened = 0 if ranked.batch is None else ranked.batch.screened
    if not screened and rejects.count:
        return _finish(rejects, 0, screened=0)
    # Hiring advice straight from `hiring`, not through `actions`: a screening has no team to
    # plan, and one applicant should not wait for the planner's modules to load.
    from staffcheck.hiring import screening_advice
    from staffcheck.reporters.drive import shared_names_of

    report = replace(ranked, rejects=tuple(rejects.kept))
    shared = shared_names_of(report.candidates)
    report = replace(report, advice=screening_advice(report, shared))
    from staffcheck.reporters.meta import ReportMeta

    options.emit_parts(report, args, inputs, ReportMeta.of(kb))
    # The batch's worst finding is the report's (`Report.worst_severity`), without a pass.
    worst = report.worst_severity() if report.batch is None else report.batch.worst
    return _finish(rejects, options.fail_code(worst, args.fail_on), screened=screened)


def _closing(candidates: Sequence[CandidateResult]) -> AbstractContextManager[object]:
    """Remove a ranking's temporary files once the report is written."""
    from staffcheck.batch import RankedCandidates

    if isinstance(candidates, RankedCandidates):
        return closing(candidates)
    return nullcontext()


class RejectLog:
    """The records rejected so far: printed as they come (a stream) or kept for the report."""

    def __init__(self, *, keep: bool) -> None:
        self.keep = keep
        self.count = 0
        self.kept: list[Reject] = []

    def add(self, reject: Reject) -> None:
        """Count a reject; keep it for the report, or print it now."""
        self.count += 1
        if self.keep:
            self.kept.append(reject)
        else:
            print(f"staffcheck: error: {inert(str(reject))}", file=sys.stderr)


def _finish(rejects: RejectLog, code: int, *, screened: int) -> int:
    """List the rejects kept for a report, then say how many there were: exit status 2."""
    for reject in rejects.kept:
        print(f"staffcheck: error: {inert(str(reject))}", file=sys.stderr)
    if rejects.count:
        count = rejects.count
        if count > 1:
            said = (
                tr("{count} records rejected; the others were screened", count=count)
                if screened
                else tr("{count} records rejected; nothing was screened", count=count)
            )
            print(f"staffcheck: {said}", file=sys.stderr)
        return 2
    return code


def _stream_jsonl(briefs: Iterator[Brief], args: argparse.Namespace, inputs: list[Path]) -> Tally:
    """One JSON object per candidate as each is done (in rank order only with --post); returns
    the tally of the whole stream (its worst finding is for --fail-on)."""
    from staffcheck.batch import Tally, ranked_brief_lines
    from staffcheck.output import atomic_output

    target = options.output_path(args)
    output: AbstractContextManager[TextIO] = (
        nullcontext(sys.stdout) if target is None else atomic_output(target, inputs)
    )
    tally = Tally()
    with output as handle:
        counted = tally.count_briefs(briefs)
        for text in ranked_brief_lines(counted, post=args.post, top=args.top):
            handle.write(text)
            if target is None:
                handle.flush()
    return tally


def _candidates(results: Iterable[Done | Reject], rejects: RejectLog) -> Iterator[Done]:
    """The screened candidates (or their briefs); the rejects go to `rejects`."""
    from staffcheck.model import Reject

    for item in results:
        if isinstance(item, Reject):
            rejects.add(item)
        else:
            yield item
