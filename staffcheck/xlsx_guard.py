"""What a zipped workbook (XLSX, ODS) may cost, checked before any library reads it.

An XLSX or ODS file is a zip of XML parts. A few kilobytes can unpack to gigabytes (a zip bomb),
declare a DTD whose entities expand a billion times, or hold millions of cells that each cost the
reader microseconds and bytes. openpyxl and calamine trust all of it, so every part is streamed
through here first: its unpacked size counted as it inflates (the sizes a zip declares can lie),
its XML checked by expat (well formed, no DTD: OOXML and ODF never declare one; a worksheet, too
big to parse twice, is only searched for a DTD), and its tags, the tags of each row, the shared
strings and the longest text counted, all without building anything. What a sheet spans once read (empty cells padded in, empty rows) is bounded as it is
read (`SpanBudget`), because only the reader knows it.

Every limit is a module constant (docs/limits.md); the unpacked size can be changed with the
``STAFFCHECK_MAX_UNZIPPED_BYTES`` environment variable.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from pyexpat import ExpatError, ParserCreate, XMLParserType, errors

from staffcheck.i18n import tr

__all__ = [
    "MAX_DIRECTORY_BYTES",
    "MAX_PARTS",
    "MAX_ROW_TAGS",
    "MAX_SHARED_STRINGS",
    "MAX_TAGS",
    "MAX_TEXT_BYTES",
    "MAX_UNZIPPED_BYTES",
    "MAX_WHOLE_PART_BYTES",
    "Refused",
    "SpanBudget",
    "check_archive",
    "unzipped_cap",
]

#: Bytes the parts of one workbook may unpack to, all together (and so each one).
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
UNZIPPED_VARIABLE = "STAFFCHECK_MAX_UNZIPPED_BYTES"
#: Bytes of a part read whole into memory (shared strings, styles, the workbook): every part but
#: an XLSX worksheet, which is streamed row by row.
MAX_WHOLE_PART_BYTES = 64 * 1024 * 1024
#: Parts (files) in the archive: a workbook has a few dozen.
MAX_PARTS = 10_000
#: Bytes of the archive's directory (a record per part, with its name).
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024
#: XML tags (start, end, or empty) in one part: each costs the reader about a microsecond, and a
#: cell is 1 to 6 of them (``<c r="A1"><v>1</v></c>`` is 4).
MAX_TAGS = 20_000_000
#: XML tags in one XLSX row, which is parsed whole (Excel's rows end at 16,384 cells).
MAX_ROW_TAGS = 400_000
#: Shared strings of an XLSX, all held in memory while it is read.
MAX_SHARED_STRINGS = 1_000_000
#: Bytes of text between two tags (Excel's cells hold 32,767 characters; escaped, at most ~200 KB).
MAX_TEXT_BYTES = 1024 * 1024

_CHUNK = 1 << 16
# Searched for by their literal start (fast), then checked to open a tag (``<row`` or ``<x:row``).
_ROW = re.compile(rb"row[\s/>]")
_SHARED_STRING = re.compile(rb"si[\s/>]")
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_LEADING = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"  # whitespace, BOMs and UTF-16's zero bytes
_STREAMED = re.compile(r"(?i)xl/worksheets/[^/]+\.xml")


class Refused(Exception):
    """A workbook over one of the limits, or with XML no workbook has: what and how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def unzipped_cap(environ: Mapping[str, str] | None = None) -> int:
    """`MAX_UNZIPPED_BYTES`, or the whole number of bytes STAFFCHECK_MAX_UNZIPPED_BYTES gives."""
    text = (os.environ if environ is None else environ).get(UNZIPPED_VARIABLE, "").strip()
    if not text:
        return MAX_UNZIPPED_BYTES
    if not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise Refused(
            tr("{variable} is {value}, not a number of bytes", variable=UNZIPPED_VARIABLE,
               value=repr(text[:40])),
            tr("set it to a whole number such as {default}, or unset it",
               default=MAX_UNZIPPED_BYTES),
        )  # fmt: skip
    return int(text)


def check_archive(path: Path) -> None:
    """Refuse (`Refused`) the zipped workbook at `path` if unpacking or parsing it would cost more
    than the limits allow; zipfile's own errors (not a zip, a bad CRC) are left to the caller."""
    cap = unzipped_cap()
    _check_part_count(path)
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        _check_declared(members, cap)
        for member in members:
            _check_part(archive, member, _part_cap(member.filename, cap))


def _resave() -> str:
    return tr("open it in Excel or WPS and save it again as .xlsx, or as 'CSV UTF-8'")


def _check_part_count(path: Path) -> None:
    """The parts the zip's end record declares, and the size of its directory, before zipfile
    reads a record of each (a few hundred bytes of memory per part)."""
    with path.open("rb") as handle:
        end = getattr(zipfile, "_EndRecData")(handle)  # noqa: B009 - private, stable since 2.6
    if end is None:
        return  # not a zip: zipfile says so
    count = end[getattr(zipfile, "_ECD_ENTRIES_TOTAL")]  # noqa: B009
    directory = end[getattr(zipfile, "_ECD_SIZE")]  # noqa: B009
    if count > MAX_PARTS or directory > MAX_DIRECTORY_BYTES:
        raise Refused(
            tr("the workbook holds {count:,} parts in a directory of {size:,} bytes (at most "
               "{limit:,} parts, {bytes:,} bytes)", count=count, size=directory,
               limit=MAX_PARTS, bytes=MAX_DIRECTORY_BYTES),
            _resave(),
        )  # fmt: skip


def _part_cap(name: str, cap: int) -> int:
    return cap if _STREAMED.fullmatch(name) else min(cap, MAX_WHOLE_PART_BYTES)


def _check_declared(members: list[zipfile.ZipInfo], cap: int) -> None:
    """The sizes the archive declares: what zipfile will unpack at most (it stops there)."""
    total = 0
    for member in members:
        total += member.file_size
        limit = _part_cap(member.filename, cap)
        if member.file_size > limit:
            raise _too_big(member.filename, member.file_size, limit)
    if total > cap:
        raise Refused(
            tr("the workbook unpacks to {size:,} bytes (at most {limit:,}: a zip bomb?)",
               size=total, limit=cap),
            _bigger_hint(),
        )  # fmt: skip


def _too_big(part: str, size: int, limit: int) -> Refused:
    return Refused(
        tr("part {part} unpacks to {size:,} bytes or more (at most {limit:,}: a zip bomb?)",
           part=repr(part[:80]), size=size, limit=limit),
        _bigger_hint(),
    )  # fmt: skip


def _bigger_hint() -> str:
    return tr(
        "save it as 'CSV UTF-8', or raise {variable} if you trust the file",
        variable=UNZIPPED_VARIABLE,
    )


def _check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> None:
    """Stream one part: count its bytes as they inflate, and if it is XML, check and count it."""
    scan: _XmlScan | None = None
    size, limit = 0, min(limit, member.file_size)
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:  # zipfile stops at the declared size; counted all the same
                raise _too_big(member.filename, size, limit)
            if scan is None:
                start = chunk.lstrip(_LEADING)
                if not start:
                    continue  # only whitespace so far: what the part is comes later
                if not start.startswith(b"<"):
                    return  # an image or other binary part: no XML reader opens it
                scan = _XmlScan(member.filename, parse=_parsed(member.filename, chunk))
            scan.feed(chunk)
    if scan is not None:
        scan.close()


def _parsed(part: str, first: bytes) -> bool:
    """Whether expat checks the whole part. A streamed sheet is too big to parse twice: it is
    only searched for a DTD, and openpyxl's parser finds any other fault as it reads it; but
    one not in UTF-8 (rare) is parsed, since a DTD in UTF-16 is not found by its bytes."""
    return not _STREAMED.fullmatch(part) or b"\x00" in first[:4]


@dataclass(slots=True)
class _XmlScan:
    """One XML part, fed chunk by chunk: expat checks it, cheap byte counts bound it."""

    part: str
    #: checked by expat (else only searched for a DTD)
    parse: bool
    tags: int = 0
    #: tags since the last row began (-1: no row yet, as in every part but a worksheet)
    row_tags: int = -1
    shared_strings: int = 0
    text_run: int = 0
    _parser: XMLParserType = field(init=False, repr=False)
    _tail: bytes = b""

    def __post_init__(self) -> None:
        self._parser = ParserCreate()
        self._parser.StartDoctypeDeclHandler = self._doctype

    def _doctype(self, *_: object) -> None:
        raise Refused(
            tr("part {part} declares a DTD (entities), which no workbook does",
               part=repr(self.part[:80])),
            _resave(),
        )  # fmt: skip

    def feed(self, chunk: bytes) -> None:
        self._count(chunk)
        if not self.parse:
            joined = self._tail + chunk
            if any(mark in joined for mark in _DTD):
                self._doctype()
            self._tail = chunk[-16:]
            return
        try:
            self._parser.Parse(chunk, False)
        except ExpatError as exc:
            raise self._malformed(exc) from None

    def close(self) -> None:
        if not self.parse:
            return
        try:
            self._parser.Parse(b"", True)
        except ExpatError as exc:
            raise self._malformed(exc) from None

    def _malformed(self, exc: ExpatError) -> Refused:
        return Refused(
            tr("part {part} is not well-formed XML: {problem} at line {line}, column {column}",
               part=repr(self.part[:80]), problem=errors.messages[exc.code],
               line=exc.lineno, column=exc.offset + 1),
            _resave(),
        )  # fmt: skip

    def _count(self, chunk: bytes) -> None:
        """Tags (each ``<``), tags since the last row began, shared strings and the longest
        text, all in C-speed byte counts: each byte is counted once."""
        self.shared_strings += sum(1 for _ in _opening(_SHARED_STRING, chunk))
        last = 0
        for start in _opening(_ROW, chunk):
            self._tags_grow(chunk, last, start)
            self.row_tags = 0
            last = start
        self._tags_grow(chunk, last, len(chunk))
        self._text_grows(chunk)
        if self.shared_strings > MAX_SHARED_STRINGS:
            count = tr("{count:,} shared strings", count=self.shared_strings)
            raise self._over(count, MAX_SHARED_STRINGS)

    def _tags_grow(self, chunk: bytes, start: int, end: int) -> None:
        tags = chunk.count(b"<", start, end)
        self.tags += tags
        if self.tags > MAX_TAGS:
            raise self._over(tr("{count:,} XML tags", count=self.tags), MAX_TAGS)
        if self.row_tags < 0:
            return
        self.row_tags += tags
        if self.row_tags > MAX_ROW_TAGS:
            raise self._over(tr("{count:,} XML tags in one row", count=self.row_tags), MAX_ROW_TAGS)

    def _text_grows(self, chunk: bytes) -> None:
        """The bytes since the last ``<``: a run inside one chunk is shorter than the limit, so
        only one across chunks can pass it."""
        first = chunk.find(b"<")
        self.text_run += len(chunk) if first < 0 else first
        if self.text_run > MAX_TEXT_BYTES:
            size = tr("a text of {count:,} bytes", count=self.text_run)
            raise self._over(size, MAX_TEXT_BYTES)
        if first >= 0:
            self.text_run = len(chunk) - chunk.rfind(b"<")

    def _over(self, what: str, limit: int) -> Refused:
        return Refused(
            tr("part {part} holds {what} (at most {limit:,})",
               part=repr(self.part[:80]), what=what, limit=limit),
            _resave(),
        )  # fmt: skip


def _opening(name: re.Pattern[bytes], chunk: bytes) -> Iterator[int]:
    """Where the tags `name` matches open in `chunk` (``<`` or a namespace prefix before it;
    one cut by the chunk's end is missed: these counts bound costs, they need not be exact)."""
    for found in name.finditer(chunk, 1):
        if chunk[found.start() - 1] in b"<:":
            yield found.start() - 1


@dataclass(slots=True)
class SpanBudget:
    """The cells a sheet spans as it is read, up to `limit`: a row counts its cells up to its
    last one, an empty row one. A few far-right or far-down cells in a few kilobytes would
    otherwise make the reader pad billions."""

    limit: int
    spent: int = 0

    def spend(self, cells: int) -> None:
        self.spent += cells
        if self.spent > self.limit:
            raise Refused(
                tr("the sheet spans more than {limit:,} cells (cells far right or far down)",
                   limit=self.limit),
                tr("clear the cells far below or right of the table, or save it as 'CSV UTF-8'"),
            )  # fmt: skip
