"""The rows of a spreadsheet, however HR's tools saved it: CSV in any common encoding and
delimiter, or a sheet of an XLSX, XLS or ODS workbook.

A CSV file's encoding is found from its start: UTF-8 (with or without BOM), UTF-16 with a BOM,
else GB18030 (the superset of GBK that Excel in Chinese saves "CSV" in). Its delimiter is the
one of ``,`` ``;`` tab under which a header row appears. The header row is the first of the first
`HEADER_ROWS` rows that `is_header` accepts: title rows above it are skipped. What was guessed
is said in the table's `notes`, so nothing is done silently.

Workbooks are read with calamine (XLSX, XLS, ODS alike; it ignores a stale ``<dimension>`` that
openpyxl's read-only mode trusts and so cuts columns off). The sheet is the one asked for (by
name, or number from 1), else the first sheet with a header row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Any

from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr

#: How far down a file the header row is looked for.
HEADER_ROWS = 20
DELIMITERS = (",", ";", "\t")
_SAMPLE_BYTES = 64 * 1024
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes the codec could not decode (surrogateescape)

Cells = Sequence[Any]
IsHeader = Callable[[Cells], bool]


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader did with a file that the user should know: an encoding guessed,
    a sheet chosen, columns kept aside. Printed once per file, never fatal."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(slots=True)
class Table:
    """One spreadsheet with its header row found; `rows` yields the rows below it, each as
    (line or row number, cells) or (line, reason) for a row that cannot be read."""

    header_line: int
    header: list[str]
    rows: Iterator[tuple[int, Cells | str]]
    notes: list[str] = field(default_factory=list)
    #: closes the file the rows are read from (a CSV file streams)
    close: Callable[[], None] = lambda: None


def not_decodable(encoding: str = "") -> str:
    """Why a line cannot be read: not text in the file's encoding (or in any we know)."""
    if encoding.startswith("utf-8"):
        return tr("not UTF-8 text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')")
    if encoding == "gb18030":
        return tr(
            "not GB18030 (GBK) text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')"
        )
    return tr(
        "not UTF-8, UTF-16 or GBK text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')"
    )


# -- CSV ---------------------------------------------------------------------------------------


def csv_table(handle: IO[bytes], source: str, is_header: IsHeader) -> Table:
    """The table of a CSV file (the handle must be seekable); a StaffcheckError if it has none."""
    head = handle.read(_SAMPLE_BYTES)
    handle.seek(0)
    encoding = _encoding(head, at_end=len(head) < _SAMPLE_BYTES)
    notes = []
    if encoding == "gb18030":
        notes.append(tr("read as GB18030 (GBK); save as 'CSV UTF-8' to be sure of every character"))
    elif encoding == "utf-16":
        notes.append(tr("read as UTF-16"))
    errors = "replace" if encoding == "utf-16" else "surrogateescape"
    text = io.TextIOWrapper(handle, encoding=encoding, errors=errors, newline="")
    try:
        return _csv_text_table(text, source, is_header, notes, encoding)
    except BaseException:
        text.close()
        raise


def _csv_text_table(
    text: IO[str], source: str, is_header: IsHeader, notes: list[str], encoding: str
) -> Table:
    bad: set[int] = set()
    lines = _marked(text, bad)
    sample = [line for _, line in zip(range(HEADER_ROWS * 3), lines, strict=False)]
    if not "".join(sample).strip():
        raise StaffcheckError.at(tr("no applicants in the file (it is empty)"), source)
    delimiter, index = _delimiter(sample, is_header)
    reader = csv.reader(chain(sample, lines), delimiter=delimiter)
    header_line, header = _header(reader, index, bad, source)
    rows = _csv_rows(reader, bad, not_decodable(encoding))
    if header_line > 1:
        notes.append(tr("header on line {line}; the lines above it were skipped", line=header_line))
    return Table(header_line, header, rows, notes, text.close)


def _encoding(head: bytes, *, at_end: bool) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=at_end)
        except UnicodeDecodeError:
            continue
        return encoding
    return "utf-8"  # lines that are not UTF-8 are rejected one by one, the rest is read


def _marked(text: IO[str], bad: set[int]) -> Iterator[str]:
    """The lines of `text`; one holding bytes the encoding cannot decode is noted in `bad` (its
    record is rejected, the rest of the file is still read)."""
    for number, line in enumerate(text, 1):
        if _ESCAPED.search(line):
            bad.add(number)
            yield _ESCAPED.sub("\ufffd", line)
        else:
            yield line


def _delimiter(sample: list[str], is_header: IsHeader) -> tuple[str, int]:
    """The delimiter under which a header row appears soonest, and that row's index."""
    best: tuple[int, str] | None = None
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(sample, delimiter=delimiter))[:HEADER_ROWS]
        except csv.Error:
            continue
        found = next((i for i, row in enumerate(rows) if is_header(row)), None)
        if found is not None and (best is None or found < best[0]):
            best = (found, delimiter)
    if best is not None:
        return best[1], best[0]
    try:
        sniffed = csv.Sniffer().sniff("".join(sample), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ","
    return sniffed, -1


def _header(reader: Any, index: int, bad: set[int], source: str) -> tuple[int, list[str]]:
    """Skip the rows above the header; the header's line and cells."""
    try:
        for number, row in enumerate(reader):
            if number == index:
                if reader.line_num in bad:
                    raise StaffcheckError.at(not_decodable(), source, reader.line_num)
                return reader.line_num, [str(cell) for cell in row]
            if number >= HEADER_ROWS:
                break
    except csv.Error as exc:
        raise StaffcheckError.at(
            tr("cannot read the header row: {problem}", problem=str(exc)), source, reader.line_num
        ) from None
    if bad:
        raise StaffcheckError.at(not_decodable(), source, min(bad))
    raise no_header(source)


def no_header(source: str, sheet: str | None = None) -> StaffcheckError:
    """No row near the top names the required columns (of the file, or of one sheet)."""
    if sheet is None:
        message = tr(
            "no header row: none of the first {count} rows names the columns id and name",
            count=HEADER_ROWS,
        )
    else:
        message = tr(
            "no header row on sheet {sheet}: none of the first {count} rows names the columns "
            "id and name",
            sheet=repr(sheet),
            count=HEADER_ROWS,
        )
    return StaffcheckError.at(
        message,
        source,
        hint=tr("add a row 'id,name,applying_for,...' (or 编号,姓名,应聘岗位,...) above the data"),
    )


def _csv_rows(reader: Any, bad: set[int], undecodable: str) -> Iterator[tuple[int, Cells | str]]:
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, tr("cannot read the row: {problem}", problem=str(exc))
            return
        if bad.intersection(range(start, reader.line_num + 1)):
            yield start, undecodable
        else:
            yield start, cells
        start = reader.line_num + 1


# -- workbooks ---------------------------------------------------------------------------------


def workbook_table(path: Path, sheet: str | None, is_header: IsHeader) -> Table:
    """The table of the chosen sheet of a workbook; a StaffcheckError if there is none."""
    from python_calamine import CalamineWorkbook  # imported here: only workbooks need it

    source = str(path)
    try:
        book = CalamineWorkbook.from_path(path)
    except Exception as exc:  # calamine raises its own types (and OSError) for a broken file
        raise StaffcheckError.at(
            tr("not a readable workbook ({problem})", problem=type(exc).__name__),
            source,
            hint=tr("open it in Excel or WPS and save it again as .xlsx, or as 'CSV UTF-8'"),
        ) from None
    with book:
        names = list(book.sheet_names)
        shown = ", ".join(repr(n) for n in names)
        if sheet is not None:
            name = _named_sheet(names, sheet, source, shown)
            found = _sheet_header(book, name, is_header)
            if found is None:
                raise no_header(source, name)
            return _sheet_table(name, found, [])
        for name in names:
            found = _sheet_header(book, name, is_header)
            if found is not None:
                notes = []
                if name != names[0]:
                    notes.append(
                        tr("read sheet {sheet}, the first with a header row", sheet=repr(name))
                    )
                return _sheet_table(name, found, notes)
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


def _sheet_header(book: Any, name: str, is_header: IsHeader) -> tuple[int, list[Cells]] | None:
    """The index of the sheet's header row and every row of the sheet, or None."""
    rows: list[Cells] = list(book.get_sheet_by_name(name).iter_rows())
    for index, row in enumerate(rows[:HEADER_ROWS]):
        if is_header(row):
            return index, rows
    return None


def _sheet_table(name: str, found: tuple[int, list[Cells]], notes: list[str]) -> Table:
    index, rows = found
    header = [_text(cell) for cell in rows[index]]
    if index > 0:
        notes.append(tr("header on row {row}; the rows above it were skipped", row=index + 1))
    numbered: Iterator[tuple[int, Cells | str]] = (
        (number, row) for number, row in enumerate(rows[index + 1 :], index + 2)
    )
    return Table(index + 1, header, numbered, notes)


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)
