"""Screening as a pure function of records, for an existing distributed engine (Dask, Ray, Spark).

`screen_records` turns an iterable of records into one result dict per applicant: exactly the
object of the matching line of ``staffcheck screen --format jsonl``. `screen_frame` does the same
for a pandas DataFrame and returns a flat, Parquet-friendly frame, the shape that Dask's
``map_partitions``, Ray Data's ``map_batches`` and Spark's ``mapInPandas`` want.

A record is either a spreadsheet row (a flat mapping of column header -> scalar, read by the
same intake as a CSV row: aliases, Chinese headers, skills columns, extra columns) or a profile
in YAML shape (a mapping with at least one mapping or list value, such as a nested ``skills``
mapping, read as a JSON Lines line). A bad record comes out as a reject dict, never an
exception, so one bad row never loses a partition.

Both functions are module-level (picklable, also through functools.partial). The pack and its
compiled engine are loaded once per process and language (`knowledge.load_knowledge`'s cache,
`diagnose.engine_for`'s), and nothing of a call outlives it: the language in use is restored
after each chunk, nothing is printed, no handler is installed. Screening holds a process-wide
lock, since the language is process-wide and one engine serves the process: a worker with
several threads screens one chunk at a time (experta holds the GIL anyway).
"""

from __future__ import annotations

import datetime
import importlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from staffcheck.batch import CHUNK
from staffcheck.diagnose import SCREENING_LOCK, check_role, screen, shortlisted
from staffcheck.errors import StaffcheckError, check_argument, wrong_type
from staffcheck.i18n import language, speaking, tr
from staffcheck.knowledge import load_knowledge, resolve_strategy
from staffcheck.model import CandidateResult, KnowledgeBase, Location, Profile, Reject, Strategy
from staffcheck.reporters.json_report import candidate_dict
from staffcheck.seen_ids import SeenIds
from staffcheck.sources import mapping_record, row_reader

__all__ = ["FRAME_COLUMNS", "frame_meta", "screen_frame", "screen_records"]

#: The columns of `screen_frame`'s result, in order (`frame_meta` gives their dtypes).
FRAME_COLUMNS = (
    "id", "name", "post", "fit", "verdict", "confidence", "shortlisted", "rejected", "reason",
    "result",
)  # fmt: skip

#: A pandas DataFrame (pandas is optional, imported only when a frame is asked for).
DataFrame = Any

# One chunk at a time per process, shared with the rest of the API: the language and the
# engine are the process's own.
_SCREENING = SCREENING_LOCK


@dataclass(frozen=True, slots=True)
class _Job:
    """What one call screens with: the pack in its language, the strategy, the post."""

    kb: KnowledgeBase
    strategy: Strategy | None
    post: str | None
    lang: str
    source: str


@dataclass(frozen=True, slots=True)
class _Screened:
    """One record's outcome: its result dict, and what a frame needs beyond it."""

    label: Any
    result: dict[str, Any]
    candidate: CandidateResult | None


def screen_records(
    records: Iterable[Any],
    *,
    rules: str | Path | None = None,
    strategy: str | None = None,
    post: str | None = None,
    lang: str | None = None,
    source: str = "records",
) -> Iterator[dict[str, Any]]:
    """Screen every record; yield one result dict per applicant, in input order.

    Each dict equals ``json.loads`` of the matching line of ``staffcheck screen --format jsonl``
    with the same `rules` (a pack directory; default: the bundled pack), `strategy` (an id or a
    YAML file) and `lang` (default: the language in use). `post` screens everyone for that post,
    as ``--post`` does, but unranked (ranking needs every result: sort after collecting). A bad
    record yields ``{"rejected": True, "source", "row", "column", "reason"}`` (`row` counts
    records from 1); an empty row yields nothing, as in a spreadsheet.
    """
    _check_records("screen_records", "records", records)
    return (item.result for item in _screened(records, rules, strategy, post, lang, source))


def screen_frame(
    frame: DataFrame,
    *,
    rules: str | Path | None = None,
    strategy: str | None = None,
    post: str | None = None,
    lang: str | None = None,
    source: str = "records",
) -> DataFrame:
    """Screen every row of a pandas DataFrame: one row out per applicant, flat and Parquet-ready.

    Columns (`FRAME_COLUMNS`): ``id``, ``name``, ``post``, ``fit``, ``verdict``, ``confidence``
    (its level), ``shortlisted`` (as the reports' shortlist: rank by it, then ``fit``),
    ``rejected``, ``reason`` (why a rejected row was), and ``result``: the JSON text of the
    ``jsonl`` line (or of the reject), compact, keys in the same order. The index keeps the input
    row's label. `frame_meta()` is the empty result, for Dask's ``meta``.
    """
    pd = _pandas()
    if not isinstance(frame, pd.DataFrame):
        raise wrong_type("frame", tr("a pandas DataFrame"), frame, Location("screen_frame()"))
    rows = [_frame_row(item) for item in _screened(frame, rules, strategy, post, lang, source)]
    labels = [item[0] for item in rows]
    result = pd.DataFrame([item[1] for item in rows], columns=list(FRAME_COLUMNS))
    return _typed(result, labels)


def frame_meta() -> DataFrame:
    """An empty frame with `screen_frame`'s columns and dtypes: Dask's ``meta``."""
    return _typed(_pandas().DataFrame(columns=list(FRAME_COLUMNS)), [])


# -- the records ------------------------------------------------------------------------------


def _screened(
    records: Iterable[Any],
    rules: str | Path | None,
    strategy: str | None,
    post: str | None,
    lang: str | None,
    source: str,
) -> Iterator[_Screened]:
    job = _job(rules, strategy, post, lang, source)
    reader = _Reader(job)
    labelled = _labelled(records)
    while chunk := list(islice(labelled, CHUNK)):
        with _speaking(job.lang):
            done = reader.chunk(chunk)
        yield from done


def _job(
    rules: str | Path | None, strategy: str | None, post: str | None, lang: str | None, source: str
) -> _Job:
    """The pack, strategy and post of a call; a bad one is the caller's error and raises."""
    for name, value, kind in (
        ("rules", rules, (str, Path)), ("strategy", strategy, str), ("post", post, str),
        ("lang", lang, str), ("source", source, str),
    ):  # fmt: skip
        check_argument("screen_records", name, value, kind)
    wanted = lang or language()
    with _speaking(wanted):
        kb = load_knowledge(None if rules is None else Path(rules), wanted)
        chosen = resolve_strategy(kb, strategy)
        role = None if post is None else check_role(kb, post)
    return _Job(kb, chosen, role, wanted, source)


@contextmanager
def _speaking(lang: str) -> Iterator[None]:
    """`lang` for the texts made inside, and the language in use back after (even on error)."""
    with _SCREENING, speaking(lang):
        yield


def _check_records(function: str, name: str, records: object) -> None:
    """Records must be many: a text, a single mapping or None is the caller's mistake, said now."""
    if (
        records is None
        or isinstance(records, str | bytes | Mapping)
        or not hasattr(records, "__iter__")
    ):
        wanted = tr("an iterable of records (mappings or pandas rows)")
        raise wrong_type(name, wanted, records, Location(f"{function}()"))


def _labelled(records: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
    """(label, record) pairs: a DataFrame's rows under their index labels, else positions from 1."""
    if hasattr(records, "itertuples") and hasattr(records, "columns"):
        frame: DataFrame = records
        columns = [str(c) for c in frame.columns]
        rows = frame.itertuples(index=False, name=None)
        for label, row in zip(frame.index, rows, strict=True):
            yield label, _Pairs(zip(columns, row, strict=True))  # two columns of one name stay two
        return
    yield from enumerate(records, 1)


_RowReader = Callable[[Location, Sequence[Any]], Profile | Reject | None]


class _Reader:
    """Records to profiles and rejects through the CLI's intake, then screened a chunk at a time."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.count = 0
        self.rows: dict[tuple[str, ...], _RowReader] = {}  # one per header seen
        self.seen = SeenIds()  # id -> first place, as the CLI rejects a repeat (compactly)

    def chunk(self, chunk: list[tuple[Any, Any]]) -> list[_Screened]:
        read: list[tuple[Any, Profile | Reject]] = []
        for label, record in chunk:
            self.count += 1
            found = self._record(Location(self.job.source, self.count), record)
            if found is not None:
                read.append((label, self._unique(found)))
        profiles = [r for _, r in read if isinstance(r, Profile)]
        results = iter(_screen_chunk(self.job, profiles))
        out = []
        for label, record in read:
            outcome = record if isinstance(record, Reject) else next(results)
            if isinstance(outcome, Reject):
                out.append(_Screened(label, _reject_dict(outcome), None))
            else:
                out.append(_Screened(label, candidate_dict(outcome), outcome))
        return out

    def _record(self, where: Location, record: Any) -> Profile | Reject | None:
        pairs = _fields(record)
        if pairs is None:
            reason = tr("not a record: give a mapping of column -> value, or a pandas row")
            return Reject(where, reason)
        header = tuple(name for name, _ in pairs)
        if any(isinstance(v, Mapping | list) for _, v in pairs):
            twice = next((name for name in header if header.count(name) > 1), None)
            if twice is not None:
                return Reject(where, tr("duplicate column {column} (keep one)", column=repr(twice)))
            return mapping_record(_plain_profile(dict(pairs)), where, self.job.kb)
        if header not in self.rows:
            self.rows[header] = row_reader(header, self.job.kb)
        return self.rows[header](where, [_cell(v) for _, v in pairs])

    def _unique(self, record: Profile | Reject) -> Profile | Reject:
        if isinstance(record, Reject):
            return record
        first = self.seen.first_seen(record.id, record.source)
        if first is not None:
            return Reject(
                record.source,
                tr("duplicate person id {id} (first at {place})", id=repr(record.id), place=first),
            )
        return record


def _screen_chunk(job: _Job, profiles: list[Profile]) -> list[CandidateResult | Reject]:
    """The chunk's results; if the engine refuses one profile, each is screened on its own so
    that only that one is rejected."""
    if not profiles:
        return []
    try:
        return list(screen(job.kb, profiles, job.strategy, job.post).candidates)
    except StaffcheckError:
        pass
    out: list[CandidateResult | Reject] = []
    for profile in profiles:
        try:
            out.extend(screen(job.kb, [profile], job.strategy, job.post).candidates)
        except StaffcheckError as exc:
            problem = exc.problems[0]
            out.append(
                Reject(problem.location or profile.source, str(replace(problem, location=None)))
            )
    return out


# -- values -----------------------------------------------------------------------------------


class _Pairs(tuple[tuple[str, Any], ...]):
    """A DataFrame row's (column, value) pairs, in order: a frame may name two columns alike."""

    __slots__ = ()


def _fields(record: Any) -> list[tuple[str, Any]] | None:
    """A record's (header, value) pairs: a mapping, a pandas Series, a frame's row, or the pair
    ``iterrows`` yields; None for anything else."""
    if isinstance(record, tuple) and len(record) == 2 and _is_series(record[1]):
        record = record[1]
    if isinstance(record, _Pairs):
        return [(name, _scalar(v)) for name, v in record]
    if isinstance(record, Mapping) or _is_series(record):
        return [(str(k), _scalar(v)) for k, v in record.items()]
    return None


def _is_series(value: Any) -> bool:
    return type(value).__name__ == "Series" and hasattr(value, "items")


def _scalar(value: Any) -> Any:
    """A value as plain Python: numpy's scalars unwrapped and arrays as lists, a missing value
    (None, NaN, pandas' NA and NaT) as None."""
    module = type(value).__module__
    if module.startswith("numpy"):
        value = value.tolist()  # a scalar or an array alike
    elif module.startswith("pandas") and type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _scalar(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scalar(v) for v in value]
    return value


def _cell(value: Any) -> str | None:
    """A row's value as the text a CSV cell holds (4.0 as "4", a date as ISO); None if empty."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()  # a date typed into a cell is stored as midnight
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _plain_profile(fields: dict[str, Any]) -> dict[str, Any]:
    """A profile in YAML shape; a missing value (a frame's NaN) is an absent key."""
    return {k: v for k, v in fields.items() if v is not None}


def _reject_dict(reject: Reject) -> dict[str, Any]:
    """A reject as a result: what the CLI prints for it, as in the JSON report's ``rejects``."""
    where = reject.location
    return {
        "rejected": True,
        "source": where.path,
        "row": where.line,
        "column": where.column,
        "reason": reject.reason,
    }


# -- frames -----------------------------------------------------------------------------------


def _frame_row(item: _Screened) -> tuple[Any, dict[str, Any]]:
    result = item.result
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    c = item.candidate
    if c is None:
        row = dict.fromkeys(FRAME_COLUMNS)
        row.update(shortlisted=False, rejected=True, reason=result["reason"], result=text)
        return item.label, row
    return item.label, {
        "id": c.id, "name": c.name, "post": c.role, "fit": c.fit, "verdict": c.verdict.value,
        "confidence": c.confidence.value, "shortlisted": shortlisted(c), "rejected": False,
        "reason": None, "result": text,
    }  # fmt: skip


def _typed(frame: DataFrame, labels: list[Any]) -> DataFrame:
    """The frame with fixed dtypes (text as pandas' string dtype, ``fit`` a nullable integer),
    so that every partition, and `frame_meta`, has the same Parquet schema."""
    pd = _pandas()
    text = pd.StringDtype()
    dtypes = dict.fromkeys(FRAME_COLUMNS, text)
    dtypes.update(fit=pd.Int64Dtype(), shortlisted=pd.BooleanDtype(), rejected=pd.BooleanDtype())
    typed = frame.astype(dtypes)
    if labels:
        typed.index = pd.Index(labels)
    return typed


def _pandas() -> Any:
    """pandas, imported when a frame is asked for: it is not a dependency of staffcheck."""
    try:
        return importlib.import_module("pandas")  # untyped here: no stubs are installed
    except ImportError:
        raise StaffcheckError.at(
            tr("screen_frame needs pandas, which is not installed"),
            hint=tr("install it (pip install pandas), or use screen_records"),
        ) from None
