"""Working days: the plan counts Monday to Friday from its start; dates and months come from here.

Public holidays are not modelled: a plan over the Spring Festival should allow for it by its
start date or its efforts (docs/planning.md says so).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping

_WEEK = 5
_SATURDAY = 5

#: The range of a plan's start date: a plan is for the foreseeable future, and its dates (a long
#: plan runs for years past its start) must stay far inside what `datetime.date` can hold.
EARLIEST_START = datetime.date(1970, 1, 1)
LATEST_START = datetime.date(2200, 12, 31)
#: No plan date may pass this: reporters draw a little past the finish (whole weeks, months).
LATEST_DATE = datetime.date(9990, 12, 31)


def iso_day(text: str) -> datetime.date | None:
    """`text` as a date if it is written YYYY-MM-DD (only: not 20270104, not 2027-W01-1)."""
    text = text.strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    if not (text[:4] + text[5:7] + text[8:]).isdigit() or not text.isascii():
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def start_in_range(start: datetime.date) -> bool:
    """`start` lies within `EARLIEST_START` … `LATEST_START`."""
    return EARLIEST_START <= start <= LATEST_START


def fits_calendar(start: datetime.date, day: int) -> bool:
    """Working day `day` from `start` falls no later than `LATEST_DATE`."""
    first = first_workday(start) if start <= LATEST_DATE else start
    weeks = (first.weekday() + day) // _WEEK
    return (LATEST_DATE - first).days >= weeks * 7


def first_workday(start: datetime.date) -> datetime.date:
    """`start`, or the Monday after it when it falls on a weekend."""
    weekday = start.weekday()
    return start if weekday < _SATURDAY else start + datetime.timedelta(days=7 - weekday)


@functools.lru_cache(maxsize=8192)
def workday(start: datetime.date, day: int) -> datetime.date:
    """The date of working day `day` (0 = `first_workday(start)`; never negative)."""
    if day < 0:
        raise ValueError(f"working day {day} is before the start")
    first = first_workday(start)
    weeks, extra = divmod(first.weekday() + day, _WEEK)
    monday = first - datetime.timedelta(days=first.weekday())
    return monday + datetime.timedelta(days=weeks * 7 + extra)


def last_day(start: datetime.date, end: int) -> datetime.date:
    """The date of the last working day of a span ending (exclusive) at day `end` ≥ 1."""
    return workday(start, max(end - 1, 0))


def days_by_month(start: datetime.date, first: int, end: int) -> Mapping[str, int]:
    """How many of working days `first` … `end - 1` fall in each month, as ``YYYY-MM`` -> days."""
    return dict(_days_by_month(start, first, end))


@functools.lru_cache(maxsize=4096)
def _days_by_month(start: datetime.date, first: int, end: int) -> tuple[tuple[str, int], ...]:
    # Counted once per span: the plans of a team's successive actions place most steps alike.
    found: dict[str, int] = {}
    for day in range(first, end):
        month = month_of(start, day)
        found[month] = found.get(month, 0) + 1
    return tuple(found.items())


@functools.lru_cache(maxsize=8192)
def month_of(start: datetime.date, day: int) -> str:
    """The month of working day `day`, as ``YYYY-MM`` (plans of a team's steps ask it often)."""
    return workday(start, day).strftime("%Y-%m")
