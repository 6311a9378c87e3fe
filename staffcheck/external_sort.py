"""Lines sorted by a key in bounded memory: an external merge sort over anonymous temporary files.

A ranking of a million applicants must not hold a million results: the caller keeps a compact
key and the line it will write for each one. Up to `memory_rows` rows are sorted in memory;
beyond that each sorted run is spilled to a temporary file, and the runs are merged
(`heapq.merge`) as they are read back. The temporary files are anonymous (unlinked as they are
made, `tempfile.TemporaryFile`), so nothing is left behind on any exit, even ``kill -9``.

The order is stable: rows with equal keys come out in the order they were added, as with
`sorted`.
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import TextIO, TypeAlias

from staffcheck.env_limits import limit_from_environment
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr

#: A sort key as JSON keeps it: a tuple of flags, numbers and text.
SortKey: TypeAlias = tuple[bool | int | str, ...]
Row: TypeAlias = tuple[SortKey, str]

#: Rows sorted in memory before a run is spilled to a temporary file (STAFFCHECK_SORT_MEMORY_ROWS).
MEMORY_ROWS = 10_000
#: Runs open at once while merging; more are first merged into one (file descriptors are few).
MAX_OPEN_RUNS = 64
MEMORY_ROWS_VARIABLE = "STAFFCHECK_SORT_MEMORY_ROWS"


def memory_rows() -> int:
    """The in-memory bound in use: `MEMORY_ROWS`, or the environment's positive whole number."""
    return limit_from_environment(MEMORY_ROWS_VARIABLE, MEMORY_ROWS)


class ExternalSort:
    """Rows (key, line) added one by one, read back sorted by key; only the first `keep` if given.

    A line must not contain a newline. Use it as a context manager: leaving closes (and so
    removes) its temporary files.
    """

    def __init__(self, rows_in_memory: int, keep: int | None = None) -> None:
        self._bound = max(1, rows_in_memory)
        self._keep = keep
        self._rows: list[Row] = []
        self._runs: list[TextIO] = []
        #: how many runs were spilled to temporary files (0: it all fitted in memory)
        self.spilled = 0

    def __enter__(self) -> ExternalSort:
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

    def add(self, key: SortKey, line: str) -> None:
        """One row; a full memory is sorted and cut to `keep`, or spilled as a run."""
        self._rows.append((key, line))
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

    def lines(self) -> Iterator[str]:
        """Every line added (or the first `keep`), ordered by key."""
        self._rows.sort(key=_key)
        merged = heapq.merge(*(_read(run) for run in self._runs), iter(self._rows), key=_key)
        for _, line in islice(merged, self._keep):
            yield line

    def _spill(self, rows: Iterable[Row]) -> None:
        if len(self._runs) < MAX_OPEN_RUNS - 1:
            self._runs.append(self._write_run(rows))
            return
        # Too many runs to keep open: merge them all, with these rows, into one.
        merged = self._write_run(heapq.merge(*(_read(run) for run in self._runs), rows, key=_key))
        for run in self._runs:
            run.close()
        self._runs = [merged]

    def _write_run(self, rows: Iterable[Row]) -> TextIO:
        try:
            # Not a `with`: the run outlives this call; `close` (via `__exit__`) closes it.
            run = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115
        except OSError as error:
            raise _no_room(error) from None
        try:
            for key, line in islice(rows, self._keep):
                run.write(f"{json.dumps(key, ensure_ascii=False)}\t{line}\n")
            run.flush()
            run.seek(0)
        except BaseException as error:
            run.close()
            if isinstance(error, OSError):
                raise _no_room(error) from None
            raise
        self.spilled += 1
        return run


def _no_room(error: OSError) -> StaffcheckError:
    return StaffcheckError.at(
        tr("cannot write a temporary file to sort the ranking: {reason}",
           reason=error.strerror or type(error).__name__),
        tempfile.gettempdir(),
        hint=tr("free some space there, set TMPDIR to another directory, or use --top"),
    )  # fmt: skip


def _key(row: Row) -> SortKey:
    return row[0]


def _read(run: TextIO) -> Iterator[Row]:
    """A spilled run's rows, in its (sorted) order. JSON escapes tabs, so the first one splits."""
    for raw in run:
        key, _, line = raw.partition("\t")
        yield tuple(json.loads(key)), line[:-1]
