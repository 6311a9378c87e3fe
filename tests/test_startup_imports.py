"""One applicant screened from the command line loads what a screening needs, and no more.

Start-up is most of what one applicant costs (issue 15: bench/screening.py times it), and an
import added at the top of a shared module can silently bring back a whole subsystem. Each
run is a fresh process through the real entry point; what it loaded is read from
``sys.modules`` as it exits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CANDIDATES

#: What only other commands or other inputs use: the action planner and staffing plans (team,
#: explain, plan), a consultation (ask), the catalogue, why-not, the YAML round-trip writer,
#: workbooks and their readers and zip guards, the encoding guesser (a CSV that is not UTF-8),
#: shell completion, and the process pool (a drive of one chunk stays in its process).
NOT_FOR_ONE_APPLICANT = (
    "staffcheck.actions", "staffcheck.operating", "staffcheck.trials", "staffcheck.explain",
    "staffcheck.project_plan", "staffcheck.planning", "staffcheck.scheduling",
    "staffcheck.plan_costs", "staffcheck.plan_effect", "staffcheck.plan_people",
    "staffcheck.consult", "staffcheck.catalogue", "staffcheck.why_not", "staffcheck.writeback",
    "staffcheck.workbooks", "staffcheck.xlsx_guard", "staffcheck.xls_extent",
    "staffcheck.cli.completers", "openpyxl", "python_calamine", "charset_normalizer", "ruamel",
    "argcomplete", "zipfile", "importlib.resources", "concurrent", "multiprocessing",
)  # fmt: skip

PROBE = """\
import atexit, json, runpy, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["staffcheck", *sys.argv[1:]]
runpy.run_module("staffcheck", run_name="__main__")
"""


def _screen(tmp_path: Path, *extra: str) -> tuple[str, set[str]]:
    """The report of `sun-li.yaml` screened in a fresh process, and the modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "screen", str(CANDIDATES / "sun-li.yaml"),
         "--strategy", "taobao-store", *extra],
        capture_output=True, text=True, check=False, cwd=tmp_path,
        env={**os.environ, "STAFFCHECK_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.stdout, set(json.loads(done.stderr.splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The `names` (packages with their submodules) among `modules`."""
    return sorted(m for m in modules if m in names or m.split(".")[0] in names)


@pytest.mark.parametrize("output", [(), ("--format", "jsonl")], ids=["table", "jsonl"])
def test_one_applicant_loads_no_other_commands_subsystems(
    tmp_path: Path, output: tuple[str, ...]
) -> None:
    report, modules = _screen(tmp_path, *output)
    assert "Sun Li" in report  # the screening ran, so its imports are all there
    assert "staffcheck.engine" in modules
    assert _loaded(modules, NOT_FOR_ONE_APPLICANT) == []


def test_a_stream_of_results_does_not_load_rich(tmp_path: Path) -> None:
    # rich lays out the table; JSON Lines (the format of batch runs) needs none of it, nor
    # does building the parser (help text is measured in columns only when it is shown).
    report, modules = _screen(tmp_path, "--format", "jsonl")
    assert json.loads(report.splitlines()[0])["name"] == "Sun Li"
    assert _loaded(modules, ("rich", "staffcheck.reporters.terminal")) == []


def test_a_run_that_writes_no_file_loads_no_temporary_files(tmp_path: Path) -> None:
    # tempfile brings shutil, random and the compression modules (bz2, lzma, zlib): only a run
    # that writes a file, or fills its caches (the first), needs them. argparse's help formatter
    # would import shutil for the terminal's width (cli/parser.py finds it without).
    _screen(tmp_path)  # the first run fills the caches
    report, modules = _screen(tmp_path)
    assert "Sun Li" in report
    assert _loaded(modules, ("tempfile", "shutil", "bz2", "lzma")) == []
