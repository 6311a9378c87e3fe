"""Property tests: whatever bytes an XLSX holds, screening it ends in a report or a refusal.

Valid workbooks with random cells are built by openpyxl, then maybe spoiled: cut short, bytes
flipped, a part replaced by junk or by other XML, or left out. Screened through
``staffcheck.cli.main`` in-process, each must exit 0, or 2 with its reasons on "staffcheck: error:"
lines, and never print a traceback or an "internal error".

STAFFCHECK_FUZZ_EXAMPLES sets the number of examples as in tests/test_fuzz.py; a workbook costs
more than a profile, so this file runs a twentieth of them (100 at 2,000).
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffcheck.cli import main

from .test_xlsx_hardening import HEADER

EXAMPLES_COUNT = int(os.environ.get("STAFFCHECK_FUZZ_EXAMPLES", "300"))
WORKBOOKS = settings(
    max_examples=max(5, EXAMPLES_COUNT // 20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)  # fmt: skip

# openpyxl refuses control characters in cells (Excel cannot store them)
_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
_CELL = st.one_of(
    st.none(),
    _TEXT,
    st.sampled_from(["seo-specialist", "taobao-operator", "4", "nine", "d-1"]),
    st.integers(-10, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
)
_ROWS = st.lists(st.lists(_CELL, max_size=9), max_size=8)
_HEADER = st.one_of(st.just(HEADER), st.lists(_TEXT, min_size=1, max_size=6))
_XML = [
    b"",
    b"<",
    b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
    b"<worksheet><sheetData><row r='0'><c r='A0'/></row></sheetData></worksheet>",
    b"<worksheet><sheetData><row r='x'><c r='ZZZZ1'><v>1</v></c></row></sheetData></worksheet>",
    b"<worksheet><sheetData><row><c t='s'><v>99</v></c></row></sheetData></worksheet>",
    b"<sst><si><t>only</t></si></sst>",
    b"\xff\xfe<\x00a\x00/\x00>\x00",
    b"PK\x03\x04 not a zip in a zip",
]


def _workbook(header: list[Any], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replaced(data: bytes, part: int, content: bytes | None) -> bytes:
    """`data` with its `part`-th member replaced by `content` (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        members = source.infolist()
        chosen = members[part % len(members)].filename
        for item in members:
            body = source.read(item.filename)
            if item.filename == chosen:
                if content is None:
                    continue
                body = content
            target.writestr(item.filename, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@st.composite
def spoiled_workbooks(draw: st.DrawFn) -> bytes:
    data = _workbook(draw(_HEADER), draw(_ROWS))
    how = draw(st.sampled_from(["none", "cut", "flip", "replace", "junk", "drop"]))
    # Places are drawn independently of the length (openpyxl stamps the time, so the length may
    # differ by a byte between runs of one example) and wrapped onto it.
    if how == "cut":
        return data[: draw(st.integers(0, 1 << 20)) % (len(data) + 1)]
    if how == "flip":
        spoiled = bytearray(data)
        for at in draw(st.lists(st.integers(0, 1 << 20), min_size=1, max_size=8)):
            spoiled[at % len(data)] = draw(st.integers(0, 255))
        return bytes(spoiled)
    part = draw(st.integers(0, 20))
    if how == "replace":
        return _replaced(data, part, draw(st.sampled_from(_XML)))
    if how == "junk":
        return _replaced(data, part, draw(st.binary(max_size=200)))
    if how == "drop":
        return _replaced(data, part, None)
    return data


@WORKBOOKS
@given(data=spoiled_workbooks())
def test_any_workbook_is_screened_or_refused(tmp_path: Path, capsys: Any, data: bytes) -> None:
    path = tmp_path / "drive.xlsx"
    path.write_bytes(data)
    code = main(["screen", str(path), "--format", "json"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 2), err
    if code == 2:
        assert any(line.startswith("staffcheck: error: ") for line in err.splitlines()), err
