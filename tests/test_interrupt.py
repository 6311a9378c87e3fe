"""Ctrl-C during a long batch: exit 130 promptly, one line, no traceback, no half-written output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from screening import generate

from staffcheck.knowledge import load_knowledge


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_ctrl_c_during_a_parallel_batch(tmp_path: Path) -> None:
    drive = tmp_path / "drive.csv"
    generate(load_knowledge(), 20_000, drive)
    target = tmp_path / "out.jsonl"
    target.write_text("previous results\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "staffcheck", "screen", str(drive), "--jobs", "2",
         "--format", "jsonl", "--output", str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    time.sleep(2.0)  # well into the batch: workers started, results streaming
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    started = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 5
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == "staffcheck: interrupted"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert target.read_text(encoding="utf-8") == "previous results\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
