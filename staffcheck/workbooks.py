"""The rows of a workbook's sheet (XLSX, XLS, ODS), as a `tables.Table` like a CSV file's.

XLSX workbooks are streamed with openpyxl (read-only, rows taken from the sheet's XML whatever
its ``<dimension>`` says); a zipped workbook (XLSX, ODS) is first unpacked and counted by
`xlsx_guard`, which refuses zip bombs, DTDs and runaway cell counts before a library reads it. XLS and ODS are read with calamine, which loads a sheet whole but
would try to allocate a dense grid up to a far-away XLSX cell (a 5 KB file, hundreds of GB):
hence not XLSX. An .xls is sized first from its sheets' DIMENSIONS records (`xls_extent`),
because calamine builds every sheet's grid as it opens one. The sheet is the one asked for (by name, or number from 1), else the first
sheet with a header row.

Apart from `staffcheck.tables` so that reading CSV, YAML or JSON Lines never loads the zip and
workbook guards.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice, repeat
from pathlib import Path
from typing import IO, Any, Protocol

from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.tables import HEADER_ROWS, Cells, IsHeader, Table, column_letter, no_header
from staffcheck.xls_extent import sheet_extents
from staffcheck.xlsx_guard import (
    UNZIPPED_VARIABLE,
    Refused,
    SpanBudget,
    check_archive,
    unzipped_cap,
)

#: An XLS or ODS sheet is read whole: its used area (rows × columns) must stay below this; an
#: XLSX sheet is streamed, but what its rows span (each up to its last cell) is bounded alike.
MAX_WORKBOOK_CELLS = 5_000_000


class _Book(Protocol):
    names: list[str]

    def rows(self, name: str) -> Iterator[Cells]: ...

    def merged(self, name: str) -> list[Merged]:
        """The sheet's merged ranges (its rows come with them filled)."""
        ...

    def close(self) -> None: ...


def workbook_table(path: Path, sheet: str | None, is_header: IsHeader) -> Table:
    """The table of the chosen sheet of a workbook; a StaffcheckError if there is none."""
    source = str(path)
    book = _open_book(path, source)
    try:
        name, found = _chosen_sheet(book, sheet, is_header, source)
        notes = []
        if sheet is None and name != book.names[0]:
            notes.append(tr("read sheet {sheet}, the first with a header row", sheet=repr(name)))
        index, header, rows = found
        merged = book.merged(name)
        if merged:
            shown = shortened_ranges(merged)
            notes.append(tr("merged cells filled down: {ranges}", ranges=shown))
        if index > 0:
            notes.append(tr("header on row {row}; the rows above it were skipped", row=index + 1))
        return Table(index + 1, header, _guarded(rows, index + 2), notes, book.close)
    except BaseException:
        book.close()
        raise


def _open_book(path: Path, source: str) -> _Book:
    suffix = path.suffix.lower()
    try:
        _check_cost(path, suffix)
        if suffix in (".xlsx", ".xlsm"):
            return _OpenpyxlBook(path)
        return _CalamineBook(path)
    except StaffcheckError:
        raise
    except Refused as exc:
        raise StaffcheckError.at(exc.message, source, hint=exc.hint) from None
    except Exception as exc:  # each library raises many types for a broken file
        raise _unreadable(exc, source) from None
    except BaseException as exc:
        if not _panicked(exc):
            raise
        raise _unreadable(exc, source) from None


def _unreadable(exc: BaseException, source: str) -> StaffcheckError:
    return StaffcheckError.at(
        tr("not a readable workbook ({problem})", problem=_fault(exc)),
        source,
        hint=tr("open it in Excel or WPS and save it again as .xlsx, or as 'CSV UTF-8'"),
    )


def _panicked(exc: BaseException) -> bool:
    """calamine (Rust) panicked on a broken file: pyo3 raises PanicException, a BaseException
    so that ``except Exception`` does not swallow it; here it is only a file we cannot read."""
    return type(exc).__name__ == "PanicException"


def _check_cost(path: Path, suffix: str) -> None:
    """Refuse a workbook that would cost more to read than the limits allow (`xlsx_guard`),
    before a library opens it: a zip's parts are unpacked and counted, an .xls sized."""
    if suffix == ".xls":
        size, cap = path.stat().st_size, unzipped_cap()
        if size > cap:
            raise Refused(
                tr("the workbook is {size:,} bytes (at most {limit:,})", size=size, limit=cap),
                tr("save it as 'CSV UTF-8', or raise {variable} if you trust the file",
                   variable=UNZIPPED_VARIABLE),
            )  # fmt: skip
        _check_xls_extent(path, str(path))
    elif zipfile.is_zipfile(path):
        check_archive(path)


def _check_xls_extent(path: Path, source: str) -> None:
    """Refuse an .xls with a sheet over the cell cap before calamine, which builds every sheet's
    grid as it opens the file, spends a gigabyte on it (`staffcheck.xls_extent`)."""
    for extent in sheet_extents(path) or ():
        if extent.rows * extent.columns > MAX_WORKBOOK_CELLS:
            raise _too_large(extent.sheet, extent.rows, extent.columns, source)


def _too_large(sheet: str, rows: int, columns: int, source: str) -> StaffcheckError:
    return StaffcheckError.at(
        tr("sheet {sheet} spans {rows:,} rows by {columns:,} columns, too many to read",
           sheet=repr(sheet), rows=rows, columns=columns),
        source,
        hint=tr("clear the cells far below or right of the table, or save it as 'CSV UTF-8'"),
    )  # fmt: skip


def _chosen_sheet(
    book: _Book, sheet: str | None, is_header: IsHeader, source: str
) -> tuple[str, tuple[int, list[str], Iterator[Cells]]]:
    """The sheet asked for, else the first with a header row: its name, header row and rows."""
    shown = ", ".join(repr(n) for n in book.names)
    if sheet is not None:
        name = _named_sheet(book.names, sheet, source, shown)
        found = _sheet_header(book, name, is_header, source)
        if found is None:
            raise no_header(source, name)
        return name, found
    for name in book.names:
        found = _sheet_header(book, name, is_header, source)
        if found is not None:
            return name, found
    raise StaffcheckError.at(
        tr("no sheet has a header row naming the columns id and name (sheets: {sheets})", sheets=shown),
        source,
        hint=tr("add the header row, or name the sheet with --sheet"),
    )  # fmt: skip


def _named_sheet(names: list[str], wanted: str, source: str, shown: str) -> str:
    """The sheet `--sheet` names: by name (exactly, then ignoring case), else by number from 1."""
    if wanted in names:
        return wanted
    folded = [n for n in names if n.casefold().strip() == wanted.casefold().strip()]
    if len(folded) == 1:
        return folded[0]
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    raise StaffcheckError.at(
        tr("no sheet {sheet} in the workbook (its sheets: {sheets})", sheet=repr(wanted), sheets=shown),
        source,
        hint=tr("give --sheet a sheet's name, or its number from 1"),
    )  # fmt: skip


def _sheet_header(
    book: _Book, name: str, is_header: IsHeader, source: str
) -> tuple[int, list[str], Iterator[Cells]] | None:
    """The index of the sheet's header row, its cells as text and the rows below it; or None."""
    try:
        rows = book.rows(name)
        head = list(islice(rows, HEADER_ROWS))
    except _TooLarge as exc:
        raise _too_large(name, exc.rows, exc.columns, source) from None
    except Refused as exc:
        raise StaffcheckError.at(exc.message, source, hint=exc.hint) from None
    except Exception as exc:  # a sheet the library cannot read
        raise _unreadable_sheet(name, exc, source) from None
    except BaseException as exc:
        if not _panicked(exc):
            raise
        raise _unreadable_sheet(name, exc, source) from None
    for index, row in enumerate(head):
        if is_header(row):
            return index, [_text(cell) for cell in row], chain(head[index + 1 :], rows)
    return None


def _unreadable_sheet(name: str, exc: BaseException, source: str) -> StaffcheckError:
    return StaffcheckError.at(
        tr("cannot read sheet {sheet} ({problem})", sheet=repr(name), problem=_fault(exc)),
        source,
        hint=tr("open it in Excel or WPS and save it again as .xlsx, or as 'CSV UTF-8'"),
    )


def _fault(exc: BaseException) -> str:
    """What a library's exception says about the file: where its XML breaks, else its type."""
    position = getattr(exc, "position", None)  # ElementTree's ParseError: (line, column)
    if isinstance(exc, SyntaxError) and isinstance(position, tuple) and len(position) == 2:
        return tr("XML not well-formed at line {line}, column {column}",
                  line=position[0], column=position[1] + 1)  # fmt: skip
    return type(exc).__name__


def _guarded(rows: Iterator[Cells], first: int) -> Iterator[tuple[int, Cells | str]]:
    """Rows numbered from `first`; a sheet that breaks halfway gives one reason and ends."""
    number = first
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Refused as exc:  # a sheet that turns out to span too many cells
            yield number, tr("{message} ({hint})", message=exc.message, hint=exc.hint)
            return
        except Exception as exc:  # broken XML halfway through a sheet
            yield number, tr("cannot read the row: {problem}", problem=type(exc).__name__)
            return
        yield number, row
        number += 1


class _TooLarge(Exception):
    """A sheet's used area is over `MAX_WORKBOOK_CELLS`."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.rows, self.columns = rows, columns


class _OpenpyxlBook:
    """XLSX through openpyxl's read-only mode: row by row, so a huge or far-reaching sheet
    never lands in memory whole. Its rows are read from the sheet's XML, never sized by its
    ``<dimension>``, which some exporters leave stale (``A1:A1``, or ``A1:E2`` for 10 rows)."""

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook  # imported here: only XLSX input needs it

        # The file is opened here: openpyxl leaves a file it opened open when it fails to read it.
        self._handle = path.open("rb")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # styles it does not know: nothing to tell HR
                self.book = load_workbook(self._handle, read_only=True, data_only=True)
        except BaseException:
            self._handle.close()
            raise
        self.names: list[str] = list(self.book.sheetnames)
        self._merged: dict[str, list[Merged]] = {}

    def rows(self, name: str) -> Iterator[Cells]:
        return filled(self._sheet_rows(self.book[name]), self.merged(name))

    def _sheet_rows(self, sheet: Any) -> Iterator[Cells]:
        """The sheet's rows as its XML holds them, whatever its ``<dimension>`` says: the
        read-only sheet's own rows stop at the declared last row and start at the declared
        first row and column, and pad every row to the declared width. Each row is as wide as
        its last cell; what the rows span is bounded (`SpanBudget`)."""
        from openpyxl.worksheet._reader import WorkSheetParser

        book, budget, expected = self.book, SpanBudget(MAX_WORKBOOK_CELLS), 1
        with book._archive.open(sheet._worksheet_path) as source:
            parser = WorkSheetParser(
                source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                date_formats=book._date_formats, timedelta_formats=book._timedelta_formats,
            )  # fmt: skip
            for number, cells in parser.parse():
                parser.row_dimensions.clear()  # row heights: kept per row, never used here
                if number < expected:
                    continue  # a row out of order, as openpyxl skips it
                if number > MAX_XLSX_ROW:  # each empty row above it costs a step to skip
                    raise _beyond_last_row(number)
                width = max((cell["column"] for cell in cells), default=0)
                budget.spend(number - expected + max(width, 1))
                yield from repeat((), number - expected)
                row: list[Any] = [None] * width
                for cell in cells:
                    row[cell["column"] - 1] = cell["value"]
                yield row
                expected = number + 1

    def merged(self, name: str) -> list[Merged]:
        # The read-only worksheet does not read <mergeCells>: find them in the sheet's XML.
        path = getattr(self.book[name], "_worksheet_path", None)
        archive = getattr(self.book, "_archive", None)
        if path is None or archive is None:
            return []
        if name not in self._merged:  # the sheet's XML is read once, not per question
            with archive.open(path) as xml:
                self._merged[name] = bounded(xlsx_merged(xml))
        return self._merged[name]

    def close(self) -> None:
        self.book.close()
        self._handle.close()


#: Excel's last row: a row numbered beyond it is no sheet Excel saves.
MAX_XLSX_ROW = 1_048_576


def _beyond_last_row(number: int) -> Refused:
    return Refused(
        tr("a row is numbered {number:,}, beyond Excel's last row ({limit:,})",
           number=number, limit=MAX_XLSX_ROW),
        tr("open it in Excel or WPS and save it again as .xlsx, or as 'CSV UTF-8'"),
    )  # fmt: skip


class _CalamineBook:
    """XLS and ODS through calamine (Rust): the sheet is read whole, as calamine does; both
    formats bound a sheet's size."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook  # imported here: only workbooks need it

        self.book = CalamineWorkbook.from_path(path)
        self.names = list(self.book.sheet_names)

    def rows(self, name: str) -> Iterator[Cells]:
        sheet = self.book.get_sheet_by_name(name)
        if sheet.height * sheet.width > MAX_WORKBOOK_CELLS:
            raise _TooLarge(sheet.height, sheet.width)
        # Rows from the first of the sheet (row numbers stay right), columns from the first used:
        # the empty ones before it are put back, so that a cell's letter is the one HR sees.
        blank = [None] * (sheet.start[1] if sheet.start else 0)
        rows = (blank + row for row in sheet.iter_rows()) if blank else sheet.iter_rows()
        return filled(rows, self.merged(name))

    def merged(self, name: str) -> list[Merged]:
        # calamine knows an .xls sheet's merged regions; of an .ods, none (docs/intake.md).
        ranges = self.book.get_sheet_by_name(name).merged_cell_ranges or []
        return bounded([Merged(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges[:MAX_MERGED]])

    def close(self) -> None:
        self.book.close()


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


# -- merged cells ------------------------------------------------------------------------------

#: How many merged ranges of a sheet are filled (a sheet has a few; a hostile one, millions).
MAX_MERGED = 10_000
_MERGE_REF = re.compile(
    rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\""
)
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged range of a sheet, from 0: rows `top`..`bottom`, columns `left`..`right`."""

    top: int
    left: int
    bottom: int
    right: int

    def __str__(self) -> str:
        first = f"{column_letter(self.left)}{self.top + 1}"
        return f"{first}:{column_letter(self.right)}{self.bottom + 1}"


def xlsx_merged(xml: IO[bytes]) -> list[Merged]:
    """The merged ranges of an XLSX sheet's XML, found by pattern as it streams past (after the
    cells, at the end): no XML parser, so nothing to expand, and memory stays one chunk."""
    found: list[Merged] = []
    tail = b""
    while len(found) < MAX_MERGED:
        chunk = xml.read(_CHUNK)
        if not chunk:
            break
        text = tail + chunk
        end = 0
        for match in _MERGE_REF.finditer(text):
            left, top, right, bottom = match.groups()
            found.append(Merged(int(top) - 1, _column(left), int(bottom) - 1, _column(right)))
            end = match.end()
        tail = text[max(end, len(text) - 256) :]  # a reference cut by the chunk's end
    return [m for m in found[:MAX_MERGED] if m.top <= m.bottom and m.left <= m.right]


def bounded(merged: list[Merged]) -> list[Merged]:
    """The ranges to fill, while their cells add up to at most `MAX_WORKBOOK_CELLS`: a range
    over a whole sheet, or thousands of long ones, would cost more than the sheet itself."""
    kept: list[Merged] = []
    budget = MAX_WORKBOOK_CELLS
    for merge in merged:
        area = (merge.bottom - merge.top + 1) * (merge.right - merge.left + 1)
        if area <= budget:
            kept.append(merge)
            budget -= area
    return kept


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def filled(rows: Iterator[Cells], merged: list[Merged]) -> Iterator[Cells]:
    """`rows` with every cell of a merged range holding the range's top-left value, as HR sees
    it (a post merged down the rows of all who apply for it)."""
    if not merged:
        yield from rows
        return
    starting: dict[int, list[Merged]] = {}
    for merge in merged:
        starting.setdefault(merge.top, []).append(merge)
    active: list[tuple[Merged, Any]] = []
    for number, row in enumerate(rows):
        cells = list(row)
        top_left = starting.pop(number, [])
        active += [(m, cells[m.left] if m.left < len(cells) else None) for m in top_left]
        active = [(m, v) for m, v in active if m.bottom >= number]
        for merge, value in active:
            for column in range(merge.left, min(merge.right + 1, len(cells))):
                cells[column] = value
        yield cells


def shortened_ranges(merged: list[Merged]) -> str:
    shown = ", ".join(str(m) for m in merged[:8])
    return (
        shown
        if len(merged) <= 8
        else tr("{ranges} and {count} more", ranges=shown, count=len(merged) - 8)
    )
