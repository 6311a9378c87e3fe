"""Issue 14, the files: a missing, special or unreadable input, a CSV row or JSON Lines line too
long, too deep or with a quote left open, and flow-style YAML on standard input. Each is one
reject (named, with a hint) and every other record is still read; nothing hangs or is read whole.

Large inputs are made here, in tmp_path, never committed; their cost is bounded in bytes
allocated (tracemalloc), not in seconds.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import staffcheck.sources
from staffcheck.model import KnowledgeBase, Profile, Reject
from staffcheck.sources import open_regular, read_applicants
from staffcheck.tables import MAX_RECORD_CHARS, RECORD_LIMIT_VARIABLE

from .conftest import ROOT

HEADER = "id,name,applying_for,experience_years,skills\n"
IDS = [f"c-{i}" for i in range(1, 9)]


def _rows() -> list[str]:
    return [f"{i},Name {i[2:]},writing-editor,3,editing:3\n" for i in IDS]


def _line(person: str) -> str:
    return (
        f'{{"id": "{person}", "name": "N {person}", "applying_for": "writing-editor", '
        '"skills": {"editing": 3}}\n'
    )


def _read(kb: KnowledgeBase, *paths: Path | str) -> tuple[list[str], list[Reject]]:
    """The ids screened and the rejects, of the inputs read together."""
    records = list(read_applicants([str(p) for p in paths], kb))
    return (
        [r.id for r in records if isinstance(r, Profile)],
        [r for r in records if isinstance(r, Reject)],
    )


def _reasons(rejects: list[Reject]) -> list[str]:
    return [f"{r.location}: {r.reason}" for r in rejects]


@pytest.fixture
def drive(tmp_path: Path) -> Path:
    """A good CSV read beside each bad input: its applicants must all be screened."""
    path = tmp_path / "good.csv"
    path.write_text(HEADER + "".join(_rows()), encoding="utf-8")
    return path


# -- item 1: missing, looping, unreadable, a directory --------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".yaml"])
def test_missing_looping_and_directory_inputs_are_one_reject_each(
    kb: KnowledgeBase, tmp_path: Path, drive: Path, suffix: str
) -> None:
    missing = tmp_path / f"missing{suffix}"
    dangling = tmp_path / f"dangling{suffix}"
    dangling.symlink_to(tmp_path / f"nowhere{suffix}")
    loop = tmp_path / f"loop{suffix}"
    loop.symlink_to(loop)
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    ids, rejects = _read(kb, missing, dangling, loop, folder, drive)
    assert ids == IDS
    reasons = _reasons(rejects)
    assert f"{missing}: no such file (check the path)" in reasons
    assert f"{dangling}: no such file (check the path)" in reasons
    assert f"{loop}: no such file (check the path)" in reasons
    assert any(r.startswith(f"{folder}: directory holds no") for r in reasons), reasons
    assert len(rejects) == 4


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_an_unreadable_file_is_a_reject_even_when_root(
    kb: KnowledgeBase, tmp_path: Path, drive: Path, suffix: str, monkeypatch: Any
) -> None:
    locked = tmp_path / f"locked{suffix}"
    locked.write_bytes(b"id,name\nl-1,Li\n")
    real_open = os.open

    def refusing(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path) == locked:  # chmod 000 as root would still read: refuse as the OS would
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(staffcheck.sources.os, "open", refusing)
    ids, rejects = _read(kb, locked, drive)
    assert ids == IDS
    assert _reasons(rejects) == [f"{locked}: permission denied (check the file's permissions)"]


def test_a_looping_link_opened_directly_says_so(tmp_path: Path) -> None:
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    with pytest.raises(staffcheck.sources.StaffcheckError, match="loop of symbolic links"):
        open_regular(loop)


# -- item 2: special files never hang -------------------------------------------------------------


@pytest.fixture
def unblocked() -> Iterator[list[Path]]:
    """FIFOs to read, each opened for writing after a while by a watchdog should a reader block
    on it (the defect): the test then fails on its message instead of hanging."""
    fifos: list[Path] = []
    stop = threading.Event()

    def watch() -> None:
        if stop.wait(20):
            return
        for fifo in fifos:
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    yield fifos
    stop.set()
    watchdog.join()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".yaml", ".tsv", ".ods"])
def test_a_fifo_is_refused_without_being_opened_for_a_read_that_waits(
    kb: KnowledgeBase, tmp_path: Path, drive: Path, suffix: str, unblocked: list[Path]
) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    unblocked.append(fifo)
    ids, rejects = _read(kb, fifo, drive)
    assert ids == IDS
    assert _reasons(rejects) == [
        f"{fifo}: is not a regular file (a device or pipe?) "
        "(name a .csv, .xlsx, .xls, .ods or .jsonl file)"
    ]


def test_open_regular_refuses_a_fifo_at_once(tmp_path: Path, unblocked: list[Path]) -> None:
    """The check is on the opened file, so a FIFO put in place after a look still cannot hang."""
    fifo = tmp_path / "late.csv"
    os.mkfifo(fifo)
    unblocked.append(fifo)
    with pytest.raises(staffcheck.sources.StaffcheckError, match="not a regular file"):
        open_regular(fifo)


def test_a_directory_holding_a_fifo_or_a_dangling_link_names_them(
    kb: KnowledgeBase, tmp_path: Path, drive: Path, unblocked: list[Path]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    os.mkfifo(folder / "pipe.csv")
    unblocked.append(folder / "pipe.csv")
    (folder / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    (folder / "good.csv").write_bytes(drive.read_bytes())
    ids, rejects = _read(kb, folder)
    assert ids == IDS
    assert [str(r.location) for r in rejects] == [
        str(folder / "gone.jsonl"),
        str(folder / "pipe.csv"),
    ]


#: Reads the inputs named on its command line; prints each reject's reason (no pack is needed:
#: each of these inputs is refused before any record is read).
DEVICE_READER = """
import sys
from staffcheck.sources import read_applicants
for record in read_applicants(sys.argv[1:], None):
    print(record.location, record.reason, sep=": ")
"""


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and /dev/urandom")
def test_devices_linked_as_inputs_are_refused(tmp_path: Path) -> None:
    """Run apart, in 1 GiB, so that the defect (reading /dev/zero for ever) cannot take the
    test run with it."""
    resource = pytest.importorskip("resource")
    links = []
    for device, suffix in [("zero", ".csv"), ("urandom", ".jsonl"), ("zero", ".xlsx")]:
        link = tmp_path / f"{device}{suffix}"
        link.symlink_to(f"/dev/{device}")
        links.append(str(link))

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-c", DEVICE_READER, *links],
        capture_output=True, timeout=60, preexec_fn=limit, check=False, cwd=ROOT, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"{link}: is not a regular file (a device or pipe?) "
        "(name a .csv, .xlsx, .xls, .ods or .jsonl file)"
        for link in sorted(links)
    ]


# -- item 3: JSON Lines ---------------------------------------------------------------------------


def _jsonl(tmp_path: Path, bad: str) -> Path:
    path = tmp_path / "people.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(_line("j-1"))
        out.write(bad + "\n")
        out.write(_line("j-3"))
    return path


def test_a_line_of_100000_brackets_rejects_that_line_only(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    ids, rejects = _read(kb, _jsonl(tmp_path, "[" * 100_000))
    assert ids == ["j-1", "j-3"]
    assert [r.location.line for r in rejects] == [2]
    assert "nested more than 20 levels deep" in rejects[0].reason


def test_nesting_the_parser_reads_is_still_limited(kb: KnowledgeBase, tmp_path: Path) -> None:
    ids, rejects = _read(kb, _jsonl(tmp_path, '{"id": "x", "name": ' + "[" * 30 + "]" * 30 + "}"))
    assert ids == ["j-1", "j-3"] and "nested more than 20" in rejects[0].reason


def test_an_integer_of_5000_digits_is_named_as_such(kb: KnowledgeBase, tmp_path: Path) -> None:
    bad = _line("j-2").replace('"editing": 3', '"editing": ' + "9" * 5000).strip()
    ids, rejects = _read(kb, _jsonl(tmp_path, bad))
    assert ids == ["j-1", "j-3"]
    assert rejects[0].reason == (
        "a number of 5,000 digits (a level is 0 to 5; years of experience 0 to 70)"
    )


@pytest.mark.parametrize("column", ["experience_years", "skills"])
def test_a_csv_integer_of_5000_digits_gets_the_columns_hint(
    kb: KnowledgeBase, tmp_path: Path, column: str
) -> None:
    rows = _rows()
    rows[1] = rows[1].replace(
        ",3," if column == "experience_years" else ":3",
        f",{'9' * 5000}," if column == "experience_years" else f":{'9' * 5000}",
    )
    ids, rejects = _read(kb, _csv(tmp_path, rows))
    assert ids == [i for i in IDS if i != "c-2"]
    hint = "write a number, such as 3" if column == "experience_years" else "write a whole number"
    assert hint in rejects[0].reason and "4300" not in rejects[0].reason, rejects[0].reason


def test_a_duplicate_key_still_says_keep_one(kb: KnowledgeBase, tmp_path: Path) -> None:
    _, rejects = _read(kb, _jsonl(tmp_path, '{"id": "a", "id": "b"}'))
    assert rejects[0].reason == "duplicate key 'id' (keep one)"


def test_a_huge_line_is_rejected_without_being_held_in_memory(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(_line("j-1"))
        out.write('{"id": "j-2", "name": "' + "x" * (1 << 20) * 24 + '"}\n')  # 24 MiB
        out.write(_line("j-3"))
    tracemalloc.start()
    try:
        ids, rejects = _read(kb, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ids == ["j-1", "j-3"]
    assert _reasons(rejects) == [
        f"{path}:2: the record is over {MAX_RECORD_CHARS:,} characters long, so it was not read "
        f"(shorten it, or raise {RECORD_LIMIT_VARIABLE})"
    ]
    assert peak < 16 << 20, f"peak {peak:,} bytes"


def test_the_record_limit_comes_from_the_environment(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv(RECORD_LIMIT_VARIABLE, "300")
    ids, rejects = _read(
        kb, _jsonl(tmp_path, _line("j-2").strip()[:-1] + ', "x": "' + "y" * 300 + '"}')
    )
    assert ids == ["j-1", "j-3"] and "over 300 characters" in rejects[0].reason
    monkeypatch.setenv(RECORD_LIMIT_VARIABLE, "lots")
    _, rejects = _read(kb, _jsonl(tmp_path, _line("j-2")))
    assert "STAFFCHECK_MAX_RECORD_CHARS='lots' is not a positive whole number" in rejects[0].reason


def test_json_lines_with_cr_only_line_endings_are_read(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "mac.jsonl"
    path.write_bytes("".join(_line(p) for p in ["m-1", "m-2", "m-3"]).replace("\n", "\r").encode())
    assert _read(kb, path) == (["m-1", "m-2", "m-3"], [])


def test_a_line_not_utf8_on_stdin_rejects_only_that_line(cli: Any, monkeypatch: Any) -> None:
    raw = (_line("s-1") + '{"id": "s-2", "name": "\xff"}\n'.encode("latin-1").decode("latin-1")
           + _line("s-3")).encode("latin-1")  # fmt: skip
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    run = cli("screen", "-", "--format", "json")
    assert run.code == 2
    assert [c["id"] for c in run.json()["candidates"]] == ["s-1", "s-3"]
    assert "staffcheck: error: <stdin>:2: not UTF-8 text" in run.err


# -- item 4: CSV ----------------------------------------------------------------------------------


def _csv(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "drive.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        out.writelines(rows)
    return path


def test_a_field_over_128_kib_no_longer_drops_the_rest_of_the_file(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    rows = [row.replace("\n", ",fine\n") for row in _rows()]
    rows[1] = rows[1].replace(",fine\n", "," + "n" * (200 * 1024) + "\n")  # a long note
    ids, rejects = _read(kb, _csv(tmp_path, rows, HEADER.replace("\n", ",notes\n")))
    assert (ids, rejects) == (IDS, [])


def test_a_field_over_the_limit_rejects_only_its_row(kb: KnowledgeBase, tmp_path: Path) -> None:
    rows = _rows()
    rows[1] = "c-2," + "n" * (MAX_RECORD_CHARS * 8) + ",writing-editor,3,editing:3\n"
    tracemalloc.start()
    try:
        ids, rejects = _read(kb, _csv(tmp_path, rows))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ids == [i for i in IDS if i != "c-2"]
    assert [(r.location.line, r.reason.split(",")[0]) for r in rejects] == [
        (3, "the record is over 1")
    ]  # and no false "only a header row"
    assert peak < 24 << 20, f"peak {peak:,} bytes"


def test_a_quoted_multiline_field_over_the_limit_is_skipped_to_its_end(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv(RECORD_LIMIT_VARIABLE, "2000")
    rows = _rows()
    rows[1] = 'c-2,Name 2,writing-editor,3,"editing:3' + "\na note line" * 500 + '"\n'
    ids, rejects = _read(kb, _csv(tmp_path, rows))
    assert ids == [i for i in IDS if i != "c-2"]
    assert [r.location.line for r in rejects] == [3] and "over 2,000" in rejects[0].reason


@pytest.mark.parametrize("where", ["name", "last column"])
def test_an_unclosed_quote_rejects_its_row_and_the_rows_after_it_are_screened(
    kb: KnowledgeBase, tmp_path: Path, where: str
) -> None:
    rows = _rows()
    rows[2] = (
        'c-3,"Name 3,writing-editor,3,editing:3\n'
        if where == "name"
        else 'c-3,Name 3,writing-editor,3,"editing:3\n'
    )
    ids, rejects = _read(kb, _csv(tmp_path, rows))
    assert ids == [i for i in IDS if i != "c-3"]
    assert [r.reason for r in rejects] == [
        'unclosed quote on line 4 (close it; a quote inside a quoted cell is written "")'
    ]
    assert rejects[0].location.line == 4


def test_an_unclosed_quote_on_the_last_row_and_one_swallowing_past_the_limit(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: Any
) -> None:
    rows = _rows()
    rows[7] = 'c-8,"Name 8,writing-editor,3,editing:3\n'
    ids, rejects = _read(kb, _csv(tmp_path, rows))
    assert ids == IDS[:7] and [r.location.line for r in rejects] == [9]
    monkeypatch.setenv(RECORD_LIMIT_VARIABLE, "200")  # the quote swallows more than the limit
    rows = _rows()
    rows[0] = 'c-1,"Name 1,writing-editor,3,editing:3\n'
    ids, rejects = _read(kb, _csv(tmp_path, rows))
    assert ids == IDS[1:] and "unclosed quote on line 2" in rejects[0].reason


def test_a_legitimate_multiline_cell_is_kept(kb: KnowledgeBase, tmp_path: Path) -> None:
    rows = [row.replace("\n", ",ok\n") for row in _rows()]
    rows[1] = 'c-2,Name 2,writing-editor,3,editing:3,"first line\nsecond, with a comma"\n'
    ids, rejects = _read(kb, _csv(tmp_path, rows, HEADER.replace("\n", ",notes\n")))
    assert (ids, rejects) == (IDS, [])


def test_a_line_closing_one_quoted_cell_and_opening_the_next_is_no_row(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """Found by the fuzz tests: its line reads as a whole row, yet it is inside the record."""
    rows = [row.replace("\n", ",ok\n") for row in _rows()]
    rows[1] = '"c-2\nmore\n",""""", ; x""",writing-editor,3,editing:3,"\nmore\n"\n'
    ids, rejects = _read(kb, _csv(tmp_path, rows, HEADER.replace("\n", ",notes\n")))
    assert (len(ids), rejects) == (8, [])


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_csv_line_endings_of_every_kind_are_read(
    kb: KnowledgeBase, tmp_path: Path, ending: str
) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes((HEADER + "".join(_rows())).replace("\n", ending).encode())
    assert _read(kb, path) == (IDS, [])


# -- item 5: cells under no header, CSV and XLSX alike --------------------------------------------


def test_cells_under_no_header_are_kept_and_noted_alike_in_csv_and_xlsx(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    grid = [
        ["id", "name", None, "applying_for", "skills"],
        ["b-1", "Bo", "stray", "writing-editor", "editing:3"],
        ["b-2", "Al", None, "writing-editor", "editing:3", "beyond"],
    ]
    book = Workbook()
    for row in grid:
        book.active.append(row)
    book.save(tmp_path / "drive.xlsx")
    (tmp_path / "drive.csv").write_text(
        "\n".join(",".join("" if c is None else c for c in row) for row in grid) + "\n",
        encoding="utf-8",
    )
    seen = {}
    for name in ("drive.csv", "drive.xlsx"):
        notes: list[Any] = []
        records = list(read_applicants([str(tmp_path / name)], kb, on_note=notes.append))
        assert all(isinstance(r, Profile) for r in records), records
        seen[name] = (
            [r.extra for r in records if isinstance(r, Profile)],
            [n.message for n in notes],
        )
    assert seen["drive.csv"] == seen["drive.xlsx"]
    extras, notes = seen["drive.csv"]
    assert extras == [(("column C", "stray"),), (("column F", "beyond"),)]
    assert notes == [
        "ignored columns: column C (kept in spreadsheet results); rows with cells right of the "
        "header's last column: 1 (kept in spreadsheet results as column F)"
    ]


# -- item 6: flow-style YAML on standard input ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{id: s-1, name: Sam, applying_for: writing-editor, skills: {editing: 3}}\n",
        '{\n  "id": "s-1", "name": "Sam",\n  "applying_for": "writing-editor",\n'
        '  "skills": {"editing": 3}\n}\n',
    ],
    ids=["flow-yaml", "pretty-json"],
)
def test_flow_yaml_and_pretty_json_on_stdin_are_read_as_yaml(
    cli: Any, monkeypatch: Any, text: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    run = cli("screen", "-", "--format", "json")
    assert run.code == 0, run.err
    assert [c["id"] for c in run.json()["candidates"]] == ["s-1"]


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_csv_on_stdin_with_any_line_ending_is_sniffed_as_csv(
    cli: Any, monkeypatch: Any, ending: str
) -> None:
    raw = (HEADER + "".join(_rows())).replace("\n", ending).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    run = cli("screen", "-", "--format", "json")
    assert run.code == 0, run.err
    assert [c["id"] for c in run.json()["candidates"]] == IDS


def test_broken_json_lines_on_stdin_still_get_the_json_error(cli: Any, monkeypatch: Any) -> None:
    text = '{"id": "s-1", "name": }\n' + _line("s-2")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    run = cli("screen", "-", "--format", "json")
    assert run.code == 2
    assert "staffcheck: error: <stdin>:1: invalid JSON: Expecting value" in run.err
    assert [c["id"] for c in run.json()["candidates"]] == ["s-2"]
