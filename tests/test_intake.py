"""HR's real spreadsheets in: exports with extra columns, Chinese or capitalised headers, ';',
title rows, a "Read me" sheet first, XLS and ODS, GBK and UTF-16; and `staffcheck template`.

The files of tests/data/intake/ were saved as the tools HR uses save them (see make_fixtures.py
there); the others are written here, byte for byte.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from staffcheck.columns import Vocabulary, normal
from staffcheck.model import Profile
from staffcheck.sources import Notice, read_applicants

from .conftest import RULES

INTAKE = Path(__file__).resolve().parent / "data" / "intake"


def _ids(run: Any) -> list[str]:
    return [c["id"] for c in run.json()["candidates"]]


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("staffcheck: note: ")]


def _profiles(kb: Any, *paths: Path, sheet: str | None = None) -> tuple[list[Any], list[Notice]]:
    notes: list[Notice] = []
    records = list(read_applicants([str(p) for p in paths], kb, sheet=sheet, on_note=notes.append))
    return records, notes


# -- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "kind", "target"),
    [
        ("Id", "field", "id"),
        ("ＩＤ", "field", "id"),  # full-width, as a Chinese input method types it
        ("编号", "field", "id"),
        ("工号", "field", "id"),
        ("Name", "field", "name"),
        ("姓名", "field", "name"),
        ("Applying_For", "field", "applying_for"),
        ("applying-for", "field", "applying_for"),
        ("Position applied for", "field", "applying_for"),
        ("应聘岗位", "field", "applying_for"),
        ("Years of Experience", "field", "experience_years"),
        ("工作年限（年）", "field", "experience_years"),  # a note in brackets is ignored
        ("渠道", "field", "channels"),
        ("职位/头衔", "field", "titles"),
        ("技能", "skills", "skills"),
        ("SEO", "skill", "seo"),
        ("Keyword research", "skill", "keyword-research"),
        ("keyword_research", "skill", "keyword-research"),
        ("Email", "extra", "Email"),
        ("序号", "extra", "序号"),  # a row number is not a person's id
    ],
)
def test_headers_are_matched_forgivingly(kb, header: str, kind: str, target: str) -> None:
    column = Vocabulary(kb).column(header)
    assert (column.kind, column.target) == (kind, target)


def test_normal_form() -> None:
    assert normal("  Applying__For ") == normal("applying for") == normal("APPLYING-FOR")


# -- the files HR sends ------------------------------------------------------------------------


def test_gbk_csv_with_chinese_headers_and_a_phone_column(cli) -> None:
    path = INTAKE / "gbk.csv"
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    people = {c["id"]: c for c in run.json()["candidates"]}
    assert people["g-1"]["name"] == "方雨" and people["g-1"]["verdict"] == "fit"
    assert _notes(run.err) == [
        f"staffcheck: note: {path}: read as GB18030 (GBK); save as 'CSV UTF-8' to be sure of "
        "every character; ignored columns: 手机 (kept in spreadsheet results)"
    ]


def test_extra_columns_are_carried_in_column_order(kb) -> None:
    records, notes = _profiles(kb, INTAKE / "gbk.csv")
    first = records[0]
    assert isinstance(first, Profile)
    assert first.extra == (("手机", "13800138000"),)
    assert first.experience_years == 4  # written "4年"
    assert first.channels == ("taobao", "tmall")
    second = records[1]
    assert isinstance(second, Profile)
    assert second.applying_for == "taobao-operator"  # written as the post's name
    assert len(notes) == 1


def test_semicolons_a_title_row_and_capitalised_headers(cli) -> None:
    path = INTAKE / "semicolon.csv"
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert _ids(run) == ["s-1", "s-2"]
    assert _notes(run.err) == [
        f"staffcheck: note: {path}: header on line 2; the lines above it were skipped; "
        "ignored columns: Email (kept in spreadsheet results)"
    ]


@pytest.mark.parametrize(
    "name", ["readme-first.xlsx", "drive.xls", "small-stream.xls", "drive.ods"]
)
def test_workbooks_with_a_read_me_sheet_first(cli, name: str) -> None:
    path = INTAKE / name
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    people = {c["id"]: c["verdict"] for c in run.json()["candidates"]}
    assert people == {"x-1": "fit", "x-2": "mismatch"}
    assert _notes(run.err) == [
        f"staffcheck: note: {path}: read sheet 'Applicants', the first with a header row; "
        "header on row 3; the rows above it were skipped; ignored columns: Source (kept in "
        "spreadsheet results)"
    ]


@pytest.mark.parametrize("sheet", ["Applicants", "applicants", "2"])
def test_sheet_by_name_or_number(cli, sheet: str) -> None:
    run = cli("screen", INTAKE / "readme-first.xlsx", "--sheet", sheet, "--format", "json")
    assert run.code == 0, run.err
    assert _ids(run) == ["x-1", "x-2"]
    assert "read sheet" not in run.err  # the sheet was asked for: nothing to say about it


@pytest.mark.parametrize(
    ("sheet", "error"),
    [
        ("Nope", "no sheet 'Nope' in the workbook (its sheets: 'Read me', 'Applicants') "
                 "(give --sheet a sheet's name, or its number from 1)"),
        ("3", "no sheet '3' in the workbook"),
        ("1", "no header row on sheet 'Read me': none of the first 20 rows names the columns "
              "id and name"),
    ],
)  # fmt: skip
def test_bad_sheet_is_one_clear_line(cli, sheet: str, error: str) -> None:
    path = INTAKE / "drive.xls"
    run = cli("screen", path, "--sheet", sheet)
    assert run.code == 2
    assert run.out == ""
    [line] = run.err.splitlines()
    assert line.startswith(f"staffcheck: error: {path}: {error}")


def test_workbook_without_a_header_names_its_sheets(cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(["phone", "email"])
    book.create_sheet("说明").append(["hello"])
    path = tmp_path / "drive.xlsx"
    book.save(path)
    run = cli("screen", path)
    assert run.code == 2
    assert run.err == (
        f"staffcheck: error: {path}: no sheet has a header row naming the columns id and name "
        "(sheets: 'Sheet1', '说明') (add the header row, or name the sheet with --sheet)\n"
    )


def test_notes_are_printed_once_per_file(cli, tmp_path: Path) -> None:
    rows = "".join(f"a-{n},P{n},seo-specialist,4,p{n}@example.com\n" for n in range(200))
    one = tmp_path / "one.csv"
    one.write_text("id,name,applying_for,seo,email\n" + rows, encoding="utf-8")
    two = tmp_path / "two.csv"
    two.write_text("id,name,phone,source\nb-1,Q,1380,boss\n", encoding="utf-8")
    run = cli("screen", one, two, "--post", "seo-specialist", "--format", "jsonl")
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        f"staffcheck: note: {one}: ignored columns: email (kept in spreadsheet results)",
        f"staffcheck: note: {two}: ignored columns: phone, source (kept in spreadsheet results)",
    ]
    assert len(run.out.splitlines()) == 201


def test_chinese_notes_with_lang_zh(cli) -> None:
    run = cli("--lang", "zh", "screen", INTAKE / "gbk.csv", "--format", "json")
    assert run.code == 0, run.err
    assert "已按 GB18030（GBK）编码读取" in run.err and "已忽略的列：手机" in run.err


# -- encodings and line ends -------------------------------------------------------------------

HEADER = "id,name,applying_for,seo\n"


@pytest.mark.parametrize(
    ("content", "note"),
    [
        (("\ufeff" + HEADER + "u-1,林伟,seo-specialist,4\n").encode("utf-8"), None),
        ((HEADER + "u-1,林伟,seo-specialist,4\n").encode("utf-16"), "read as UTF-16"),
        ((HEADER + "u-1,林伟,seo-specialist,4\n").encode("gb18030"), "read as GB18030 (GBK)"),
        ((HEADER + "u-1,林伟,seo-specialist,4\n").replace("\n", "\r").encode(), None),
        ((HEADER + "u-1,林伟,seo-specialist,4\n").replace(",", "\t").encode(), None),
    ],
    ids=["utf8-bom", "utf16-bom", "gb18030", "cr-only", "tabs"],
)
def test_encodings_and_line_ends(cli, tmp_path: Path, content: bytes, note: str | None) -> None:
    path = tmp_path / "drive.csv"
    path.write_bytes(content)
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert [(c["id"], c["name"]) for c in run.json()["candidates"]] == [("u-1", "林伟")]
    assert (note in run.err) if note else run.err == ""


def test_undecodable_csv_is_one_clear_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_bytes(b"\x81\xff\xfe\x80,\x81\n\xff\x00\x81\n")
    run = cli("screen", path)
    assert run.code == 2
    assert run.err == (
        f"staffcheck: error: {path}:1: not UTF-8, UTF-16 or GBK text (save the file as UTF-8; "
        "exports from Excel: 'CSV UTF-8')\n"
    )


def test_gbk_on_standard_input(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (INTAKE / "gbk.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    run = cli("screen", "-", "--stdin-format", "csv", "--format", "json")
    assert run.code == 0, run.err
    assert _ids(run) == ["g-1", "g-2"]
    assert "staffcheck: note: <stdin>: read as GB18030 (GBK)" in run.err


# -- odd files and odd columns -----------------------------------------------------------------


def test_a_tab_separated_text_saved_as_xls_is_read(cli, tmp_path: Path) -> None:
    path = tmp_path / "export.xls"  # what many recruiting sites send
    path.write_text("编号\t姓名\t应聘岗位\tseo\nt-1\t王芳\tseo-specialist\t4\n", encoding="utf-8")
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert _ids(run) == ["t-1"]
    assert f"staffcheck: note: {path}: not a workbook but text: read as CSV" in run.err


def test_a_web_page_saved_as_xls_is_refused_with_the_fix(cli, tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><table><tr><td>id</td></tr></table></html>", encoding="utf-8")
    run = cli("screen", path)
    assert run.code == 2
    assert run.err.startswith(f"staffcheck: error: {path}: this file is a web page (HTML)")
    assert "save it as .xlsx or 'CSV UTF-8'" in run.err


def test_a_broken_workbook_is_one_clear_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    run = cli("screen", path)
    assert run.code == 2
    assert run.err.startswith(f"staffcheck: error: {path}: not a readable workbook (")
    assert len(run.err.splitlines()) == 1


def test_two_columns_for_one_field_reject_the_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_text("id,name,姓名\na-1,Li,李\n", encoding="utf-8")
    run = cli("screen", path)
    assert run.code == 2
    assert run.err == (
        f"staffcheck: error: {path}:1: columns 'name' and '姓名' both give name (keep one)\n"
    )


def test_no_header_row_is_one_clear_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_text("phone,email\n1380,a@b.c\n", encoding="utf-8")
    run = cli("screen", path)
    assert run.code == 2
    assert run.err.splitlines() == [
        f"staffcheck: error: {path}: no header row: none of the first 20 rows names the columns "
        "id and name (add a row 'id,name,applying_for,...' (or 编号,姓名,应聘岗位,...) above "
        "the data)"
    ]


def test_empty_extra_cells_keep_their_place(kb, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_text(
        "email,id,name,phone,applying_for\n,a-1,Li,1380,seo-specialist\nx@y.z,a-2,Wu,,seo-specialist\n",
        encoding="utf-8",
    )
    records, _ = _profiles(kb, path)
    assert [r.extra for r in records] == [
        (("email", ""), ("phone", "1380")),
        (("email", "x@y.z"), ("phone", "")),
    ]


# -- a pack with Chinese names -----------------------------------------------------------------


@pytest.fixture
def zh_pack(tmp_path: Path) -> Path:
    """The bundled pack with Chinese names for the Taobao operator post and its skills."""
    pack = tmp_path / "pack"
    shutil.copytree(RULES, pack)
    names = {
        "skills.yaml": {"taobao-operations": "淘宝店铺运营", "merchandise-operations": "商品运营",
                        "customer-service": "客户服务"},
        "roles.yaml": {"taobao-operator": "淘宝运营"},
    }  # fmt: skip
    for file, labels in names.items():
        data = yaml.safe_load((pack / file).read_text(encoding="utf-8"))
        for entries in data.values():
            for entry in entries:
                if isinstance(entry, dict) and entry.get("id") in labels:
                    zh = entry.setdefault("translations", {}).setdefault("zh", {})
                    zh["name"] = labels[entry["id"]]
        (pack / file).write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return pack


def test_skill_columns_and_posts_by_their_chinese_names(cli, tmp_path: Path, zh_pack: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_text(
        "编号,姓名,应聘岗位,淘宝店铺运营,商品运营,客户服务\nz-1,方雨,淘宝运营,4,3,3\n",
        encoding="utf-8",
    )  # fmt: skip
    run = cli("screen", path, "--rules", zh_pack, "--format", "json")
    assert run.code == 0, run.err
    [person] = run.json()["candidates"]
    assert (person["id"], person["role"], person["verdict"]) == ("z-1", "taobao-operator", "fit")


# -- staffcheck template -----------------------------------------------------------------------


def test_template_csv_lists_the_posts_skills_essential_first(cli, kb) -> None:
    run = cli("template", "--post", "taobao-operator")
    assert run.code == 0, run.err
    header = run.out.splitlines()
    role = kb.roles["taobao-operator"]
    assert len(header) == 1
    columns = header[0].split(",")
    assert columns[:6] == ["id", "name", "applying_for", "experience_years", "channels", "titles"]
    assert columns[6 : 6 + len(role.essential)] == list(role.essential)
    assert set(columns[6:]) == {*role.essential, *role.optional}


def test_template_zh_round_trip_csv(cli, tmp_path: Path, zh_pack: Path) -> None:
    target = tmp_path / "模板.csv"
    made = cli("--lang", "zh", "template", "--post", "淘宝运营", "--rules", zh_pack, "-o", target)
    assert made.code == 0, made.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeff编号,姓名,应聘岗位,工作年限,渠道,职位/头衔,淘宝店铺运营,")
    header = text.lstrip("\ufeff").strip().split(",")
    row = {"编号": "z-1", "姓名": "方雨", "应聘岗位": "淘宝运营", "淘宝店铺运营": "4",
           "商品运营": "3", "客户服务": "3"}  # fmt: skip
    with target.open("a", encoding="utf-8") as handle:
        handle.write(",".join(row.get(h, "") for h in header) + "\n")
    run = cli("--lang", "zh", "screen", target, "--rules", zh_pack, "--format", "json")
    assert run.code == 0, run.err
    assert run.err == ""  # every column of the template is understood
    [person] = run.json()["candidates"]
    assert (person["role"], person["verdict"]) == ("taobao-operator", "fit")


def test_template_zh_round_trip_xlsx(cli, tmp_path: Path, zh_pack: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "drive.xlsx"
    made = cli("--lang", "zh", "template", "--post", "taobao-operator", "--rules", zh_pack, "-o", target)  # fmt: skip
    assert made.code == 0, made.err
    book = load_workbook(target)
    sheet = book.active
    assert sheet.title == "应聘者"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["编号", "姓名", "应聘岗位"]
    skill_columns = [i for i, h in enumerate(header, 1) if i > 6]
    checks = sheet.data_validations.dataValidation
    levels = [v for v in checks if v.type == "whole"]
    assert len(levels) == 1 and (levels[0].formula1, levels[0].formula2) == ("0", "5")
    covered = str(levels[0].sqref)
    from openpyxl.utils import get_column_letter

    assert all(f"{get_column_letter(i)}2:" in covered for i in skill_columns)
    posts = [v for v in checks if v.type == "list"]
    assert posts and posts[0].formula1 == '"淘宝运营"'
    values = {"编号": "z-1", "姓名": "方雨", "应聘岗位": "淘宝运营", "淘宝店铺运营": 4,
              "商品运营": 3, "客户服务": 3}  # fmt: skip
    sheet.append([values.get(h) for h in header])
    book.save(target)
    run = cli("screen", target, "--rules", zh_pack, "--format", "json")
    assert run.code == 0, run.err
    assert run.err == ""
    [person] = run.json()["candidates"]
    assert (person["id"], person["verdict"]) == ("z-1", "fit")


def test_template_xlsx_is_not_written_to_a_terminal(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    run = cli("template", "--post", "seo-specialist", "--format", "xlsx")
    assert run.code == 2
    assert run.err == (
        "staffcheck: error: an XLSX workbook is binary and is not written to a terminal "
        "(write it to a file with -o FILE.xlsx)\n"
    )


def test_template_unknown_post(cli) -> None:
    run = cli("template", "--post", "taobao-operater")
    assert run.code == 2
    assert "unknown post 'taobao-operater' (did you mean 'taobao-operator'?)" in run.err


def test_template_output_is_atomic_and_never_an_input(cli, tmp_path: Path) -> None:
    target = tmp_path / "drive.xlsx"
    assert cli("template", "--post", "seo-specialist", "-o", target).code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["drive.xlsx"]
    assert target.read_bytes().startswith(b"PK\x03\x04")
    refused = cli("template", "--post", "seo-specialist", "-o", RULES / "roles.yaml")
    assert refused.code == 2 and "over one of the input files" in refused.err


def test_read_applicants_without_a_note_sink_is_silent(kb) -> None:
    records = list(read_applicants([str(INTAKE / "gbk.csv")], kb))
    assert [r.id for r in records if isinstance(r, Profile)] == ["g-1", "g-2"]


def test_json_rejects_of_a_workbook_name_the_row(cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["标题：春季招聘"])
    book.active.append(["编号", "姓名", "应聘岗位", "seo"])
    book.active.append(["w-1", "甲", "seo-specialist", 9])
    book.active.append(["w-2", "乙", "seo-specialist", 4])
    path = tmp_path / "drive.xlsx"
    book.save(path)
    run = cli("screen", path, "--format", "json")
    assert run.code == 2
    report = json.loads(run.out)
    assert [c["id"] for c in report["candidates"]] == ["w-2"]
    assert report["rejects"][0]["row"] == 3  # the sheet's own row number, title row counted


def test_xlsx_with_a_stale_dimension_keeps_every_column(cli, tmp_path: Path) -> None:
    """Some exporters write <dimension ref="A1:A1"/> whatever the sheet holds; openpyxl's
    read-only mode trusts it and would see one column unless its dimensions are reset."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "name", "applying_for", "seo", "keyword-research"])
    book.active.append(["d-1", "Lin Wei", "seo-specialist", 4, 4])
    made = tmp_path / "made.xlsx"
    book.save(made)
    path = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:E2" />' in data
                data = data.replace(b'<dimension ref="A1:E2" />', b'<dimension ref="A1:A1" />')
            target.writestr(item, data)
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    [person] = run.json()["candidates"]
    assert (person["id"], person["name"], person["verdict"]) == ("d-1", "Lin Wei", "fit")


def test_notes_show_hostile_headers_inertly(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_bytes(b"id,name,applying_for,\x1b]0;pwned\x07\na-1,Li,seo-specialist,x\n")
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert "\x1b" not in run.err and "\x07" not in run.err
    assert "ignored columns: \\x1b]0;pwned\\x07 (kept in spreadsheet results)" in run.err


def test_load_subject_keeps_the_notes_for_its_caller(kb) -> None:
    from staffcheck.sources import load_subject

    subject = load_subject([str(INTAKE / "semicolon.csv")], kb)
    assert [p.id for p in subject.profiles] == ["s-1", "s-2"]
    assert [n.message for n in subject.notes] == [
        "header on line 2; the lines above it were skipped; "
        "ignored columns: Email (kept in spreadsheet results)"
    ]


# -- cells no header names ---------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "ods"])
def test_cells_without_a_header_are_kept_aside_alike_in_every_format(cli, suffix: str) -> None:
    """A column of remarks without a header (D) and a cell written right of the header's last
    column (H) are kept, named by their letters, and said once: CSV and workbooks agree."""
    path = INTAKE / f"blank-header.{suffix}"
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    extras = {c["id"]: c["extra"] for c in run.json()["candidates"]}
    assert extras == {"b-1": {"column D": "called back"}, "b-2": {"column H": "wants remote"},
                      "b-3": {}}  # fmt: skip
    assert _notes(run.err) == [
        f"staffcheck: note: {path}: ignored columns: column D (kept in spreadsheet results); "
        "rows with cells right of the header's last column: 1 (kept in spreadsheet results as "
        "column H)"
    ]


def test_cells_without_a_header_are_named_in_chinese(cli) -> None:
    run = cli("--lang", "zh", "screen", INTAKE / "blank-header.csv", "--format", "json")
    assert run.code == 0, run.err
    assert run.json()["candidates"][0]["extra"] == {"第 D 列": "called back"}
    assert "已忽略的列：第 D 列" in run.err
    assert "有 1 行在表头最后一列的右侧还有内容（已作为第 H 列保留在表格结果中）" in run.err


def test_an_empty_column_without_a_header_is_not_mentioned(kb, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"  # a trailing comma on every line, as some exporters write
    path.write_text("id,name,applying_for,\na-1,Li,seo-specialist,\n", encoding="utf-8")
    records, notes = _profiles(kb, path)
    assert [r.extra for r in records] == [()]
    assert notes == []


def test_many_cells_past_the_header_are_counted_not_listed(kb, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    rows = "".join(f"a-{n},P{n}" + ",x" * 12 + "\n" for n in range(3))
    path.write_text("id,name\n" + rows, encoding="utf-8")
    records, notes = _profiles(kb, path)
    assert [name for name, _ in records[0].extra][:2] == ["column C", "column D"]
    assert len(records[0].extra) == 12
    [note] = notes
    assert note.message == (
        "rows with cells right of the header's last column: 3 (kept in spreadsheet results as "
        "column C, column D, column E, column F, column G, column H, column I, column J "
        "and 4 more)"
    )


# -- --sheet -----------------------------------------------------------------------------------


def test_sheet_without_any_workbook_is_an_error(cli) -> None:
    run = cli("screen", INTAKE / "gbk.csv", "--sheet", "Applicants")
    assert run.code == 2
    assert run.out == ""
    assert run.err == (
        "staffcheck: error: --sheet applies to workbooks (.xlsx, .xls, .ods); none of the "
        "inputs is one\n"
    )


def test_sheet_with_mixed_inputs_applies_to_the_workbooks_only(cli) -> None:
    run = cli(
        "screen", INTAKE / "gbk.csv", INTAKE / "readme-first.xlsx", "--sheet", "2",
        "--format", "json",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert sorted(_ids(run)) == ["g-1", "g-2", "x-1", "x-2"]


def test_sheet_help_says_which_inputs_it_applies_to(
    cli, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli("screen", "--help")
    assert "applies to the workbooks only" in " ".join(capsys.readouterr().out.split())


def _run_limited(*args: object) -> tuple[int, str]:
    """The CLI in a subprocess with a 1 GiB address-space limit and 30 s of CPU (CPU time, not
    wall time, which a busy machine stretches): (exit status, stderr)."""
    import subprocess

    resource = pytest.importorskip("resource")

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (30, 30))

    done = subprocess.run(
        [sys.executable, "-m", "staffcheck", *map(str, args)],
        capture_output=True, timeout=600, preexec_fn=limit, check=False,
    )  # fmt: skip
    return done.returncode, done.stderr.decode("utf-8", "replace")


def test_a_stray_cell_far_away_in_an_xlsx_is_kept_aside_quickly(tmp_path: Path) -> None:
    path = INTAKE / "far-cell.xlsx"  # XFD1048576: right of the header, in a row of its own
    code, err = _run_limited("screen", path, "--format", "json", "-o", tmp_path / "out.json")
    assert code == 0, err
    assert err == (
        f"staffcheck: note: {path}: rows with cells right of the header's last column: 1 "
        "(kept in spreadsheet results as column XFD)\n"
    )
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in report["candidates"]] == ["h-1"]


# -- legacy .xls: sized before calamine opens it ------------------------------------------------


def test_xls_sheet_extents_are_read_from_the_file(tmp_path: Path) -> None:
    from staffcheck.xls_extent import Extent, sheet_extents

    hostile = INTAKE.parent.parent / "hostile"
    assert sheet_extents(INTAKE / "drive.xls") == [
        Extent("Read me", 2, 1),
        Extent("Applicants", 5, 7),
    ]
    assert sheet_extents(INTAKE / "small-stream.xls") == sheet_extents(INTAKE / "drive.xls")
    far = [Extent("Sheet1", 65536, 256)]
    assert sheet_extents(hostile / "sheet-far-cell.xls") == far
    assert sheet_extents(hostile / "sheet-far-cell-mini-stream.xls") == far
    assert sheet_extents(INTAKE / "gbk.csv") is None  # not a compound file
    cut = tmp_path / "cut.xls"
    cut.write_bytes((INTAKE / "drive.xls").read_bytes()[:1500])
    assert sheet_extents(cut) is None  # its sectors end early: unknown, never an exception


def test_a_truncated_xls_is_one_clear_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.xls"
    path.write_bytes((INTAKE / "drive.xls").read_bytes()[:1500])
    run = cli("screen", path)
    assert run.code == 2
    assert run.err.startswith(f"staffcheck: error: {path}: not a readable workbook (")
    assert len(run.err.splitlines()) == 1


def test_a_far_cell_in_an_xls_is_refused_before_the_grid_is_built() -> None:
    path = INTAKE.parent.parent / "hostile" / "sheet-far-cell.xls"
    code, err = _run_limited("--lang", "zh", "screen", path)  # 1 GiB: calamine alone needs more
    assert code == 2
    assert err == (
        f"staffcheck: error: {path}: 工作表 'Sheet1' 的使用范围达 65,536 行 × 256 列，太大，无法读取"
        "（请清除表格下方或右侧远处的单元格，或另存为“CSV UTF-8”）\n"
    )


# -- GBK or Windows-1252 -----------------------------------------------------------------------

WINDOWS_1252 = "read as Windows-1252 (Western European); save as 'CSV UTF-8' to be sure of every character"  # fmt: skip


@pytest.mark.parametrize(
    ("name", "people", "note"),
    [
        ("western.csv", [("w-1", "José García"), ("w-2", "Jürgen Müller"),
                         ("w-3", "Søren Østergaard")], WINDOWS_1252),
        ("short-latin1.csv", [("w-4", "Søren Rossi")], WINDOWS_1252),
        # its bytes are also Windows-1252 ("Ðì»Ô"): a tie goes to GBK
        ("short-gbk.csv", [("g-3", "徐辉")], "read as GB18030 (GBK)"),
        ("gbk.csv", [("g-1", "方雨"), ("g-2", "秦浩")], "read as GB18030 (GBK)"),
    ],
)  # fmt: skip
def test_gbk_and_western_exports_are_told_apart(
    cli, name: str, people: list[tuple[str, str]], note: str
) -> None:
    path = INTAKE / name
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert [(c["id"], c["name"]) for c in run.json()["candidates"]] == people
    assert run.err.startswith(f"staffcheck: note: {path}: {note}")


def test_windows_1252_cells_are_kept_as_written(kb) -> None:
    records, _ = _profiles(kb, INTAKE / "western.csv")
    assert records[0].extra == (("notes", "“strong” – expects €3500"),)


def test_a_utf8_file_with_one_pasted_latin1_line_rejects_that_line_only(
    cli, tmp_path: Path
) -> None:
    path = tmp_path / "drive.csv"
    path.write_bytes(
        "id,name,applying_for,seo\nu-1,林伟,seo-specialist,4\nu-2,方雨,seo-specialist,4\n".encode()
        + b"u-3,Jos\xe9,seo-specialist,3\n"
    )
    run = cli("screen", path, "--format", "json")
    assert run.code == 2
    assert _ids(run) == ["u-1", "u-2"]
    assert run.json()["rejects"][0]["reason"].startswith("not UTF-8 text")


def test_an_xls_table_that_starts_at_column_c_names_cells_by_their_own_letters(
    kb, tmp_path: Path
) -> None:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    sheet = book.add_sheet("Applicants")
    rows = [["id", "name", "applying_for", None, "seo"], ["o-1", "Li", "seo-specialist", "note", 4]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c + 2, value)  # columns A and B left empty
    path = tmp_path / "drive.xls"
    book.save(str(path))
    records, notes = _profiles(kb, path)
    assert [r.extra for r in records] == [(("column F", "note"),)]
    assert [n.message for n in notes] == ["ignored columns: column F (kept in spreadsheet results)"]


# -- review: what a red-team pass on the intake found -------------------------------------------

DRIVE = (
    Path(__file__).resolve().parents[1] / "profiles" / "examples" / "exports" / "taobao-drive.csv"
)


@pytest.mark.parametrize("name", ["gone.csv", "gone.xlsx", "gone.ods", "gone.jsonl", "gone.yaml"])
def test_a_missing_input_is_one_line_and_the_batch_goes_on(cli, tmp_path: Path, name: str) -> None:
    missing = tmp_path / name
    run = cli("screen", missing, DRIVE, "--post", "taobao-operator", "--format", "json")
    assert run.code == 2
    assert "internal error" not in run.err
    assert f"staffcheck: error: {missing}: no such file (check the path)" in run.err.splitlines()
    assert _ids(run)  # the drive's applicants were still screened


def test_a_directory_a_dangling_link_and_an_unreadable_file_are_one_line_each(
    cli, tmp_path: Path
) -> None:
    (tmp_path / "x.csv").mkdir()
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    locked = tmp_path / "locked.csv"
    locked.write_text("id,name\nl-1,Li\n", encoding="utf-8")
    locked.chmod(0)
    inputs = [tmp_path / "x.csv", tmp_path / "dangling.xlsx", locked, DRIVE]
    run = cli("screen", *inputs, "--post", "taobao-operator", "--format", "json")
    assert run.code == 2
    assert "internal error" not in run.err
    errors = [line for line in run.err.splitlines() if line.startswith("staffcheck: error: ")]
    assert any(f"{tmp_path / 'x.csv'}: directory holds no" in e for e in errors)
    assert (
        f"staffcheck: error: {tmp_path / 'dangling.xlsx'}: no such file (check the path)" in errors
    )
    if os.geteuid() != 0:  # root reads any file
        assert any(f"{locked}: permission denied" in e for e in errors)
    assert len(errors) >= 2 and _ids(run)


@pytest.mark.parametrize("name", ["merged.xlsx", "merged.xls"])
def test_a_post_merged_down_the_rows_fills_every_row(cli, name: str) -> None:
    run = cli("screen", INTAKE / name, "--format", "json")
    assert run.code == 0, run.err
    posts = {c["id"]: (c["role"], c.get("open_application")) for c in run.json()["candidates"]}
    assert posts["m-2"] == posts["m-1"] == ("taobao-operator", posts["m-1"][1])
    assert not posts["m-2"][1]
    assert f"staffcheck: note: {INTAKE / name}: merged cells filled down: C2:C3" in _notes(run.err)


@pytest.mark.parametrize(
    ("header", "target"),
    [("工作 年限", "experience_years"), ("Applying For", "applying_for"), ("搜索引擎优化", "seo"),
     ("ApplyingFor", "applying_for")],
)  # fmt: skip
def test_spaces_and_bracketed_notes_of_labels_are_ignored(kb, header: str, target: str) -> None:
    assert Vocabulary(kb).column(header).target == target


def test_a_label_with_a_bracketed_note_is_known_by_either_part() -> None:
    from types import SimpleNamespace

    from staffcheck.columns import label_index

    entry = SimpleNamespace(name="Search engine optimisation (SEO)", translations={})
    index = label_index({"seo": entry})
    assert index[normal("Search engine optimisation")] == index[normal("SEO")] == "seo"


def test_loose_headers_and_posts_are_read(cli) -> None:
    run = cli("screen", INTAKE / "loose-headers.csv", "--format", "json")
    assert run.code == 0, run.err
    posts = {c["id"]: c["role"] for c in run.json()["candidates"]}
    assert posts == {"h-1": "seo-specialist", "h-2": "seo-specialist", "h-3": "taobao-operator"}
    assert not _notes(run.err)  # every column was recognised


def test_an_ambiguous_post_lists_its_candidates(cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(RULES, pack)
    roles = pack / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    text = text.replace("name: SEO specialist", "name: Specialist (SEO)", 1)
    text = text.replace("name: Search bidding (SEM) specialist", "name: Specialist (SEM)", 1)
    roles.write_text(text, encoding="utf-8")
    path = tmp_path / "a.csv"
    path.write_text("id,name,applying_for\na-1,Ann,specialist\n", encoding="utf-8")
    run = cli("--rules", pack, "screen", path)
    assert run.code == 2
    assert "'specialist' could mean" in run.err and "seo-specialist" in run.err


@pytest.mark.parametrize("output", ["json", "csv"])
def test_duplicate_extra_columns_keep_both_values(cli, output: str) -> None:
    run = cli("screen", INTAKE / "duplicate-notes.csv", "--format", output)
    if output == "json":
        assert run.json()["candidates"][0]["extra"] == {
            "备注": "first", "column F": "x", "备注 (2)": "second"
        }  # fmt: skip
    else:
        header, row = run.out.lstrip("\ufeff").splitlines()[:2]
        assert header.endswith("备注,column F,备注 (2)") and row.endswith("first,x,second")
    assert "ignored columns: 备注, column F, 备注 (2)" in run.err


def test_bad_cells_name_their_column_with_a_fix_all_in_one_line(cli) -> None:
    path = INTAKE / "bad-cells.csv"
    run = cli("screen", path)
    errors = [e for e in run.err.splitlines() if e.startswith("staffcheck: error:")]
    assert errors == [
        f"staffcheck: error: {path}:2: column 姓名: empty — every applicant needs a name",
        f"staffcheck: error: {path}:3: column 工作年限: 五年 is not a number of years (write a "
        "number, such as 3); column 淘宝/天猫店铺运营: 4.5 is not a level 0–5 (use a whole number)",
        f"staffcheck: error: {path}:4: column 工作年限: -2 is not 0–70 years (write the years of "
        "experience, such as 3)",
    ]
    zh = cli("--lang", "zh", "screen", path)
    assert f"staffcheck: error: {path}:2: 姓名列：为空——每位应聘者都需要填写姓名" in zh.err


@pytest.mark.parametrize(
    ("name", "order"), [("utf16le-no-bom.csv", "little"), ("utf16be-no-bom.csv", "big")]
)
def test_utf16_without_a_bom_is_read(cli, name: str, order: str) -> None:
    run = cli("screen", INTAKE / name, "--format", "json")
    assert run.code == 0, run.err
    assert [c["name"] for c in run.json()["candidates"]] == ["张三"]
    assert f"read as UTF-16 ({order}-endian, no byte-order mark)" in run.err


def test_a_decimal_comma_in_a_semicolon_file_is_a_decimal(kb) -> None:
    records, notes = _profiles(kb, INTAKE / "decimal-comma.csv")
    assert [r.experience_years for r in records] == [4.5]
    assert "decimal comma" in notes[0].message


def test_a_decimal_comma_in_a_comma_file_is_not_guessed(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('id,name,experience_years\nc-1,Cy,"4,5"\n', encoding="utf-8")
    run = cli("screen", path)
    assert run.code == 2 and "4,5 is not a number of years" in run.err


def test_one_gbk_line_in_a_utf8_file_rejects_that_line_only(cli) -> None:
    run = cli("screen", INTAKE / "one-gbk-line.csv", "--format", "json")
    assert _ids(run) == ["u-1", "u-3"]
    assert [r["row"] for r in run.json()["rejects"]] == [3]


def test_gbk_after_a_plain_ascii_start_is_read_as_gbk(cli) -> None:
    run = cli("screen", INTAKE / "late-gbk.csv", "--format", "json")
    assert run.code == 0, run.err
    names = [c["name"] for c in run.json()["candidates"]]
    assert names[-2:] == ["张三", "李四"] and len(names) == 2502
    assert "from line 2502, lines that are not UTF-8 were read as GB18030 (GBK)" in run.err


def test_merged_ranges_past_the_budget_are_not_filled() -> None:
    from staffcheck.workbooks import Merged, bounded, filled

    whole = Merged(0, 0, 1_048_575, 16_383)
    post = Merged(1, 2, 2, 2)
    assert bounded([whole, post]) == [post]
    rows = iter([["id", "name", "post"], ["m-1", "A", "x"], ["m-2", "B", None]])
    assert list(filled(rows, [post]))[2] == ["m-2", "B", "x"]


def test_a_short_gbk_file_whose_names_also_read_as_utf8_is_read_as_gbk(cli, tmp_path: Path) -> None:
    # 一 in GBK is D2 BB, which is also valid UTF-8 (Cyrillic һ): only the header's 编号 is
    # not. Misread Cyrillic is no evidence of UTF-8; the file is GBK.
    rows = "编号,name,applying_for,seo\r\np-0,一,seo-specialist,3\r\np-1,一,seo-specialist,3\r\n"
    path = tmp_path / "short.csv"
    path.write_bytes(rows.encode("gb18030"))
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert [c["name"] for c in run.json()["candidates"]] == ["一", "一"]


def test_a_short_gbk_file_that_also_reads_as_windows_1252_is_read_as_gbk(
    cli, tmp_path: Path
) -> None:
    # 编号 and 丁 decode in Windows-1252 too, as symbols (±àºÅ, ¶¡), not letters: GBK it is.
    rows = "email,编号,name,applying_for,seo\r\n,p-0,丁,seo-specialist,3\r\n,p-1,丁,seo-specialist,3\r\n"
    path = tmp_path / "short.csv"
    path.write_bytes(rows.encode("gb18030"))
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert [c["name"] for c in run.json()["candidates"]] == ["丁", "丁"]
