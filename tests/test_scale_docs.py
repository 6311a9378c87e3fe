"""docs/scale-out.md's snippets: each compiles, and each that starts processes does it only
under ``if __name__ == "__main__":``, as a script copied from the page must (workers are spawned
and import the main script). The Dask Bag snippet runs for real on two processes."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, Run

PAGE = ROOT / "docs" / "scale-out.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
#: What starts a cluster, a pool or an engine's worker processes in the page's snippets.
STARTS_PROCESSES = re.compile(
    r"LocalCluster|\bClient\(|dask\.bag|\bdb\.|SparkSession|\bray\.|ProcessPool|multiprocessing"
)


def python_blocks(text: str) -> list[str]:
    """The page's ```python blocks, dedented (a block inside a list item is indented)."""
    return [textwrap.dedent(block) for block in BLOCK.findall(text)]


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in (
        "__name__ == '__main__'",
        "'__main__' == __name__",
    )


def unguarded_process_starts(source: str) -> list[str]:
    """The module-level statements of `source` that would start processes when it is imported."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import | ast.ImportFrom) or _is_main_guard(node):
            continue
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue  # runs only when called, from under the guard
        text = ast.unparse(node)
        if STARTS_PROCESSES.search(text):
            found.append(text.splitlines()[0])
    return found


WEAK_SEO = {"id": "b-1", "name": "Bo Yang", "applying_for": "seo-specialist", "skills": {"seo": 2}}

BLOCKS = python_blocks(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_its_snippets() -> None:
    # The Dask example, tracing, ranking, the Bag, Spark, Ray, and the imports line at least.
    assert len(BLOCKS) >= 7


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_every_snippet_compiles(number: int) -> None:
    compile(BLOCKS[number], f"{PAGE}:python block {number + 1}", "exec")


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_a_snippet_that_starts_processes_does_so_only_under_the_main_guard(number: int) -> None:
    block = BLOCKS[number]
    assert unguarded_process_starts(block) == [], block
    if STARTS_PROCESSES.search(block):
        assert any(_is_main_guard(node) for node in ast.parse(block).body), block


def test_the_check_finds_a_cluster_started_at_import() -> None:
    copied = (
        "from dask.distributed import Client, LocalCluster\n"
        "with LocalCluster(n_workers=2) as cluster, Client(cluster):\n"
        "    pass\n"
    )
    assert unguarded_process_starts(copied) == [
        "with LocalCluster(n_workers=2) as cluster, Client(cluster):"
    ]
    guarded = copied.replace("with", "if __name__ == '__main__':\n    with").replace(
        "    pass", "        pass"
    )
    assert unguarded_process_starts(guarded) == []


def test_the_example_files_guard_their_start_too() -> None:
    for name in ("scale_out_dask", "scale_out_spark"):
        path = ROOT / "docs" / "examples" / f"{name}.py"
        assert unguarded_process_starts(path.read_text(encoding="utf-8")) == [], name


# The Bag snippet, copied into a script as a reader would, on Dask's default scheduler for a
# Bag: processes (spawned, two of them). Without its guard it fails with BrokenProcessPool.
def test_the_bag_snippet_runs_as_a_script_on_two_processes(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    pytest.importorskip("dask.bag")
    (bag,) = [block for block in BLOCKS if "db.read_text" in block]
    referrals = EXAMPLES / "exports" / "referrals.jsonl"
    shutil.copy(referrals, tmp_path / "applicants-1.jsonl")  # two files: two partitions
    weak = tmp_path / "applicants-2.jsonl"  # one with findings, to be written in Chinese
    weak.write_text(json.dumps(WEAK_SEO) + "\n", encoding="utf-8")
    script = tmp_path / "screen_bag.py"
    script.write_text(bag, encoding="utf-8")
    env = {**os.environ, "DASK_NUM_WORKERS": "2", "PYTHONPATH": str(ROOT)}
    env.pop("STAFFCHECK_RULES", None)
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    got = [
        json.loads(line)
        for path in sorted(tmp_path.glob("results-*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    expected = [
        json.loads(line)
        for path in (referrals, weak)
        for line in cli("screen", path, "--format", "jsonl", "--lang", "zh").out.splitlines()
    ]
    assert got == expected and len(got) == 3
    assert "SEO专员岗位要求 4 级" in got[2]["findings"][0]["message"]
