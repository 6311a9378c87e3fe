"""The plan's Gantt chart as inline SVG: one row per step under its module, a bar per step.

The x axis is working days from the plan's start (`day_width` pixels each: fewer for a long
plan, so a year still reads when printed, and never more than `MAX_DAYS_W` pixels in all, so a
plan of years stays on screen and on an A4 landscape page), a week five days wide, a gridline at
each Monday (at each month's first working day when weeks would be too narrow to tell apart). Critical steps are red *and* starred in their label;
preparations (training, hiring) are hatched. Every bar has a ``<title>`` (step, person, dates)
shown on hover. Text from packs and team files is clipped first, then escaped, so no entity is
ever cut in two.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from html import escape

from rich.cells import cell_len

from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.project_plan import AssigneeKind, PlannedStep, Preparation, ProjectPlan
from staffcheck.reporters.console import clip
from staffcheck.reporters.plan_text_gantt import month_columns
from staffcheck.reporters.plan_words import kind_word, long_date, month_year, short_date
from staffcheck.workdays import first_workday

#: pixels of one working day: a week (five days) of 50 has room for its date label; a plan of
#: more than `LONG_PLAN` days gets `LONG_DAY_W` and a date every other week
DAY_W = 10
LONG_DAY_W = 6
LONG_PLAN = 130
#: the most pixels the days of a plan take: a longer plan gets narrower days
MAX_DAYS_W = 1080
#: a week narrower than this gets no gridline of its own: months do
_NARROWEST_WEEK = 10
ROW_H = 22
BAR_H = 14
#: room above the first row for the finish label and the week dates
TOP = 48
#: the longest row label and person label shown, in terminal cells (a CJK character is two)
LABEL_CELLS = 40
PERSON_CELLS = 24
#: about the width of one terminal cell of 12px text
CELL_PX = 7
LEGEND_H = 36
#: pixels a week's date label needs (``12月28日`` at 10px)
_LABEL_PX = 40
#: about the width of one terminal cell of 10px text (a month's label, ``Mar 2027``)
_LABEL_CELL_PX = 5

NORMAL = "#3b6ea8"
CRITICAL = "#b3261e"
CRITICAL_MARK = "★"


def e(text: str) -> str:
    """Untrusted text as inert HTML or SVG text, safe in an attribute too."""
    return escape(inert(text), quote=True)


@dataclass(frozen=True, slots=True)
class _Row:
    """A line of the chart: a heading (no bar) or a bar from `start_day` to `end_day`."""

    label: str
    heading: bool = False
    start_day: int = 0
    end_day: int = 0
    person: str = ""
    tip: str = ""
    critical: bool = False
    preparation: bool = False
    step: str = ""


def day_width(days: int) -> float:
    """Pixels of one working day in the chart of a plan `days` long."""
    if days <= LONG_PLAN:
        return DAY_W
    return min(LONG_DAY_W, MAX_DAYS_W / days)


@dataclass(frozen=True, slots=True)
class _Scale:
    """Where day 0 is (`left`) and how wide a working day is."""

    left: int
    day_w: float

    def x(self, day: int) -> int:
        return self.left + round(day * self.day_w)


def gantt_svg(plan: ProjectPlan) -> str:
    """The whole chart: week grid, rows, bars, the finish line and a legend."""
    rows = _rows(plan)
    left = 16 + CELL_PX * max((cell_len(r.label) for r in rows), default=10)
    span = max(plan.days, 1)
    scale = _Scale(left, day_width(span))
    width = max(scale.x(span) + 16 + CELL_PX * PERSON_CELLS, _legend_width())
    bottom = TOP + ROW_H * len(rows)
    height = bottom + LEGEND_H
    title = tr("Gantt chart of the plan: {count} steps", count=len(plan.steps))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="gantt-title"><title id="gantt-title">{e(title)}</title>'
        '<defs><pattern id="gantt-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef0f3"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#6b717a" stroke-width="2.5"/></pattern></defs>'
    ]
    parts += _grid(plan, scale, span, bottom)
    for index, row in enumerate(rows):
        parts.append(_row(row, scale, TOP + index * ROW_H))
    parts += _finish(plan, scale, bottom)
    parts.append(_legend(bottom + 14))
    parts.append("</svg>")
    return "".join(parts)


def _rows(plan: ProjectPlan) -> list[_Row]:
    """Preparations first (they come before the work), then each module's steps under it."""
    rows: list[_Row] = []
    if plan.preparations:
        rows.append(_Row(clip(tr("Preparation: training and hiring"), LABEL_CELLS), heading=True))
        rows += [_preparation_row(p) for p in plan.preparations]
    module = None
    for step in plan.steps:
        if step.module != module:
            module = step.module
            rows.append(_Row(clip(plan.labels.module(module), LABEL_CELLS), heading=True))
        rows.append(_step_row(step))
    return rows


def _dates(start: datetime.date, end: datetime.date) -> str:
    return f"{long_date(start)} – {long_date(end)}"


def _step_row(step: PlannedStep) -> _Row:
    mark = f"{CRITICAL_MARK} " if step.critical else ""
    person = step.assignee.name
    who = (
        person
        if step.assignee.kind is AssigneeKind.HIRE
        else tr("{person} ({kind})", person=person, kind=kind_word(step.assignee.kind))
    )
    tip = f"{step.name} — {who}, {_dates(step.start, step.end)}"
    if step.critical:
        tip += f" · {tr('on the critical path')}"
    return _Row(
        label=mark + clip(step.name, LABEL_CELLS - len(mark)),
        start_day=step.start_day,
        end_day=step.end_day,
        person=clip(person, PERSON_CELLS),
        tip=tip,
        critical=step.critical,
        step=step.id,
    )


def _preparation_row(prep: Preparation) -> _Row:
    person = prep.assignee.name
    return _Row(
        label=clip(prep.description, LABEL_CELLS),
        start_day=prep.start_day,
        end_day=prep.end_day,
        person=clip(person, PERSON_CELLS),
        tip=f"{prep.description} — {person}, {_dates(prep.start, prep.end)}",
        preparation=True,
    )


def _row(row: _Row, scale: _Scale, y: int) -> str:
    """A row's label on the left and, unless a heading, its bar and the person beside it."""
    if row.heading:
        return (
            f'<text class="module" x="8" y="{y + 16}" font-weight="bold">{e(row.label)}</text>'
            f'<line x1="8" y1="{y + ROW_H - 1}" x2="{scale.left - 4}" y2="{y + ROW_H - 1}" '
            'stroke="#d9d9de"/>'
        )
    x = scale.x(row.start_day)
    # A step of no days still shows as a sliver, so it is never lost.
    width = max(scale.x(row.end_day) - x, 2)
    if row.preparation:
        kind, fill = "preparation", 'fill="url(#gantt-hatch)" stroke="#6b717a"'
    elif row.critical:
        kind, fill = "critical", f'fill="{CRITICAL}"'
    else:
        kind, fill = "normal", f'fill="{NORMAL}"'
    data = f' data-step="{e(row.step)}"' if row.step else ""
    top = y + (ROW_H - BAR_H) // 2
    return (
        f'<text x="{scale.left - 8}" y="{y + 16}" text-anchor="end">{e(row.label)}</text>'
        f'<rect class="bar {kind}"{data} x="{x}" y="{top}" width="{width}" height="{BAR_H}" '
        f'rx="2" {fill}><title>{e(row.tip)}</title></rect>'
        f'<text class="person" x="{x + width + 4}" y="{y + 16}">{e(row.person)}</text>'
    )


def _grid(plan: ProjectPlan, scale: _Scale, span: int, bottom: int) -> list[str]:
    """A gridline and date at the start and at every Monday after it, up to the finish (each
    month's first working day, with its year, when weeks are too narrow)."""
    if 5 * scale.day_w < _NARROWEST_WEEK:
        months = month_columns(plan.start, span)
        marks = [(column.first, month_year(column.date)) for column in months]
    else:
        first = first_workday(plan.start)
        offset = first.weekday()
        monday = first - datetime.timedelta(days=offset)
        marks = [(0, short_date(first))]
        week = 1
        while 5 * week - offset < span:
            marks.append((5 * week - offset, short_date(monday + datetime.timedelta(weeks=week))))
            week += 1
    out = []
    free = 0  # where the next date label may start
    for day, label in marks:
        x = scale.x(day)
        out.append(
            f'<line class="week" x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" stroke="#e3e3e8"/>'
        )
        # A Monday too close to the last date shown keeps its line, not its date: no overlap.
        if x >= free:
            free = x + max(_LABEL_PX, _LABEL_CELL_PX * cell_len(label) + 8)
            out.append(
                f'<text class="week" x="{x + 2}" y="{TOP - 8}" font-size="10">{e(label)}</text>'
            )
    return out


def _finish(plan: ProjectPlan, scale: _Scale, bottom: int) -> list[str]:
    x = scale.x(plan.days)
    label = tr("Finish: {date}", date=long_date(plan.finish))
    return [
        f'<line class="finish" x1="{x}" y1="{TOP - 30}" x2="{x}" y2="{bottom}" '
        'stroke="#1d1d1f" stroke-width="2" stroke-dasharray="4 3"/>',
        f'<text class="finish" x="{x}" y="{TOP - 34}" text-anchor="end" font-weight="bold">'
        f"{e(label)}</text>",
    ]


def _legend_items() -> list[tuple[str, str]]:
    return [
        (f'fill="{NORMAL}"', tr("step")),
        (f'fill="{CRITICAL}"', f"{CRITICAL_MARK} {tr('on the critical path')}"),
        ('fill="url(#gantt-hatch)" stroke="#6b717a"', tr("preparation (training, hiring)")),
    ]


def _legend_width() -> int:
    """The legend's width: the chart is never narrower, so the legend is never cut."""
    words = sum(40 + CELL_PX * cell_len(text) for _, text in _legend_items())
    return 8 + words + 16 + CELL_PX * cell_len(tr("finish")) + 8


def _legend(y: int) -> str:
    """What the colours, the hatching, the star and the dashed line mean."""
    items = _legend_items()
    out = []
    x = 8
    for fill, text in items:
        out.append(
            f'<rect x="{x}" y="{y}" width="18" height="12" {fill}/>'
            f'<text x="{x + 24}" y="{y + 11}">{e(text)}</text>'
        )
        x += 40 + CELL_PX * cell_len(text)
    out.append(
        f'<line x1="{x}" y1="{y - 2}" x2="{x}" y2="{y + 14}" stroke="#1d1d1f" stroke-width="2" '
        f'stroke-dasharray="4 3"/><text x="{x + 8}" y="{y + 11}">{e(tr("finish"))}</text>'
    )
    return "".join(out)
