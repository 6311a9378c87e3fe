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
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The last landed submission before issue 15's work (the "previous release" the figures compare with).
PREVIOUS_RELEASE = "698f5f7"


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
