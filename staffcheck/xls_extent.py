"""How far each sheet of a legacy Excel (.xls) workbook reaches, read before anything loads it.

calamine builds every sheet of an .xls as a dense grid when it opens the file, so one stray cell
at the far corner (row 65,536, column IV) costs a 5 KB file a gigabyte and seconds before a
cell cap could refuse it. The sheet's extent is written in its BIFF ``DIMENSIONS`` record: this
module finds it with a small, bounded parse of the OLE2 compound file (the container of .xls)
and of the ``Workbook`` stream's records, touching only the records it needs.

Every step is bounded by the file's size (sector chains are walked at most once per sector, so a
looping chain ends), and anything unexpected gives None ("unknown"): the file then goes to
calamine as before. A crafted file whose ``DIMENSIONS`` lie is not caught here; what it can
cost is bounded by the format itself (65,536 rows by 256 columns).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Extent", "sheet_extents"]

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LAST_SECTOR = 0xFFFFFFFA  # numbers above are markers: end of chain, free, FAT, DIFAT
_BOUNDSHEET, _BOF, _EOF, _DIMENSIONS = 0x0085, 0x0809, 0x000A, 0x0200
#: records read in a sheet before its DIMENSIONS (it comes within the first few)
_RECORDS_BEFORE_DIMENSIONS = 200


@dataclass(frozen=True, slots=True)
class Extent:
    """The used area a sheet declares: rows and columns from its first used to its last."""

    sheet: str
    rows: int
    columns: int


class _Malformed(Exception):
    """The file is not the compound file or BIFF stream it looks like."""


def sheet_extents(path: Path) -> list[Extent] | None:
    """The declared extent of every sheet of the .xls at `path`, or None if it cannot be told
    cheaply (not an OLE2 file, no Workbook stream, records not as expected)."""
    try:
        data = path.read_bytes()
        stream = _workbook_stream(data)
        return list(_extents(stream)) if stream is not None else None
    except (_Malformed, struct.error, IndexError, OSError):
        return None


# -- the OLE2 compound file ----------------------------------------------------------------------


def _workbook_stream(data: bytes) -> bytes | None:
    if not data.startswith(_MAGIC) or len(data) < 512:
        raise _Malformed
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if sector not in (512, 4096) or mini != 64:
        raise _Malformed
    first_dir, _, cutoff, first_minifat = struct.unpack_from("<IIII", data, 0x30)
    fat = _fat(data, sector)
    directory = _chain(data, fat, first_dir, sector)
    root_start, root_size = _entry(directory, 0)[2:]
    for index in range(len(directory) // 128):
        name, kind, start, size = _entry(directory, index)
        if kind == 2 and name in ("Workbook", "Book"):
            if size >= cutoff:
                return _chain(data, fat, start, sector)[:size]
            mini_stream = _chain(data, fat, root_start, sector)[:root_size]
            minifat = _table(_chain(data, fat, first_minifat, sector))
            return _chain(mini_stream, minifat, start, mini, offset=0)[:size]
    return None


def _entry(directory: bytes, index: int) -> tuple[str, int, int, int]:
    """A directory entry's name, type (2: stream), first sector and size."""
    base = index * 128
    length = min(struct.unpack_from("<H", directory, base + 0x40)[0], 64)
    name = directory[base : base + max(length - 2, 0)].decode("utf-16-le", "replace")
    kind = directory[base + 0x42]
    start, size = struct.unpack_from("<II", directory, base + 0x74)
    return name, kind, start, size


def _fat(data: bytes, sector: int) -> list[int]:
    """The file allocation table, from the header's DIFAT entries and the DIFAT chain."""
    count, difat_next, difat_count = (
        struct.unpack_from("<I", data, 0x2C)[0],
        *struct.unpack_from("<II", data, 0x44),
    )
    places = list(struct.unpack_from("<109I", data, 0x4C))
    seen: set[int] = set()
    while difat_next <= _LAST_SECTOR and len(seen) < difat_count:
        if difat_next in seen:
            raise _Malformed
        seen.add(difat_next)
        entries = _table(_sector(data, difat_next, sector))
        places += entries[:-1]
        difat_next = entries[-1]
    places = [p for p in places if p <= _LAST_SECTOR][:count]
    return _table(b"".join(_sector(data, p, sector) for p in places))


def _chain(data: bytes, table: list[int], start: int, size: int, offset: int = 1) -> bytes:
    """The bytes of the sector chain from `start`; each sector at most once (a loop ends it)."""
    parts: list[bytes] = []
    seen: set[int] = set()
    while start <= _LAST_SECTOR:
        if start in seen or start >= len(table):
            raise _Malformed
        seen.add(start)
        parts.append(_sector(data, start, size, offset))
        start = table[start]
    return b"".join(parts)


def _sector(data: bytes, number: int, size: int, offset: int = 1) -> bytes:
    begin = (number + offset) * size
    if begin >= len(data):
        raise _Malformed
    return data[begin : begin + size]


def _table(raw: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))


# -- the BIFF records of the Workbook stream ---------------------------------------------------


def _records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, stream[at + 4 : at + 4 + length]
        at += 4 + length


def _extents(stream: bytes) -> Iterator[Extent]:
    """Each worksheet's DIMENSIONS, found from the BOUNDSHEET records of the globals."""
    records = _records(stream, 0)
    kind, body = next(records, (None, b""))
    if kind != _BOF or len(body) < 2:
        raise _Malformed
    biff8 = struct.unpack_from("<H", body)[0] == 0x0600
    sheets: list[tuple[str, int]] = []
    for kind, body in records:
        if kind == _BOUNDSHEET:
            sheets.append((_sheet_name(body, biff8), struct.unpack_from("<I", body)[0]))
        elif kind == _EOF:
            break
    for name, offset in sheets:
        extent = _dimensions(stream, offset)
        if extent is not None:
            yield Extent(name, *extent)


def _dimensions(stream: bytes, offset: int) -> tuple[int, int] | None:
    records = _records(stream, offset)
    kind, _ = next(records, (None, b""))
    if kind != _BOF:
        raise _Malformed
    for count, (kind, body) in enumerate(records):
        if kind == _DIMENSIONS:
            if len(body) >= 14:  # BIFF8: rows in 32 bits
                first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
            else:  # BIFF5
                first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
            return max(last_row - first_row, 0), max(last_col - first_col, 0)
        if kind == _EOF or count > _RECORDS_BEFORE_DIMENSIONS:
            return None
    return None


def _sheet_name(body: bytes, biff8: bool) -> str:
    """A BOUNDSHEET's sheet name: BIFF8 writes a flag byte (Latin-1 or UTF-16) after the
    length, BIFF5 the bytes alone."""
    length = body[6]
    if not biff8:
        return body[7 : 7 + length].decode("latin-1")
    if body[7] & 1:
        return body[8 : 8 + 2 * length].decode("utf-16-le", "replace")
    return body[8 : 8 + length].decode("latin-1")
