"""Issue 14, output and the process: special files written into, never replaced; the system's
refusals (a full disk, limits, closed streams) in one line, exit 2, the old file intact; SIGTERM,
SIGHUP and a vanished reader answered; the format taken from the output file's name."""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT, Run

sys.path.insert(0, str(ROOT / "bench"))
from screening import generate

from staffcheck.knowledge import load_knowledge

TEAM = EXAMPLES / "spring-launch.yaml"
DRIVE = EXAMPLES / "exports" / "taobao-drive.csv"
STAFFCHECK = [sys.executable, "-m", "staffcheck"]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux devices")


@pytest.fixture(autouse=True)
def one_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports record the day they are made: two runs compared must agree even at midnight."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")


def _run(*args: str | Path, **popen: object) -> subprocess.CompletedProcess[str]:
    """The command in its own process (for streams, limits and signals of its own)."""
    popen.setdefault("timeout", 120)
    if "stdout" not in popen and "stderr" not in popen:
        popen["capture_output"] = True
    command = [*STAFFCHECK, *map(str, args)]
    return subprocess.run(command, text=True, check=False, **popen)  # type: ignore[call-overload, no-any-return]


def _one_line(err: str) -> str:
    """The whole of standard error: one `staffcheck: error:` line, no traceback, no bug."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("staffcheck: error: "), err
    assert "internal error" not in err and "Traceback" not in err, err
    return lines[0]


def _no_temp_files(directory: Path) -> None:
    assert [p.name for p in directory.iterdir() if p.name.endswith(".tmp")] == []


def _team_report(cli: Callable[..., Run]) -> str:
    run = cli("team", TEAM, "--format", "markdown")
    assert run.code in (0, 1), run.err
    return run.out


# -- 1. special files are written into, never renamed over ---------------------------------------


def test_a_fifo_named_by_output_is_written_into_and_stays_a_fifo(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    fifo = tmp_path / "report.md"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = cli("team", TEAM, "--format", "markdown", "--output", fifo)
    reader.join(timeout=60)
    assert run.code in (0, 1), run.err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].decode() == _team_report(cli)
    _no_temp_files(tmp_path)


def test_dev_null_through_a_link_stays_the_device(tmp_path: Path, cli: Callable[..., Run]) -> None:
    link = tmp_path / "report.html"
    link.symlink_to(os.devnull)
    run = cli("team", TEAM, "--output", link)
    assert run.code in (0, 1), run.err
    assert link.is_symlink() and stat.S_ISCHR(Path(os.devnull).stat().st_mode)
    _no_temp_files(tmp_path)


# -- 2. a path naming a descriptor: written through it -------------------------------------------


@pytest.mark.parametrize("name", ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"])
def test_output_to_a_descriptor_in_a_pipe(name: str, cli: Callable[..., Run]) -> None:
    done = _run("team", TEAM, "--format", "markdown", "--output", name)
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout == _team_report(cli)


def test_dev_stdout_appended_to_keeps_what_was_there(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    log = tmp_path / "log.md"
    log.write_text("first\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as out:
        done = _run("team", TEAM, "--format", "markdown", "-o", "/dev/stdout", stdout=out,
                    stderr=subprocess.PIPE)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert log.read_text(encoding="utf-8") == "first\n" + _team_report(cli)


# -- 3. the system's refusals: one line, exit 2, the old file intact, no temp file ---------------


def test_a_full_stdout_is_one_line() -> None:
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device, not a path to build on
        done = _run("team", TEAM, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert "<stdout>: No space left on device" in _one_line(done.stderr)


def test_a_small_report_to_a_full_stdout_is_told_before_exit() -> None:
    """Smaller than the stream's buffer: it fails only when flushed, which main does itself."""
    with open("/dev/full", "w") as full:  # noqa: PTH123
        done = _run("rules", "list", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2 and "<stdout>" in _one_line(done.stderr)


def test_output_to_dev_full_is_one_line() -> None:
    done = _run("team", TEAM, "--output", "/dev/full")
    assert done.returncode == 2 and "/dev/full" in _one_line(done.stderr)


def test_a_file_size_limit_keeps_the_old_report(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous report\n", encoding="utf-8")

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, resource.RLIM_INFINITY))

    done = _run("team", TEAM, "--output", target, preexec_fn=limited)
    assert done.returncode == 2 and "ulimit -f" in _one_line(done.stderr)
    assert target.read_text(encoding="utf-8") == "previous report\n"
    _no_temp_files(tmp_path)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EMFILE])
def test_a_refused_temporary_file_is_one_line(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """A read-only directory or file system (root writes anywhere: the refusal is simulated)."""
    target = tmp_path / "report.md"
    target.write_text("previous report\n", encoding="utf-8")

    def refused(*args: object, **kwargs: object) -> object:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("tempfile.mkstemp", refused)
    run = cli("team", TEAM, "--output", target)
    assert run.code == 2 and os.strerror(code) in _one_line(run.err)
    assert target.read_text(encoding="utf-8") == "previous report\n"


def test_a_failed_rename_keeps_the_old_report(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous report\n", encoding="utf-8")

    def refused(self: Path, other: object) -> Path:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(Path, "replace", refused)
    run = cli("team", TEAM, "--output", target)
    assert run.code == 2 and "the file is unchanged" in _one_line(run.err)
    assert target.read_text(encoding="utf-8") == "previous report\n"
    _no_temp_files(tmp_path)


def _close(descriptor: int) -> Callable[[], None]:
    return lambda: os.close(descriptor)


def test_a_closed_stdout_is_one_line(tmp_path: Path) -> None:
    done = _run("team", TEAM, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                preexec_fn=_close(1))  # fmt: skip
    assert done.returncode == 2 and "standard output is closed" in _one_line(done.stderr)
    target = tmp_path / "report.md"  # a report to a file needs no standard output
    done = _run("team", TEAM, "-o", target, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                preexec_fn=_close(1))  # fmt: skip
    assert done.returncode in (0, 1) and done.stderr == "" and target.stat().st_size > 0


def test_a_closed_stdin_is_one_line() -> None:
    done = _run("screen", "-", "--post", "taobao-operator", preexec_fn=_close(0))
    assert done.returncode == 2 and "standard input is closed" in _one_line(done.stderr)


def test_a_chinese_report_to_an_ascii_stdout_is_written_in_utf8() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([*STAFFCHECK, "team", str(TEAM), "--lang", "zh"], capture_output=True,
                          env=env, timeout=120)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert "策略" in done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def drive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Long enough that a parallel screening is still running a second after it starts."""
    path = tmp_path_factory.mktemp("drive") / "drive.csv"
    generate(load_knowledge(), 4_000, path)
    return path


def test_too_many_open_files_is_one_line(drive: Path) -> None:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (12, 12))

    done = _run("screen", drive, "--post", "taobao-operator", "--jobs", "2", "--format", "jsonl",
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limited)  # fmt: skip
    assert done.returncode == 2 and "ulimit -n" in _one_line(done.stderr)


# -- 4. signals ----------------------------------------------------------------------------------


def _started(directory: Path, process: subprocess.Popen[str]) -> None:
    """Wait until the report's temporary file holds some of the stream (without --post it is
    written as each chunk comes back): the workers are running."""
    for _ in range(1200):
        temps = [p for p in directory.iterdir() if p.name.endswith(".tmp")]
        if temps and temps[0].stat().st_size > 0:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the screening never started writing")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_like_ctrl_c(drive: Path, tmp_path: Path, signum: int) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous results\n", encoding="utf-8")
    process = subprocess.Popen(
        [*STAFFCHECK, "screen", str(drive), "--jobs", "2", "--format", "jsonl",
         "--output", str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _started(tmp_path, process)
        process.send_signal(signum)  # to the command alone, as `timeout` does
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signum, err
    name = signal.Signals(signum).name
    assert err.strip().splitlines() == [f"staffcheck: stopped by {name}"], err
    assert target.read_text(encoding="utf-8") == "previous results\n"
    _no_temp_files(tmp_path)


def test_a_reader_that_leaves_early_is_no_error(drive: Path) -> None:
    """``| head -1``: the rest is not wanted; exit quietly."""
    process = subprocess.Popen(
        [*STAFFCHECK, "screen", str(drive), "--format", "jsonl", "-o", "/dev/stdout"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().startswith("{")
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, "")


# -- 5. the format from the output file's name, on every command that writes one -----------------

COMMANDS = {
    "team": ["team", str(TEAM)],
    "screen": ["screen", str(DRIVE), "--post", "taobao-operator"],
    "explain": ["explain", str(TEAM)],
    "plan": ["plan", "--team", str(TEAM)],
    "rules docs": ["rules", "docs"],
    "template": ["template", "--post", "taobao-operator"],
    "schema": ["schema", "profile"],
}
#: (command, file name, what the file must start with; None: refused, exit 2).
WRITTEN = [
    ("team", "r.html", "<!DOCTYPE html>"), ("team", "r.htm", "<!DOCTYPE html>"),
    ("team", "r.md", "# "), ("team", "r.markdown", "# "), ("team", "r.json", "{"),
    ("team", "r.txt", "Team Spring launch"), ("team", "r.csv", None),
    ("screen", "s.html", "<!DOCTYPE html>"), ("screen", "s.json", "{"),
    ("screen", "s.jsonl", '{"'), ("screen", "s.csv", "\ufeff"), ("screen", "s.xlsx", "PK"),
    ("explain", "e.json", "{"), ("explain", "e.md", "#"), ("explain", "e.html", None),
    ("plan", "p.html", "<!DOCTYPE html>"), ("plan", "p.json", "{"), ("plan", "p.xlsx", "PK"),
    ("rules docs", "k.md", "# "), ("rules docs", "k.html", None), ("rules docs", "k.json", None),
    ("template", "t.xlsx", "PK"), ("template", "t.csv", "\ufeff"), ("template", "t.html", None),
    ("schema", "x.json", "{"), ("schema", "x.md", None),
]  # fmt: skip


@pytest.mark.parametrize(("command", "name", "start"), WRITTEN)
def test_the_output_file_name_chooses_the_format(
    tmp_path: Path, cli: Callable[..., Run], command: str, name: str, start: str | None
) -> None:
    target = tmp_path / name
    run = cli(*COMMANDS[command], "--output", target)
    if start is None:
        assert run.code == 2 and "cannot write a" in _one_line(run.err)
        assert not target.exists()
        return
    assert run.code in (0, 1), run.err
    head = target.read_bytes()[:64]
    assert head.decode("utf-8", "replace").startswith(start), head


def test_a_format_the_file_name_contradicts_is_refused(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    run = cli("team", TEAM, "--format", "markdown", "--output", tmp_path / "r.html")
    assert run.code == 2 and "does not match the file's suffix .html" in _one_line(run.err)


def test_ask_writes_a_profile_only_under_a_yaml_name(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    run = cli("ask", EXAMPLES / "candidates" / "sun-li.yaml", "--output", tmp_path / "a.html")
    assert run.code == 2 and "YAML profile" in _one_line(run.err)


def test_examples_copy_over_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    assert _run("examples", "--copy", tmp_path / "ex").returncode == 0
    fifo = tmp_path / "ex" / "spring-launch.yaml"
    fifo.unlink()
    os.mkfifo(fifo)
    done = _run("examples", "--copy", tmp_path / "ex", "--force", timeout=30)
    assert done.returncode == 2 and "special file" in _one_line(done.stderr)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
