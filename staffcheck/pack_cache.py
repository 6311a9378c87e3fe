"""Packs already read, kept on disk between runs and found again by the content of their files.

Reading a pack's YAML and checking it costs more than everything else one applicant needs, and
the pack rarely changes between two runs. A loaded pack is kept as a pickle named by a digest of
the content of every file of the pack, the pack's directory, and staffcheck's own version and
code: any edit to a pack file, or another staffcheck, misses the cache and reads the YAML again.

The cache lives in ``$STAFFCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/staffcheck``, else
``~/.cache/staffcheck``; ``STAFFCHECK_NO_CACHE=1`` turns it off. It is only ever read from a
directory of the user's own that nobody else can write to (a pickle runs code when loaded), and
every failure to read or write it is silent: without a cache staffcheck reads the YAML, as always.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "CACHE_VARIABLE",
    "NO_CACHE_VARIABLE",
    "cache_dir",
    "digest",
    "fetch",
    "private",
    "store",
    "write_atomically",
]

CACHE_VARIABLE = "STAFFCHECK_CACHE_DIR"
NO_CACHE_VARIABLE = "STAFFCHECK_NO_CACHE"
#: Cached packs kept; the least recently written go first.
KEPT = 32
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where parsed packs are kept, or None when the cache is off or there is no home."""
    if os.environ.get(NO_CACHE_VARIABLE, "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get(CACHE_VARIABLE, "").strip()
    if explicit:
        return Path(explicit) / "packs"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        base = Path(xdg) if xdg else Path.home() / ".cache"
    except RuntimeError:  # no home directory to speak of
        return None
    return base / "staffcheck" / "packs"


def digest(root: Path, files: Sequence[Path], *parts: str) -> str | None:
    """The cache key of a pack: its directory, the name and content of each file, `parts` and
    the code that reads it; None when a file cannot be read (reading the pack will say why)."""
    hasher = hashlib.sha256()
    for part in (_code_signature(), str(root.resolve()), *parts):
        hasher.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for path in files:
        try:
            content = path.read_bytes()
        except OSError:
            return None
        hasher.update(
            str(path.relative_to(root) if path.is_relative_to(root) else path).encode(
                "utf-8", "surrogateescape"
            )
        )
        hasher.update(b"\0%d\0" % len(content) + content)
    return hasher.hexdigest()


def _code_signature() -> str:
    """staffcheck's version and the size and time of each of its modules: a pickle is read back
    only by the code that wrote it (a changed class could not read it, or worse, misread it)."""
    from staffcheck import __version__

    parts = [__version__, sys.version]
    for folder in (_PACKAGE, _PACKAGE / "kinds"):
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    parts.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def fetch(key: str) -> Any | None:
    """The object stored under `key`, or None (not cached, unreadable, or not safely ours)."""
    folder = cache_dir()
    if folder is None or not private(folder):
        return None
    path = folder / f"{key}.pickle"
    try:
        with path.open("rb") as handle:
            if not private(path, handle.fileno()):
                return None
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a stale or damaged entry is a miss, and goes
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def store(key: str, value: Any) -> None:
    """Keep `value` under `key`, atomically; silently nothing if the cache cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(folder):
            return
        write_atomically(
            folder / f"{key}.pickle",
            ".pack-",
            lambda out: pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL),
        )
        _prune(folder)


def write_atomically(path: Path, prefix: str, write: Callable[[BinaryIO], object]) -> None:
    """Put what `write` writes at `path`: into a temporary file beside it (named `prefix`...),
    then moved over it, so a reader finds the old file or the whole new one, never a part."""
    import tempfile  # only to write: a run that reads the cache needs none of it

    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        Path(temporary).replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()


def private(path: Path, fd: int | None = None) -> bool:
    """Whether `path` belongs to this user and nobody else may write to it."""
    try:
        info = os.fstat(fd) if fd is not None else path.stat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEPT:]:
        with contextlib.suppress(OSError):
            old.unlink()
