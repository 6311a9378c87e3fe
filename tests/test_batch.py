"""Screening a recruiting drive: every input kind, rejects, ranking, JSON Lines, --jobs."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from .conftest import CANDIDATES, EXAMPLES

EXPORTS = EXAMPLES / "exports"
TAOBAO_CSV = EXPORTS / "taobao-drive.csv"


def _ids(run) -> list[str]:
    return [c["id"] for c in run.json()["candidates"]]


def test_csv_with_one_column_per_skill(cli) -> None:
    run = cli("screen", TAOBAO_CSV, "--strategy", "taobao-store", "--format", "json")
    assert run.code == 0, run.err
    people = {c["id"]: c for c in run.json()["candidates"]}
    assert people["t-101"]["verdict"] == "fit"
    assert people["t-102"]["verdict"] == "mismatch"  # an SEO specialist on a Taobao post
    assert people["t-102"]["better_roles"][0]["role"] == "seo-specialist"


def test_csv_with_a_skills_column(cli) -> None:
    run = cli("screen", EXPORTS / "content-drive.csv", "--strategy", "content-marketing",
              "--format", "json")  # fmt: skip
    people = {c["id"]: c for c in run.json()["candidates"]}
    assert people["w-201"]["verdict"] == "fit"
    assert people["w-202"]["better_roles"][0]["role"] == "information-editor"


def test_xlsx_export(cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "applying_for", "taobao-operations", "merchandise-operations",
                  "customer-service", "channels"])  # fmt: skip
    sheet.append(["x-1", "Fang Yu", "taobao-operator", 4, 3, 3, "taobao;tmall"])
    sheet.append(["x-2", "Qin Hao", "taobao-operator", 0, 0, 7, "baidu"])
    path = tmp_path / "drive.xlsx"
    book.save(path)
    run = cli("screen", path, "--format", "json")
    assert run.code == 2  # x-2 has a level of 7: rejected, x-1 still screened
    assert _ids(run) == ["x-1"]
    assert run.json()["rejects"] == [
        {"source": str(path), "row": 3, "column": None,
         "reason": "column customer-service: 7 is not a level 0–5 (use a whole number)"}
    ]  # fmt: skip


def test_inputs_are_read_in_path_order_whatever_order_they_are_named_in(cli) -> None:
    one = cli("screen", EXPORTS / "referrals.jsonl", CANDIDATES / "sun-li.yaml", "--format", "json")
    two = cli("screen", CANDIDATES / "sun-li.yaml", EXPORTS / "referrals.jsonl", "--format", "json")
    assert _ids(one) == ["c-1042", "r-301", "r-302"]  # candidates/ sorts before exports/
    assert one.out == two.out


def test_directory_is_searched_recursively_in_sorted_order(cli) -> None:
    run = cli("screen", EXPORTS, "--format", "json")
    ids = _ids(run)
    assert ids[:4] == ["w-201", "w-202", "w-203", "w-204"]  # content-drive.csv sorts first
    assert len(ids) == 4 + 2 + 6


def test_standard_input(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (EXPORTS / "referrals.jsonl").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    run = cli("screen", "-", "--format", "json")
    assert _ids(run) == ["r-301", "r-302"]


def test_a_bad_row_never_stops_the_batch(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_text(
        "id,name,applying_for,seo,taobao-operations\n"
        "a-1,Li Lei,taobao-operator,0,4\n"
        "a-2,Bad Level,taobao-operator,four,1\n"
        "a-3,Unknown Post,taobao-operater,1,1\n"
        "a-1,Same Id,taobao-operator,1,1\n"
        "a-4,Wu Yi,taobao-operator,1,3\n",
        encoding="utf-8",
    )
    run = cli("screen", path, "--format", "json")
    assert run.code == 2
    assert _ids(run) == ["a-1", "a-4"]
    errors = run.err.splitlines()
    assert errors[0] == (f"staffcheck: error: {path}:3: column seo: four is not a level "
                         "(write a whole number from 0 to 5)")  # fmt: skip
    assert "unknown role 'taobao-operater' (did you mean 'taobao-operator'?)" in errors[1]
    assert f"{path}:5: duplicate person id 'a-1' (first at {path}:2)" in errors[2]
    assert errors[-1] == "staffcheck: 3 records rejected; the others were screened"


def test_unknown_csv_column_is_kept_aside_with_a_note(cli, tmp_path: Path) -> None:
    # Issue 11: an unknown column no longer rejects the file; it is named once, with a hint.
    path = tmp_path / "drive.csv"
    path.write_text("id,name,applying_for,skils\na-1,X,seo-specialist,seo:3\n", encoding="utf-8")
    profile = (
        tmp_path / "sun-li.yaml"
    )  # beside the sheet, so the order does not depend on the clone's path
    profile.write_bytes((CANDIDATES / "sun-li.yaml").read_bytes())
    run = cli("screen", path, profile, "--format", "json")
    assert run.code == 0, run.err
    assert _ids(run) == ["a-1", "c-1042"]  # drive.csv sorts before sun-li.yaml
    assert run.err == (
        f"staffcheck: note: {path}: ignored columns: skils (kept in spreadsheet results); "
        "did you mean 'skills' for 'skils'?\n"
    )


def test_role_ranks_best_first_and_top_cuts(cli) -> None:
    run = cli("screen", TAOBAO_CSV, "--post", "taobao-operator", "--strategy", "taobao-store",
              "--format", "json")  # fmt: skip
    ranked = run.json()["candidates"]
    assert [c["rank"] for c in ranked] == list(range(1, 7))
    fits = [c["fit"] for c in ranked]
    assert fits == sorted(fits, reverse=True)
    assert ranked[0]["id"] in {"t-101", "t-105"} and ranked[-1]["id"] == "t-102"
    top = cli("screen", TAOBAO_CSV, "--role", "taobao-operator", "--top", "2", "--format", "json")
    assert [c["id"] for c in top.json()["candidates"]] == [c["id"] for c in ranked[:2]]


def test_ranking_table_has_rank_reason_and_better_post(cli) -> None:
    run = cli("screen", TAOBAO_CSV, "--role", "taobao-operator", "--strategy", "taobao-store")
    assert "Shortlist for the Taobao store operator post" in run.out
    assert "Top reason" in run.out and "Better post" in run.out
    assert "SEO specialist" in run.out


def test_jsonl_streams_one_candidate_per_line(cli) -> None:
    run = cli("screen", TAOBAO_CSV, "--format", "jsonl")
    lines = run.out.splitlines()
    assert len(lines) == 6
    first = json.loads(lines[0])
    whole = cli("screen", TAOBAO_CSV, "--format", "json").json()["candidates"][0]
    assert first == whole  # the same fields as the JSON report's candidates


def test_jobs_do_not_change_the_result(cli, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    rows = TAOBAO_CSV.read_text(encoding="utf-8").splitlines()
    header, body = rows[0], rows[1:]
    lines = [header] + [
        row.replace(row.split(",")[0], f"{row.split(',')[0]}-{n}", 1)
        for n in range(40) for row in body
    ]  # fmt: skip
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = cli("screen", big, "--jobs", "1", "--format", "json", "--strategy", "taobao-store")
    two = cli("screen", big, "--jobs", "2", "--format", "json", "--strategy", "taobao-store")
    assert one.code == two.code == 0
    assert len(one.json()["candidates"]) == 240
    assert one.out == two.out


def test_jsonl_output_file_is_atomic(cli, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    assert cli("screen", TAOBAO_CSV, "--format", "jsonl", "--output", target).code == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 6
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


BATCH_PROBLEMS = {
    # file content, the one-line reason, the ids still screened
    "latin1-line.csv": ("id,name,applying_for,seo\na-1,林,seo-specialist,4\na-2,B\udce9,seo-specialist,3\n"
                        "a-3,王,seo-specialist,4\n".encode(errors="surrogateescape"), ":3: not UTF-8 text", ["a-1", "a-3"]),
    "dup-column.csv": (b"id,name,applying_for,seo,seo\na-1,A,seo-specialist,3,5\n",
                       ":1: duplicate column 'seo'", []),
    "dup-skill.csv": (b"id,name,applying_for,skills,seo\na-1,A,seo-specialist,seo:1,5\n",
                      ":2: skill 'seo' is given twice", []),
    "dup-key.jsonl": (b'{"id": "j", "name": "J", "id": "k"}\n', ":1: duplicate key 'id'", []),
    "header-only.csv": (b"id,name,applying_for,seo\n", "no applicants in the file", []),
    "empty.jsonl": (b"", "no applicants in the file", []),
    "typo-column.csv": (b"id,name,aplying_for\n", "only a header row", []),
}  # fmt: skip


@pytest.mark.parametrize("name", BATCH_PROBLEMS)
def test_batch_problems_are_named_and_the_rest_is_screened(cli, tmp_path: Path, name: str) -> None:
    content, reason, screened = BATCH_PROBLEMS[name]
    path = tmp_path / name
    path.write_bytes(content)
    run = cli("screen", path, "--format", "json")
    assert run.code == 2
    errors = [line for line in run.err.splitlines() if not line.startswith("staffcheck: note: ")]
    assert errors[0].startswith(f"staffcheck: error: {path}")
    assert reason in errors[0]
    assert (_ids(run) if run.out else []) == screened


def test_trailing_empty_columns_and_whole_floats_are_accepted(cli, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("id,name,applying_for,seo,,\na-9,Z,seo-specialist,4.0,,\n", encoding="utf-8")
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert _ids(run) == ["a-9"]


def test_top_keeps_the_whole_batch_in_the_summary_and_fail_on(cli) -> None:
    run = cli("screen", TAOBAO_CSV, "--role", "taobao-operator", "--top", "2", "--fail-on", "high")
    assert "Screening of 6 people" in run.out and "the best 2 of 6" in run.out
    assert run.code == 1  # the mismatches below the cut still count


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_ranking_in_every_report_format(cli, fmt: str) -> None:
    out = cli("screen", TAOBAO_CSV, "--role", "taobao-operator", "--format", fmt).out
    assert "Shortlist for the Taobao store operator post" in out and "Top reason" in out


def test_jsonl_ranking_carries_the_rank(cli) -> None:
    lines = cli("screen", TAOBAO_CSV, "--role", "taobao-operator", "--format", "jsonl").out
    assert [json.loads(line)["rank"] for line in lines.splitlines()] == list(range(1, 7))


def test_batch_report_ranks_cuts_and_keeps_the_whole_batchs_summary(kb) -> None:
    from staffcheck.batch import batch_report, rank_key, ranked_lines, screen_batch
    from staffcheck.model import CandidateResult
    from staffcheck.sources import read_applicants

    records = read_applicants([str(TAOBAO_CSV)], kb)
    found = [
        r
        for r in screen_batch(kb, records, None, "taobao-operator")
        if isinstance(r, CandidateResult)
    ]
    report = batch_report(found, (), None, post="taobao-operator", top=2)
    assert report.ranked and [c.id for c in report.candidates] == [
        c.id for c in sorted(found, key=rank_key)[:2]
    ]
    assert report.batch is not None and report.batch.screened == len(found)
    from staffcheck.reporters import RenderOptions
    from staffcheck.reporters.json_report import render_line

    def line(item):  # type: ignore[no-untyped-def]
        return render_line(item, RenderOptions())

    streamed = [json.loads(x) for x in ranked_lines(found, line, post="taobao-operator", top=2)]
    assert [(s["id"], s["rank"]) for s in streamed] == [
        (c.id, n) for n, c in enumerate(report.candidates, 1)
    ]
    assert all("rank" not in json.loads(x) for x in ranked_lines(found, line))


@pytest.mark.parametrize("post", [None, "taobao-operator"])
def test_lines_made_where_applicants_are_screened_are_the_report_s_lines(
    kb, monkeypatch, post
) -> None:
    """A JSON Lines drive has each line made in the worker that screened its applicant
    (`brief_batch`): the same lines, ranks, cut and tally as rendering the results here, with
    one process or two, open applications and rejects among them."""
    from functools import partial

    from staffcheck import batch
    from staffcheck.batch import Tally, brief_batch, ranked_brief_lines, ranked_lines, screen_batch
    from staffcheck.model import Location, Reject
    from staffcheck.reporters import RenderOptions
    from staffcheck.reporters.json_report import render_line

    from .test_engine import _varied_profiles

    monkeypatch.setattr(batch, "CHUNK", 16)  # several chunks: two processes share them
    people = _varied_profiles(kb, 40, seed=7)
    records = [*people[:20], Reject(Location("x.csv", 3), "bad row"), *people[20:]]
    line = partial(render_line, options=RenderOptions())
    assert any(p.applying_for is None for p in people)
    for top in (None, 3):
        expected_tally = Tally()
        expected = list(
            ranked_lines(
                expected_tally.count(
                    r for r in screen_batch(kb, records, None, post) if not isinstance(r, Reject)
                ),
                line,
                post=post,
                top=top,
            )
        )
        for jobs in (1, 2) if top is None else (1,):
            tally = Tally()
            briefs = brief_batch(kb, records, None, post, jobs, line)
            found = list(
                ranked_brief_lines(
                    tally.count_briefs(b for b in briefs if not isinstance(b, Reject)),
                    post=post,
                    top=top,
                )
            )
            assert found == expected
            assert tally.summary() == expected_tally.summary()
            assert len(found) == (top or len(people))
            assert all(("rank" in json.loads(x)) == (post is not None) for x in found)


def test_a_chunk_leaves_nothing_in_cycles(kb) -> None:
    """A worker runs without the automatic collector (`batch.COLLECT_EVERY`): what a chunk
    drops must be freed by reference counts alone, open applications, findings and the switch
    between post engines included (experta's conflict-set lookup left a cycle at each). Only
    building a post's engine, once per worker, leaves some (experta's wiring closures)."""
    import gc

    from staffcheck.batch import _screened
    from staffcheck.knowledge import find_strategy

    from .test_engine import _varied_profiles

    people = _varied_profiles(kb, 60, seed=11)
    strategy = find_strategy(kb, "taobao-store")
    assert any(p.applying_for is None for p in people)
    for post in (None, "seo-specialist"):
        # Every engine and snapshot these people need built first (building one leaves cycles).
        _screened(kb, people, strategy, post, None)
        gc.collect()
        was = gc.isenabled()
        gc.disable()
        try:
            results = _screened(kb, people[30:], strategy, post, str)
            assert len(results) == 30
            del results
            gc.set_debug(gc.DEBUG_SAVEALL)
            gc.collect()
            # Only what staffcheck or experta made (another thread's garbage is not ours).
            ours = ("staffcheck", "experta")
            left = [
                getattr(o, "__qualname__", type(o).__name__)
                for o in gc.garbage
                if str(getattr(o, "__module__", "")).startswith(ours)
                or str(type(o).__module__).startswith(ours)
            ]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            if was:
                gc.enable()
        assert left == []


def test_a_worker_started_through_the_method_cache_screens_as_one_here(kb, monkeypatch) -> None:
    """Workers are started by `method_cache.start_worker` (their modules imported once the
    parent's dataclass cache is in place, if it used one): the results are the same either way."""
    from staffcheck import batch, method_cache

    from .test_engine import _varied_profiles

    monkeypatch.setattr(batch, "CHUNK", 10)
    people = _varied_profiles(kb, 30, seed=3)
    here = [c.id for c in batch.screen_batch(kb, people, None, None, 1)]
    for cached in (False, True):
        monkeypatch.setattr(method_cache, "installed", lambda cached=cached: cached)
        assert [c.id for c in batch.screen_batch(kb, people, None, None, 2)] == here


def test_a_drive_of_one_chunk_stays_here_and_one_record_more_starts_the_pool(
    kb, monkeypatch
) -> None:
    """A drive no bigger than a chunk is screened in this process; one record more and the pool
    starts (the first chunk handed over before the second is read), and the results come out in
    input order, rejects in their place."""
    import concurrent.futures

    from staffcheck import batch
    from staffcheck.model import Location, Reject

    from .test_engine import _varied_profiles

    started: list[int] = []
    events: list[str] = []  # records read and chunks handed over, in order

    class InlinePool:
        """The pool's interface, each task run as it is submitted (what was asked is noted)."""

        def __init__(self, max_workers: int, **_: object) -> None:
            started.append(max_workers)

        def submit(self, function, *args):  # type: ignore[no-untyped-def]
            events.append(f"{function.__name__} of {len(args[0])}")
            future: concurrent.futures.Future[object] = concurrent.futures.Future()
            future.set_result(function(*args))
            return future

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            pass

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(batch, "_worker_state", (kb, None, None, None))  # as `_init_worker` sets
    monkeypatch.setattr(batch, "_chunks_screened", 1)  # no worker's first-chunk freeze here
    monkeypatch.setattr(batch, "CHUNK", 5)
    people = _varied_profiles(kb, 12, seed=5)
    records = [*people[:5], Reject(Location("x.csv", 7), "bad row"), *people[5:]]
    here = [
        r.id if not isinstance(r, Reject) else "reject"
        for r in batch.screen_batch(kb, records, None, None, 1)
    ]

    def read(count: int):  # type: ignore[no-untyped-def]
        for index, record in enumerate(records[:count]):
            events.append(f"read {index}")
            yield record

    assert len(list(batch.screen_batch(kb, read(5), None, None, 2))) == 5
    assert started == []  # one chunk: no pool
    events.clear()
    found = list(batch.screen_batch(kb, read(6), None, None, 2))
    assert [r.id if not isinstance(r, Reject) else "reject" for r in found] == here[:6]
    assert started == [2]
    # the sixth record read tells a second chunk is coming: the first goes to a worker at once
    assert events == [*(f"read {i}" for i in range(6)), "_screen_chunk of 5", "_screen_chunk of 0"]
    events.clear()
    found = list(batch.screen_batch(kb, read(len(records)), None, None, 2))
    assert [r.id if not isinstance(r, Reject) else "reject" for r in found] == here
    assert events.index("_screen_chunk of 5") < events.index("read 6")
