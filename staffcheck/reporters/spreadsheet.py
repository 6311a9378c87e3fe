"""A screening or ranking as a spreadsheet: the rows both CSV and XLSX are made of, and the CSV.

One row per candidate (rank, who, the post, fit, verdict, why, a better post, the questions to
ask, then the columns of their original row staffcheck did not use, such as email and phone, so
HR can contact a shortlist); a workbook adds the findings and the rejected records on sheets of
their own (`staffcheck.reporters.workbook`). Rows are produced one at a time, so a drive of tens
of thousands of applicants is never held twice.

Every text cell comes from untrusted input or a pack, and a spreadsheet program runs a cell that
starts with ``=``, ``+``, ``-`` or ``@`` as a formula (a ``=HYPERLINK`` in a name can leak data or
run commands). A CSV has no types, so `csv_cell` prefixes such text with ``'``, as OWASP advises;
a workbook stores every text as a string-typed cell instead, which no program evaluates, so its
text stays exactly as read (no ``'`` in front of a phone number such as ``+86 …``). Numbers
staffcheck computes itself (rank, fit) stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence

from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.model import CandidateResult, Report, Verdict
from staffcheck.reporters import RenderOptions
from staffcheck.words import confidence_word, severity_word, verdict_word

#: A cell: text, a number staffcheck computed, or nothing.
Cell = str | int | None

# What a spreadsheet program would evaluate: a formula, or a DDE/command prefix (tab and CR too).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Not allowed in XML (so not in XLSX), and not UTF-8 encodable: shown as the replacement mark.
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
#: Between the questions in one cell.
QUESTION_SEPARATOR = "; "


def cell_text(text: str) -> str:
    """Untrusted text as a writable cell: control characters shown, characters XML cannot hold
    replaced. It may still look like a formula: `csv_cell` and the workbook's string cells
    keep it from running."""
    return inert(_UNWRITABLE.sub("\ufffd", text.replace("\r\n", "\n")), single_line=False)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program would evaluate `text` typed into a cell."""
    return text.startswith(_FORMULA_START)


def csv_cell(value: Cell) -> str | int:
    """A cell as CSV writes it: text that would run as a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def extra_columns(report: Report) -> tuple[str, ...]:
    """The original rows' unused columns (email, phone, …): every candidate's, first seen first."""
    seen: dict[str, None] = {}
    for candidate in report.candidates:
        for name, _ in candidate.extra:
            seen.setdefault(name, None)
    return tuple(seen)


def candidate_header(report: Report, extras: Sequence[str]) -> list[str]:
    """The candidates' header row, in the language in use; the extra columns keep their names,
    except one named like one of ours (a source column "Fit"), labelled as the input's."""
    ours = [
        tr("Rank") if report.ranked else tr("No."),
        tr("ID"),
        tr("Name"),
        tr("Post"),
        tr("Open application"),
        tr("Fit"),
        tr("Verdict"),
        tr("Confidence"),
        tr("Top reason"),
        tr("Better post"),
        tr("Better post fit"),
        tr("Questions to ask"),
    ]
    taken = {name.strip().casefold() for name in ours}
    return [*ours, *(cell_text(_carried(name, taken)) for name in extras)]


def _carried(name: str, taken: set[str]) -> str:
    """A carried column's header: its name, or "Fit (input)" if one of ours is called so."""
    while name.strip().casefold() in taken:
        name = tr("{name} (input)", name=name)
    taken.add(name.strip().casefold())
    return name


#: How many of `candidate_header`'s columns come before the extra ones.
FIXED_COLUMNS = 12
#: The columns (0-based) holding numbers: rank, fit, better post fit.
NUMBER_COLUMNS = frozenset({0, 5, 10})


def candidate_rows(report: Report, extras: Sequence[str]) -> Iterator[list[Cell]]:
    """One row per candidate, in the report's order (best first when ranked)."""
    for number, candidate in enumerate(report.candidates, 1):
        yield _candidate_row(report, number, candidate, extras)


def _candidate_row(
    report: Report, number: int, c: CandidateResult, extras: Sequence[str]
) -> list[Cell]:
    labels = report.labels
    # An open application's best post is already in the Post column: its `better_roles` are
    # only the next posts tried, often worse, so none is offered as "better".
    better = c.better_roles[0] if c.better_roles and not c.open_application else None
    own: dict[str, str] = {}
    for name, value in c.extra:
        own.setdefault(name, value)  # a column named twice: its first value, as read
    return [
        number,
        cell_text(c.id),
        cell_text(c.name),
        cell_text(labels.post(c.role)),
        tr("yes") if c.open_application else "",
        c.fit,
        verdict_word(c.verdict),
        confidence_word(c.confidence),
        cell_text(_top_reason(c)),
        cell_text(labels.post(better.role)) if better is not None else "",
        better.fit if better is not None else None,
        cell_text(QUESTION_SEPARATOR.join(q.text for q in c.questions)),
        *(cell_text(own.get(name, "")) for name in extras),
    ]


def _top_reason(c: CandidateResult) -> str:
    """Why the candidate does not fit: the main finding that counts (none when they fit)."""
    if c.verdict is Verdict.FIT:
        return ""
    counting = [f for f in c.findings if f.counts]
    return counting[0].message if counting else ""


def finding_header() -> list[str]:
    """The findings sheet's header row."""
    return [
        tr("Candidate ID"),
        tr("Name"),
        tr("Post"),
        tr("Rule"),
        tr("Severity"),
        tr("Message"),
        tr("Because"),
    ]


def finding_rows(report: Report) -> Iterator[list[Cell]]:
    """One row per finding of every candidate, in the candidates' order."""
    for c in report.candidates:
        for finding in c.findings:
            yield [
                cell_text(c.id),
                cell_text(c.name),
                cell_text(report.labels.post(c.role)),
                cell_text(finding.rule),
                severity_word(finding.severity),
                cell_text(finding.message),
                cell_text(QUESTION_SEPARATOR.join(finding.because)),
            ]


def reject_header() -> list[str]:
    """The rejects sheet's header row."""
    return [tr("Location"), tr("Reason")]


def reject_rows(report: Report) -> Iterator[list[Cell]]:
    """One row per input record that could not be screened."""
    for reject in report.rejects:
        yield [cell_text(str(reject.location)), cell_text(reject.reason)]


def render_csv(report: Report, options: RenderOptions) -> bytes:
    """The candidates as CSV: UTF-8 with a byte-order mark, so Excel reads Chinese as Chinese.

    Excel opens a CSV without a BOM in the system's ANSI code page (GBK on a Chinese Windows,
    cp1252 elsewhere), garbling every non-ASCII name; with the BOM it reads UTF-8.
    """
    return b"".join(csv_parts(report, options))


#: Rows of a CSV written at a time.
CSV_ROWS = 1000


def csv_parts(report: Report, options: RenderOptions) -> Iterator[bytes]:
    """`render_csv`'s bytes in parts of `CSV_ROWS` rows: a drive's ranking is read as it goes."""
    extras = extra_columns(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, what Excel writes
    writer.writerow([csv_cell(name) for name in candidate_header(report, extras)])
    start = "\ufeff"  # the byte-order mark "utf-8-sig" writes first
    for number, row in enumerate(candidate_rows(report, extras), 1):
        writer.writerow([csv_cell(value) for value in row])
        if number % CSV_ROWS == 0:
            yield (start + buffer.getvalue()).encode("utf-8")
            start = ""
            buffer.seek(0)
            buffer.truncate()
    yield (start + buffer.getvalue()).encode("utf-8")
