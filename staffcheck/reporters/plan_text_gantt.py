"""The terminal Gantt chart's geometry: time columns (weeks, fortnights or months), bars, ruler.

A plan's days are working days from its start (`staffcheck.workdays`); a column covers the working
days of one calendar week, two weeks or one calendar month, whichever is the finest that fits the
room the name and person columns leave. A bar fills every column its span touches.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from rich.cells import cell_len

from staffcheck.i18n import tr
from staffcheck.reporters.plan_words import short_date
from staffcheck.workdays import first_workday, workday

_WEEK = 5
ELLIPSIS = "…"


class Unit(enum.Enum):
    WEEK = 1
    FORTNIGHT = 2
    MONTH = 0


@dataclass(frozen=True, slots=True)
class Column:
    """The working days ``first`` … ``end - 1`` of the plan, shown as one column."""

    first: int
    end: int
    date: datetime.date


@dataclass(frozen=True, slots=True)
class Scale:
    """The chart's time axis: its columns and how many terminal cells each one takes."""

    unit: Unit
    columns: tuple[Column, ...]
    cells: int

    @property
    def width(self) -> int:
        return len(self.columns) * self.cells


def week_columns(start: datetime.date, days: int, weeks: int) -> tuple[Column, ...]:
    """Columns of `weeks` calendar weeks each, covering working days 0 … `days - 1`."""
    offset = first_workday(start).weekday()  # day 0 falls on this weekday of week 0
    span = _WEEK * weeks
    columns = []
    first = 0
    while first < max(days, 1):
        end = (first + offset) // span * span + span - offset
        columns.append(Column(first, end, workday(start, first)))
        first = end
    return tuple(columns)


def month_columns(start: datetime.date, days: int) -> tuple[Column, ...]:
    """One column per calendar month touched by working days 0 … `days - 1`."""
    columns: list[Column] = []
    first = 0
    month = workday(start, 0).month
    for day in range(1, max(days, 1) + 1):
        date = workday(start, day)
        if day == max(days, 1) or date.month != month:
            columns.append(Column(first, day, workday(start, first)))
            first, month = day, date.month
    return tuple(columns)


def scales(start: datetime.date, days: int) -> tuple[Scale, ...]:
    """The time scales, finest first: weeks of two cells, then one; two weeks; months."""
    weeks = week_columns(start, days, 1)
    return (
        Scale(Unit.WEEK, weeks, 2),
        Scale(Unit.WEEK, weeks, 1),
        Scale(Unit.FORTNIGHT, week_columns(start, days, 2), 1),
        Scale(Unit.MONTH, month_columns(start, days), 1),
    )


def scale_for(start: datetime.date, days: int, room: int) -> Scale | None:
    """The finest scale whose columns fit in `room` cells, or None when not even months fit."""
    return next((scale for scale in scales(start, days) if scale.width <= room), None)


def unit_words(scale: Scale) -> str:
    """What one column stands for, for the legend."""
    words = {
        Unit.WEEK: tr("one column = 1 week"),
        Unit.FORTNIGHT: tr("one column = 2 weeks"),
        Unit.MONTH: tr("one column = 1 month"),
    }
    return words[scale.unit]


def bar(scale: Scale, first: int, end: int, glyph: str) -> str:
    """The row of a span of days ``first`` … ``end - 1``: `glyph` in every column it touches."""
    cells = []
    for column in scale.columns:
        touched = first < column.end and column.first < max(end, first + 1)
        cells.append((glyph if touched else " ") * scale.cells)
    return "".join(cells)


def ruler(scale: Scale) -> str:
    """The columns' first dates, each at its column where the one before leaves room."""
    out, at = "", 0
    for index, column in enumerate(scale.columns):
        position = index * scale.cells
        label = short_date(column.date)
        if position < at or position + cell_len(label) > scale.width:
            continue
        out += " " * (position - cell_len(out)) + label
        at = position + cell_len(label) + 1
    return out


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells (with an ellipsis) and padded to exactly that."""
    if cell_len(text) > width:
        kept, used = "", 0
        for char in text:
            if used + cell_len(char) > width - 1:
                break
            kept += char
            used += cell_len(char)
        text = kept + ELLIPSIS
    return text + " " * (width - cell_len(text))
