"""The previous release beside the working tree: its source, run by the same interpreter.

A baseline is the staffcheck source of a git revision (default: `PREVIOUS_RELEASE`), extracted
once with ``git archive`` into a cache directory and put first on ``PYTHONPATH``: the same
interpreter and installed libraries, only staffcheck's own code differs. Benchmarks run each
measurement for the baseline and the working tree in turn (paired), so a busy machine slows
both alike, and report the ratio.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The last landed submission before issue 15's work (the "previous release" the figures compare with).
PREVIOUS_RELEASE = "698f5f7"
PAGE = os.sysconf("SC_PAGE_SIZE")


def baseline_tree(revision: str = PREVIOUS_RELEASE) -> Path:
    """The source tree of `revision`, extracted once into the temp directory and reused."""
    full = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    target = Path(tempfile.gettempdir()) / f"staffcheck-baseline-{full[:12]}"
    if (target / "staffcheck" / "__init__.py").exists():
        return target
    partial = Path(tempfile.mkdtemp(prefix="staffcheck-baseline-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", full, "staffcheck", "rules"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(partial, filter="data")
    with contextlib.suppress(OSError):  # another run extracted it meanwhile
        partial.rename(target)
    return target


def environment(tree: Path | None) -> dict[str, str]:
    """The environment that runs `tree`'s staffcheck (None: the working tree's)."""
    env = dict(os.environ)
    source = str(tree if tree is not None else ROOT)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH", "")]))
    env.pop("STAFFCHECK_RULES", None)
    return env


def staffcheck_command(*args: str) -> list[str]:
    """``python -m staffcheck ARGS`` with this interpreter."""
    return [sys.executable, "-m", "staffcheck", *args]


@dataclass
class Timings:
    """Repeated runs of one command: wall seconds, CPU seconds (the process and the children it
    waited for), and peak resident MiB of its process tree."""

    label: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    def best(self) -> float:
        return min(self.walls)

    def median(self) -> float:
        return statistics.median(self.walls)

    def cpu(self) -> float:
        return min(self.cpus)


def run_measured(command: list[str], env: dict[str, str], timings: Timings) -> None:
    """Run `command` once in a fresh process and add its figures to `timings`."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tempfile.gettempdir(),
    )
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss_mib(process.pid))
        time.sleep(0.01)
    timings.walls.append(time.perf_counter() - started)
    timings.cpus.append(usage.ru_utime + usage.ru_stime)
    timings.peaks.append(peak)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        detail = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"bench: {' '.join(command)} failed ({code}):\n{detail}")


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        try:
            fields = Path(f"/proc/{pid}/statm").read_text().split()
            total += int(fields[1]) * PAGE
            for task in Path(f"/proc/{pid}/task").iterdir():
                frontier += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total / 2**20


def compiled(tree: Path) -> None:
    """Bytecode for `tree`'s staffcheck and the installed packages, as pip compiles them when a
    user installs staffcheck (a development environment may not have it)."""
    packages = sysconfig.get_paths()["purelib"]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tree / "staffcheck"), packages],
        stdout=subprocess.DEVNULL, check=False,
    )  # fmt: skip
