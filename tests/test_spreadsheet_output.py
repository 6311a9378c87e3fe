"""Screening results back as spreadsheets: ``screen --format csv`` and ``--format xlsx``.

What HR notices: one row per candidate in rank order, headers in their language, a workbook with
the findings and rejects beside the candidates, the contact columns of the original rows carried
through, no cell that a spreadsheet would run as a formula, and files that are whole or absent.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import re
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from staffcheck.cli import main
from staffcheck.model import (
    CandidateResult,
    Finding,
    Labels,
    Location,
    Question,
    Reject,
    Report,
    RoleFit,
    Severity,
    Verdict,
    frozen_map,
)
from staffcheck.reporters import render_bytes

from .conftest import EXAMPLES

DRIVE = EXAMPLES / "exports" / "taobao-drive.csv"
RANKED = ("--post", "taobao-operator")
HYPERLINK = '=HYPERLINK("http://evil","x")'


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would garble Chinese"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def _values(book: Workbook, sheet: str) -> list[list[object]]:
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def _no_formulas(book: Workbook) -> None:
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _xlsx(cli, tmp_path: Path, *args: str | Path) -> Workbook:
    target = tmp_path / "results.xlsx"
    run = cli("screen", *args, "--format", "xlsx", "--output", target)
    assert run.code == 0, run.err
    assert run.out == ""
    return load_workbook(target)


# --- end to end, on the bundled drive -------------------------------------------------------


def test_csv_has_one_row_per_candidate_in_rank_order(cli) -> None:
    ranking = cli("screen", DRIVE, *RANKED, "--format", "json").json()["candidates"]
    run = cli("screen", DRIVE, *RANKED, "--format", "csv")
    assert run.code == 0
    rows = _csv_rows(run.out.encode("utf-8"))
    assert rows[0][:12] == [
        "Rank", "ID", "Name", "Post", "Open application", "Fit", "Verdict", "Confidence",
        "Top reason", "Better post", "Better post fit", "Questions to ask",
    ]  # fmt: skip
    body = rows[1:]
    assert [r[0] for r in body] == ["1", "2", "3", "4", "5", "6"]
    assert [r[1] for r in body] == [c["id"] for c in ranking]
    assert [int(r[5]) for r in body] == [c["fit"] for c in ranking]
    assert {r[3] for r in body} == {"Taobao store operator"}  # the post's name, not its id
    qin = next(r for r in body if r[1] == "t-102")
    assert qin[6] == "mismatch" and "SEO specialist" in qin[8]
    better = next(c for c in ranking if c["id"] == "t-102")["better_roles"][0]
    assert better["role"] == "seo-specialist"  # the better post by its name, with its fit
    assert (qin[9], qin[10]) == ("SEO specialist", str(better["fit"]))
    fang = next(r for r in body if r[1] == "t-101")
    assert fang[6] == "fit" and fang[8] == ""  # nothing to explain when it fits


def test_csv_top_keeps_the_first_rows(cli) -> None:
    rows = _csv_rows(cli("screen", DRIVE, *RANKED, "--top", "2", "--format", "csv").out.encode())
    assert [r[1] for r in rows[1:]] == ["t-101", "t-105"]


def test_workbook_has_candidates_findings_and_rejects_sheets(cli, tmp_path: Path) -> None:
    data = cli("screen", DRIVE, *RANKED, "--format", "json").json()
    book = _xlsx(cli, tmp_path, DRIVE, *RANKED)
    assert book.sheetnames == ["Candidates", "Findings", "Rejects"]
    candidates = book["Candidates"]
    assert candidates.freeze_panes == "A2"
    assert candidates.auto_filter.ref == "A1:L7"
    assert all(cell.font.b for cell in candidates[1])
    assert candidates.column_dimensions["I"].width >= 40  # the reason is readable
    rows = _values(book, "Candidates")
    assert rows[0][0] == "Rank"
    assert [r[1] for r in rows[1:]] == [c["id"] for c in data["candidates"]]
    assert [r[5] for r in rows[1:]] == [c["fit"] for c in data["candidates"]]
    assert all(isinstance(r[0], int) and isinstance(r[5], int) for r in rows[1:])
    findings = _values(book, "Findings")
    assert findings[0] == ["Candidate ID", "Name", "Post", "Rule", "Severity", "Message", "Because"]
    expected = [(c["id"], f["rule"]) for c in data["candidates"] for f in c["findings"]]
    assert [(r[0], r[3]) for r in findings[1:]] == expected and expected
    assert _values(book, "Rejects") == [["Location", "Reason"]]  # there, even with none
    _no_formulas(book)


def test_rejected_rows_are_listed_on_their_sheet(cli, tmp_path: Path) -> None:
    drive = tmp_path / "drive.csv"
    lines = DRIVE.read_text(encoding="utf-8").splitlines()
    drive.write_text("\n".join([*lines, "t-107,Bad Row,taobao-operator,2,taobao,x,9"]) + "\n")
    target = tmp_path / "out.xlsx"
    run = cli("screen", drive, *RANKED, "--format", "xlsx", "-o", target)
    assert run.code == 2 and ":8:" in run.err  # still said on stderr, as in every format
    rejects = _values(load_workbook(target), "Rejects")
    assert len(rejects) == 2 and str(rejects[1][0]).endswith("drive.csv:8")
    assert len(_values(load_workbook(target), "Candidates")) == 7


def test_chinese_headers_with_lang_zh(cli, tmp_path: Path) -> None:
    rows = _csv_rows(cli("--lang", "zh", "screen", DRIVE, *RANKED, "--format", "csv").out.encode())
    assert rows[0][:3] == ["排名", "编号", "姓名"]
    assert rows[0][5] == "匹配度"
    assert rows[1][6] == "匹配"
    book = _xlsx(cli, tmp_path, "--lang", "zh", DRIVE, *RANKED)
    assert book.sheetnames == ["候选人", "发现的问题", "未能筛选的记录"]
    assert _values(book, "发现的问题")[0][0] == "候选人编号"


def test_a_formula_in_a_name_stays_text(cli, tmp_path: Path) -> None:
    drive = tmp_path / "drive.csv"
    name = HYPERLINK.replace('"', '""')
    drive.write_text(f'id,name,applying_for,seo\n=1+1,"{name}",seo-specialist,4\n')
    rows = _csv_rows(cli("screen", drive, "--format", "csv").out.encode())
    assert rows[1][1:3] == ["'=1+1", "'" + HYPERLINK]
    book = _xlsx(cli, tmp_path, drive)  # string cells: the text as it was, and never run
    assert _values(book, "Candidates")[1][1:3] == ["=1+1", HYPERLINK]
    assert all(row[1] == HYPERLINK for row in _values(book, "Findings")[1:])
    _no_formulas(book)


# --- the renderers: columns another reader fills (email, phone), open applications -------------


def _candidate(ident: str, name: str, **changes: object) -> CandidateResult:
    base = CandidateResult(
        id=ident,
        name=name,
        role="taobao-operator",
        fit=40,
        verdict=Verdict.MISMATCH,
        findings=(
            Finding(
                rule="essential-skill-missing",
                severity=Severity.HIGH,
                message=f"{name} has no taobao-operations",
                because=("post taobao-operator needs taobao-operations ≥ 3",),
            ),
        ),
        better_roles=(RoleFit("seo-specialist", 80),),
        source=Location("drive.csv", 2),
        questions=(Question("seo", "How many years of SEO?", 3), Question("x", "-rm?", 1)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _report(*candidates: CandidateResult, rejects: tuple[Reject, ...] = ()) -> Report:
    labels = Labels(
        posts=frozen_map({"taobao-operator": "Taobao store operator", "seo-specialist": "SEO"})
    )
    return Report(None, candidates, rejects=rejects, ranked=True, labels=labels)


CONTACTS = _report(
    _candidate("a-1", "Li", extra=(("email", "li@example.com"), ("phone", "+86 138 0013 8000"))),
    _candidate("a-2", "Wu", extra=(("wechat", "@wu"), ("phone", "-1"))),
    _candidate("a-3", "Ma", open_application=True, fit=90, verdict=Verdict.FIT, findings=()),
)


def test_csv_carries_the_unused_columns_neutralised() -> None:
    rows = _csv_rows(render_bytes(CONTACTS, "csv"))
    assert rows[0][12:] == ["email", "phone", "wechat"]  # every candidate's, first seen first
    assert rows[1][12:] == ["li@example.com", "'+86 138 0013 8000", ""]
    assert rows[2][12:] == ["", "'-1", "'@wu"]
    assert rows[1][9:12] == ["SEO", "80", "How many years of SEO?; -rm?"]
    assert [r[4] for r in rows[1:]] == ["", "", "yes"]  # Ma applied for no post


def test_workbook_carries_the_unused_columns_as_text_not_formulas(tmp_path: Path) -> None:
    target = tmp_path / "contacts.xlsx"
    target.write_bytes(render_bytes(CONTACTS, "xlsx"))
    book = load_workbook(target)
    rows = _values(book, "Candidates")
    assert rows[0][12:] == ["email", "phone", "wechat"]
    assert rows[1][12:] == ["li@example.com", "+86 138 0013 8000", None]  # no ' in front
    assert rows[2][12:] == [None, "-1", "@wu"]
    assert [r[5] for r in rows[1:]] == [40, 40, 90]  # numbers staffcheck computed stay numbers
    assert rows[3][4] == "yes" and rows[3][8] is None
    _no_formulas(book)


def test_hostile_text_cannot_break_the_workbook(tmp_path: Path) -> None:
    report = _report(
        _candidate("c-\x00", "\x1b[31mRED\tx", extra=(("note", "line\r\nnext\x07"),)),
        rejects=(Reject(Location("drive.csv", 9), "=cmd|' /C calc'!A0"),),
    )
    target = tmp_path / "hostile.xlsx"
    target.write_bytes(render_bytes(report, "xlsx"))
    book = load_workbook(target)
    row = _values(book, "Candidates")[1]
    assert row[1:3] == ["c-\\x00", "\\x1b[31mRED\tx"]  # shown, not obeyed nor refused
    assert row[12] == "line\nnext\\x07"
    assert _values(book, "Rejects")[1] == ["drive.csv:9", "=cmd|' /C calc'!A0"]
    _no_formulas(book)


def test_ten_thousand_candidates_render_promptly() -> None:
    one = CONTACTS.candidates[0]
    many = _report(*(dataclasses.replace(one, id=f"a-{n}") for n in range(10_000)))
    started = time.monotonic()
    data = render_bytes(many, "xlsx")
    csv_data = render_bytes(many, "csv")
    assert time.monotonic() - started < 60  # a few seconds; minutes would be a regression
    assert len(_csv_rows(csv_data)) == 10_001
    # Reading 10,000 rows back with openpyxl takes longer than writing them: look in the file.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b'<row r="10001"' in sheet and b'<row r="10002"' not in sheet


# --- where the bytes go ------------------------------------------------------------------------


def test_a_workbook_is_refused_on_a_terminal_before_any_work(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    run = cli("screen", tmp_path / "not-read.csv", "--format", "xlsx")
    assert run.code == 2 and run.out == ""
    assert run.err.count("\n") == 1 and "use --output FILE" in run.err
    target = tmp_path / "ok.xlsx"
    assert cli("screen", DRIVE, "--format", "xlsx", "-o", target).code == 0
    assert load_workbook(target).sheetnames[0] == "Candidates"


def test_a_workbook_is_written_to_a_pipe(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["screen", str(DRIVE), *RANKED, "--format", "xlsx"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"PK")
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Candidates", "Findings", "Rejects"]


def test_output_file_is_replaced_whole_and_no_temporary_file_is_left(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"the user's old workbook")
    assert cli("screen", DRIVE, "--format", "xlsx", "-o", target).code == 0
    assert len(_values(load_workbook(target), "Candidates")) == 7
    assert [p.name for p in tmp_path.iterdir()] == ["results.xlsx"]
    before = target.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("staffcheck.output.os.fsync", full_disk)
    run = cli("screen", DRIVE, *RANKED, "-o", target)
    assert run.code == 2 and "No space left on device" in run.err and "unchanged" in run.err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["results.xlsx"]


def test_csv_output_file_is_utf8_with_a_bom(cli, tmp_path: Path) -> None:
    target = tmp_path / "results.csv"
    assert cli("--lang", "zh", "screen", DRIVE, "--format", "csv", "-o", target).code == 0
    rows = _csv_rows(target.read_bytes())
    assert rows[0][0] == "序号"  # not ranked without --post: input order, numbered
    assert len(rows) == 7


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_team_reports_have_no_spreadsheet_format(
    cli, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    team = EXAMPLES / "spring-launch.yaml"
    with pytest.raises(SystemExit) as after:  # argparse's own refusal of a choice
        cli("team", team, "--format", fmt)
    assert after.value.code == 2 and f"invalid choice: '{fmt}'" in capsys.readouterr().err
    before = cli("--format", fmt, "team", team)
    assert before.code == 2 and f"team has no '{fmt}' format" in before.err


# --- text that looks like a formula: text in both, run in neither ------------------------------

HOSTILE_CELLS = (HYPERLINK, "@SUM(1)", "+1", "-1", "\t=1", "=1\r\n+2")


def _hostile_report() -> Report:
    extra = tuple((f"col{n}", value) for n, value in enumerate(HOSTILE_CELLS))
    return _report(_candidate("h-1", "Hu", extra=extra))


def test_csv_prefixes_every_formula_looking_cell_with_a_quote() -> None:
    row = _csv_rows(render_bytes(_hostile_report(), "csv"))[1]
    assert row[12:] == [
        "'" + HYPERLINK, "'@SUM(1)", "'+1", "'-1", "'\t=1", "'=1\n+2",
    ]  # fmt: skip


def test_workbook_stores_formula_looking_text_as_string_cells(tmp_path: Path) -> None:
    data = render_bytes(_hostile_report(), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    string_cell = r'<c r="([A-Z]+)2"[^>]*t="inlineStr"[^>]*><is><t[^>]*>(.*?)</t></is></c>'
    cells = dict(re.findall(string_cell, sheet, re.DOTALL))
    texts = [html.unescape(cells[column]) for column in "MNOPQR"]
    assert texts == ["=1\n+2" if v == "=1\r\n+2" else v for v in HOSTILE_CELLS]
    target = tmp_path / "hostile.xlsx"
    target.write_bytes(data)
    book = load_workbook(target)
    assert _values(book, "Candidates")[1][12:] == [
        HYPERLINK, "@SUM(1)", "+1", "-1", "\t=1", "=1\n+2",
    ]  # fmt: skip
    _no_formulas(book)


# --- open applications, and input columns named like ours -------------------------------------


def test_an_open_application_offers_no_better_post() -> None:
    rows = _csv_rows(render_bytes(CONTACTS, "csv"))
    assert rows[1][9:11] == ["SEO", "80"]  # Li applied for a post; SEO suits better
    assert rows[3][3:5] == ["Taobao store operator", "yes"]  # Ma: the best post, marked open
    assert rows[3][9:11] == ["", ""]  # not the next post tried, which fits worse


def test_an_input_column_named_like_ours_is_labelled_as_the_input(tmp_path: Path) -> None:
    report = _report(_candidate("a-1", "Li", extra=(("Fit", "high"), ("verdict", "maybe"))))
    header = _csv_rows(render_bytes(report, "csv"))[0]
    assert header[12:] == ["Fit (input)", "verdict (input)"]
    assert header.count("Fit") == 1
    target = tmp_path / "carried.xlsx"
    target.write_bytes(render_bytes(report, "xlsx"))
    rows = _values(load_workbook(target), "Candidates")
    assert rows[0][12:] == ["Fit (input)", "verdict (input)"]
    assert rows[1][12:] == ["high", "maybe"]


def test_an_input_column_named_like_ours_in_chinese(cli, tmp_path: Path) -> None:
    drive = tmp_path / "drive.csv"
    drive.write_text("编号,姓名,应聘岗位,匹配度\nz1,张三,taobao-operator,高\n", encoding="utf-8")
    run = cli("--lang", "zh", "screen", drive, "--format", "csv")
    assert run.code == 0, run.err
    header = _csv_rows(run.out.encode("utf-8"))[0]
    assert header.count("匹配度") == 1 and header[-1] == "匹配度（原表）"
