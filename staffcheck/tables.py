"""The rows of a spreadsheet, however HR's tools saved it: CSV in any common encoding and
delimiter, or a sheet of an XLSX, XLS or ODS workbook.

A CSV file's encoding is found from its start: UTF-8 (with or without BOM), UTF-16 with a BOM,
else GB18030 (the superset of GBK that Excel in Chinese saves "CSV" in) or Windows-1252
(Latin-1), whichever decodes the start; charset-normalizer decides when both do. Its delimiter is the
one of ``,`` ``;`` tab under which a header row appears. The header row is the first of the first
`HEADER_ROWS` rows that `is_header` accepts: title rows above it are skipped. What was guessed
is said in the table's `notes`, so nothing is done silently.

XLSX workbooks are streamed with openpyxl (read-only, rows taken from the sheet's XML whatever
its ``<dimension>`` says); a zipped workbook (XLSX, ODS) is first unpacked and counted by
`xlsx_guard`, which refuses zip bombs, DTDs and runaway cell counts before a library reads it. XLS and ODS are read with calamine, which loads a sheet whole but
would try to allocate a dense grid up to a far-away XLSX cell (a 5 KB file, hundreds of GB):
hence not XLSX. An .xls is sized first from its sheets' DIMENSIONS records (`xls_extent`),
because calamine builds every sheet's grid as it opens one. The sheet is the one asked for (by name, or number from 1), else the first
sheet with a header row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, repeat
from pathlib import Path
from typing import IO, Any, Protocol

from staffcheck.env_limits import limit_from_environment
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.spacing import is_cjk
from staffcheck.xls_extent import sheet_extents
from staffcheck.xlsx_guard import (
    UNZIPPED_VARIABLE,
    Refused,
    SpanBudget,
    check_archive,
    unzipped_cap,
)

#: How far down a file the header row is looked for.
HEADER_ROWS = 20
DELIMITERS = (",", ";", "\t")
#: An XLS or ODS sheet is read whole: its used area (rows × columns) must stay below this; an
#: XLSX sheet is streamed, but what its rows span (each up to its last cell) is bounded alike.
MAX_WORKBOOK_CELLS = 5_000_000
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
    #: numbers may be written ``4,5`` (a ``;``-separated CSV, as Excel in Europe saves it)
    decimal_comma: bool = False


def not_decodable(encoding: str = "") -> str:
    """Why a line cannot be read: not text in the file's encoding (or in any we know)."""
    if encoding.startswith("utf-8"):
        return tr("not UTF-8 text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')")
    if encoding == "gb18030":
        return tr(
            "not GB18030 (GBK) text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')"
        )
    if encoding == "cp1252":
        return tr("not Windows-1252 text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')")
    return tr(
        "not UTF-8, UTF-16 or GBK text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')"
    )


def column_letter(index: int) -> str:
    """The letters a spreadsheet shows over column `index` (from 0): A, Z, AA, XFD."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- CSV ---------------------------------------------------------------------------------------


def csv_table(handle: IO[bytes], source: str, is_header: IsHeader) -> Table:
    """The table of a CSV file (the handle must be seekable); a StaffcheckError if it has none."""
    head = handle.read(_SAMPLE_BYTES)
    handle.seek(0)
    encoding = _encoding(head, at_end=len(head) < _SAMPLE_BYTES)
    notes = []
    if encoding == "gb18030":
        notes.append(tr("read as GB18030 (GBK); save as 'CSV UTF-8' to be sure of every character"))
    elif encoding == "cp1252":
        notes.append(
            tr(
                "read as Windows-1252 (Western European); save as 'CSV UTF-8' to be sure of every character"
            )
        )
    elif encoding == "utf-16":
        notes.append(tr("read as UTF-16"))
    elif encoding.startswith("utf-16"):
        order = tr("little-endian") if encoding.endswith("le") else tr("big-endian")
        notes.append(tr("read as UTF-16 ({order}, no byte-order mark)", order=order))
    errors = "replace" if encoding.startswith("utf-16") else "surrogateescape"
    text = io.TextIOWrapper(handle, encoding=encoding, errors=errors, newline="")
    try:
        ascii_head = encoding == "utf-8" and head.isascii() and len(head) == _SAMPLE_BYTES
        return _csv_text_table(text, source, is_header, notes, encoding, ascii_head=ascii_head)
    except BaseException:
        text.close()
        raise


def _csv_text_table(
    text: IO[str],
    source: str,
    is_header: IsHeader,
    notes: list[str],
    encoding: str,
    *,
    ascii_head: bool = False,
) -> Table:
    bad: set[int] = set()
    limit = max_record_chars()
    if csv.field_size_limit() < limit:  # the records are bounded before the csv module sees them
        csv.field_size_limit(limit)
    lines = _marked(bounded_lines(text, limit), bad, notes if ascii_head else None)
    sample = _sample(lines)
    if not "".join(line for _, line in sample if isinstance(line, str)).strip():
        raise StaffcheckError.at(tr("no applicants in the file (it is empty)"), source)
    delimiter = _delimiter(
        [line if isinstance(line, str) else "\n" for _, line in sample], is_header
    )
    record_lines = _RecordLines(chain(sample, lines), limit)
    reader = csv.reader(record_lines, delimiter=delimiter)
    split = _Split(reader, record_lines, delimiter, bad, not_decodable(encoding))
    header_line, header = _header(split, is_header, bad, source)
    split.cells = len(header)
    if header_line > 1:
        notes.append(tr("header on line {line}; the lines above it were skipped", line=header_line))
    return Table(
        header_line, header, split.records(), notes, text.close, decimal_comma=delimiter == ";"
    )


def _sample(lines: Iterator[Line]) -> list[Line]:
    """The first lines of a file, to find its delimiter and header row in (a bounded share)."""
    sample: list[Line] = []
    size = 0
    for line in lines:
        sample.append(line)
        size += len(line[1]) if isinstance(line[1], str) else 0
        if len(sample) >= HEADER_ROWS * 3 or size >= _SAMPLE_BYTES * 16:
            break
    return sample


def _encoding(head: bytes, *, at_end: bool) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bomless = _utf16_without_bom(head)
    if bomless:
        return bomless
    if _decodes("utf-8", head, at_end=at_end):
        return "utf-8"
    if not at_end and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # no character cut in two at the sample's end
    if _mostly_utf8(head):
        return "utf-8"
    fits = [e for e in LEGACY_ENCODINGS if _decodes(e, head, at_end=True)]
    if len(fits) > 1:
        return _likelier(head)
    return fits[0] if fits else "utf-8"  # lines not UTF-8 are rejected one by one


def _utf16_without_bom(head: bytes) -> str:
    """UTF-16 saved without a byte-order mark: the headers and digits of a spreadsheet are
    ASCII, so NUL bytes fill one of every two positions (the high bytes), never the other."""
    sample = head[:4096]
    if len(sample) < 8:
        return ""
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) * 4 >= len(odd) and not even.count(0):
        return "utf-16-le"
    if even.count(0) * 4 >= len(even) and not odd.count(0):
        return "utf-16-be"
    return ""


#: What a CSV that is not UTF-8 may be, in order of preference: GBK as Excel in Chinese saves
#: "CSV" (GB18030 is its superset), and Windows-1252, the Western European one (Latin-1).
LEGACY_ENCODINGS = ("gb18030", "cp1252")


def _mostly_utf8(head: bytes) -> bool:
    """Most lines with non-ASCII text are UTF-8: the few others are pasted in from elsewhere, to
    be rejected one by one, not a sign that the whole file is in another encoding.

    A line counts for UTF-8 only if it reads as text one would write: Chinese (or anything past
    U+0800: three-byte sequences GBK rarely forms) or Western letters. Short GBK text often
    happens to be valid two-byte UTF-8 too — 一 (D2 BB) reads as Cyrillic һ — and proves
    nothing either way."""
    good = bad = 0
    for line in head.splitlines():
        if line.isascii():
            continue
        if not _decodes("utf-8", line, at_end=True):
            bad += 1
        elif _plausible(line.decode("utf-8")):
            good += 1
    return good > bad


def _plausible(text: str) -> bool:
    """Whether UTF-8-decoded text looks written, not like another encoding's bytes misread."""
    wide = [c for c in text if ord(c) >= 0x80]
    return any(ord(c) >= 0x800 for c in wide) or all(0xA0 <= ord(c) <= 0x24F for c in wide)


def _decodes(encoding: str, head: bytes, *, at_end: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=at_end)
    except UnicodeDecodeError:
        return False
    return True


def _likelier(head: bytes) -> str:
    """GBK or Windows-1252, for a sample that decodes as both (a short one, mostly): the one
    whose text charset-normalizer finds less of a mess; GBK when it cannot tell them apart
    (measured on GBK and Latin-1 exports: docs/intake.md)."""
    # Plain evidence first: GBK that reads as Chinese while Windows-1252 reads as symbols
    # (编号 is ±àºÅ), or the other way round (Müller is 黍ller in GBK, but letters in 1252).
    chinese = _all(head.decode("gb18030", "replace"), is_cjk)
    western = _all(head.decode("cp1252", "replace"), str.isalpha)
    if chinese != western:
        return "gb18030" if chinese else "cp1252"
    from charset_normalizer import from_bytes  # imported here: most files are UTF-8

    mess = {
        match.encoding: match.chaos
        for match in from_bytes(head, cp_isolation=["gb18030", "cp1252"])
    }
    if "gb18030" in mess and mess["gb18030"] <= mess.get("cp1252", 1.0):
        return "gb18030"
    return "cp1252" if "cp1252" in mess else "gb18030"


def _all(text: str, test: Callable[[str], bool]) -> bool:
    """Whether every character of `text` past ASCII passes `test` (and there is one)."""
    wide = [c for c in text if ord(c) >= 0x80]
    return bool(wide) and all(test(c) for c in wide)


def _marked(
    lines: Iterator[Line], bad: set[int], recode: list[str] | None = None
) -> Iterator[Line]:
    """`lines` (from `bounded_lines`); one holding bytes the encoding cannot decode is noted in
    `bad` (its record is rejected, the rest of the file is still read).

    `recode` (the notes of a file read as UTF-8 only because its sample was plain ASCII): the
    first line that is not UTF-8 decides the encoding again, from that line's bytes, and lines
    that are not UTF-8 from then on are read in it (memory stays one line)."""
    legacy = ""
    for number, line in lines:
        if isinstance(line, Overlong):
            yield number, line
            continue
        if _ESCAPED.search(line) and recode is not None:
            raw = line.encode("utf-8", "surrogateescape")
            if not legacy:
                legacy = _legacy(raw)
                if legacy:
                    recode.append(_recoded_note(legacy, number))
            if legacy:
                line = raw.decode(legacy, "surrogateescape")
        if _ESCAPED.search(line):
            bad.add(number)
            line = _ESCAPED.sub("\ufffd", line)
        yield number, line


def _legacy(raw: bytes) -> str:
    """The legacy encoding a line that is not UTF-8 is in ("" if none reads it)."""
    fits = [e for e in LEGACY_ENCODINGS if _decodes(e, raw, at_end=True)]
    return _likelier(raw) if len(fits) > 1 else (fits[0] if fits else "")


def _recoded_note(encoding: str, line: int) -> str:
    shown = "GB18030 (GBK)" if encoding == "gb18030" else "Windows-1252"
    return tr(
        "the first {size} KiB were plain ASCII; from line {line}, lines that are not UTF-8 were "
        "read as {encoding} (save as 'CSV UTF-8' to be sure of every character)",
        size=_SAMPLE_BYTES // 1024, line=line, encoding=shown,
    )  # fmt: skip


def _delimiter(sample: list[str], is_header: IsHeader) -> str:
    """The delimiter under which a header row appears soonest."""
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
        return best[1]
    try:
        sniffed = csv.Sniffer().sniff("".join(sample), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ","
    return sniffed


def _header(
    split: _Split, is_header: IsHeader, bad: set[int], source: str
) -> tuple[int, list[str]]:
    """Skip the rows above the header; the header's line and cells."""
    for line, cells in islice(split.records(), HEADER_ROWS):
        if not isinstance(cells, str) and is_header(cells):
            return line, [str(cell) for cell in cells]
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


# -- records: bounded, and a quote left open --------------------------------------------------

#: The longest record read (a CSV row, or a JSON Lines line), in characters, unless
#: `RECORD_LIMIT_VARIABLE` says otherwise: a profile is a few hundred; a longer one is rejected
#: on its own, without being read whole into memory.
MAX_RECORD_CHARS = 1_000_000
RECORD_LIMIT_VARIABLE = "STAFFCHECK_MAX_RECORD_CHARS"
_SKIP_CHARS = 1 << 16
_LINE_BREAK = re.compile("\r\n|\r|\n")


def max_record_chars() -> int:
    """The longest record read, from the environment or the default."""
    return limit_from_environment(RECORD_LIMIT_VARIABLE, MAX_RECORD_CHARS)


def record_too_long(limit: int) -> str:
    """Why a record is rejected unread: it is over the limit."""
    return tr(
        "the record is over {limit} characters long, so it was not read (shorten it, or raise "
        "{variable})",
        limit=f"{limit:,}", variable=RECORD_LIMIT_VARIABLE,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Overlong:
    """A line over the record limit, skipped as it was read; how many ``"`` it held says whether
    a quoted field goes on past it."""

    quotes: int


Line = tuple[int, "str | Overlong"]


def bounded_lines(text: IO[str], limit: int) -> Iterator[Line]:
    """The lines of `text`, numbered from 1, each with its line ending; one over `limit`
    characters is never held whole: it comes out as an `Overlong`."""
    number = 0
    after_cr = False
    while line := text.readline(limit + 1):
        skip_lf, after_cr = after_cr, False
        if skip_lf and line == "\n":  # the end of a CRLF that a skipped line was cut before
            continue
        number += 1
        if len(line) <= limit:
            yield number, line
            continue
        quotes = line.count('"')
        while line and not line.endswith(("\n", "\r")):
            line = text.readline(_SKIP_CHARS)
            quotes += line.count('"')
        after_cr = line.endswith("\r")
        yield number, Overlong(quotes)


class _RecordTooLong(Exception):
    """Raised through `csv.reader` by `_RecordLines` when a record grows past the limit."""


class _RecordLines:
    """The lines `csv.reader` asks for, remembering those of the record being read: so that a
    record is cut at the limit as it grows, and lines that an unclosed quote swallowed can be
    read again as rows of their own."""

    def __init__(self, lines: Iterator[Line], limit: int) -> None:
        self._lines = lines
        self._again: deque[Line] = deque()
        self.limit = limit
        self.taken: list[Line] = []
        self.ended = False  # the file ended inside the record: in a quoted field
        self._size = 0

    def start(self) -> None:
        self.taken, self.ended, self._size = [], False, 0

    def again(self, lines: Sequence[Line]) -> None:
        self._again.extendleft(reversed(lines))

    def pull(self) -> Line | None:
        """The next line, or None at the end of the file."""
        if self._again:
            return self._again.popleft()
        return next(self._lines, None)

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        line = self.pull()
        if line is None:
            self.ended = True
            raise StopIteration
        self.taken.append(line)
        text = line[1]
        if isinstance(text, Overlong):
            raise _RecordTooLong
        self._size += len(text)
        if self._size > self.limit:
            raise _RecordTooLong
        return text


class _Split:
    """The records of a CSV file, each as (its first line, cells) or (line, why it cannot be
    read). A quoted field holding a line that reads as a row of its own (as many cells as the
    header row, the first not empty, its quotes paired) is a quote left open: that row is
    rejected, and the lines from that one on are read as rows. (So a quoted cell holding such
    a line on purpose is misread: docs/limits.md.)"""

    def __init__(
        self, reader: Any, lines: _RecordLines, delimiter: str, bad: set[int], undecodable: str
    ) -> None:
        self.reader, self.lines, self.delimiter = reader, lines, delimiter
        self.bad, self.undecodable = bad, undecodable
        self.cells = 0  # the header's cells (as many as a row has), once it is found

    def records(self) -> Iterator[tuple[int, Cells | str]]:
        while True:
            self.lines.start()
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except _RecordTooLong:
                yield self._too_long()
                continue
            except csv.Error as exc:  # the reader starts afresh at the next line
                yield self._first(), tr("cannot read the row: {problem}", problem=str(exc))
                continue
            yield self._checked(cells)

    def _first(self) -> int:
        return self.lines.taken[0][0] if self.lines.taken else 0

    def _checked(self, cells: Cells) -> tuple[int, Cells | str]:
        taken = self.lines.taken
        first = taken[0][0]
        if len(taken) == 1 and not self.lines.ended:  # most rows: one line, quotes closed
            return first, self.undecodable if first in self.bad else cells
        inside = self._swallowed(taken, cells)
        if inside or self.lines.ended:
            self.lines.again(taken[inside:] if inside else [])
            return first, _unclosed(first)
        if any(number in self.bad for number, _ in taken):
            return first, self.undecodable
        return first, cells

    def _too_long(self) -> tuple[int, str]:
        taken, first = self.lines.taken, self._first()
        inside = self._row_inside(taken)
        if inside:
            self.lines.again(taken[inside:])
            return first, _unclosed(first)
        quotes = sum(t.quotes if isinstance(t, Overlong) else t.count('"') for _, t in taken)
        while quotes % 2:  # inside a quoted field: skip to its end (or to a line that is a row)
            line = self.lines.pull()
            if line is None:
                break
            if self._is_row(line[1]):
                self.lines.again([line])
                break
            text = line[1]
            quotes += text.quotes if isinstance(text, Overlong) else text.count('"')
        return first, record_too_long(self.lines.limit)

    def _swallowed(self, taken: list[Line], cells: Cells) -> int:
        """The index in `taken` of the first line that a cell holds as a row of its own, or 0.
        (Cells, not lines: a line may close one quoted cell and open the next.)"""
        rows = {
            part
            for cell in cells
            if "\n" in cell or "\r" in cell
            for part in _LINE_BREAK.split(cell)[1:]
            if self._is_row(part)
        }
        if not rows:
            return 0
        lines = enumerate(taken)
        return next((i for i, (_, t) in lines if i and str(t).rstrip("\r\n") in rows), 0)

    def _row_inside(self, taken: list[Line]) -> int:
        """The index of the first line after the record's first that reads as a row, or 0."""
        return next((i for i, (_, text) in enumerate(taken) if i and self._is_row(text)), 0)

    def _is_row(self, text: str | Overlong) -> bool:
        if self.cells < 2 or not isinstance(text, str) or text.count('"') % 2:
            return False  # an odd number of quotes: the line that closes a quoted cell
        cells = next(csv.reader([text], delimiter=self.delimiter), [])
        return len(cells) == self.cells and bool(cells[0].strip())


def _unclosed(line: int) -> str:
    return tr(
        'unclosed quote on line {line} (close it; a quote inside a quoted cell is written "")',
        line=line,
    )


# -- workbooks ---------------------------------------------------------------------------------


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
