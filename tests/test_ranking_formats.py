"""A drive ranked for one post, in every format, written in parts from a ranking held outside
memory (`batch.RankedCandidates`): the same bytes as the whole report rendered from a list."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest

from staffcheck import external_sort
from staffcheck.batch import RankedCandidates, batch_report, rank_key
from staffcheck.diagnose import screen
from staffcheck.hiring import screening_advice
from staffcheck.model import CandidateResult, KnowledgeBase, Labels, Profile, Report
from staffcheck.reporters import (
    RenderOptions,
    byte_parts,
    render,
    render_bytes,
    streams,
    terminal,
    text_parts,
)
from staffcheck.reporters.drive import shared_names_of
from staffcheck.reporters.meta import ReportMeta

from .conftest import EXAMPLES
from .xlsx_dump import dump_xlsx

TAOBAO_CSV = EXAMPLES / "exports" / "taobao-drive.csv"
POST = "taobao-operator"
META = ReportMeta(datetime.date(2027, 3, 1), "9.9", "Pack", "1")


@pytest.fixture(scope="module")
def results(kb: KnowledgeBase) -> list[CandidateResult]:
    """The Taobao drive's six applicants screened for one post, nine times over with ids of
    their own: 54 people, every name shared (their ids are shown), many ties in rank."""
    from staffcheck.sources import read_applicants

    profiles = [r for r in read_applicants([str(TAOBAO_CSV)], kb) if isinstance(r, Profile)]
    found = screen(kb, profiles, kb.strategies["taobao-store"], POST).candidates
    return [replace(c, id=f"{c.id}-{n}") for n in range(9) for c in found]


def _reports(kb: KnowledgeBase, results: list[CandidateResult]) -> tuple[Report, Report]:
    """The drive's report as the whole ranking in a tuple, and as a `RankedCandidates`."""
    strategy = kb.strategies["taobao-store"]
    ranked = batch_report(iter(results), (), strategy, post=POST, labels=Labels.of(kb))
    assert isinstance(ranked.candidates, RankedCandidates)
    listed = replace(ranked, candidates=tuple(sorted(results, key=rank_key)))
    listed = replace(listed, advice=screening_advice(listed))
    shared = shared_names_of(ranked.candidates)
    return listed, replace(ranked, advice=screening_advice(ranked, shared))


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything in small pieces: sorted runs of 7 spilled to disk, tables of 5 rows, parts
    of 100 characters."""
    monkeypatch.setenv(external_sort.MEMORY_ROWS_VARIABLE, "7")
    monkeypatch.setattr(streams, "PART_CHARS", 100)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
@pytest.mark.parametrize("view", [RenderOptions(), RenderOptions(color=True, width=132)])
def test_a_ranking_streamed_in_parts_is_the_whole_reports_text(
    kb, results, small_pieces, monkeypatch, fmt, view
) -> None:
    listed, ranked = _reports(kb, results)
    assert isinstance(ranked.candidates, RankedCandidates)
    assert ranked.candidates.spilled == 54 // 7
    assert ranked.advice == listed.advice
    view = replace(view, meta=META)
    whole = render(listed, fmt, view)  # one rich table, one string
    monkeypatch.setattr(terminal, "TABLE_ROWS", 5)
    parts = list(text_parts(ranked, fmt, view))
    assert len(parts) > 3  # written as it was made
    assert "".join(parts) == whole
    if fmt == "table":
        assert "(t-101-8)" in whole  # the namesakes' ids are shown


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_ranking_streamed_as_a_file_is_the_whole_reports_file(
    kb, results, small_pieces, monkeypatch, fmt
) -> None:
    listed, ranked = _reports(kb, results)
    whole = render_bytes(listed, fmt)
    monkeypatch.setattr("staffcheck.reporters.spreadsheet.CSV_ROWS", 10)
    monkeypatch.setattr("staffcheck.reporters.workbook.XLSX_PART_BYTES", 1000)
    parts = list(byte_parts(ranked, fmt))
    assert len(parts) > 3
    if fmt == "csv":
        assert b"".join(parts) == whole
        assert whole.startswith("\ufeff".encode()) and whole.count("\ufeff".encode()) == 1
    else:  # a zip's entries carry the time they were written: compare the cells
        assert dump_xlsx(b"".join(parts)) == dump_xlsx(whole)


def test_a_long_terminal_table_in_pieces_is_one_table(kb, results, monkeypatch) -> None:
    """Rows of every width (a long name, a Chinese reason) sized as one table sizes them."""
    odd = [
        replace(results[0], id="long-1", name="Someone With A Really Very Long Name Indeed"),
        replace(results[1], id="zh-1", name="王芳王芳王芳王芳王芳王芳"),
    ]
    listed, ranked = _reports(kb, [*results, *odd])
    for width in (60, 80, 120):
        view = RenderOptions(width=width)
        whole = render(listed, "table", view)
        monkeypatch.setattr(terminal, "TABLE_ROWS", 4)
        assert "".join(text_parts(ranked, "table", view)) == whole
        monkeypatch.setattr(terminal, "TABLE_ROWS", 500)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json", "csv"])
def test_screen_writes_the_same_report_sorted_in_memory_or_on_disk(
    cli, tmp_path: Path, monkeypatch, fmt
) -> None:
    rows = TAOBAO_CSV.read_text(encoding="utf-8").splitlines()
    drive = tmp_path / "drive.csv"
    body = [
        r.replace(r.split(",")[0], f"{r.split(',')[0]}-{n}", 1) for n in range(5) for r in rows[1:]
    ]
    drive.write_text("\n".join([rows[0], *body]) + "\n", encoding="utf-8")
    args = ("screen", drive, "--post", POST, "--format", fmt, "--jobs", "1")
    monkeypatch.delenv(external_sort.MEMORY_ROWS_VARIABLE, raising=False)
    whole = cli(*args, "-o", tmp_path / "whole")
    monkeypatch.setenv(external_sort.MEMORY_ROWS_VARIABLE, "4")
    spilled = cli(*args, "-o", tmp_path / "spilled")
    assert whole.code == spilled.code
    assert (tmp_path / "spilled").read_bytes() == (tmp_path / "whole").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drive.csv", "spilled", "whole"]


@pytest.mark.parametrize("post", [POST, None])
def test_the_advice_is_the_same_whatever_order_the_applicants_come_in(kb, results, post) -> None:
    """Advice kept in bounded memory (the few people each line names) is the advice of the
    whole drive sorted first: 54 people, read in three orders."""
    import random

    strategy = kb.strategies["taobao-store"]
    found = [replace(c, name=f"{c.name} {n % 5}") for n, c in enumerate(results)]
    said = set()
    for seed in range(3):
        random.Random(seed).shuffle(found)
        report = batch_report(iter(found), (), strategy, post=post, labels=Labels.of(kb))
        said.add(screening_advice(report, shared_names_of(report.candidates)))
    assert len(said) == 1
    assert any(" more" in line for line in said.pop())  # lines were cut to the first names
