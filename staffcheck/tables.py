"""The rows of a spreadsheet, however HR's tools saved it: CSV in any common encoding and
delimiter here; a sheet of an XLSX, XLS or ODS workbook in `staffcheck.workbooks`, into the same
`Table`.

A CSV file's encoding is found from its start: UTF-8 (with or without BOM), UTF-16 with a BOM,
else GB18030 (the superset of GBK that Excel in Chinese saves "CSV" in) or Windows-1252
(Latin-1), whichever decodes the start; charset-normalizer decides when both do. Its delimiter is the
one of ``,`` ``;`` tab under which a header row appears. The header row is the first of the first
`HEADER_ROWS` rows that `is_header` accepts: title rows above it are skipped. What was guessed
is said in the table's `notes`, so nothing is done silently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import IO, Any

from staffcheck.env_limits import limit_from_environment
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.spacing import is_cjk

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
