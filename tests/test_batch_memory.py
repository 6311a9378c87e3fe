"""Batches in flat memory: rankings sorted outside memory, --top kept in a heap, the duplicate-id
index and the rejects kept compact, and a dead pool worker answered in one line."""

from __future__ import annotations

import json
import os
import pickle
import random
import signal
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from staffcheck import batch, external_sort
from staffcheck.errors import StaffcheckError
from staffcheck.external_sort import ExternalSort
from staffcheck.model import KnowledgeBase, Location, Profile
from staffcheck.seen_ids import SeenIds

from .conftest import EXAMPLES

TAOBAO_CSV = EXAMPLES / "exports" / "taobao-drive.csv"


def _drive(tmp_path: Path, copies: int, extra: str = "") -> Path:
    """The Taobao drive's six applicants `copies` times over, each copy with its own ids."""
    rows = TAOBAO_CSV.read_text(encoding="utf-8").splitlines()
    header, body = rows[0], rows[1:]
    lines = [header] + [
        row.replace(row.split(",")[0], f"{row.split(',')[0]}-{n}", 1)
        for n in range(copies) for row in body
    ]  # fmt: skip
    path = tmp_path / "drive.csv"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


# --- the external sort ---------------------------------------------------------------------------


def _rows(count: int, seed: int = 7) -> list[tuple[tuple[bool, int, int, str], str]]:
    rng = random.Random(seed)
    # Few distinct keys, so that many rows tie: the order among them must be the input's.
    return [
        ((rng.random() < 0.5, -rng.randint(0, 3), rng.randint(0, 2), 'id\t"é'), f"line {n}")
        for n in range(count)
    ]


@pytest.mark.parametrize("keep", [None, 5, 400, 5000])
def test_external_sort_is_sorted_as_sorted_is_and_stable(keep: int | None) -> None:
    rows = _rows(1000)
    with ExternalSort(64, keep=keep) as ranking:
        for key, line in rows:
            ranking.add(key, line)
        out = list(ranking.lines())
        spilled = ranking.spilled
    assert out == [line for _, line in sorted(rows, key=lambda r: r[0])][:keep]
    assert spilled == (0 if keep == 5 else 1000 // 64)  # a small cut is kept in memory


def test_external_sort_merges_runs_when_too_many_are_open(monkeypatch) -> None:
    monkeypatch.setattr(external_sort, "MAX_OPEN_RUNS", 4)
    rows = _rows(300, seed=3)
    with ExternalSort(10) as ranking:
        for key, line in rows:
            ranking.add(key, line)
        assert len(ranking._runs) < 4
        assert list(ranking.lines()) == [line for _, line in sorted(rows, key=lambda r: r[0])]


def test_external_sort_bound_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(external_sort.MEMORY_ROWS_VARIABLE, raising=False)
    assert external_sort.memory_rows() == external_sort.MEMORY_ROWS
    monkeypatch.setenv(external_sort.MEMORY_ROWS_VARIABLE, "12")
    assert external_sort.memory_rows() == 12
    monkeypatch.setenv(external_sort.MEMORY_ROWS_VARIABLE, "0")
    with pytest.raises(StaffcheckError, match=r"STAFFCHECK_SORT_MEMORY_ROWS=.0. is not a positive"):
        external_sort.memory_rows()


def test_ranked_jsonl_is_the_same_sorted_in_memory_or_on_disk(cli, tmp_path, monkeypatch) -> None:
    drive = _drive(tmp_path, 8)
    args = ("screen", drive, "--post", "taobao-operator", "--format", "jsonl", "--jobs", "1")
    monkeypatch.delenv(external_sort.MEMORY_ROWS_VARIABLE, raising=False)
    whole = cli(*args)
    monkeypatch.setenv(external_sort.MEMORY_ROWS_VARIABLE, "7")
    spilled = cli(*args)
    cut = cli(*args, "--top", "9")
    assert whole.code == spilled.code == cut.code
    assert len(whole.out.splitlines()) == 48
    assert spilled.out == whole.out
    assert cut.out.splitlines() == whole.out.splitlines()[:9]
    assert [json.loads(line)["rank"] for line in cut.out.splitlines()] == list(range(1, 10))
    assert [p.name for p in tmp_path.iterdir()] == ["drive.csv"]  # no temporary file left


def test_top_keeps_the_best_as_the_whole_ranking_has_them(cli, tmp_path) -> None:
    drive = _drive(tmp_path, 4)
    args = ("screen", drive, "--post", "taobao-operator", "--format", "json", "--jobs", "1")
    whole, cut = cli(*args).json(), cli(*args, "--top", "4").json()
    assert cut["candidates"] == whole["candidates"][:4]
    assert cut["batch"] == whole["batch"]  # the counts are the whole drive's
    unranked = cli("screen", drive, "--format", "json", "--jobs", "1", "--top", "4").json()
    assert [c["id"] for c in unranked["candidates"]] == ["t-101-0", "t-102-0", "t-103-0", "t-104-0"]
    assert unranked["batch"]["screened"] == 24


# --- peak memory of a ranking, in a process of its own -------------------------------------------

_RANKING = """
import pickle, resource, sys
from dataclasses import replace
from staffcheck.batch import ranked_lines, batch_report
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.json_report import render_line

seed, count, mode = pickle.load(open(sys.argv[1], "rb")), int(sys.argv[2]), sys.argv[3]
people = (
    replace(seed[n % len(seed)], id=f"x-{n}", name=f"{n}" * (4096 // len(str(n))),
            fit=(n * 7919) % 101)
    for n in range(count)
)
if mode == "lines":
    view = RenderOptions()
    out = sum(len(line) for line in ranked_lines(people, lambda s: render_line(s, view), post="p"))
else:
    out = len(batch_report(people, (), None, post="p", top=10).candidates)
# VmHWM (KiB), not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so this child of a
# big test process would report the parent's peak.
with open("/proc/self/status") as status:
    print(out, next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")))
"""


def _peak_kib(script: Path, seed: Path, count: int, mode: str, rows: int) -> tuple[int, int]:
    env = {**os.environ, external_sort.MEMORY_ROWS_VARIABLE: str(rows)}
    done = subprocess.run(
        [sys.executable, script, seed, str(count), mode],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    out, peak = done.stdout.split()
    return int(out), int(peak)


@pytest.fixture(scope="module")
def seed(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Taobao drive's results for one post, pickled for the measuring processes."""
    from staffcheck.diagnose import screen
    from staffcheck.sources import read_applicants

    profiles = [r for r in read_applicants([str(TAOBAO_CSV)], kb) if isinstance(r, Profile)]
    path = tmp_path_factory.mktemp("seed") / "seed.pickle"
    path.write_bytes(pickle.dumps(list(screen(kb, profiles, None, "taobao-operator").candidates)))
    return path


@pytest.mark.parametrize("mode", ["lines", "top"])
def test_a_ranking_holds_no_more_for_ten_times_the_applicants(seed, tmp_path, mode) -> None:
    script = tmp_path / "rank.py"
    script.write_text(_RANKING, encoding="utf-8")
    small = _peak_kib(script, seed, 500, mode, rows=100)
    large = _peak_kib(script, seed, 5000, mode, rows=100)
    if mode == "lines":
        assert large[0] > 9 * small[0]  # every line was written
    # Each result has a name of 4 KB of its own: holding 4,500 more (or their lines) would
    # cost over 17 MiB.
    assert large[1] - small[1] < 6 * 1024, (small, large)


# --- the duplicate-id index and the rejects ------------------------------------------------------


def test_seen_ids_finds_every_repeat_with_its_first_place() -> None:
    seen = SeenIds()
    places = {f"id-{n}": Location("a.csv", n + 2, None) for n in range(5000)}
    places["odd"] = Location("<stdin>", 2**40, 2**20)  # too large to pack: kept as it is
    places["whole"] = Location("b.jsonl")
    for ident, place in places.items():
        assert seen.first_seen(ident, place) is None
    for ident, place in places.items():
        assert seen.first_seen(ident, Location("c.csv", 1, 1)) == place
    assert len(seen) == len(places)


def test_seen_ids_cost_at_most_forty_eight_bytes_an_id() -> None:
    tracemalloc.start()
    try:
        seen = SeenIds()
        for n in range(6000):
            seen.first_seen(f"applicant-{n:08d}", Location("drive.csv", n + 2, None))
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 16 bytes a slot, the table at most two thirds full (6,000 ids: 16,384 slots); a dict of
    # ids and Locations held ~170 bytes an id.
    assert held < 6000 * 48
    assert seen.first_seen("applicant-00000007", Location("x", 1)) == Location("drive.csv", 9)


def test_duplicate_ids_are_still_rejected_with_the_first_place(cli, tmp_path) -> None:
    again = "t-101-0,Fang Yu,taobao-operator,4,taobao,Tmall store operator,4,3,3,1,1,2,0\n"
    drive = _drive(tmp_path, 1, extra=again)
    run = cli("screen", drive, "--format", "jsonl", "--jobs", "1")
    assert run.code == 2
    assert f"duplicate person id 't-101-0' (first at {drive}:2)" in run.err


def test_a_stream_counts_its_rejects_without_keeping_them(cli, tmp_path, monkeypatch) -> None:
    kept: list[object] = []
    from staffcheck.cli import screen

    real = screen.RejectLog.add

    def add(self: screen.RejectLog, reject: object) -> None:
        real(self, reject)  # type: ignore[arg-type]
        kept.append(len(self.kept))

    monkeypatch.setattr(screen.RejectLog, "add", add)
    bad = "".join(f"b-{n},Bad,taobao-operator,x\n" for n in range(5))
    drive = _drive(tmp_path, 1, extra=bad)
    run = cli("screen", drive, "--format", "jsonl", "--jobs", "1")
    assert run.code == 2
    assert kept == [0] * 5
    assert run.err.splitlines()[-1] == "staffcheck: 5 records rejected; the others were screened"


@pytest.mark.parametrize("format_", ["jsonl", "json"])
def test_when_every_record_is_rejected_nothing_was_screened(cli, tmp_path, format_) -> None:
    drive = tmp_path / "bad.csv"
    drive.write_text(
        "id,name,applying_for,taobao-operations\n" + "".join(f"b-{n},B,x,9\n" for n in range(3)),
        encoding="utf-8",
    )
    run = cli("screen", drive, "--format", format_, "--jobs", "1")
    assert run.code == 2
    assert run.err.splitlines()[-1] == "staffcheck: 3 records rejected; nothing was screened"


# --- a pool worker killed --------------------------------------------------------------------------


def test_a_killed_worker_is_one_line_and_no_output_file(cli, tmp_path, monkeypatch) -> None:
    import multiprocessing

    drive = _drive(tmp_path, 30)  # 180 applicants: four chunks of 48
    monkeypatch.setattr(batch, "CHUNK", 48)
    chunks = batch._chunks
    before = {p.pid for p in multiprocessing.active_children()}

    def chunks_then_kill(records):  # type: ignore[no-untyped-def]
        for number, chunk in enumerate(chunks(records)):
            if number == 2:  # the pool has started, and been handed two chunks
                workers = [p for p in multiprocessing.active_children() if p.pid not in before]
                os.kill(workers[0].pid, signal.SIGKILL)
            yield chunk

    monkeypatch.setattr(batch, "_chunks", chunks_then_kill)
    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    target = tmp_path / "out.jsonl"
    run = cli("screen", drive, "--format", "jsonl", "--jobs", "2", "-o", target, "--quiet")
    assert run.code == 2
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("staffcheck: error: a worker process died (signal 9); ")
    lost = int(lines[0].split("; ")[1].split()[0])
    assert 0 < lost <= 180
    assert lines[0].endswith("applicants were not screened (run again, or with --jobs 1)")
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drive.csv"]


def test_rank_key_orders_the_shortlist_first(kb: KnowledgeBase) -> None:
    from staffcheck.diagnose import screen
    from staffcheck.sources import read_applicants

    profiles = [r for r in read_applicants([str(TAOBAO_CSV)], kb) if isinstance(r, Profile)]
    found = list(screen(kb, profiles, None, "taobao-operator").candidates)
    copies = [replace(c, id=f"{c.id}-{n}") for n in range(3) for c in found]
    report = batch.batch_report(copies, (), None, post="taobao-operator", top=5)
    assert list(report.candidates) == sorted(copies, key=batch.rank_key)[:5]
