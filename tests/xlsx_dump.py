"""A workbook as readable text, for golden files: each sheet's cells row by row.

A cell is its value (dates as ISO dates, ``'`` before text that is stored with Excel's quote
prefix); the week columns of a Gantt sheet (those whose header is a date) are drawn as one bar
of glyphs per row: ``█`` critical, ``▓`` normal, ``░`` preparation, a space for none.
"""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from staffcheck.reporters.plan_xlsx import CRITICAL_FILL, NORMAL_FILL, PREPARATION_FILL

GLYPHS = {CRITICAL_FILL: "█", NORMAL_FILL: "▓", PREPARATION_FILL: "░"}


def dump_xlsx(data: bytes) -> str:
    """Every sheet of the workbook `data`, in order, as text."""
    book = load_workbook(io.BytesIO(data))
    parts = []
    for sheet in book.worksheets:
        parts.append(f"== {sheet.title} ==")
        parts += _sheet_lines(sheet)
    return "\n".join(parts) + "\n"


def _sheet_lines(sheet: Worksheet) -> list[str]:
    header = next(sheet.iter_rows(min_row=1, max_row=1), ())
    weeks = {c.column for c in header if isinstance(c.value, datetime.datetime | datetime.date)}
    lines = []
    for number, row in enumerate(sheet.iter_rows(), 1):
        texts = [_text(c) for c in row if c.column not in weeks]
        line = " | ".join(texts).rstrip()
        if weeks:
            cells = [c for c in row if c.column in weeks]
            bar = "".join(_text(c) for c in cells) if number == 1 else "".join(map(_glyph, cells))
            line += f" | {bar}" if number == 1 else f" |{bar}|"
        lines.append(line)
    return lines


def _text(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat() if cell.row > 1 else value.strftime("%m-%d ")
    prefix = "'" if cell.quotePrefix else ""
    return f"{prefix}{value}"


def glyph_of(cell: Cell) -> str:
    """The glyph of a bar cell's fill: what the week looks like in the chart."""
    return _glyph(cell)


def _glyph(cell: Cell) -> str:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return " "
    colour = str(cell.fill.fgColor.rgb)[-6:]
    return GLYPHS.get(colour, "?")
