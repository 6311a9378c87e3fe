"""Writing a report file safely: atomically, never over one of the run's own inputs, never by
renaming over a device, a pipe or a descriptor; and what to say when the system refuses."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr


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
        raise StaffcheckError.at(tr("--output is empty"), hint=tr("name a file"))
    try:
        _check_target(target, inputs)
    except OSError as exc:  # a looping link, a name too long: the system's words, one line
        raise output_error(exc, target) from None


def _check_target(target: Path, inputs: Iterable[Path]) -> None:
    resolved = target.resolve()
    for source in inputs:
        with contextlib.suppress(OSError):
            if source.resolve() == resolved:
                raise StaffcheckError.at(
                    tr("refusing to write the report over one of the input files"),
                    target,
                    hint=tr("choose another --output"),
                )
    if written_through(target):
        return  # a device, a pipe, a descriptor: written into as it is
    if target.is_dir():
        raise StaffcheckError.at(tr("--output names a directory"), target, hint=tr("name a file"))
    if not resolved.parent.is_dir():
        raise StaffcheckError.at(
            tr("the output directory does not exist"), resolved.parent, hint=tr("create it first")
        )
    if resolved.exists() and not resolved.is_file():
        raise StaffcheckError.at(
            tr("--output names a special file, not a regular one"),
            target,
            hint=tr("name a regular file, or '-' for standard output"),
        )
    if resolved.exists() and not os.access(resolved, os.W_OK):
        raise StaffcheckError.at(
            tr("the output file is read-only"),
            target,
            hint=tr("make it writable, or choose another"),
        )
    if not os.access(resolved.parent, os.W_OK | os.X_OK):
        raise StaffcheckError.at(
            tr("cannot write in the output directory"),
            resolved.parent,
            hint=tr("choose a directory you can write in"),
        )


@contextlib.contextmanager
def atomic_output(target: Path, inputs: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A text handle whose content replaces `target` only when the block ends without error.

    It writes a temporary file in the same directory and renames it, so a crash or Ctrl-C
    leaves either the old file or the new one, never half of one. A device, a FIFO or a path
    naming a descriptor (``/dev/stdout``) is written into instead: renaming over it would
    replace it with a regular file.
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
    if written_through(target):
        with _written_through(target, binary=binary) as handle:
            yield handle
        return
    resolved = target.resolve()
    try:
        import tempfile  # here: shutil, random and the compressors load with it (issue 15)

        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=resolved.parent
        )
    except OSError as exc:
        raise output_error(exc, target) from None
    temp = Path(temp_name)
    try:
        with _opened(fd, binary=binary) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _settle(temp, resolved)
    except OSError as exc:  # a full disk, a lost permission: the old file stays as it was
        with contextlib.suppress(OSError):
            temp.unlink()
        raise output_error(exc, target, unchanged=True) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _settle(temp: Path, resolved: Path) -> None:
    """Give the finished temporary file the target's permissions and put it in its place,
    unless the target became a device or a pipe meanwhile (then it is refused, unchanged)."""
    if written_through(resolved):
        raise OSError(errno.EEXIST, tr("it became a special file while the report was made"))
    if resolved.exists():
        with contextlib.suppress(OSError):
            temp.chmod(resolved.stat().st_mode & 0o777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o666 & ~umask)
    temp.replace(resolved)


#: Paths that name a descriptor of this process rather than a file.
_DESCRIPTOR_PATH = re.compile(r"/(?:dev|proc/self|proc/thread-self|proc/(\d+))/fd/(\d+)")
_STANDARD_PATHS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def descriptor_named(target: Path) -> int | None:
    """The descriptor ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` or ``/proc/self/fd/N``
    names: written through a copy of it, so a shell's ``>>`` keeps appending."""
    text = os.path.normpath(target.absolute())
    if text in _STANDARD_PATHS:
        return _STANDARD_PATHS[text]
    match = _DESCRIPTOR_PATH.fullmatch(text)
    if match is None or (match[1] is not None and int(match[1]) != os.getpid()):
        return None
    return int(match[2])


def written_through(target: Path) -> bool:
    """A descriptor, a character device or a FIFO: something to write into, never a file to
    replace (as root, a rename would replace /dev/null itself)."""
    if descriptor_named(target) is not None:
        return True
    try:
        mode = target.stat().st_mode
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
    descriptor = descriptor_named(target)
    try:
        with _opened(target if descriptor is None else os.dup(descriptor), binary=binary) as out:
            yield out
    except BrokenPipeError:
        raise  # the reader went away (``| head``): not an error, the command line says so
    except OSError as exc:
        raise output_error(exc, target) from None


def output_error(exc: OSError, target: Path, *, unchanged: bool = False) -> StaffcheckError:
    """The one line for an output file the system refused to write: what, where, what to do."""
    hint = os_hint(exc)
    if unchanged:
        hint = tr("the file is unchanged; {hint}", hint=hint)
    return StaffcheckError.at(
        tr("cannot write the output ({reason})", reason=exc.strerror or type(exc).__name__),
        target,
        hint=hint,
    )


def os_hint(exc: OSError) -> str:
    """What to do about an error the system gave, by its kind (and the stream it names)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return tr("free some space, or write elsewhere, and run again")
    if code == errno.EFBIG:
        return tr("the file size limit (ulimit -f) is too low: raise it, or write elsewhere")
    if code in (errno.EMFILE, errno.ENFILE):
        return tr("raise the open-file limit (ulimit -n), or use fewer --jobs")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr("choose a place you can write in, or fix its permissions")
    if code == errno.EBADF and exc.filename == "<stdin>":
        return tr("give the input as a file, or leave standard input open (no <&-)")
    if code == errno.EBADF:
        return tr("leave standard output open (no >&-), or use --output FILE")
    if code == errno.ENOMEM:
        return tr("not enough memory: screen fewer records at a time")
    return tr("check the file and the disk, and run again")


def write_output_bytes(target: Path, data: bytes, inputs: Iterable[Path] = ()) -> None:
    """Write binary `data` (a workbook) to `target` atomically, like `write_output` text."""
    with atomic_binary_output(target, inputs) as handle:
        handle.write(data)
