"""The person ids of a batch seen so far, and where each was first seen, in 24–48 bytes an id.

A million ids held as strings in a dict cost ~170 MB; here each is an 8-byte hash (blake2b) in
an open-addressing table of two `array`s, beside its first place packed into 8 bytes (the file
as a number, the line, the column): 16 bytes a slot, the table between a third and two thirds
full. Two different ids share a hash with a chance of 1 in 2**64
per pair (about 1 in 36 billion for a batch of a million): such an id would be called a
duplicate of the other, a risk staffcheck accepts (docs/limits.md).
"""

from __future__ import annotations

from array import array
from hashlib import blake2b

from staffcheck.model import Location

_EMPTY = 0  # no hash is stored as 0 (`_hash` maps it to 1)
_FIRST_SIZE = 1 << 10
_PATH_BITS, _LINE_BITS, _COLUMN_BITS = 24, 28, 12
_ELSEWHERE = (1 << 64) - 1  # the place did not fit in 8 bytes: it is in `_unpacked`


def _hash(ident: str) -> int:
    digest = blake2b(ident.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") or 1


class SeenIds:
    """Person ids met so far in a batch, each with the place it was first seen."""

    def __init__(self) -> None:
        self._hashes = array("Q", bytes(8 * _FIRST_SIZE))
        self._places = array("Q", bytes(8 * _FIRST_SIZE))
        self._count = 0
        self._paths: list[str] = []  # a file is named once, by its number here
        self._path_numbers: dict[str, int] = {}
        self._unpacked: dict[int, Location] = {}  # hash -> a place too large to pack

    def __len__(self) -> int:
        return self._count

    def first_seen(self, ident: str, place: Location) -> Location | None:
        """Where `ident` was seen before; None the first time (then `place` is recorded)."""
        key = _hash(ident)
        mask = len(self._hashes) - 1
        slot = key & mask
        while (found := self._hashes[slot]) != _EMPTY:
            if found == key:
                return self._unpack(key, self._places[slot])
            slot = (slot + 1) & mask
        self._hashes[slot] = key
        self._places[slot] = self._pack(key, place)
        self._count += 1
        if 3 * self._count > 2 * len(self._hashes):  # two thirds full: probes stay short
            self._grow()
        return None

    def _grow(self) -> None:
        hashes, places = self._hashes, self._places
        size = 2 * len(hashes)
        self._hashes = array("Q", bytes(8 * size))
        self._places = array("Q", bytes(8 * size))
        mask = size - 1
        for key, packed in zip(hashes, places, strict=True):
            if key == _EMPTY:
                continue
            slot = key & mask
            while self._hashes[slot] != _EMPTY:
                slot = (slot + 1) & mask
            self._hashes[slot] = key
            self._places[slot] = packed

    def _pack(self, key: int, place: Location) -> int:
        number = self._path_numbers.setdefault(place.path, len(self._paths))
        if number == len(self._paths):
            self._paths.append(place.path)
        line = 0 if place.line is None else place.line + 1
        column = 0 if place.column is None else place.column + 1
        negative = (place.line or 0) < 0 or (place.column or 0) < 0
        if negative or number >> _PATH_BITS or line >> _LINE_BITS or column >> _COLUMN_BITS:
            self._unpacked[key] = place
            return _ELSEWHERE
        return (number << (_LINE_BITS + _COLUMN_BITS)) | (line << _COLUMN_BITS) | column

    def _unpack(self, key: int, packed: int) -> Location:
        if packed == _ELSEWHERE:
            return self._unpacked[key]
        column = packed & ((1 << _COLUMN_BITS) - 1)
        line = (packed >> _COLUMN_BITS) & ((1 << _LINE_BITS) - 1)
        path = self._paths[packed >> (_LINE_BITS + _COLUMN_BITS)]
        return Location(path, line - 1 if line else None, column - 1 if column else None)
