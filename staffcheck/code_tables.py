"""Tables of compiled code kept between runs of the command line, beside the pickled packs.

`method_cache` keeps dataclasses' generated methods, `pattern_cache` regular expressions: what
the interpreter would otherwise compile again at every start. A table is a marshalled dict in a
folder of the cache directory (`pack_cache.cache_dir`'s parent) that only this user may write to,
made so whatever the umask. It is trusted as far as the pickled packs beside it are (the folder
and the file must be this user's and writable by nobody else), and it carries a SHA-256 of its
content, so a damaged table reads as empty, not as wrong code. One table is kept per interpreter
version: compiled code is not portable between versions. Every failure is silent: without a
table, everything is compiled as it would have been.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any

from staffcheck import pack_cache

__all__ = ["read", "table_path", "write"]


def table_path(kind: str, *tags: str) -> Path | None:
    """Where the table of `kind` is kept for this interpreter (None: the cache is off)."""
    folder = pack_cache.cache_dir()
    if folder is None:
        return None
    name = "-".join([sys.implementation.cache_tag, f"{sys.hexversion:x}", *tags])
    return folder.parent / kind / f"{name}.marshal"


def read(path: Path, magic: bytes) -> Any:
    """The table at `path`, or None when it is missing, damaged, from another layout (`magic`,
    its first bytes) or in a place others may write to."""
    if not pack_cache.private(path.parent):
        return None
    try:
        with path.open("rb") as handle:
            if not pack_cache.private(path, handle.fileno()):
                return None
            content = handle.read()
        digest = content[len(magic) : len(magic) + 32]
        payload = content[len(magic) + 32 :]
        if not content.startswith(magic) or hashlib.sha256(payload).digest() != digest:
            return None
        return marshal.loads(payload)
    except Exception:  # missing, damaged or from elsewhere: a miss, compiled again
        return None


def write(path: Path, magic: bytes, table: Any) -> None:
    """Keep `table` at `path`, atomically, in a folder only this user may write to."""
    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)  # mkdir's mode is cut by the umask (002 leaves it group-writable)
        if not pack_cache.private(path.parent):
            return
        payload = marshal.dumps(table)
        content = magic + hashlib.sha256(payload).digest() + payload
        pack_cache.write_atomically(path, f".{path.parent.name}-", lambda out: out.write(content))
