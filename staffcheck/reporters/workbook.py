"""A screening or ranking as an Excel workbook: candidates, findings, rejects, one sheet each.

openpyxl's write-only mode streams each row to disk as it is appended, so a drive of tens of
thousands of applicants costs a few rows of memory, not a cell object per value. In that mode
column widths and frozen panes must be set before the first row, and the filter after the last.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from staffcheck.i18n import tr
from staffcheck.model import Report
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.spreadsheet import (
    FIXED_COLUMNS,
    Cell,
    candidate_header,
    candidate_rows,
    extra_columns,
    finding_header,
    finding_rows,
    looks_like_formula,
    reject_header,
    reject_rows,
)

# Widths in characters of the candidates' columns (rank … questions): wide enough for the usual
# value, not for the longest; a cell's text wraps or is clipped, and the user can widen it.
_CANDIDATE_WIDTHS = (6, 10, 18, 20, 10, 6, 10, 12, 50, 20, 8, 50)
_FINDING_WIDTHS = (10, 18, 20, 28, 10, 60, 60)
_REJECT_WIDTHS = (40, 80)
_EXTRA_WIDTH = 16
_MOST = 80


def render_xlsx(report: Report, options: RenderOptions) -> bytes:
    """The report as an XLSX workbook: candidates (first), findings, rejects (even if none)."""
    return b"".join(xlsx_parts(report, options))


#: Bytes of a finished workbook read back at a time.
XLSX_PART_BYTES = 1 << 20


def xlsx_parts(report: Report, options: RenderOptions) -> Iterator[bytes]:
    """`render_xlsx`'s bytes in parts: the workbook is saved to a temporary file (openpyxl's
    write-only sheets already wait on disk), then read back, never held whole."""
    book = Workbook(write_only=True)
    book.properties.creator = "staffcheck"
    extras = extra_columns(report)
    header = candidate_header(report, extras)
    widths = (*_CANDIDATE_WIDTHS, *([_EXTRA_WIDTH] * (len(header) - FIXED_COLUMNS)))
    _sheet(book, tr("Candidates"), header, widths, candidate_rows(report, extras))
    _sheet(book, tr("Findings"), finding_header(), _FINDING_WIDTHS, finding_rows(report))
    _sheet(book, tr("Rejects"), reject_header(), _REJECT_WIDTHS, reject_rows(report))
    with tempfile.TemporaryFile() as saved:
        book.save(saved)
        saved.seek(0)
        while part := saved.read(XLSX_PART_BYTES):
            yield part


def _sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[Cell]],
) -> None:
    """A sheet with a bold, frozen header row that filters, and the rows under it."""
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    for column, (name, width) in enumerate(zip(header, widths, strict=True), 1):
        fitted = min(max(width, _display_width(name) + 2), _MOST)
        sheet.column_dimensions[get_column_letter(column)].width = fitted
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = _cell(sheet, name)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    count = 1
    for row in rows:
        sheet.append([_cell(sheet, value) if isinstance(value, str) else value for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count}"


def _cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """`text` as a string-typed cell: stored as it is, never evaluated (openpyxl would store
    ``=…`` as a formula). One that looks like a formula also gets Excel's quote prefix, so
    editing it in Excel keeps it text."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def _display_width(text: str) -> int:
    """Columns `text` takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
