"""Writing a report file safely: atomically, and never over one of the run's own inputs."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from staffcheck.errors import StaffcheckError


def write_output(target: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    """Write `text` to `target` atomically (see `atomic_output`)."""
    with atomic_output(target, inputs) as handle:
        handle.write(text)


def check_output_target(target: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work is done, an output path that is an input or cannot be written."""
    if not str(target):
        raise StaffcheckError.at("--output is empty", hint="name a file")
    resolved = target.resolve()
    for source in inputs:
        with contextlib.suppress(OSError):
            if source.resolve() == resolved:
                raise StaffcheckError.at(
                    "refusing to write the report over one of the input files",
                    target,
                    hint="choose another --output",
                )
    if target.is_dir():
        raise StaffcheckError.at("--output names a directory", target, hint="name a file")
    if not resolved.parent.is_dir():
        raise StaffcheckError.at(
            "the output directory does not exist", resolved.parent, hint="create it first"
        )


@contextlib.contextmanager
def atomic_output(target: Path, inputs: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A text handle whose content replaces `target` only when the block ends without error.

    It writes a temporary file in the same directory and renames it, so a crash or Ctrl-C
    leaves either the old file or the new one, never half of one.
    """
    check_output_target(target, inputs)
    resolved = target.resolve()
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=resolved.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                temp.chmod(target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            temp.chmod(0o666 & ~umask)
        temp.replace(resolved)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
