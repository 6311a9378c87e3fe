"""Working days: the plan counts Monday to Friday from its start; dates and months come from here."""

from __future__ import annotations

import datetime
from collections.abc import Mapping


def first_workday(start: datetime.date) -> datetime.date:
    """`start`, or the Monday after it when it falls on a weekend."""
    raise NotImplementedError


def workday(start: datetime.date, day: int) -> datetime.date:
    """The date of working day `day` (0 = `first_workday(start)`)."""
    raise NotImplementedError


def days_by_month(start: datetime.date, first: int, end: int) -> Mapping[str, int]:
    """How many of working days `first` … `end - 1` fall in each month, as ``YYYY-MM`` -> days."""
    raise NotImplementedError
