"""Property tests of the text inputs of a batch: CSV bytes and JSON Lines bytes.

Whatever the encoding (UTF-8 with or without BOM, GBK, UTF-16), delimiter, quoting, line
endings (LF, CRLF, CR) and cell sizes (over csv's old 128 KiB field limit, over the record
limit), every data row comes out of the reader once: as a profile or as a reject, never lost,
never two. The CLI exits 0 or 2 on them, never with a traceback or an "internal error".

A CSV cell holding a line break and a line that reads as a whole row is taken for an unclosed
quote (`tables._Split`): the generated cells that break lines hold no delimiter.

STAFFCHECK_FUZZ_EXAMPLES sets the number of examples (default 300); most run the reader only,
a twentieth run the CLI (the engine) too.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from staffcheck.cli import main
from staffcheck.knowledge import load_knowledge
from staffcheck.model import Profile, Reject
from staffcheck.sources import read_applicants
from staffcheck.tables import RECORD_LIMIT_VARIABLE

from .conftest import RULES

EXAMPLES_COUNT = int(os.environ.get("STAFFCHECK_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES_COUNT,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
A_TWENTIETH = settings(FUZZ, max_examples=max(10, EXAMPLES_COUNT // 20))
KB = load_knowledge(RULES)
SKILLS = sorted(KB.skills)
ROLES = sorted(KB.roles)
SMALL_LIMIT = 400  # a record limit some examples run under, so that long cells go over it

HEADER = ["id", "name", "applying_for", "experience_years", "skills", "notes"]
GBK_SAFE = "abcXYZ 019-_.:;张伟王芳编号姓名运营数据李娜"  # every encoding here can write these


@contextlib.contextmanager
def _record_limit(limit: int | None) -> Iterator[None]:
    before = os.environ.pop(RECORD_LIMIT_VARIABLE, None)
    if limit is not None:
        os.environ[RECORD_LIMIT_VARIABLE] = str(limit)
    try:
        yield
    finally:
        os.environ.pop(RECORD_LIMIT_VARIABLE, None)
        if before is not None:
            os.environ[RECORD_LIMIT_VARIABLE] = before


def _read(path: Path) -> list[Profile | Reject]:
    return list(read_applicants([str(path)], KB))


def _run_cli(path: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["screen", str(path), "--format", "json"])
    return code, err.getvalue()


def _check_run(code: int, err: str) -> None:
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert code in (0, 2), (code, err)
    assert all(line.startswith("staffcheck: ") for line in err.splitlines()), err


def _check_count(records: list[Profile | Reject], expected: int) -> None:
    """One record per data row; a file without any is one reject saying so."""
    if expected == 0:
        assert len(records) == 1 and isinstance(records[0], Reject), records
        assert "no applicants" in records[0].reason, records[0]
        return
    assert len(records) == expected, [str(getattr(r, "reason", r)) for r in records]
    assert all(r.location.line for r in records if isinstance(r, Reject)), records


# -- CSV -------------------------------------------------------------------------------------


CELL_KINDS = st.sampled_from(["plain"] * 4 + ["quotes", "lines"] * 2 + ["long", "empty"])
LONG_SIZES = st.sampled_from([SMALL_LIMIT + 10] * 3 + [140 * 1024])  # over the limit; 128 KiB
LONG_CHARACTERS = st.sampled_from("x张")
BREAKS = st.sampled_from(["\n", "\r\n", "\r"])
SAFE_TEXT = st.text(GBK_SAFE + '"', max_size=10)
ANY_CELL_TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\r\n,;\t"), max_size=10
)


@st.composite
def cells(draw: Any, safe: bool) -> str:
    """A cell: plain, with quotes and delimiters, broken over lines (then without delimiters),
    or, now and then, long (past 128 KiB, or past the small record limit)."""
    kind = draw(CELL_KINDS)
    if kind == "empty":
        return ""
    if kind == "long":
        return draw(LONG_CHARACTERS) * draw(LONG_SIZES)
    text = draw(SAFE_TEXT if safe else ANY_CELL_TEXT)
    if kind == "quotes":
        return f'"{text}", ; \t"'
    if kind == "lines":
        text = text.replace(",", "").replace(";", "").replace("\t", "")
        return draw(BREAKS).join([text, "more", ""])
    return text.replace(",", " ").replace(";", " ").replace("\t", " ")


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"])
DELIMITERS = st.sampled_from([",", ";", "\t"])
POSTS = st.sampled_from([*ROLES[:3], "", "no-such-post"])
YEARS = st.sampled_from(["3", "", "x", "99", "4,5"])
SKILL_CELLS = st.sampled_from([f"{SKILLS[0]}:3", "", "seo:9", "bad"])
LIMITS = st.sampled_from([None, None, SMALL_LIMIT])


@st.composite
def csv_files(draw: Any) -> tuple[bytes, int, int | None]:
    """(the file's bytes, how many data rows it has, the record limit to read it under)."""
    encoding = draw(ENCODINGS)
    safe = encoding == "gbk"
    delimiter = draw(DELIMITERS)
    ending = draw(BREAKS)
    rows = []
    for number in range(draw(st.integers(0, 6))):
        row = [
            f"p-{number}",
            draw(cells(safe)),
            draw(POSTS),
            draw(YEARS),
            draw(SKILL_CELLS),
            draw(cells(safe)),
        ]
        if draw(st.booleans()):
            row[0] = draw(cells(safe))  # an id of any kind, even empty
        rows.append(row)
    out = io.StringIO()
    # Written with CRLF, so that the writer quotes every cell holding a CR or an LF; then each
    # CRLF (cells' too, which stay quoted) becomes the line ending drawn.
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    known = range(len(HEADER) - 1)  # a row with values only in the notes column is no applicant
    data_rows = sum(1 for row in rows if any(row[i].strip() for i in known))
    limit = draw(LIMITS)
    return out.getvalue().replace("\r\n", ending).encode(encoding), data_rows, limit


@FUZZ
@given(csv_files())
def test_every_csv_row_is_screened_or_rejected(case: tuple[bytes, int, int | None]) -> None:
    raw, data_rows, limit = case
    with tempfile.TemporaryDirectory() as folder, _record_limit(limit):
        path = Path(folder) / "drive.csv"
        path.write_bytes(raw)
        records = _read(path)
    event(f"limit {limit}")
    _check_count(records, data_rows)


@A_TWENTIETH
@given(csv_files())
def test_the_cli_screens_any_csv_with_exit_0_or_2(case: tuple[bytes, int, int | None]) -> None:
    raw, _, limit = case
    with tempfile.TemporaryDirectory() as folder, _record_limit(limit):
        path = Path(folder) / "drive.csv"
        path.write_bytes(raw)
        _check_run(*_run_cli(path))


# -- JSON Lines --------------------------------------------------------------------------------


def _profile(number: int) -> dict[str, Any]:
    return {
        "id": f"j-{number}",
        "name": f"N {number}",
        "applying_for": ROLES[number % len(ROLES)],
        "skills": {SKILLS[number % len(SKILLS)]: number % 6},
    }


LINE_KINDS = st.sampled_from(
    ["good", "good", "ascii", "deep", "digits", "nan", "long", "text", "bytes", "blank"]
)
DEPTHS = st.sampled_from([25, 2000, 100_000])
DIGITS = st.sampled_from([101, 4301, 6000])
BLANKS = st.sampled_from([b"", b"   ", b"\t"])
LINE_TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=12
)
BYTES = st.binary(min_size=1, max_size=20)
BYTE_BREAKS = st.sampled_from([b"\n", b"\r\n", b"\r"])


@st.composite
def json_lines(draw: Any, number: int) -> bytes:
    """One line, good or hostile, without its line ending."""
    kind = draw(LINE_KINDS)
    if kind in ("good", "ascii"):
        return json.dumps(_profile(number), ensure_ascii=kind == "ascii").encode()
    if kind == "deep":
        depth = draw(DEPTHS)
        return ("[" * depth + "]" * (depth if draw(st.booleans()) else 0)).encode()
    if kind == "digits":
        digits = "9" * draw(DIGITS)
        return (
            json.dumps(_profile(number))
            .replace(": 0}", f": {digits}}}")
            .replace(f": {number % 6}}}", f": {digits}}}")
            .encode()
        )
    if kind == "nan":
        return json.dumps(_profile(number) | {"experience_years": float("nan")}).encode()
    if kind == "long":
        return json.dumps(_profile(number) | {"notes": "x" * (SMALL_LIMIT * 3)}).encode()
    if kind == "bytes":
        return draw(BYTES).replace(b"\n", b"").replace(b"\r", b"")
    if kind == "blank":
        return draw(BLANKS)
    return draw(LINE_TEXT).encode()


@st.composite
def jsonl_files(draw: Any) -> tuple[bytes, int, int | None]:
    lines = [draw(json_lines(number)) for number in range(draw(st.integers(0, 6)))]
    ending = draw(BYTE_BREAKS)
    raw = ending.join(lines) + (ending if draw(st.booleans()) else b"")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    text = io.TextIOWrapper(
        io.BytesIO(raw), encoding="utf-8-sig", errors="surrogateescape", newline=None
    )  # as the format is: a BOM, any line ending
    records = sum(1 for line in text if line.strip())
    return raw, records, draw(LIMITS)


@FUZZ
@given(jsonl_files())
def test_every_json_line_is_screened_or_rejected(case: tuple[bytes, int, int | None]) -> None:
    raw, records, limit = case
    with tempfile.TemporaryDirectory() as folder, _record_limit(limit):
        path = Path(folder) / "people.jsonl"
        path.write_bytes(raw)
        found = _read(path)
    _check_count(found, records)


@A_TWENTIETH
@given(jsonl_files())
def test_the_cli_screens_any_json_lines_with_exit_0_or_2(
    case: tuple[bytes, int, int | None],
) -> None:
    raw, _, limit = case
    with tempfile.TemporaryDirectory() as folder, _record_limit(limit):
        path = Path(folder) / "people.jsonl"
        path.write_bytes(raw)
        _check_run(*_run_cli(path))
