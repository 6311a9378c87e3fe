"""A plan as an Excel workbook: the Gantt chart drawn in cells, then goals, follow-up and costs.

Sheet "Plan" has one row per preparation and per step (module, step, person, post, start, end,
working days, critical, cost), then one column per calendar week of the plan: a step's bar is the
fill of the weeks it works in (critical steps red, others blue, preparations grey). The panes are
frozen at the first week column. Text is always stored as text (never a formula); dates are real
dates. Equal plans give equal bytes: the workbook's dates are the plan's start, and every file in
the archive carries one fixed timestamp.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from staffcheck.i18n import language, tr
from staffcheck.project_plan import (
    Assignee,
    AssigneeKind,
    CostLine,
    PreparationKind,
    ProjectPlan,
)
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.plan_words import kind_word
from staffcheck.reporters.spreadsheet import looks_like_formula
from staffcheck.workdays import first_workday

#: the fill of a bar's week cells, by kind (RGB); `tests/xlsx_dump.py` reads them back as glyphs
CRITICAL_FILL = "C0392B"
NORMAL_FILL = "3B6EA8"
PREPARATION_FILL = "C9CED6"
#: the fixed columns of sheet "Plan" before the weeks, and their widths in characters
PLAN_WIDTHS = (22, 36, 22, 22, 12, 12, 8, 8, 12)
WEEK_WIDTH = 7
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Value = str | int | datetime.date | None


def render_xlsx(plan: ProjectPlan, options: RenderOptions) -> bytes:
    """The plan as the bytes of an XLSX workbook: Plan, Goals, Follow-up, Costs."""
    book = Workbook()
    fixed = datetime.datetime.combine(plan.start, datetime.time())
    book.properties.creator = "staffcheck"
    book.properties.created = fixed
    book.properties.modified = fixed
    book.remove(book.active)
    _plan_sheet(book.create_sheet(tr("Plan")), plan)
    _goals_sheet(book.create_sheet(tr("Goals")), plan)
    _follow_up_sheet(book.create_sheet(tr("Follow-up")), plan)
    _costs_sheet(book.create_sheet(tr("Costs")), plan)
    buffer = io.BytesIO()
    # ExcelWriter, not save_workbook: that stamps the workbook with the time of saving.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same archive with every member dated `_ZIP_TIME`, so equal input gives equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def _put(sheet: Worksheet, row: int, column: int, value: Value, date_format: str = "") -> None:
    """One cell: text stays text (a quote prefix where Excel would see a formula), dates dated."""
    cell = sheet.cell(row=row, column=column)
    if value is None or value == "":
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = date_format or "yyyy-mm-dd"


def _rows(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Value]]) -> None:
    """A bold header row, frozen, and the rows under it."""
    bold = Font(bold=True)
    for column, name in enumerate(header, 1):
        _put(sheet, 1, column, name)
        sheet.cell(row=1, column=column).font = bold
    for index, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            _put(sheet, index, column, value)
    if sheet.freeze_panes is None:
        sheet.freeze_panes = "A2"


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _person(person: Assignee) -> str:
    if person.kind is not AssigneeKind.TRAINEE:
        return person.name
    return f"{person.name} ({kind_word(person.kind)})"


def _week(plan: ProjectPlan, day: int) -> int:
    """The calendar week (0 = the start's) that working day `day` falls in."""
    return (first_workday(plan.start).weekday() + day) // 5


def _plan_sheet(sheet: Worksheet, plan: ProjectPlan) -> None:
    """Preparations, then steps, each with its bar across the week columns."""
    first = first_workday(plan.start)
    monday = first - datetime.timedelta(days=first.weekday())
    weeks = _week(plan, max(plan.days, 1) - 1) + 1
    header = [tr("Module"), tr("Step"), tr("Person"), tr("Post"), tr("Starts"), tr("Ends")]
    header += [tr("Working days"), tr("Critical path"), tr("Cost")]
    rows: list[tuple[list[Value], int, int, str]] = []
    for prep in plan.preparations:
        line: list[Value] = [tr("Preparation"), prep.description, _person(prep.assignee)]
        line += [plan.labels.post(prep.assignee.post), prep.start, prep.end]
        line += [prep.end_day - prep.start_day, None, prep.cost]
        rows.append((line, prep.start_day, prep.end_day, PREPARATION_FILL))
    for step in plan.steps:
        line = [plan.labels.module(step.module), step.name, _person(step.assignee)]
        line += [plan.labels.post(step.post), step.start, step.end, step.effort]
        line += [tr("yes") if step.critical else None, step.labour_cost + step.spend]
        fill = CRITICAL_FILL if step.critical else NORMAL_FILL
        rows.append((line, step.start_day, step.end_day, fill))
    sheet.freeze_panes = f"{get_column_letter(len(header) + 1)}2"
    _rows(sheet, header, [line for line, *_ in rows])
    week_format = 'm"月"d"日"' if language() == "zh" else "d mmm"
    bold = Font(bold=True)
    for week in range(weeks):
        column = len(header) + 1 + week
        _put(sheet, 1, column, monday + datetime.timedelta(weeks=week), week_format)
        sheet.cell(row=1, column=column).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = WEEK_WIDTH
    for index, (_, start, end, colour) in enumerate(rows, 2):
        paint = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        for week in range(_week(plan, start), _week(plan, max(end, start + 1) - 1) + 1):
            sheet.cell(row=index, column=len(header) + 1 + week).fill = paint
    _widths(sheet, PLAN_WIDTHS)


def _goals_sheet(sheet: Worksheet, plan: ProjectPlan) -> None:
    rows: list[list[Value]] = [
        [goal.name, goal.kpi, tr("yes") if goal.company_kpi else None] for goal in plan.goals
    ]
    _rows(sheet, [tr("Goal"), tr("KPI"), tr("The company’s own KPI")], rows)
    _widths(sheet, (36, 60, 16))


def _follow_up_sheet(sheet: Worksheet, plan: ProjectPlan) -> None:
    """Each post: its people, KPIs, training (with the plan's training dates) and pay band."""
    rows: list[list[Value]] = []
    for post in plan.follow_up:
        ids = {person.id for person in post.people}
        trained = [
            f"{p.description}: {p.assignee.name}, {p.start.isoformat()} – {p.end.isoformat()}"
            for p in plan.preparations
            if p.kind is PreparationKind.TRAINING and p.assignee.id in ids
        ]
        low, high = post.salary if post.salary else (None, None)
        rows.append(
            [
                plan.labels.post(post.post),
                "; ".join(_person(p) for p in post.people),
                "; ".join(post.kpis),
                "; ".join([*(t for t in post.training if not _among(t, trained)), *trained]),
                low,
                high,
            ]
        )
    header = [tr("Post"), tr("People"), tr("KPIs"), tr("Training")]
    header += [tr("Monthly salary from"), tr("Monthly salary to")]
    _rows(sheet, header, rows)
    _widths(sheet, (22, 30, 50, 50, 14, 14))


def _among(training: str, dated: list[str]) -> bool:
    """Whether a post's training item is already listed with its dates."""
    return any(line.startswith(training) for line in dated)


def _costs_sheet(sheet: Worksheet, plan: ProjectPlan) -> None:
    """Money by stage, module and month, each group with its kind in the first column."""
    costs = plan.costs

    def line(kind: str, cost: CostLine) -> list[Value]:
        return [kind, cost.label, cost.labour, cost.hiring, cost.training, cost.spend, cost.total]

    rows = [line(tr("By stage"), c) for c in costs.by_stage]
    rows += [line(tr("By module"), c) for c in costs.by_module]
    rows += [line(tr("By month"), c) for c in costs.by_month]
    rows.append(line(tr("Total"), costs.total))
    header = ["", "", tr("Labour"), tr("Hiring"), tr("Training"), tr("Other spend"), tr("Total")]
    _rows(sheet, [*header[:2], *(f"{h} ({plan.currency})" for h in header[2:])], rows)
    if costs.unpriced_posts:
        posts = ", ".join(plan.labels.post(p) for p in costs.unpriced_posts)
        note = tr(
            "Not priced (no salary band in {currency}): {posts}",
            currency=plan.currency,
            posts=posts,
        )
        _put(sheet, len(rows) + 3, 1, note)
    _widths(sheet, (14, 30, 14, 14, 14, 14, 14))
