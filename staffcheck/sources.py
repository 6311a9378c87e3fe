"""Applicants in bulk: YAML files, directories, CSV and XLSX exports, JSON Lines and standard input.

Every record is read on its own, so one bad row or file never stops a batch: `read_applicants`
yields either a `Profile` or a `Reject` (its location, the reason) for each record, in input order,
streaming (a million-row CSV is never held in memory).

Spreadsheet rows (CSV, XLSX) have one applicant per row. Columns: ``id``, ``name``,
``applying_for``, ``experience_years``, ``channels`` and ``titles`` (lists separated by ``;``), and
skills either as one column per skill id (``seo``, ``copywriting``, ...) or as one ``skills``
column written ``seo:4;copywriting:3``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from staffcheck.errors import Problem, StaffcheckError
from staffcheck.model import KnowledgeBase, Location, Profile, Reject, Team
from staffcheck.profiles import PROFILE_FIELDS, read_profile, read_team
from staffcheck.schema import Cursor, did_you_mean
from staffcheck.yamlio import (
    Document,
    decode_text,
    load_yaml,
    max_file_bytes,
    parse_yaml,
    read_text,
)

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl"}
LIST_FIELDS = ("channels", "titles")
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


Record = Profile | Reject


def expand_paths(paths: Iterable[str]) -> list[Path | str]:
    """Standard input (``-``) first, then every file named or found in directories, sorted by
    path: the same inputs give the same results whatever order they are named in."""
    found = list(_expand(paths))
    stdin = ["-"] if "-" in found else []
    files = sorted({p for p in found if isinstance(p, Path)}, key=str)
    return [*stdin, *files]


def _expand(paths: Iterable[str]) -> Iterator[Path | str]:
    for raw in paths:
        if raw == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                raise StaffcheckError.at(
                    "directory holds no .yaml, .csv, .xlsx or .jsonl files", path,
                    hint="name the files, or a directory that has some",
                )  # fmt: skip
            yield from found
        else:
            yield path


def read_applicants(
    paths: Iterable[str], kb: KnowledgeBase, stdin_format: str = "auto"
) -> Iterator[Record]:
    """Every applicant of every input, in order; bad records come out as `Reject`s."""
    seen: dict[str, Location] = {}  # id -> where first seen (the profile's own, not a copy)
    for source in expand_paths(paths):
        for record in _read_source(source, kb, stdin_format):
            if isinstance(record, Profile):
                if record.id in seen:
                    yield Reject(
                        record.source,
                        f"duplicate person id {record.id!r} (first at {seen[record.id]})",
                    )
                    continue
                seen[record.id] = record.source
            yield record


def _read_source(source: Path | str, kb: KnowledgeBase, stdin_format: str) -> Iterator[Record]:
    if source == "-":
        yield from _read_stdin(kb, stdin_format)
        return
    assert isinstance(source, Path)
    kind = SUFFIXES.get(source.suffix.lower(), "yaml")
    try:
        if kind == "csv":
            yield from _csv_records(_open_lines(source), str(source), kb)
        elif kind == "xlsx":
            yield from _xlsx_records(source, kb)
        elif kind == "jsonl":
            yield from _jsonl_records(_open_lines(source), str(source), kb)
        else:
            yield from _yaml_records(parse_yaml(read_text(source), str(source)), kb)
    except StaffcheckError as exc:
        yield _reject(exc.problems[0], str(source))


def _read_stdin(kb: KnowledgeBase, stdin_format: str) -> Iterator[Record]:
    raw = sys.stdin.buffer.read(max_file_bytes() + 1)
    if len(raw) > max_file_bytes():
        yield Reject(
            Location("<stdin>"), "input is over the size limit (raise STAFFCHECK_MAX_FILE_BYTES)"
        )
        return
    try:
        text = decode_text(raw, "<stdin>")
    except StaffcheckError as exc:
        yield _reject(exc.problems[0], "<stdin>")
        return
    kind = stdin_format
    if kind == "auto":
        head = text.lstrip()[:1]
        first_line = text.lstrip().split("\n", 1)[0]
        kind = (
            "jsonl"
            if head == "{"
            else "csv"
            if "," in first_line and ":" not in first_line
            else "yaml"
        )
    if kind == "csv":
        yield from _csv_records(io.BytesIO(text.encode()), "<stdin>", kb)
    elif kind == "jsonl":
        yield from _jsonl_records(io.BytesIO(text.encode()), "<stdin>", kb)
    else:
        try:
            yield from _yaml_records(parse_yaml(text, "<stdin>"), kb)
        except StaffcheckError as exc:
            yield _reject(exc.problems[0], "<stdin>")


def _reason(problem: Problem) -> str:
    return f"{problem.message} ({problem.hint})" if problem.hint else problem.message


def _reject(problem: Problem, source: str) -> Reject:
    return Reject(problem.location or Location(source), _reason(problem))


def _open_lines(path: Path) -> BinaryIO:
    size = path.stat().st_size
    if size > max_file_bytes() * 50:
        # Spreadsheets stream row by row, so they may be far larger than a YAML file.
        raise StaffcheckError.at(
            f"file is {size:,} bytes, over the limit for exports", path,
            hint="split it, or raise STAFFCHECK_MAX_FILE_BYTES",
        )  # fmt: skip
    return path.open("rb")


NOT_UTF8 = "not UTF-8 text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')"


def _decoded(lines: Iterable[bytes], bad: set[int]) -> Iterator[str]:
    """Lines as text; a line that is not UTF-8 is noted in `bad` so its record can be rejected
    (the rest of the file is still read)."""
    for number, raw in enumerate(lines, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.add(number)
            yield raw.decode("utf-8", errors="replace")


def _profile_from(data: Any, source: str, line: int | None, kb: KnowledgeBase) -> Record:
    """Validate one record's plain data with the same schema as YAML profiles."""
    doc = Document(source, data, {(): (line or 1, 1)} if line else {}, {})
    problems: list[Problem] = []
    profile = read_profile(Cursor(doc, (), problems), kb)
    if problems or profile is None:
        first = problems[0] if problems else Problem("not a profile")
        return Reject(Location(source, line), _reason(first))
    return profile


def _yaml_records(doc: Document, kb: KnowledgeBase) -> Iterator[Record]:
    """Each profile of a YAML file on its own, so one bad profile in a list rejects only itself."""
    top = Cursor(doc, (), [])
    if isinstance(doc.data, dict) and ("members" in doc.data or "team" in doc.data):
        yield Reject(
            Location(doc.path, 1), "this is a team file, not a profile (use 'staffcheck team')"
        )
        return
    cursors = list(top.items()) if isinstance(doc.data, list) else [top]
    if not isinstance(doc.data, list | dict):
        yield Reject(
            Location(doc.path, 1),
            "a profile file must hold a mapping (one profile) or a list of profiles "
            "(start with 'id:' and 'name:')",
        )
        return
    if not cursors:
        yield Reject(Location(doc.path, 1), "the list of profiles is empty")
    for cursor in cursors:
        problems: list[Problem] = []
        profile = read_profile(Cursor(doc, cursor.where, problems), kb)
        if problems or profile is None:
            yield _reject(problems[0], doc.path)
        else:
            yield profile


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _jsonl_records(
    handle: BinaryIO | io.BytesIO, source: str, kb: KnowledgeBase
) -> Iterator[Record]:
    bad: set[int] = set()
    seen_any = False
    with closing(handle):
        for number, line in enumerate(_decoded(handle, bad), 1):
            if not line.strip():
                continue
            seen_any = True
            if number in bad:
                yield Reject(Location(source, number), NOT_UTF8)
                continue
            try:
                data = json.loads(line, object_pairs_hook=_no_duplicate_keys)
            except json.JSONDecodeError as exc:
                yield Reject(
                    Location(source, number), f"invalid JSON: {exc.msg} at column {exc.colno}"
                )
                continue
            except ValueError as exc:  # a duplicate key
                yield Reject(Location(source, number), f"{exc} (keep one)")
                continue
            yield _profile_from(data, source, number, kb)
    if not seen_any:
        yield Reject(Location(source), "no applicants in the file (it is empty)")


def _row_to_profile_data(row: dict[Any, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """A spreadsheet row as profile data: skill columns gathered, lists split, numbers parsed."""
    data: dict[str, Any] = {}
    skills: dict[str, Any] = {}
    for key, value in row.items():
        if key is None:
            raise ValueError("the row has more cells than the header has columns")
        name = str(key).strip()
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            value = value.strip()
        if name == "skills":
            for part in str(value).split(";"):
                if not part.strip():
                    continue
                skill, sep, level = part.partition(":")
                if not sep:
                    raise ValueError(f"skills entry {part.strip()!r} is not written 'skill:level'")
                _add_skill(skills, skill.strip(), _cell_number(level.strip()))
        elif name in kb.skills:
            _add_skill(skills, name, _cell_number(value))
        elif name in LIST_FIELDS:
            data[name] = [item.strip() for item in str(value).split(";") if item.strip()]
        elif name == "experience_years":
            data[name] = _cell_number(value)
        else:
            data[name] = (
                value if not isinstance(value, float) or not value.is_integer() else int(value)
            )
    if skills:
        data["skills"] = skills
    return data


def _add_skill(skills: dict[str, Any], skill: str, level: Any) -> None:
    if skill in skills:
        raise ValueError(f"skill {skill!r} is given twice (keep one)")
    skills[skill] = level


def _cell_number(value: Any) -> Any:
    """A cell as a number where it is one; 4.0 is 4 (spreadsheets store whole numbers so)."""
    if isinstance(value, str):
        if _INTEGER.match(value):
            return int(value)
        if _NUMBER.match(value):
            value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _header_problem(header: list[str | None], kb: KnowledgeBase) -> str | None:
    """What is wrong with a spreadsheet's header row, or None. Empty trailing columns are fine."""
    names = [h.strip() for h in header if h is not None and h.strip()]
    allowed = set(PROFILE_FIELDS) | set(kb.skills)
    for name in names:
        if name not in allowed:
            hint = did_you_mean(name, allowed) or "columns are profile fields or skill ids"
            return f"unknown column {name!r} ({hint})"
    for name in names:
        if names.count(name) > 1:
            return f"duplicate column {name!r} (keep one)"
    if "id" not in names:
        return "no 'id' column (the first row names the columns: id, name, applying_for, ...)"
    return None


def _rows(
    source: str, rows: Iterable[tuple[int, dict[Any, Any]]], kb: KnowledgeBase
) -> Iterator[Record]:
    """(line, row) pairs as records; a row without any value is skipped."""
    for line, row in rows:
        try:
            data = _row_to_profile_data(row, kb)
        except ValueError as exc:
            yield Reject(Location(source, line), str(exc))
            continue
        if not data:
            continue
        yield _profile_from(data, source, line, kb)


def _csv_records(handle: BinaryIO | io.BytesIO, source: str, kb: KnowledgeBase) -> Iterator[Record]:
    bad: set[int] = set()
    with closing(handle):
        reader = csv.reader(_decoded(handle, bad))
        try:
            header = next(reader, None)
        except csv.Error as exc:
            yield Reject(Location(source, 1), f"cannot read the header row: {exc}")
            return
        if header is None:
            yield Reject(Location(source), "no applicants in the file (it is empty)")
            return
        if 1 in bad:
            yield Reject(Location(source, 1), NOT_UTF8)
            return
        problem = _header_problem(list(header), kb)
        if problem is not None:
            yield Reject(Location(source, 1), problem)
            return
        names = [h.strip() or None for h in header]

        def rows() -> Iterator[tuple[int, dict[Any, Any]]]:
            start = reader.line_num + 1
            for cells in reader:
                lines = range(start, reader.line_num + 1)
                if bad.intersection(lines):
                    raise _BadRow(start, NOT_UTF8)
                if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
                    raise _BadRow(start, "the row has more cells than the header has columns")
                yield start, {n: c for n, c in zip(names, cells, strict=False) if n is not None}
                start = reader.line_num + 1

        count = 0
        while True:
            try:
                for record in _rows(source, rows(), kb):
                    count += 1
                    yield record
                break
            except _BadRow as exc:
                count += 1
                yield Reject(Location(source, exc.line), exc.reason)  # and go on with the next row
            except csv.Error as exc:
                yield Reject(Location(source, reader.line_num), f"cannot read the row: {exc}")
                break
        if count == 0:
            yield Reject(Location(source), "no applicants in the file (only a header row)")


class _BadRow(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _xlsx_records(path: Path, kb: KnowledgeBase) -> Iterator[Record]:
    from openpyxl import load_workbook  # imported here: only XLSX input needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken or non-XLSX file
        yield Reject(Location(str(path)), f"not a readable XLSX workbook ({type(exc).__name__})")
        return
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [None if h is None else str(h).strip() or None for h in next(rows, [])]
        problem = _header_problem(header, kb)
        if problem is not None:
            yield Reject(Location(str(path), 1), f"{problem} (first sheet, {sheet.title!r})")
            return
        numbered = (
            (line, {n: v for n, v in zip(header, row, strict=False) if n is not None})
            for line, row in enumerate(rows, 2)
        )
        found = False
        for record in _rows(str(path), numbered, kb):
            found = True
            yield record
        if not found:
            yield Reject(Location(str(path)), f"no applicants on the first sheet, {sheet.title!r}")
    finally:
        workbook.close()


@dataclass(frozen=True, slots=True)
class Subject:
    """What a run is about: a team (with its members' profiles), or profiles on their own."""

    team: Team | None
    profiles: tuple[Profile, ...]
    #: the files read, so that no output is written over one of them
    files: tuple[Path, ...]


def held_post(subject: Subject, person: Profile) -> str | None:
    """The post `person` holds: their post in the subject's team, else the one they apply for."""
    if subject.team is None:
        return person.applying_for
    return next(m.role for m in subject.team.members if m.profile.id == person.id)


def load_subject(inputs: Sequence[str], kb: KnowledgeBase) -> Subject:
    """One team file, or any mix of profile inputs; a bad record stops the run (exit 2)."""
    if len(inputs) == 1 and inputs[0] != "-" and Path(inputs[0]).is_file():
        team = _team_file(Path(inputs[0]), kb)
        if team is not None:
            profiles = tuple(m.profile for m in team.members)
            files = (Path(inputs[0]), *(Path(p.source.path) for p in profiles))
            return Subject(team, profiles, files)
    found: list[Profile] = []
    rejected: list[Problem] = []
    for record in read_applicants(inputs, kb):
        if isinstance(record, Profile):
            found.append(record)
        else:
            rejected.append(Problem(record.reason, record.location))
    if rejected:
        raise StaffcheckError(rejected)
    if not found:
        raise StaffcheckError.at("no profiles to explain", hint="name a team file or profiles")
    files = tuple(Path(i) for i in inputs if i != "-" and Path(i).is_file())
    return Subject(None, tuple(found), files)


def _team_file(path: Path, kb: KnowledgeBase) -> Team | None:
    """The team in `path` if it is a YAML team file (it has `members` or `team`), else None."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return None
    doc = load_yaml(path)
    if not (isinstance(doc.data, dict) and ("members" in doc.data or "team" in doc.data)):
        return None
    problems: list[Problem] = []
    team = read_team(Cursor(doc, (), problems), path.parent, kb)
    if problems or team is None:
        raise StaffcheckError(problems or [Problem("not a team file", Location(str(path)))])
    return team
