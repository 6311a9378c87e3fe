"""Writing a report file safely: atomically, and never over one of the run's own inputs."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

from staffcheck.errors import StaffcheckError


def write_output(target: Path, content: str | bytes, inputs: Iterable[Path] = ()) -> None:
    """Write `content` (text, or the bytes of a file such as an XLSX) to `target` atomically
    (see `atomic_output`)."""
    if isinstance(content, bytes):
        with atomic_binary_output(target, inputs) as binary:
            binary.write(content)
        return
    with atomic_output(target, inputs) as handle:
        handle.write(content)


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
    if resolved.exists() and not resolved.is_file() and not _stream(target):
        raise StaffcheckError.at(
            "--output names a special file, not a regular one",
            target,
            hint="name a regular file, or '-' for standard output",
        )
    if resolved.exists() and not os.access(resolved, os.W_OK):
        raise StaffcheckError.at(
            "the output file is read-only", target, hint="make it writable, or choose another"
        )
    if not _stream(target) and not os.access(resolved.parent, os.W_OK | os.X_OK):
        raise StaffcheckError.at(
            "cannot write in the output directory",
            resolved.parent,
            hint="choose a directory you can write in",
        )


@contextlib.contextmanager
def atomic_output(target: Path, inputs: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A text handle whose content replaces `target` only when the block ends without error.

    It writes a temporary file in the same directory and renames it, so a crash or Ctrl-C
    leaves either the old file or the new one, never half of one.
    """
    with _atomic(target, inputs, binary=False) as handle:
        yield cast(TextIO, handle)


@contextlib.contextmanager
def atomic_binary_output(target: Path, inputs: Iterable[Path] = ()) -> Iterator[BinaryIO]:
    """`atomic_output` for bytes: the same guarantees for a file that is not text (XLSX)."""
    with _atomic(target, inputs, binary=True) as handle:
        yield cast(BinaryIO, handle)


@contextlib.contextmanager
def _atomic(target: Path, inputs: Iterable[Path], *, binary: bool) -> Iterator[IO[Any]]:
    check_output_target(target, inputs)
    resolved = target.resolve()
    if _stream(target):
        # /dev/null, a terminal, a pipe: written through, never replaced by a renamed file.
        with _written_through(target, binary=binary) as handle:
            yield handle
        return
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=resolved.parent
        )
    except OSError as exc:
        raise StaffcheckError.at(
            f"cannot write the output file ({exc.strerror or type(exc).__name__})",
            target,
            hint="choose a directory you can write in",
        ) from None
    temp = Path(temp_name)
    try:
        with _opened(fd, binary=binary) as handle:
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
    except OSError as exc:  # a full disk, a lost permission: the old file stays as it was
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StaffcheckError.at(
            f"cannot write the output file ({exc.strerror or type(exc).__name__})",
            target,
            hint="the file is unchanged; free space or fix permissions and run again",
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _stream(path: Path) -> bool:
    """A character device or a FIFO: something to write into, not a file to replace."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _opened(file: int | Path, *, binary: bool) -> IO[Any]:
    """A file descriptor or path opened for writing: bytes as they are, or UTF-8 text."""
    if isinstance(file, int):
        if binary:
            return os.fdopen(file, "wb")
        return os.fdopen(file, "w", encoding="utf-8", newline="\n")
    if binary:
        return file.open("wb")
    return file.open("w", encoding="utf-8", newline="\n")


@contextlib.contextmanager
def _written_through(target: Path, *, binary: bool) -> Iterator[IO[Any]]:
    try:
        with _opened(target, binary=binary) as handle:
            yield handle
    except OSError as exc:
        raise StaffcheckError.at(
            f"cannot write the output ({exc.strerror or type(exc).__name__})", target
        ) from None


def write_output_bytes(target: Path, data: bytes, inputs: Iterable[Path] = ()) -> None:
    """Write binary `data` (a workbook) to `target` atomically, like `write_output` text."""
    with atomic_output(target, inputs) as handle:
        handle.flush()
        handle.buffer.write(data)
