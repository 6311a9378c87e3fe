"""Ctrl-C at any moment: exit 130 promptly, one line, no traceback, no half-written output.

Stress mode (opt-in): ``STAFFCHECK_STRESS_RUNS=30 python3 dev.py pytest tests/test_interrupt.py``
repeats every test 30 times while a busy loop runs on every core, the conditions under which
a worker that is interrupted before it ignores SIGINT, or a Ctrl-C during imports, used to
print a traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from screening import generate

from staffcheck.knowledge import load_knowledge

RUNS = range(int(os.environ.get("STAFFCHECK_STRESS_RUNS", "1")))
STRESSED = len(RUNS) > 1
#: What the console script does, with a marker on stderr once `main` starts importing the
#: rest of staffcheck (an import hook that imports nothing itself).
ENTRY = """
import sys

class Marker:
    said = False

    def find_spec(self, name, path=None, target=None):
        if name == "staffcheck.cli.parser" and not self.said:
            self.said = True
            sys.stderr.write("imports start\\n")
            sys.stderr.flush()
        return None

sys.meta_path.insert(0, Marker())
from staffcheck.cli import main
sys.exit(main(sys.argv[1:]))
"""

GOLDEN_TEAM_REPORT = (ROOT / "tests" / "golden" / "spring-launch-team.md").read_text(
    encoding="utf-8"
)

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")


@pytest.fixture(autouse=True)
def ctrl_c_reaches_children() -> Iterator[None]:
    """Start the commands as a terminal's shell does, with Ctrl-C not ignored.

    A script's background job (``cmd &`` without job control) inherits SIGINT ignored, and so
    would every command these tests start: Python then rightly never answers Ctrl-C.
    """
    before = signal.getsignal(signal.SIGINT)
    if before is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # exec resets it to default
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.fixture(scope="module", autouse=True)
def busy_machine() -> Iterator[None]:
    """In stress mode, a busy loop on every core for as long as this module's tests run."""
    if not STRESSED:
        yield
        return
    spin = [sys.executable, "-c", "while True: pass"]
    hogs = [subprocess.Popen(spin) for _ in range(len(os.sched_getaffinity(0)))]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def _interrupt(process: subprocess.Popen[str]) -> tuple[str, float]:
    """Ctrl-C as a terminal sends it (to the whole process group); stderr and seconds to exit."""
    os.killpg(process.pid, signal.SIGINT)
    started = time.monotonic()
    _, err = process.communicate(timeout=60)
    return err, time.monotonic() - started


def _assert_interrupted(process: subprocess.Popen[str], err: str) -> None:
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "staffcheck: interrupted", err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


@pytest.fixture(scope="module")
def drive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("drive") / "drive.csv"
    generate(load_knowledge(), 20_000, path)
    return path


@pytest.mark.parametrize("run", RUNS)
def test_ctrl_c_during_a_parallel_batch(drive: Path, tmp_path: Path, run: int) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous results\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "staffcheck", "screen", str(drive), "--jobs", "2",
         "--format", "jsonl", "--output", str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    # From the workers' start to well into the batch, a different moment on each run.
    time.sleep(0.4 + 0.2 * (run % 10))
    err, took = _interrupt(process)
    _assert_interrupted(process, err)
    assert took < (20 if STRESSED else 5)
    assert target.read_text(encoding="utf-8") == "previous results\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_the_entry_point_imports_nothing_before_main() -> None:
    """Everything but the entry module loads inside main, where a Ctrl-C is answered."""
    probe = (
        "import sys; before = set(sys.modules); from staffcheck.cli import main; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == ["staffcheck", "staffcheck.cli"]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("delay", [0.0, 0.01, 0.05, 0.1, 0.2, 0.35])
def test_ctrl_c_while_starting_up(tmp_path: Path, delay: float, run: int) -> None:
    """Ctrl-C while the modules are still being imported (the first ~0.3 s of every run)."""
    target = tmp_path / "report.md"
    target.write_text("previous report\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "team", str(EXAMPLES / "spring-launch.yaml"),
         "--format", "markdown", "--output", str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert process.stderr is not None
    assert process.stderr.readline() == "imports start\n"
    time.sleep(delay)
    finished = process.poll() is not None  # then there is nothing left to interrupt
    err = process.communicate()[1] if finished else _interrupt(process)[0]
    # Done before the signal came: exit 0, or killed by it, silently, while the interpreter shut
    # down (Python gives SIGINT back to the system then). Either way the report is whole.
    done = process.returncode == 0 or (process.returncode == -signal.SIGINT and err == "")
    if not done:
        _assert_interrupted(process, err)
    # The old report, or the whole new one if the signal came after it was written; never a
    # part of it, and no temporary file left behind.
    expected = (GOLDEN_TEAM_REPORT,) if done else ("previous report\n", GOLDEN_TEAM_REPORT)
    assert target.read_text(encoding="utf-8") in expected
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
