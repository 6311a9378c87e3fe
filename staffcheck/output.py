"""Writing a report file safely: atomically, and never over one of the run's own inputs."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from staffcheck.errors import StaffcheckError


def write_output(target: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    """Write `text` to `target` through a temporary file in the same directory and a rename.

    A crash or Ctrl-C leaves either the old file or the new one, never half of one.
    """
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
    directory = resolved.parent
    if not directory.is_dir():
        raise StaffcheckError.at(
            "the output directory does not exist", directory, hint="create it first"
        )
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                Path(temp_name).chmod(target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            Path(temp_name).chmod(0o666 & ~umask)
        Path(temp_name).replace(resolved)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp_name).unlink()
        raise
