"""Applicants in bulk: YAML files, directories, spreadsheets, JSON Lines and standard input.

Every record is read on its own, so one bad row or file never stops a batch: `read_applicants`
yields either a `Profile` or a `Reject` (its location, the reason) for each record, in input order,
streaming (a million-row CSV is never held in memory). What the reader had to guess or leave
aside (an encoding, a sheet, unknown columns) goes to `on_note` as a `Notice`, once per file.

Spreadsheets (CSV, XLSX, XLS, ODS) have one applicant per row, under a header row naming the
columns (see docs/intake.md): ``id``, ``name``, ``applying_for``, ``experience_years``,
``channels`` and ``titles`` (lists separated by ``;``), in English or Chinese (`columns`), and
skills either as one column per skill (by id or name) or as one ``skills`` column written
``seo:4;copywriting:3``. Other columns are kept aside in `Profile.extra`, and so are cells no
header names (under an empty header cell, or right of the header's last column), as "column F".
"""

from __future__ import annotations

import datetime
import errno
import io
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from difflib import get_close_matches
from pathlib import Path
from typing import IO, Any, BinaryIO

from staffcheck.columns import AMBIGUOUS, REQUIRED, Column, Vocabulary, normal
from staffcheck.errors import Problem, StaffcheckError
from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.model import KnowledgeBase, Location, Profile, Reject, Team
from staffcheck.profiles import PROFILE_FIELDS, read_profile, read_team
from staffcheck.schema import MAX_LEVEL, MIN_LEVEL, Cursor
from staffcheck.seen_ids import SeenIds
from staffcheck.tables import (
    Cells,
    Notice,
    Overlong,
    Table,
    bounded_lines,
    column_letter,
    csv_table,
    max_record_chars,
    record_too_long,
)
from staffcheck.yamlio import (
    Document,
    decode_text,
    load_yaml,
    max_file_bytes,
    no_such_file,
    parse_yaml,
    read_text,
)

__all__ = [
    "Notice", "Record", "Subject", "expand_paths", "load_subject", "mapping_record",
    "read_applicants", "row_reader",
]  # fmt: skip

WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = {
    ".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".tsv": "csv",
    ".jsonl": "jsonl", **dict.fromkeys(WORKBOOKS, "workbook"),
}  # fmt: skip
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+\s*(年|years?|yrs?)?$", re.IGNORECASE)


Record = Profile | Reject
NoteSink = Callable[[Notice], None]


def _ignore(_: Notice) -> None:
    """Where notes go when the caller does not want them."""


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
                p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and not p.is_dir()
            )  # a FIFO or a dangling link among them is named and rejected, never skipped
            # An empty one is read as itself, to be rejected on its own (`_check_readable`).
            yield from found or [path]
        else:
            yield path


def read_applicants(
    paths: Iterable[str],
    kb: KnowledgeBase,
    stdin_format: str = "auto",
    *,
    sheet: str | None = None,
    on_note: NoteSink = _ignore,
) -> Iterator[Record]:
    """Every applicant of every input, in order; bad records come out as `Reject`s.

    `sheet` picks the sheet of every workbook (a name, or a number from 1); with no workbook
    among the inputs it is an error (at once, before any record), not silently ignored.
    `on_note` hears what the reader guessed or left aside in each file.
    """
    sources = expand_paths(paths)
    if sheet is not None and not any(_is_workbook(s) for s in sources):
        raise StaffcheckError.at(
            tr("--sheet applies to workbooks (.xlsx, .xls, .ods); none of the inputs is one")
        )
    return _records(sources, kb, stdin_format, sheet, on_note)


def _is_workbook(source: Path | str) -> bool:
    return isinstance(source, Path) and SUFFIXES.get(source.suffix.lower()) == "workbook"


def _records(
    sources: list[Path | str],
    kb: KnowledgeBase,
    stdin_format: str,
    sheet: str | None,
    on_note: NoteSink,
) -> Iterator[Record]:
    seen = SeenIds()  # id -> where first seen (the profile's own, not a copy), compactly
    for source in sources:
        for record in _read_source(source, kb, stdin_format, sheet, on_note):
            if isinstance(record, Profile):
                first = seen.first_seen(record.id, record.source)
                if first is not None:
                    yield Reject(
                        record.source,
                        tr(
                            "duplicate person id {id} (first at {place})",
                            id=repr(record.id),
                            place=first,
                        ),
                    )
                    continue
            yield record


def _read_source(
    source: Path | str, kb: KnowledgeBase, stdin_format: str, sheet: str | None, on_note: NoteSink
) -> Iterator[Record]:
    if source == "-":
        yield from _read_stdin(kb, stdin_format, on_note)
        return
    assert isinstance(source, Path)
    kind = SUFFIXES.get(source.suffix.lower(), "yaml")
    try:
        _check_readable(source)
        if kind == "csv":
            yield from _csv_records(_open_lines(source), str(source), kb, on_note)
        elif kind == "workbook":
            _check_size(source, max_file_bytes() * 5)  # a workbook is read whole
            yield from _workbook_records(source, kb, sheet, on_note)
        elif kind == "jsonl":
            yield from _jsonl_records(_open_lines(source), str(source), kb)
        else:
            yield from _yaml_records(parse_yaml(read_text(source), str(source)), kb)
    except StaffcheckError as exc:
        yield _reject(exc.problems[0], str(source))
    except PermissionError:
        yield Reject(Location(str(source)), _reason(_unreadable(tr("permission denied"), source)))
    except OSError as exc:  # a disk error, a file gone halfway: this file only
        reason = tr("cannot read: {problem}", problem=exc.strerror or type(exc).__name__)
        yield Reject(Location(str(source)), reason)


def _check_readable(path: Path) -> None:
    """A spreadsheet or JSON Lines input that is a file, or one line saying what it is instead
    (a missing file, a dangling link, a directory, a device)."""
    if path.is_dir():
        raise StaffcheckError.at(
            tr("directory holds no .yaml, .csv, .xlsx, .xls, .ods or .jsonl files"), path,
            hint=tr("name the files, or a directory that has some"),
        )  # fmt: skip
    if not path.exists():  # also a symbolic link to nothing
        raise StaffcheckError.at(no_such_file(), path, hint=tr("check the path"))
    if not path.is_file():
        raise _not_regular(path)


def _unreadable(message: str, path: Path) -> Problem:
    return Problem(message, Location(str(path)), tr("check the file's permissions"))


def _read_stdin(kb: KnowledgeBase, stdin_format: str, on_note: NoteSink) -> Iterator[Record]:
    raw = sys.stdin.buffer.read(max_file_bytes() + 1)
    if len(raw) > max_file_bytes():
        yield Reject(
            Location("<stdin>"),
            tr("input is over the size limit (raise STAFFCHECK_MAX_FILE_BYTES)"),
        )
        return
    kind = stdin_format
    if kind == "auto":
        kind = _sniffed(raw.decode("utf-8", errors="replace").lstrip("\ufeff"))
    if kind == "csv":  # the CSV reader finds the encoding itself
        yield from _csv_records(io.BytesIO(raw), "<stdin>", kb, on_note)
    elif kind == "jsonl":  # as a file: a line that is not UTF-8 rejects only itself
        yield from _jsonl_records(io.BytesIO(raw), "<stdin>", kb)
    else:
        try:
            yield from _yaml_records(parse_yaml(decode_text(raw, "<stdin>"), "<stdin>"), kb)
        except StaffcheckError as exc:
            yield _reject(exc.problems[0], "<stdin>")


def _sniffed(text: str) -> str:
    """What standard input holds: JSON Lines (a JSON object on its first line), CSV (a header
    row) or YAML, which flow-style YAML (``{id: s-1, name: Li}``) and pretty-printed JSON are."""
    stripped = text.lstrip()
    first_line = re.split("\r\n|\r|\n", stripped, maxsplit=1)[0]  # CR alone ends a line too
    if stripped.startswith("{"):
        return "jsonl" if _is_json(first_line) or not _is_yaml(text) else "yaml"
    if any(d in first_line for d in ",;\t") and ":" not in first_line:
        return "csv"
    return "yaml"


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _is_yaml(text: str) -> bool:
    try:
        parse_yaml(text, "<stdin>")
    except StaffcheckError:
        return False
    return True


def _reason(problem: Problem) -> str:
    """The problem without its place (a reject carries its own): message and hint."""
    return str(replace(problem, location=None))


def _reject(problem: Problem, source: str) -> Reject:
    return Reject(problem.location or Location(source), _reason(problem))


def _open_lines(path: Path) -> BinaryIO:
    # CSV and JSON Lines stream row by row, so they may be far larger than a YAML file.
    handle = open_regular(path)
    try:
        _check_size(path, max_file_bytes() * 50, os.fstat(handle.fileno()).st_size)
    except BaseException:
        handle.close()
        raise
    return handle


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a regular file, else a StaffcheckError saying what it
    is. Opened without waiting and checked on the open file, so a FIFO or a device (``/dev/zero``
    linked as ``x.csv``) never hangs or floods the reader, whatever it became after a look."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise StaffcheckError.at(no_such_file(), path, hint=tr("check the path")) from None
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise StaffcheckError.at(
            tr("is a loop of symbolic links"), path, hint=tr("check the path")
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _not_regular(path)
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _not_regular(path: Path) -> StaffcheckError:
    return StaffcheckError.at(
        tr("is not a regular file (a device or pipe?)"), path,
        hint=tr("name a .csv, .xlsx, .xls, .ods or .jsonl file"),
    )  # fmt: skip


def _check_size(path: Path, limit: int, size: int | None = None) -> None:
    size = path.stat().st_size if size is None else size
    if size > limit:
        raise StaffcheckError.at(
            tr("file is {size} bytes, over the limit for exports", size=f"{size:,}"), path,
            hint=tr("split it, or raise STAFFCHECK_MAX_FILE_BYTES"),
        )  # fmt: skip


NOT_UTF8 = "not UTF-8 text (save the file as UTF-8; exports from Excel: 'CSV UTF-8')"
_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes UTF-8 could not decode (surrogateescape)


def _profile_from(data: Any, source: str, line: int | None, kb: KnowledgeBase) -> Record:
    """Validate one record's plain data with the same schema as YAML profiles."""
    doc = Document(source, data, {(): (line or 1, 1)} if line else {}, {})
    problems: list[Problem] = []
    profile = read_profile(Cursor(doc, (), problems), kb)
    if problems or profile is None:
        said = problems or [Problem(tr("not a profile"))]  # every problem, in one line
        return Reject(Location(source, line), tr("; ").join(_reason(p) for p in said))
    return profile


def _yaml_records(doc: Document, kb: KnowledgeBase) -> Iterator[Record]:
    """Each profile of a YAML file on its own, so one bad profile in a list rejects only itself."""
    top = Cursor(doc, (), [])
    if isinstance(doc.data, dict) and ("members" in doc.data or "team" in doc.data):
        yield Reject(
            Location(doc.path, 1),
            tr("this is a team file, not a profile (use 'staffcheck team')"),
        )
        return
    cursors = list(top.items()) if isinstance(doc.data, list) else [top]
    if not isinstance(doc.data, list | dict):
        yield Reject(
            Location(doc.path, 1),
            tr(
                "a profile file must hold a mapping (one profile) or a list of profiles "
                "(start with 'id:' and 'name:')"
            ),
        )
        return
    if not cursors:
        yield Reject(Location(doc.path, 1), tr("the list of profiles is empty"))
    for cursor in cursors:
        problems: list[Problem] = []
        profile = read_profile(Cursor(doc, cursor.where, problems), kb)
        if problems or profile is None:
            yield _reject(problems[0], doc.path)
        else:
            yield profile


#: How deeply a JSON Lines record may nest lists and objects: a profile needs 2 (its skills).
MAX_JSON_DEPTH = 20
#: How many digits a whole number in a record may have (Python's own conversion limit is
#: 4,300): a level or a number of years has one or two. In a spreadsheet cell a longer one is
#: text, which the level or years column then refuses with its own hint.
MAX_DIGITS = 100


class _BadJson(ValueError):
    """What is wrong with a JSON Lines record that the JSON parser itself accepts."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _BadJson(tr("duplicate key {key} (keep one)", key=repr(key)))
        result[key] = value
    return result


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _BadJson(
            tr("a number of {count} digits (a level is 0 to 5; years of experience 0 to 70)",
               count=f"{len(text.lstrip('-')):,}")
        )  # fmt: skip
    return int(text)


def _jsonl_records(handle: IO[bytes], source: str, kb: KnowledgeBase) -> Iterator[Record]:
    """One applicant per line; a line that is not one (not UTF-8, not JSON, over the length
    limit, nested too deeply) is rejected on its own and the rest are read."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline=None)
    seen_any = False
    with closing(text):  # newline=None: CR-only line endings (old Mac exports) read as lines
        limit = max_record_chars()
        for number, line in bounded_lines(text, limit):
            where = Location(source, number)
            if isinstance(line, Overlong):
                yield Reject(where, record_too_long(limit))
            elif _UNDECODED.search(line):
                yield Reject(where, tr(NOT_UTF8))
            elif line.strip():
                yield _json_record(line, where, kb)
            else:
                continue
            seen_any = True
    if not seen_any:
        yield Reject(Location(source), tr("no applicants in the file (it is empty)"))


def _json_record(line: str, where: Location, kb: KnowledgeBase) -> Record:
    too_deep = tr(
        "nested more than {depth} levels deep (a profile needs 2: skills as {example})",
        depth=MAX_JSON_DEPTH, example='{"seo": 4}',
    )  # fmt: skip
    try:
        data = json.loads(line, object_pairs_hook=_no_duplicate_keys, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        problem = tr("invalid JSON: {problem} at column {column}", problem=exc.msg,
                     column=exc.colno)  # fmt: skip
        return Reject(where, problem)
    except _BadJson as exc:
        return Reject(where, str(exc))
    except RecursionError:  # deeper than the parser goes
        return Reject(where, too_deep)
    if line.count("[") + line.count("{") > MAX_JSON_DEPTH and _depth(data) > MAX_JSON_DEPTH:
        return Reject(where, too_deep)
    return _profile_from(data, where.path, where.line, kb)


def _depth(data: Any) -> int:
    """How deeply `data` nests lists and objects (counted without recursion)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in value)
    return deepest


def _table_records(
    table: Table, source: str, kb: KnowledgeBase, on_note: NoteSink, words: Vocabulary
) -> Iterator[Record]:
    """The applicants of a spreadsheet whose header row was found; a row without any value is
    skipped, an unknown column kept aside (`Profile.extra`). What was kept aside is said in one
    note once the rows are read: a column without a header, or cells right of the header's last
    column, only show themselves row by row."""
    # A workbook pads the header row to the sheet's width: its last named column ends it.
    width = max((i + 1 for i, h in enumerate(table.header) if h.strip()), default=0)
    columns = _unique(
        [words.column(h.strip()) if h.strip() else None for h in table.header[:width]]
    )
    problem = _duplicate_column(columns)
    if problem is not None:
        yield Reject(Location(source, table.header_line), problem)
        return
    spare = Spare(len(columns), decimal_comma=table.decimal_comma)
    found = False
    for line, cells in table.rows:
        record = _row_record(Location(source, line), cells, columns, words, kb, spare)
        if record is not None:
            found = True
            yield record
    notes = [
        *table.notes, *_ignored_note(columns, spare, kb), *spare.beyond_note(), *spare.comma_note()
    ]  # fmt: skip
    if notes:  # one line per file, however many rows it has
        on_note(Notice(source, tr("; ").join(notes)))
    if not found:
        yield Reject(Location(source), tr("no applicants in the file (only a header row)"))


def _row_record(
    where: Location,
    cells: Sequence[Any] | str,
    columns: list[Column | None],
    words: Vocabulary,
    kb: KnowledgeBase,
    spare: Spare,
) -> Record | None:
    """One row as a profile or a reject; None for a row with nothing to screen."""
    if isinstance(cells, str):  # the reader could not read the row: why
        return Reject(where, cells)
    problems: list[str] = []
    data, extra = _row_data(columns, cells, words, spare, problems)
    if not data and not problems:
        return None  # an empty row, or a note below the table
    missing = [c for c in columns if c is not None and c.kind == "field" and c.target in REQUIRED]
    for column in missing:
        if column.target not in data:
            problems.append(_empty_required(column))
            data[column.target] = "?"  # said above: the schema is not to say it again
    record = _profile_from(data, where.path, where.line, kb)
    if problems:
        if isinstance(record, Reject):
            problems.append(record.reason)
        return Reject(where, tr("; ").join(problems))
    return replace(record, extra=extra) if isinstance(record, Profile) and extra else record


def row_reader(
    header: Sequence[str], kb: KnowledgeBase
) -> Callable[[Location, Cells], Record | None]:
    """Rows under `header` read exactly as a spreadsheet's rows are (`scale` reads records so):
    each as a profile, a reject, or None for a row with nothing in it."""
    words = Vocabulary(kb)
    columns = _unique([words.column(h.strip()) if h.strip() else None for h in header])
    problem = _duplicate_column(columns) or _no_required_column(columns, header)
    spare = Spare(len(columns))

    def read(where: Location, cells: Cells) -> Record | None:
        if problem is not None:
            if all(cell is None or not str(cell).strip() for cell in cells):
                return None  # an empty row says nothing, whatever its header
            return Reject(where, problem)
        return _row_record(where, cells, columns, words, kb, spare)

    return read


def mapping_record(data: Any, where: Location, kb: KnowledgeBase) -> Record:
    """A profile given as plain data (a YAML profile's shape, as a JSON Lines line is read)."""
    return _profile_from(data, where.path, where.line, kb)


def _empty_required(column: Column) -> str:
    if column.target == "name":
        return tr(
            "column {column}: empty — every applicant needs a name", column=_shown(column.header)
        )
    return tr(
        "column {column}: empty — every applicant needs an id (any text unique to them)",
        column=_shown(column.header),
    )


def _unique(columns: list[Column | None]) -> list[Column | None]:
    """Columns kept aside with a header seen before renamed ``备注 (2)``, so that every output
    keeps both values under names of their own."""
    taken = {c.header for c in columns if c is not None}
    seen: set[str] = set()
    result: list[Column | None] = []
    for column in columns:
        if column is not None and column.kind == "extra" and column.header in seen:
            number = 2
            while f"{column.header} ({number})" in taken:
                number += 1
            name = f"{column.header} ({number})"
            taken.add(name)
            column = Column(name, "extra", name)
        if column is not None:
            seen.add(column.header)
        result.append(column)
    return result


def _no_required_column(columns: list[Column | None], header: Sequence[str]) -> str | None:
    """Records whose keys name no id or no name column: a file like it has no header row at all
    (`tables.no_header`), so each of its rows is refused, never dropped without a word."""
    given = {c.target for c in columns if c is not None and c.kind == "field"}
    if all(field in given for field in REQUIRED):
        return None
    return tr(
        "no column names the id and the name of the applicant (the columns: {columns}); "
        "name them id and name, or 编号 and 姓名",
        columns=", ".join(repr(h) for h in header[:12]) + (", …" if len(header) > 12 else ""),
    )


def _duplicate_column(columns: list[Column | None]) -> str | None:
    """Two columns giving the same field or skill: which to keep is not ours to guess."""
    seen: dict[tuple[str, str], str] = {}
    for column in columns:
        if column is None or column.kind == "extra":
            continue
        key = (column.kind, column.target)
        if key in seen:
            first = seen[key]
            if normal(first) == normal(column.header):
                return tr("duplicate column {column} (keep one)", column=repr(column.header))
            return tr(
                "columns {first} and {second} both give {target} (keep one)",
                first=repr(first), second=repr(column.header), target=column.target,
            )  # fmt: skip
        seen[key] = column.header
    return None


def _ignored_note(columns: list[Column | None], spare: Spare, kb: KnowledgeBase) -> list[str]:
    """The one note naming the columns kept aside (those without a header only if they hold a
    value somewhere), with a did-you-mean for a likely typo."""
    extra = [
        column.header if column is not None else spare.name(index)
        for index, column in enumerate(columns)
        if (column is not None and column.kind == "extra") or index in spare.unnamed
    ]
    if not extra:
        return []
    message = tr(
        "ignored columns: {columns} (kept in spreadsheet results)", columns=shortened(extra)
    )
    known = [*PROFILE_FIELDS, *kb.skills]
    for header in (c.header for c in columns if c is not None and c.kind == "extra"):
        key = " ".join(header.casefold().replace("_", " ").replace("-", " ").split())
        close = get_close_matches(key.replace(" ", "_"), known, n=1, cutoff=0.75) or (
            get_close_matches(key.replace(" ", "-"), known, n=1, cutoff=0.75)
        )
        if close:
            message += "; " + tr(
                "did you mean {known} for {column}?", known=repr(close[0]), column=repr(header)
            )
    return [message]


#: How many column names a note lists before it says how many more there are.
NOTE_COLUMNS = 8


def shortened(names: Sequence[str]) -> str:
    """`names` for a note: all of them, or the first few and how many more."""
    if len(names) <= NOTE_COLUMNS:
        return ", ".join(names)
    return tr(
        "{columns} and {count} more",
        columns=", ".join(names[:NOTE_COLUMNS]), count=len(names) - NOTE_COLUMNS,
    )  # fmt: skip


class Spare:
    """The cells of a sheet that no header names: under an empty header cell, or right of the
    header's last column. Each is kept aside as "column F" (its letter, as the spreadsheet
    shows it); this remembers which of them held a value, for the file's note."""

    def __init__(self, width: int, *, decimal_comma: bool = False) -> None:
        self.width = width
        self.decimal_comma = decimal_comma  # ``4,5`` is 4.5 (a ``;``-separated file)
        self.commas = 0  # numbers read so
        self.unnamed: set[int] = set()  # columns (within the header) without a header, used
        self.beyond: set[int] = set()  # columns right of the header, used
        self.beyond_rows = 0  # rows with a value right of the header
        self._names: dict[int, str] = {}

    def name(self, index: int) -> str:
        if index not in self._names:
            self._names[index] = tr("column {letter}", letter=column_letter(index))
        return self._names[index]

    def kept(self, index: int, text: str) -> tuple[str, str]:
        """Note that column `index` holds `text` in a row; its (name, text) for `extra`."""
        (self.unnamed if index < self.width else self.beyond).add(index)
        return self.name(index), text

    def number(self, value: Any) -> Any:
        """A number cell; ``4,5`` as 4.5 where the file's numbers have a decimal comma."""
        if self.decimal_comma and isinstance(value, str) and _DECIMAL_COMMA.match(value):
            self.commas += 1
            value = value.replace(",", ".")
        return value

    def comma_note(self) -> list[str]:
        if not self.commas:
            return []
        return [
            tr(
                "numbers with a decimal comma read as decimals (4,5 = 4.5), as the file is "
                "separated by ';': {count}",
                count=self.commas,
            )
        ]

    def beyond_note(self) -> list[str]:
        if not self.beyond_rows:
            return []
        return [
            tr(
                "rows with cells right of the header's last column: {count} "
                "(kept in spreadsheet results as {columns})",
                count=self.beyond_rows,
                columns=shortened([self.name(i) for i in sorted(self.beyond)]),
            )
        ]


def _row_data(
    columns: list[Column | None],
    cells: Sequence[Any],
    words: Vocabulary,
    spare: Spare,
    problems: list[str],
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """A spreadsheet row as profile data (skills gathered, lists split, numbers parsed, names of
    posts and channels turned into ids) and its unused columns as (header, text) pairs: a named
    one always, one without a header where it holds a value. What is wrong with a cell goes to
    `problems`, naming its column as the sheet does (every problem of the row, not the first)."""
    data: dict[str, Any] = {}
    skills: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    beyond = False
    for index, raw in enumerate(cells):
        column = columns[index] if index < len(columns) else None
        value = (raw.strip() or None) if type(raw) is str else _cell(raw)  # CSV: always text
        if column is None:
            if value is not None:
                extra.append(spare.kept(index, _cell_text(value)))
                beyond = beyond or index >= len(columns)
            continue
        if column.kind == "extra":
            extra.append((column.header, _cell_text(value)))
            continue
        if value is None:
            continue
        if column.kind == "skill" and column.target not in skills and value in _LEVELS:
            skills[column.target] = _LEVELS[value]  # most cells of a sheet: a level, "0" to "5"
            continue
        try:
            _named_cell(column, value, data, skills, words, spare)
        except ValueError as exc:
            problems.append(str(exc))
    spare.beyond_rows += beyond
    if skills:
        data["skills"] = skills
    return data, tuple(extra)


def _named_cell(
    column: Column,
    value: Any,
    data: dict[str, Any],
    skills: dict[str, Any],
    words: Vocabulary,
    spare: Spare,
) -> None:
    """One cell of a field or skill column into `data` or `skills`; ValueError if it is wrong."""
    if column.kind == "skills":
        _skills_cell(skills, str(value), words, column.header)
    elif column.kind == "skill":
        _add_skill(skills, column.target, _level(spare.number(value), column.header))
    elif column.target == "experience_years":
        data[column.target] = _years(spare.number(value), column.header, words)
    else:
        data[column.target] = _field_value(column.target, value, words)


#: A level cell as most sheets write it, and the level it is.
_LEVELS = {str(level): level for level in range(MIN_LEVEL, MAX_LEVEL + 1)}


def _shown(text: str) -> str:
    """A header or cell in a message: control characters made visible, a long one cut."""
    text = inert(text)
    return text if len(text) <= 60 else text[:59] + "…"


def _level(value: Any, column: str) -> Any:
    level = _cell_number(value)
    if isinstance(level, int) and not isinstance(level, bool) and 0 <= level <= 5:
        return level
    shown = {"column": _shown(column), "value": _shown(_cell_text(value))}
    if isinstance(level, int | float) and not isinstance(level, bool):
        raise ValueError(
            tr("column {column}: {value} is not a level 0–5 (use a whole number)", **shown)
        )
    raise ValueError(
        tr("column {column}: {value} is not a level (write a whole number from 0 to 5)", **shown)
    )


def _years(value: Any, column: str, words: Vocabulary) -> Any:
    years = _field_value("experience_years", value, words)
    if isinstance(years, bool) or not isinstance(years, int | float):
        raise ValueError(
            tr("column {column}: {value} is not a number of years (write a number, such as 3)",
               column=_shown(column), value=_shown(_cell_text(value)))
        )  # fmt: skip
    if not 0 <= years <= 70:
        raise ValueError(
            tr("column {column}: {value} is not 0–70 years (write the years of experience, "
               "such as 3)", column=_shown(column), value=_shown(_cell_text(value)))
        )  # fmt: skip
    return years


def _field_value(name: str, value: Any, words: Vocabulary) -> Any:
    if name == "applying_for" and isinstance(value, str):
        post = words.posts.get(normal(value), value)
        if post.startswith(AMBIGUOUS):
            raise ValueError(
                tr("post {post} could mean {posts} (write the post's id)",
                   post=repr(value), posts=", ".join(post.removeprefix(AMBIGUOUS).split(",")))
            )  # fmt: skip
        return post
    if name == "channels":
        return [_known(words.channels, item) for item in _split(value, _CHANNEL_SPLIT)]
    if name == "titles":
        return _split(value, _TITLE_SPLIT)
    if name == "experience_years":
        return _cell_number(_YEARS.sub("", value) if isinstance(value, str) else value)
    return value


def _known(index: dict[str, str], label: str) -> str:
    """The id `label` names in `index`, else `label` itself (for the schema to reject)."""
    found = index.get(normal(label), label)
    return label if found.startswith(AMBIGUOUS) else found


def _skills_cell(skills: dict[str, Any], value: str, words: Vocabulary, header: str) -> None:
    """A ``skills`` cell: ``seo:4;copywriting:3`` (or ``SEO：4、文案：3``); a bad level is
    named by the column and the skill ("column skills (seo): abc is not a level")."""
    for part in _split(value, _CHANNEL_SPLIT):
        skill, sep, level = part.replace("：", ":").partition(":")
        if not sep:
            raise ValueError(
                tr("skills entry {entry} is not written 'skill:level'", entry=repr(part))
            )
        name = skill.strip()
        where = tr("{column} ({skill})", column=header, skill=name)
        _add_skill(skills, _known(words.skills, name), _level(level.strip(), where))


_CHANNEL_SPLIT = re.compile(r"[;；,，、]")
_TITLE_SPLIT = re.compile(r"[;；、]")
_YEARS = re.compile(r"\s*(年|years?|yrs?)\s*$", re.IGNORECASE)


def _split(value: Any, separators: re.Pattern[str]) -> list[str]:
    return [item.strip() for item in separators.split(str(value)) if item.strip()]


def _cell(raw: Any) -> Any:
    """A cell's value: None if empty, text stripped, dates as ISO text, 4.0 as 4."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, int | float):
        return raw
    if isinstance(raw, datetime.datetime) and raw.time() == datetime.time():
        raw = raw.date()  # a date typed into a cell: Excel stores it as midnight
    return raw.isoformat() if hasattr(raw, "isoformat") else str(raw)


def _cell_text(value: Any) -> str:
    value = _cell(value)
    return "" if value is None else str(value)


def _add_skill(skills: dict[str, Any], skill: str, level: Any) -> None:
    if skill in skills:
        raise ValueError(tr("skill {skill} is given twice (keep one)", skill=repr(skill)))
    skills[skill] = level


def _cell_number(value: Any) -> Any:
    """A cell as a number where it is one; 4.0 is 4 (spreadsheets store whole numbers so)."""
    if isinstance(value, str):
        if _INTEGER.match(value):
            return int(value) if len(value) <= MAX_DIGITS else value
        if _NUMBER.match(value):
            value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: A cell longer than this names no column: the header row is looked for among rows whose
#: cells may be huge, and only the short ones are worth normalising.
_HEADER_CELL_CHARS = 256


def _is_header(words: Vocabulary) -> Callable[[Sequence[Any]], bool]:
    """Whether a row names the required columns (id and name, in any accepted spelling)."""

    def is_header(cells: Sequence[Any]) -> bool:
        named = {
            words.column(cell.strip()).target
            for cell in cells
            if isinstance(cell, str) and cell.strip() and len(cell) <= _HEADER_CELL_CHARS
        }
        return all(field_name in named for field_name in REQUIRED)

    return is_header


def _csv_records(
    handle: IO[bytes], source: str, kb: KnowledgeBase, on_note: NoteSink
) -> Iterator[Record]:
    words = Vocabulary(kb)  # one per file: it indexes every name of the pack
    with closing(handle):
        try:
            table = csv_table(handle, source, _is_header(words))
        except StaffcheckError as exc:
            yield _reject(exc.problems[0], source)
            return
        try:
            yield from _table_records(table, source, kb, on_note, words)
        finally:
            table.close()


def _workbook_records(
    path: Path, kb: KnowledgeBase, sheet: str | None, on_note: NoteSink
) -> Iterator[Record]:
    source = str(path)
    words = Vocabulary(kb)
    with open_regular(path) as handle:
        magic = handle.read(8)
    if not magic.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and magic.strip():
        if magic.lstrip().startswith(b"<"):
            yield Reject(
                Location(source),
                tr("this file is a web page (HTML) named like a workbook "
                   "(open it in Excel or WPS and save it as .xlsx or 'CSV UTF-8')"),
            )  # fmt: skip
            return
        # Many recruiting sites export tab-separated text as ".xls": read it as such.
        on_note(Notice(source, tr("not a workbook but text: read as CSV")))
        yield from _csv_records(_open_lines(path), source, kb, on_note)
        return
    from staffcheck.workbooks import workbook_table  # only workbooks load the zip guards

    try:
        table = workbook_table(path, sheet, _is_header(words))
    except StaffcheckError as exc:
        yield _reject(exc.problems[0], source)
        return
    try:
        yield from _table_records(table, source, kb, on_note, words)
    finally:
        table.close()


@dataclass(frozen=True, slots=True)
class Subject:
    """What a run is about: a team (with its members' profiles), or profiles on their own."""

    team: Team | None
    profiles: tuple[Profile, ...]
    #: the files read, so that no output is written over one of them
    files: tuple[Path, ...]
    #: what the reader guessed or left aside in spreadsheet inputs (for the caller to show)
    notes: tuple[Notice, ...] = ()


def held_post(subject: Subject, person: Profile) -> str | None:
    """The post `person` holds: their post in the subject's team, else the one they apply for."""
    if subject.team is None:
        return person.applying_for
    return next(m.role for m in subject.team.members if m.profile.id == person.id)


def load_subject(
    inputs: Sequence[str], kb: KnowledgeBase, profile_dirs: Sequence[Path] = ()
) -> Subject:
    """One team file, or any mix of profile inputs; a bad record stops the run (exit 2).
    A team's member profile files may also be in `profile_dirs` (``--profiles``)."""
    if len(inputs) == 1 and inputs[0] != "-" and Path(inputs[0]).is_file():
        team = _team_file(Path(inputs[0]), kb, profile_dirs)
        if team is not None:
            profiles = tuple(m.profile for m in team.members)
            files = (Path(inputs[0]), *(Path(p.source.path) for p in profiles))
            return Subject(team, profiles, files)
    found: list[Profile] = []
    rejected: list[Problem] = []
    notes: list[Notice] = []
    for record in read_applicants(inputs, kb, on_note=notes.append):
        if isinstance(record, Profile):
            found.append(record)
        else:
            rejected.append(Problem(record.reason, record.location))
    if rejected:
        raise StaffcheckError(rejected)
    if not found:
        raise StaffcheckError.at(
            tr("no profiles to explain"), hint=tr("name a team file or profiles")
        )
    files = tuple(Path(i) for i in inputs if i != "-" and Path(i).is_file())
    return Subject(None, tuple(found), files, tuple(notes))


def _team_file(path: Path, kb: KnowledgeBase, profile_dirs: Sequence[Path] = ()) -> Team | None:
    """The team in `path` if it is a YAML team file (it has `members` or `team`), else None."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return None
    doc = load_yaml(path)
    if not (isinstance(doc.data, dict) and ("members" in doc.data or "team" in doc.data)):
        return None
    problems: list[Problem] = []
    team = read_team(Cursor(doc, (), problems), path.parent, kb, profile_dirs)
    if problems or team is None:
        raise StaffcheckError(problems or [Problem(tr("not a team file"), Location(str(path)))])
    return team
