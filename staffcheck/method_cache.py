"""Dataclasses' generated methods, compiled once and kept between runs of the command line.

`dataclasses` writes the source of each method it generates (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, a frozen class's ``__setattr__``, ...) and compiles it with ``exec``
as each class is made. On Python 3.11 and 3.12 that is one compilation per method: staffcheck's
hundred-odd dataclasses cost some 600 of them, about 40 ms of the 0.27 s one applicant's
screening takes from a cold start (bench/README.md). `install` (called by the ``staffcheck``
command's own process only: importing staffcheck, or calling `cli.main` with arguments from
another program, changes nothing) has `dataclasses` look the code up by its source text in a
table kept between runs (`code_tables`, in ``methods/``; ``STAFFCHECK_NO_CACHE=1`` turns it
off), and compile only what the table lacks, exactly as dataclasses would (no ``__future__``
flag of this module inherited); a run that compiled anything writes the table back when it ends.
Only staffcheck's own classes go through the table.
"""

from __future__ import annotations

import atexit
import dataclasses
import pickle
from pathlib import Path
from types import CodeType
from typing import Any

from staffcheck import code_tables, pattern_cache

__all__ = ["install", "installed", "start_worker"]

#: Sources kept at most: past this, the table keeps only what the current run used.
KEPT = 5000
#: The first bytes of a table file, naming its layout (then a SHA-256 of the marshalled table).
_MAGIC = b"staffcheck-methods-1\n"

_compiled: dict[str, CodeType] = {}
_used: set[str] = set()
_state = {"installed": False, "changed": False}


def install() -> None:
    """Route the compilations `dataclasses` makes for staffcheck's modules through the table."""
    if _state["installed"] or _table_path() is None:
        return
    _state["installed"] = True
    _compiled.update(_read())
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # found before the builtin
    atexit.register(_write)


def installed() -> bool:
    """Whether this process looks its dataclass methods up in the table (`install`)."""
    return bool(_state["installed"])


def start_worker(cached: bool, call: bytes) -> None:
    """A spawned worker's initializer: this table and `pattern_cache`'s installed first if the
    parent's were (`installed`), then `call` unpickled and made. Unpickling the call imports the modules it
    names, and with them their dataclasses: passed as objects, they would be imported as the
    pool's arguments arrive, before any initializer runs (about 50 ms a worker)."""
    if cached:
        pattern_cache.install()
        install()
    function, args = pickle.loads(call)  # from the parent, as multiprocessing's own arguments
    function(*args)


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> None:
    """`exec`, with the code of a staffcheck class's method taken from the table."""
    if type(source) is str and globals is not None and _ours(globals.get("__name__")):
        code = _compiled.get(source)
        if code is None:
            code = _compiled[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _state["changed"] = True
        _used.add(source)
        source = code
    exec(source, globals, locals)


def _ours(module: object) -> bool:
    return isinstance(module, str) and (module == "staffcheck" or module.startswith("staffcheck."))


def _table_path() -> Path | None:
    return code_tables.table_path("methods")


def _read() -> dict[str, CodeType]:
    path = _table_path()
    table = None if path is None else code_tables.read(path, _MAGIC)
    if not isinstance(table, dict):
        return {}
    return {
        source: code
        for source, code in table.items()
        if isinstance(source, str) and isinstance(code, CodeType)
    }


def _write() -> None:
    """Keep the table if this run compiled anything new (at exit, once the run is done)."""
    path = _table_path()
    if not _state["changed"] or path is None:
        return
    table = _compiled
    if len(table) > KEPT:
        table = {source: code for source, code in table.items() if source in _used}
    code_tables.write(path, _MAGIC, table)
