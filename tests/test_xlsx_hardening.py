"""Workbooks built to hurt: stale dimensions, entity bombs, zip bombs, cell bombs (issue 14).

Each hostile workbook is generated here at run time (never committed); the costly ones are
screened in a child process whose CPU seconds and peak memory are measured (CPU time, not wall
time: a busy machine cannot fail these tests) and capped by rlimits, so a regression fails the
test instead of taking the machine down.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

#: What a hostile workbook may cost to refuse (the child's own CPU seconds and peak memory).
CPU_SECONDS = 5.0
PEAK_BYTES = 300 * 1024 * 1024
HEADER = ["id", "name", "applying_for", "seo", "keyword-research"]
_PROBE = """
import json, os, resource, sys
from staffcheck.cli import main
code = main(sys.argv[1:])
used = resource.getrusage(resource.RUSAGE_SELF)
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so a child of a big test
# process would report the parent's peak; VmHWM belongs to this program's own memory.
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) * 1024
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump({"code": code, "cpu": used.ru_utime + used.ru_stime, "peak": peak}, out)
"""


# -- building workbooks ------------------------------------------------------------------------


def workbook(rows: Iterable[list[object]], header: list[str] = HEADER) -> bytes:
    """A valid XLSX made by openpyxl: the header, then `rows`."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def applicants(count: int) -> list[list[object]]:
    return [[f"d-{i}", f"Person {i}", "seo-specialist", 4, 4] for i in range(count)]


def rewritten(data: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    """The workbook `data` with each part passed through `edit` (None: the part left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = edit(item.filename, source.read(item.filename))
            if part is not None:
                target.writestr(item.filename, part, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def streamed(data: bytes, part: str, chunks: Iterable[bytes], path: Path) -> Path:
    """`data` with `part` replaced by `chunks`, written to `path` as they come (a bomb's XML
    is never held whole), compressed as hard as zip can."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item.filename, source.read(item.filename), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as stream:
            for chunk in chunks:
                stream.write(chunk)
    return path


_SHEET = "xl/worksheets/sheet1.xml"
_MAIN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def sheet_xml(rows: Iterable[bytes], dimension: bytes = b"A1:E2") -> Iterator[bytes]:
    """A worksheet's XML: a header row, then `rows` (each ``<row>…</row>``), batched."""
    yield _MAIN + b'<dimension ref="' + dimension + b'"/><sheetData>'
    cells = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (letter, name.encode())
        for letter, name in zip((b"A", b"B", b"C", b"D", b"E"), HEADER, strict=True)
    )
    yield b'<row r="1">' + cells + b"</row>"
    batch: list[bytes] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 4096:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch) + b"</sheetData></worksheet>"


def measured(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[dict, str]:
    """Run the CLI in a child under rlimits: its exit code, CPU seconds and peak memory, and
    its stderr."""
    resource = pytest.importorskip("resource")

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (30, 30))

    stats = tmp_path / "probe.json"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True, check=False, cwd=ROOT, preexec_fn=limit, timeout=300,
        env={**os.environ, **(env or {}), "PROBE_OUT": str(stats)},
    )  # fmt: skip
    err = done.stderr.decode("utf-8", "replace")
    assert stats.exists(), err  # the child was killed (memory or CPU limit) or crashed
    return json.loads(stats.read_text()), err


def assert_refused(result: dict, err: str, *expected: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert result["code"] == 2, err
    errors = [line for line in err.splitlines() if line.startswith("staffcheck: error:")]
    assert len(errors) == 1, err
    for text in expected:
        assert text in errors[0], err
    assert result["cpu"] < CPU_SECONDS, result
    assert result["peak"] < PEAK_BYTES, result


# -- item 1: the sheet's rows, whatever its <dimension> says -------------------------------------


@pytest.mark.parametrize("dimension", [b"A1:E2", b"A1:A1", b"B3:E4", b"C2", b"A1:XFD1048576"])
def test_every_row_is_screened_whatever_the_dimension_says(
    cli, tmp_path: Path, dimension: bytes
) -> None:
    """openpyxl's read-only sheet starts at the declared first row and column and stops at the
    declared last row: a stale ``<dimension>`` dropped applicants (or the header) silently."""
    data = workbook(applicants(10))
    path = tmp_path / "stale.xlsx"
    path.write_bytes(
        rewritten(data, lambda name, part: part.replace(b'<dimension ref="A1:E11" />',
                                                         b'<dimension ref="' + dimension + b'"/>')
                  if name == _SHEET else part)
    )  # fmt: skip
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert [c["id"] for c in run.json()["candidates"]] == [f"d-{i}" for i in range(10)]


# -- item 2: cells right of the header reach the row reader ----------------------------------------


def test_cells_right_of_the_header_are_delivered(cli, tmp_path: Path) -> None:
    path = tmp_path / "extra.xlsx"
    path.write_bytes(workbook([["d-1", "Li", "seo-specialist", 4, 4, None, "wants remote"]]))
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    [person] = run.json()["candidates"]
    assert person["extra"] == {"column G": "wants remote"}


# -- item 3: entities and broken XML in any part ----------------------------------------------------

_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
        for n in range(1, 10)
    )
    + b"]>"
)


def _entity_part(kind: str) -> Callable[[bytes], bytes]:
    def edit(part: bytes) -> bytes:
        if kind == "laughs":
            start = part.index(b"<", part.index(b"?>") + 2 if part.startswith(b"<?") else 0)
            return part[:start] + _LAUGHS + part[start:].replace(b"Sheet", b"&lol9;", 1)
        if kind == "undefined":
            return part.replace(b">", b">&undefined;", 2)[: len(part) + 11]
        return part[: len(part) // 2]  # cut: not well-formed

    return edit


@pytest.mark.parametrize("kind", ["laughs", "undefined", "cut"])
@pytest.mark.parametrize(
    "part", [_SHEET, "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml", "_rels/.rels"]
)
def test_an_xml_part_with_entities_or_broken_xml_is_one_line(
    cli, tmp_path: Path, part: str, kind: str
) -> None:
    edit = _entity_part(kind)
    path = tmp_path / "entities.xlsx"
    path.write_bytes(rewritten(workbook(applicants(2)), lambda n, d: edit(d) if n == part else d))
    run = cli("screen", path)
    assert run.code == 2
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    [line] = run.err.splitlines()
    if part == _SHEET and kind != "laughs":  # a sheet is parsed once, by openpyxl, as it streams
        assert line.startswith(f"staffcheck: error: {path}: "), line
        assert "(XML not well-formed at line 1, column " in line, line
        return
    assert line.startswith(f"staffcheck: error: {path}: part {part!r} "), line
    wanted = "declares a DTD" if kind == "laughs" else "is not well-formed XML"
    assert wanted in line, line


def test_a_dtd_after_a_chunk_of_whitespace_is_found(cli, tmp_path: Path) -> None:
    """Whitespace may come before a DOCTYPE (without an XML declaration)."""

    def padded(name: str, part: bytes) -> bytes:
        if name != _SHEET:
            return part
        body = part[part.index(b"<worksheet") :]
        return b" " * 100_000 + _LAUGHS + body.replace(b"d-0", b"&lol9;", 1)

    path = tmp_path / "padded.xlsx"
    path.write_bytes(rewritten(workbook(applicants(2)), padded))
    run = cli("screen", path)
    assert run.code == 2
    [line] = run.err.splitlines()
    assert f"part {_SHEET!r} declares a DTD" in line, line


def test_shared_strings_with_entities_are_refused(cli, tmp_path: Path) -> None:
    """openpyxl writes inline strings; Excel writes shared strings: the same check holds."""
    strings = (
        b'<?xml version="1.0"?>' + _LAUGHS
        + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>&lol9;</t></si></sst>"
    )  # fmt: skip
    path = tmp_path / "sst.xlsx"
    path.write_bytes(workbook(applicants(2)))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    run = cli("screen", path)
    assert run.code == 2
    assert "part 'xl/sharedStrings.xml' declares a DTD" in run.err, run.err


# -- item 4: bombs ----------------------------------------------------------------------------


def test_far_cells_in_many_rows_are_refused_cheaply(tmp_path: Path) -> None:
    """A few KB of rows each holding one cell at column XFD: every row padded to 16,384 cells."""
    rows = (b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (n, n) for n in range(2, 2000))
    path = streamed(workbook([]), _SHEET, sheet_xml(rows, b"A1:XFD1048576"), tmp_path / "far.xlsx")
    assert path.stat().st_size < 2_000_000
    result, err = measured(tmp_path, "screen", str(path), "--format", "json", "-o",
                           str(tmp_path / "out.json"))  # fmt: skip
    assert_refused(result, err, "the sheet spans more than 5,000,000 cells")


def test_a_row_far_down_is_refused_without_counting_to_it(tmp_path: Path) -> None:
    rows = [b'<row r="999999999999"><c r="A999999999999"><v>1</v></c></row>']
    path = streamed(workbook([]), _SHEET, sheet_xml(rows), tmp_path / "down.xlsx")
    result, err = measured(tmp_path, "screen", str(path))
    assert_refused(result, err, "a row is numbered 999,999,999,999, beyond Excel's last row")


def test_a_cell_bomb_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    row = b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>"
    path = streamed(workbook([]), _SHEET, sheet_xml([row] * 5100), tmp_path / "cells.xlsx")
    assert path.stat().st_size < 1_000_000
    result, err = measured(tmp_path, "screen", str(path))
    assert_refused(
        result, err, "part 'xl/worksheets/sheet1.xml' holds", "XML tags (at most 20,000,000)"
    )


def test_one_endless_row_is_refused(tmp_path: Path) -> None:
    row = b"<row>" + b"<c><v>1</v></c>" * 150_000 + b"</row>"
    path = streamed(workbook([]), _SHEET, sheet_xml([row]), tmp_path / "row.xlsx")
    result, err = measured(tmp_path, "screen", str(path))
    assert_refused(result, err, "XML tags in one row (at most 400,000)")


def test_a_shared_strings_bomb_is_refused(tmp_path: Path) -> None:
    def strings() -> Iterator[bytes]:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _ in range(300):
            yield b"<si><t>x</t></si>" * 3500
        yield b"</sst>"

    path = streamed(workbook(applicants(2)), "xl/sharedStrings.xml", strings(),
                    tmp_path / "sst.xlsx")  # fmt: skip
    result, err = measured(tmp_path, "screen", str(path))
    assert_refused(result, err, "shared strings (at most 1,000,000)")


def test_a_huge_text_is_refused(tmp_path: Path) -> None:
    text = (b"a" * 65536 for _ in range(64))
    rows = [b'<row r="2"><c r="A2" t="inlineStr"><is><t>', *text, b"</t></is></c></row>"]
    path = streamed(workbook([]), _SHEET, sheet_xml(rows), tmp_path / "text.xlsx")
    result, err = measured(tmp_path, "screen", str(path))
    assert_refused(result, err, "a text of", "(at most 1,048,576)")


def test_a_zip_bomb_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    zeros = (b" " * (1 << 20) for _ in range(65))  # 65 MiB of spaces: a few dozen KB zipped
    path = streamed(workbook(applicants(2)), "xl/theme/theme1.xml", zeros, tmp_path / "zip.xlsx")
    assert path.stat().st_size < 1_000_000
    result, err = measured(tmp_path, "screen", str(path))
    assert_refused(result, err, "part 'xl/theme/theme1.xml' unpacks to", "a zip bomb?",
                   "STAFFCHECK_MAX_UNZIPPED_BYTES")  # fmt: skip


def test_the_unzipped_cap_is_set_by_the_environment(cli, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "drive.xlsx"
    path.write_bytes(workbook(applicants(2)))
    monkeypatch.setenv("STAFFCHECK_MAX_UNZIPPED_BYTES", "2000")
    run = cli("screen", path)
    assert run.code == 2
    assert "(at most 2,000: a zip bomb?)" in run.err, run.err
    monkeypatch.setenv("STAFFCHECK_MAX_UNZIPPED_BYTES", "lots")
    run = cli("screen", path)
    assert run.code == 2
    assert "STAFFCHECK_MAX_UNZIPPED_BYTES is 'lots', not a number of bytes" in run.err, run.err
    monkeypatch.setenv("STAFFCHECK_MAX_UNZIPPED_BYTES", str(1 << 30))
    assert cli("screen", path).code == 0


def test_a_zip_of_many_parts_is_refused_before_they_are_listed(cli, tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    path.write_bytes(workbook(applicants(2)))
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(10_001):
            archive.writestr(f"x/{number}", b"")
    run = cli("screen", path)
    assert run.code == 2
    assert "the workbook holds 10,010 parts in a directory of " in run.err, run.err
    assert "(at most 10,000 parts, 4,194,304 bytes)" in run.err, run.err


def _lying(data: bytes, part: str, declared: int) -> bytes:
    """`data` whose central directory says `part` unpacks to `declared` bytes."""
    at = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length].decode() == part:
            return data[: at + 24] + struct.pack("<I", declared) + data[at + 28 :]
        at = data.index(b"PK\x01\x02", at + 4)


def test_a_part_bigger_than_it_declares_is_one_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "lying.xlsx"
    path.write_bytes(_lying(workbook(applicants(3)), _SHEET, 100))
    run = cli("screen", path)
    assert run.code == 2
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    [line] = run.err.splitlines()
    assert "not a readable workbook (BadZipFile)" in line, line


# -- item 5: ODS and XLS ------------------------------------------------------------------------


def _ods(content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_an_ods_with_entities_is_one_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "laughs.ods"
    content = (
        b'<?xml version="1.0"?>' + _LAUGHS
        + b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
        + b"&lol9;</office:document-content>"
    )  # fmt: skip
    path.write_bytes(_ods(content))
    run = cli("screen", path)
    assert run.code == 2
    [line] = run.err.splitlines()
    assert "part 'content.xml' declares a DTD" in line, line


def test_an_ods_zip_bomb_is_refused(tmp_path: Path) -> None:
    spaces = (b" " * (1 << 20) for _ in range(65))
    path = streamed(_ods(b"<x/>"), "content.xml", spaces, tmp_path / "bomb.ods")
    result, err = measured(tmp_path, "screen", str(path))
    assert_refused(result, err, "unpacks to", "a zip bomb?")


def test_an_xls_over_the_cap_is_refused(cli, tmp_path: Path, monkeypatch) -> None:
    drive = ROOT / "tests" / "data" / "intake" / "drive.xls"
    monkeypatch.setenv("STAFFCHECK_MAX_UNZIPPED_BYTES", "1000")
    run = cli("screen", drive)
    assert run.code == 2
    assert "the workbook is" in run.err and "(at most 1,000)" in run.err, run.err


def _spoiled_xls(change: Callable[[bytearray], None]) -> bytes:
    data = bytearray((ROOT / "tests" / "data" / "intake" / "drive.xls").read_bytes())
    change(data)
    return bytes(data)


def _huge_sst(data: bytearray) -> None:
    at = data.index(b"\xfc\x00")  # the SST record: strings in all, unique strings
    struct.pack_into("<II", data, at + 4, 0x7FFFFFFF, 0x7FFFFFFF)


def _bogus_lengths(data: bytearray) -> None:
    at = data.index(b"\xfc\x00")
    struct.pack_into("<H", data, at + 2, 0xFFFF)  # the SST's length, past the stream's end
    struct.pack_into("<H", data, data.index(b"\x00\x02", at) + 2, 0xFFFF)  # and DIMENSIONS'


@pytest.mark.parametrize("change", [_huge_sst, _bogus_lengths])
def test_an_xls_with_lying_records_is_screened_or_refused_cheaply(
    tmp_path: Path, change: Callable[[bytearray], None]
) -> None:
    path = tmp_path / "lying.xls"
    path.write_bytes(_spoiled_xls(change))
    result, err = measured(tmp_path, "screen", str(path), "--format", "json", "-o",
                           str(tmp_path / "out.json"))  # fmt: skip
    assert "Traceback" not in err and "internal error" not in err, err
    assert result["code"] in (0, 2), err
    assert result["cpu"] < CPU_SECONDS and result["peak"] < PEAK_BYTES, result


def test_a_calamine_panic_is_an_unreadable_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyo3 raises a Rust panic as PanicException, a BaseException: not `except Exception`."""
    import staffcheck.workbooks

    class PanicException(BaseException):  # the name pyo3 gives it
        pass

    def panic(path: Path) -> None:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(staffcheck.workbooks, "_CalamineBook", panic)
    path = tmp_path / "drive.ods"
    path.write_bytes(b"PK\x03\x04")
    run = cli("screen", path)
    assert run.code == 2
    [line] = run.err.splitlines()
    assert "not a readable workbook (PanicException)" in line, line
