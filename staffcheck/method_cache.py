"""Dataclasses' generated methods, compiled once and kept between runs of the command line.

`dataclasses` writes the source of each method it generates (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, a frozen class's ``__setattr__``, ...) and compiles it with ``exec``
as each class is made. On Python 3.11 and 3.12 that is one compilation per method: staffcheck's
hundred-odd dataclasses cost some 600 of them, about 40 ms of the 0.27 s one applicant's
screening takes from a cold start (bench/README.md). `install` (called by the ``staffcheck``
command's own process only: importing staffcheck, or calling `cli.main` with arguments from
another program, changes nothing) has `dataclasses` look the code up by its source text in a
table kept in the cache directory (`pack_cache.cache_dir`'s parent, in ``methods/``, a folder
only this user may write to, made so whatever the umask; ``STAFFCHECK_NO_CACHE=1`` turns it
off; every failure is silent), and compile only what the table lacks, exactly as dataclasses
would (no ``__future__`` flag of this module inherited); a run that compiled anything writes the
table back, atomically, when it ends.

Only staffcheck's own classes go through the table. It is trusted as far as the pickled packs
beside it are (the directory and the file must be this user's and writable by nobody else), and
it carries a SHA-256 of its content, so a damaged table is a miss, not wrong code; one table is
kept per interpreter version (code objects are not portable between versions).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

from staffcheck import pack_cache

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
    """A spawned worker's initializer: the table installed first if the parent's was
    (`installed`), then `call` unpickled and made. Unpickling the call imports the modules it
    names, and with them their dataclasses: passed as objects, they would be imported as the
    pool's arguments arrive, before any initializer runs (about 50 ms a worker)."""
    if cached:
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
    folder = pack_cache.cache_dir()
    if folder is None:
        return None
    name = f"{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"
    return folder.parent / "methods" / name


def _read() -> dict[str, CodeType]:
    path = _table_path()
    if path is None or not pack_cache.private(path.parent):
        return {}
    try:
        with path.open("rb") as handle:
            if not pack_cache.private(path, handle.fileno()):
                return {}
            content = handle.read()
        digest = content[len(_MAGIC) : len(_MAGIC) + 32]
        payload = content[len(_MAGIC) + 32 :]
        if not content.startswith(_MAGIC) or hashlib.sha256(payload).digest() != digest:
            return {}
        table = marshal.loads(payload)
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
        path.parent.chmod(0o700)  # mkdir's mode is cut by the umask (002 leaves it group-writable)
        if not pack_cache.private(path.parent):
            return
        payload = marshal.dumps(table)
        handle, temporary = tempfile.mkstemp(prefix=".methods-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            Path(temporary).replace(path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                Path(temporary).unlink()
