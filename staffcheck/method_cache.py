"""Dataclasses' generated methods, compiled once and kept between runs of the command line.

`dataclasses` writes the source of each method it generates (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, a frozen class's ``__setattr__``, ...) and compiles it with ``exec``
as each class is made. On Python 3.11 and 3.12 that is one compilation per method: staffcheck's
hundred-odd dataclasses cost some 600 of them, about 40 ms of the 0.27 s one applicant's
screening takes from a cold start (bench/README.md). `install` (called by the command line only:
importing staffcheck as a library changes nothing) has `dataclasses` look the code up by its
source text in a table kept beside the pack cache (`pack_cache.cache_dir`, with the same rules:
only a private directory of this user's is read, ``STAFFCHECK_NO_CACHE=1`` turns it off, every
failure is silent), and compile only what the table lacks; a run that compiled anything writes
the table back, atomically, when it ends.

The source is the key, so the code run is always the compilation of the very text dataclasses
asked for; only staffcheck's own classes go through the table, and one table is kept per
interpreter version (code objects are not portable between versions).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

from staffcheck import pack_cache

__all__ = ["install"]

#: Sources kept at most: past this, the table keeps only what the current run used.
KEPT = 5000

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


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> None:
    """`exec`, with the code of a staffcheck class's method taken from the table."""
    if type(source) is str and globals is not None and _ours(globals.get("__name__")):
        code = _compiled.get(source)
        if code is None:
            code = _compiled[source] = compile(source, "<string>", "exec")
            _state["changed"] = True
        _used.add(source)
        source = code
    exec(source, globals, locals)


def _ours(module: object) -> bool:
    return isinstance(module, str) and (module == "staffcheck" or module.startswith("staffcheck."))


def _table_path() -> Path | None:
    folder = pack_cache.cache_dir()
    if folder is None:
        return None
    return folder.parent / f"methods-{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"


def _read() -> dict[str, CodeType]:
    path = _table_path()
    if path is None or not pack_cache.private(path.parent):
        return {}
    try:
        with path.open("rb") as handle:
            if not pack_cache.private(path, handle.fileno()):
                return {}
            table = marshal.load(handle)
    except Exception:  # missing, damaged or from elsewhere: a miss, compiled again
        return {}
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
    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not pack_cache.private(path.parent):
            return
        handle, temporary = tempfile.mkstemp(prefix=".methods-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                marshal.dump(table, out)
            Path(temporary).replace(path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                Path(temporary).unlink()
