#!/usr/bin/env python3
"""Run a command in the project's locked environment, installing uv first if needed.

    python3 dev.py staffcheck team profiles/examples/spring-launch.yaml
    python3 dev.py pytest

Needs only Python 3.11+ and access to the package index. uv is taken from PATH if present,
else from this interpreter (``python3 -m uv``), else installed into ``.tools/uv-venv``.
The environment itself comes from ``uv.lock`` (``uv run --locked``): see README, "Why uv".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools" / "uv-venv"


def find_uv() -> list[str]:
    on_path = shutil.which("uv")
    if on_path:
        return [on_path]
    probe = subprocess.run(
        [sys.executable, "-m", "uv", "--version"], capture_output=True, check=False
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "uv"]
    bindir = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    uv = bindir / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        print("dev.py: installing uv into .tools/uv-venv (once)", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
        python = bindir / ("python.exe" if os.name == "nt" else "python")
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "uv"], check=True)
    return [str(uv)]


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by any Python 3
        print("dev.py: staffcheck needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.setdefault("UV_PYTHON", sys.executable)
    uv = find_uv()
    try:
        if not (ROOT / ".venv").exists():  # the first run: say what takes the time
            synced = subprocess.run([*uv, "sync", "--locked", "--project", str(ROOT)], env=env)
            if synced.returncode:
                return synced.returncode
        # Quiet: uv would otherwise report its bytecode check (pyproject.toml) on every run.
        command = [*uv, "run", "--quiet", "--locked", "--project", str(ROOT), *argv]
        return subprocess.run(command, env=env, check=False).returncode
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
