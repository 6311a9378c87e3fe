"""The process around a command: its standard streams, the signals that stop it, and the
system's refusals (a full disk, a closed stream, too many open files) said in one line."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from staffcheck.i18n import tr

#: The signals answered like Ctrl-C: temporary files removed, workers stopped, exit 128 + N.
STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """A stopping signal (SIGTERM, SIGHUP), raised where the program is, like Ctrl-C: every
    cleanup written for Ctrl-C runs for it too."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def signals_answered() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Stopped` while the command runs (only the main thread may set
    handlers; the ones before are put back, for a caller such as a test running `main`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, _stop) for signum in STOPPING}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def interruption(exc: KeyboardInterrupt) -> tuple[str, int]:
    """What to say when `exc` stopped the run, and the exit status (128 + the signal)."""
    signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
    if signum == signal.SIGINT:
        return tr("interrupted"), 128 + signum
    return tr("stopped by {signal}", signal=signal.Signals(signum).name), 128 + signum


class _Closed(io.RawIOBase):
    """A standard stream the shell closed (``>&-``, ``<&-``): using it is an OSError naming it,
    answered in one line, where Python's None would be an AttributeError."""

    def __init__(self, name: str, *, reading: bool) -> None:
        super().__init__()
        self.stream_name, self.reading = name, reading

    def readable(self) -> bool:
        return self.reading

    def writable(self) -> bool:
        return not self.reading

    def readinto(self, buffer: object) -> int:
        raise OSError(errno.EBADF, tr("standard input is closed"), self.stream_name)

    def write(self, data: object) -> int:
        raise OSError(errno.EBADF, tr("standard output is closed"), self.stream_name)


class _Stdout(io.FileIO):
    """Standard output's descriptor, whose failures name it (``<stdout>: No space left``)."""

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            if exc.filename is None and not isinstance(exc, BlockingIOError):
                exc.filename = "<stdout>"
            raise


def prepare_streams() -> None:
    """Closed standard streams become stand-ins that fail in one line when used; standard
    output is written in UTF-8 whatever PYTHONIOENCODING says (a Chinese report has no ASCII
    form), through a descriptor whose failures name it."""
    if sys.stdin is None:
        sys.stdin = io.TextIOWrapper(io.BufferedReader(_Closed("<stdin>", reading=True)))
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_Closed("<stdout>", reading=False)))
        return
    stdout = sys.stdout
    if stdout is not sys.__stdout__ or not isinstance(stdout, io.TextIOWrapper):
        return  # a caller's stream (a test's capture): theirs to keep
    with contextlib.suppress(OSError, ValueError):
        stdout.flush()
        raw = _Stdout(stdout.fileno(), "w", closefd=False)
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(raw), encoding="utf-8", errors=stdout.errors,
            line_buffering=stdout.line_buffering,
        )  # fmt: skip


def flush_stdout() -> None:
    """Write out what standard output still holds, so a full disk is told now, in one line,
    not by the interpreter as it exits."""
    if sys.stdout is not None:
        sys.stdout.flush()


def os_failure(exc: OSError) -> str:
    """The one line for an OSError no reader or writer placed: where, what, what to do."""
    from staffcheck.escaping import inert
    from staffcheck.output import os_hint

    place = exc.filename
    if place == "<stdout>":
        discard_stdout()  # what it still holds would fail again as the interpreter exits
    reason = exc.strerror or type(exc).__name__
    if place is None:
        said = tr("the system refused: {reason}", reason=reason)
    else:
        said = f"{inert(str(place))}: {reason}"
    return tr("{message} ({hint})", message=said, hint=os_hint(exc))


def discard_stdout() -> None:
    """Point standard output at the null device: its reader is gone, or it cannot be written
    (a closed one, which has no descriptor, is dropped as Python drops one closed at start)."""
    raw = getattr(getattr(sys.stdout, "buffer", None), "raw", None)
    if isinstance(raw, _Closed):
        sys.stdout = None
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
