"""Items sorted by a key in bounded memory: an external merge sort over anonymous temporary files.

A ranking of a million applicants must not hold a million results: the caller keeps a compact
key and a compact item for each one (the line it will write, or the result's pickled bytes).
Up to `memory_rows` rows are sorted in memory; beyond that each sorted run is spilled to a
temporary file, and the runs are merged (`heapq.merge`) as they are read back. The temporary
files are anonymous (unlinked as they are made, `tempfile.TemporaryFile`), so nothing is left
behind on any exit, even ``kill -9``.

The order is stable: rows with equal keys come out in the order they were added, as with
`sorted`. The sorted items can be read any number of times, even two readings at once: each
reads the runs at offsets of its own, so a report can go over a ranking twice.
"""

from __future__ import annotations

import heapq
import io
import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import BinaryIO, Generic, TypeAlias, TypeVar

from staffcheck.env_limits import limit_from_environment
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr

#: A sort key: a tuple of flags, numbers and text.
SortKey: TypeAlias = tuple[bool | int | str, ...]
#: What is sorted: a line (str) or a result's pickled bytes, anything small that pickles.
Item = TypeVar("Item")

#: Rows sorted in memory before a run is spilled to a temporary file (STAFFCHECK_SORT_MEMORY_ROWS).
MEMORY_ROWS = 10_000
#: Runs open at once while merging; more are first merged into one (file descriptors are few).
MAX_OPEN_RUNS = 64
MEMORY_ROWS_VARIABLE = "STAFFCHECK_SORT_MEMORY_ROWS"
#: Bytes read from a run at a time while merging (one buffer per run).
_READ_BUFFER = 64 * 1024


def memory_rows() -> int:
    """The in-memory bound in use: `MEMORY_ROWS`, or the environment's positive whole number."""
    return limit_from_environment(MEMORY_ROWS_VARIABLE, MEMORY_ROWS)


class ExternalSort(Generic[Item]):
    """Rows (key, item) added one by one, read back sorted by key; only the first `keep` if given.

    Use it as a context manager: leaving closes (and so removes) its temporary files. Add every
    row before reading: the reading sorts the rows still in memory.
    """

    def __init__(self, rows_in_memory: int, keep: int | None = None) -> None:
        self._bound = max(1, rows_in_memory)
        self._keep = keep
        self._rows: list[tuple[SortKey, Item]] = []
        self._runs: list[BinaryIO] = []
        #: how many runs were spilled to temporary files (0: it all fitted in memory)
        self.spilled = 0

    def __enter__(self) -> ExternalSort[Item]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop every row and close the temporary files (which removes them)."""
        self._rows = []
        for run in self._runs:
            run.close()
        self._runs = []

    def add(self, key: SortKey, item: Item) -> None:
        """One row; a full memory is sorted and cut to `keep`, or spilled as a run."""
        self._rows.append((key, item))
        if len(self._rows) < self._bound:
            return
        self._rows.sort(key=_key)
        if self._keep is not None and self._keep <= self._bound // 2:
            # Only the best `keep` can be written: the rest is dropped, nothing is spilled
            # (`keep` at most half the bound, so a cut frees at least half of it).
            del self._rows[self._keep :]
            return
        self._spill(self._rows)
        self._rows = []

    def items(self) -> Iterator[Item]:
        """Every item added (or the first `keep`), ordered by key; again on every call."""
        self._rows.sort(key=_key)
        merged = heapq.merge(*(_read(run) for run in self._runs), iter(self._rows), key=_key)
        for _, item in islice(merged, self._keep):
            yield item

    def lines(self) -> Iterator[Item]:
        """The items, when they are the lines of an output (`items`)."""
        return self.items()

    def _spill(self, rows: Iterable[tuple[SortKey, Item]]) -> None:
        if len(self._runs) < MAX_OPEN_RUNS - 1:
            self._runs.append(self._write_run(rows))
            return
        # Too many runs to keep open: merge them all, with these rows, into one.
        merged = self._write_run(heapq.merge(*(_read(run) for run in self._runs), rows, key=_key))
        for run in self._runs:
            run.close()
        self._runs = [merged]

    def _write_run(self, rows: Iterable[tuple[SortKey, Item]]) -> BinaryIO:
        import tempfile  # only once a ranking spills: shutil and the compressors load with it

        try:
            # Not a `with`: the run outlives this call; `close` (via `__exit__`) closes it.
            run = tempfile.TemporaryFile("w+b")  # noqa: SIM115
        except OSError as error:
            raise _no_room(error) from None
        try:
            pickler = pickle.Pickler(run, protocol=pickle.HIGHEST_PROTOCOL)
            for row in islice(rows, self._keep):
                pickler.dump(row)
                pickler.clear_memo()  # each row stands alone: the memo would hold them all
            run.flush()
        except BaseException as error:
            run.close()
            if isinstance(error, OSError):
                raise _no_room(error) from None
            raise
        self.spilled += 1
        return run


def _no_room(error: OSError) -> StaffcheckError:
    import tempfile

    return StaffcheckError.at(
        tr("cannot write a temporary file to sort the ranking: {reason}",
           reason=error.strerror or type(error).__name__),
        tempfile.gettempdir(),
        hint=tr("free some space there, set TMPDIR to another directory, or use --top"),
    )  # fmt: skip


def _key(row: tuple[SortKey, Item]) -> SortKey:
    return row[0]


class _RunReader(io.RawIOBase):
    """A run read from its start at an offset of its own, whoever else is reading the file."""

    def __init__(self, run: BinaryIO) -> None:
        self._run = run
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        self._run.seek(self._offset)  # another reading may have moved the file's position
        data = self._run.read(len(buffer))
        buffer[: len(data)] = data
        self._offset += len(data)
        return len(data)


def _read(run: BinaryIO) -> Iterator[tuple[SortKey, Item]]:
    """A spilled run's rows, in its (sorted) order: the file only this process wrote."""
    reader = io.BufferedReader(_RunReader(run), _READ_BUFFER)
    while True:
        try:
            key, item = pickle.load(reader)  # our own anonymous temporary file
        except EOFError:
            return
        yield key, item
