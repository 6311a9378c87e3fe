"""Regular expressions compiled once and kept between runs of the command line.

Python compiles every regular expression a module defines as the module is imported: PyYAML's
reader, the tokenizer `inspect` needs, rich, argparse, staffcheck's own. A screening of one
applicant compiles about 90 of them, 20–35 ms of its cold start (PyYAML's test for printable
characters alone, a class of every Unicode range, takes about 10 ms); under callgrind, 11% of
the instructions it runs. `re` compiles a pattern in two steps: Python code parses it and turns
it into a program (a list of integers), which `_sre.compile` takes as it is. `install` (called
by the ``staffcheck`` command's own process and its workers only, as `method_cache.install`)
keeps each program by its pattern and flags in a table kept between runs (`code_tables`, in
``patterns/``; ``STAFFCHECK_NO_CACHE=1`` turns it off) and hands it to `_sre.compile` again
instead of parsing the pattern; a run that compiled anything new writes the table back when it
ends. `_sre.compile` checks that a program is well formed, and anything it refuses is compiled
from its pattern; a pattern `re` cannot compile raises as it always does. Patterns compiled with
``re.DEBUG`` (which prints the program) never go through the table. One difference shows: the
warnings `re` gives while parsing a pattern (a possible nested set, say) come only the first
time, when it is parsed, not when its program comes from the table.

This reaches into `re`'s private parts (`re._compiler`, `_sre.compile`): the table is keyed by
the interpreter's exact version and `_sre.MAGIC`, and `tests/test_pattern_cache.py` holds every
pattern a screening compiles to the one `re` makes itself, field by field and match by match.
"""

from __future__ import annotations

import atexit
import importlib
import threading
from pathlib import Path
from re import DEBUG
from typing import Any

from staffcheck import code_tables

# `re`'s private parts, untyped: the compiler in Python and the engine it hands programs to.
_compiler: Any = importlib.import_module("re._compiler")
_sre: Any = importlib.import_module("_sre")

__all__ = ["install", "installed"]

#: Patterns kept at most: past this, the table keeps only what the current run used.
KEPT = 2000
#: The first bytes of a table file, naming its layout (then a SHA-256 of the marshalled table).
_MAGIC = b"staffcheck-patterns-2\n"

#: A pattern's key: whether it is bytes (as `re` keys its own cache by the pattern's type: a
#: text and a bytes pattern may compare), the pattern, its flags.
Key = tuple[bool, str | bytes, int]
#: key -> the arguments `re` gave `_sre.compile` for the pattern
_programs: dict[Key, tuple[Any, ...]] = {}
_used: set[Key] = set()
_state = {"installed": False, "changed": False}
_recording = threading.local()  # where `_Recorder` puts what `re` compiles in this thread


def install() -> None:
    """Route the compilations of `re` through the table."""
    if _state["installed"] or _table_path() is None:
        return
    _state["installed"] = True
    _programs.update(_read())
    original = _compiler.compile
    _compiler._sre = _Recorder()

    def compile(pattern: Any, flags: Any = 0) -> Any:
        if type(pattern) not in (str, bytes) or flags & DEBUG:
            return original(pattern, flags)
        key = (type(pattern) is bytes, pattern, int(flags))
        program = _programs.get(key)
        if program is not None:
            try:
                compiled = _sre.compile(*program)
            except Exception:  # not a program this interpreter takes: compiled again below
                _programs.pop(key, None)  # another thread may have dropped it already
            else:
                _used.add(key)
                return compiled
        made: list[tuple[Any, ...]] = []
        outer, _recording.made = getattr(_recording, "made", None), made
        try:
            compiled = original(pattern, flags)
        finally:
            _recording.made = outer  # a compilation within another (a warning's filter, say)
        if len(made) == 1 and made[0][0] is pattern and (program := _kept(made[0])) is not None:
            _programs[key] = program
            _used.add(key)
            _state["changed"] = True
        return compiled

    _compiler.compile = compile
    atexit.register(_write)


def installed() -> bool:
    """Whether this process looks its regular expressions' programs up in the table."""
    return bool(_state["installed"])


class _Recorder:
    """`_sre` as `re._compiler` uses it, noting the arguments of each `compile` it is asked for
    while `install`'s compile waits for it (in that thread)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_sre, name)

    def compile(self, *args: Any) -> Any:
        made = getattr(_recording, "made", None)
        if made is not None:
            made.append(args)
        return _sre.compile(*args)


def _kept(args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """`_sre.compile`'s arguments as plain values `marshal` keeps (the program's opcodes are
    int subclasses), or None for arguments of another shape than Python 3.11–3.13's."""
    if len(args) != 6:
        return None
    pattern, flags, code, groups, groupindex, indexgroup = args
    try:
        return (
            pattern,
            int(flags),
            [int(word) for word in code],
            int(groups),
            {str(name): int(index) for name, index in groupindex.items()},
            tuple(None if name is None else str(name) for name in indexgroup),
        )
    except (TypeError, ValueError, AttributeError):
        return None


def _table_path() -> Path | None:
    return code_tables.table_path("patterns", str(_sre.MAGIC))


def _read() -> dict[Key, tuple[Any, ...]]:
    path = _table_path()
    table = None if path is None else code_tables.read(path, _MAGIC)
    if not isinstance(table, dict):
        return {}
    return {key: program for key, program in table.items() if _well_formed(key, program)}


def _well_formed(key: Any, program: Any) -> bool:
    """An entry of the shape `install` writes: anything else in a table is skipped."""
    return (
        type(key) is tuple
        and len(key) == 3
        and key[0] is (type(key[1]) is bytes)
        and type(key[1]) in (str, bytes)
        and type(key[2]) is int
        and type(program) is tuple
        and len(program) == 6
        and type(program[0]) is type(key[1])
        and program[0] == key[1]
        and type(program[1]) is int
        and type(program[2]) is list  # its words are checked by `_sre.compile`
        and type(program[3]) is int
        and type(program[4]) is dict
        and type(program[5]) is tuple
    )


def _write() -> None:
    """Keep the table if this run compiled anything new (at exit, once the run is done)."""
    path = _table_path()
    if not _state["changed"] or path is None:
        return
    table = dict(_programs)  # a copy: a thread may still compile (a copy is made at once)
    if len(table) > KEPT:
        table = {key: program for key, program in table.items() if key in _used}
    code_tables.write(path, _MAGIC, table)
