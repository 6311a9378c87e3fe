"""A plan as an Excel workbook: the Gantt chart drawn in cells, then goals, follow-up and costs.

Sheet "Summary" says in a few lines what the plan is (strategy, team, start → finish, money,
critical path); sheet "Plan" has one row per preparation and per step (module, step, person, post, start, end,
working days, critical, cost), then one column per calendar week of the plan: a step's bar is the
fill of the weeks it works in (critical steps red, others blue, preparations grey). The panes are
frozen at the first week column. Text is always stored as text (never a formula); dates are real
dates. A what-if (``--without``, ``--hire``) gets a sheet of its own. Equal plans give equal bytes: the workbook's dates are the plan's start, and every file in
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
    Effect,
    PlannedStep,
    PreparationKind,
    ProjectPlan,
)
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.plan_text import cost_notes, money_words, summary_line
from staffcheck.reporters.plan_words import (
    change,
    critical_names,
    kind_word,
    no_steps_words,
    not_priced_words,
    preparation_amount,
    step_amount,
    step_cost_known,
    told_apart,
)
from staffcheck.reporters.spreadsheet import cell_text, looks_like_formula
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
    """The plan as the bytes of an XLSX workbook: Summary, Plan, Goals, Follow-up, Costs, and
    What if when the plan has one."""
    plan = told_apart(plan)
    book = Workbook()
    fixed = datetime.datetime.combine(plan.start, datetime.time())
    book.properties.creator = "staffcheck"
    book.properties.created = fixed
    book.properties.modified = fixed
    book.remove(book.active)
    _summary_sheet(book.create_sheet(tr("Summary")), plan)
    _plan_sheet(book.create_sheet(tr("Plan")), plan)
    _goals_sheet(book.create_sheet(tr("Goals")), plan)
    _follow_up_sheet(book.create_sheet(tr("Follow-up")), plan)
    _costs_sheet(book.create_sheet(tr("Costs")), plan)
    if plan.what_if is not None:
        _what_if_sheet(book.create_sheet(tr("What if")), plan, plan.what_if)
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
    if isinstance(value, str):
        # Control characters would make openpyxl refuse the cell, bidi overrides disguise it.
        value = cell_text(value)
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
    """A person's name, and "after training" for a trainee (a hire's name says it already)."""
    if person.kind is not AssigneeKind.TRAINEE:
        return person.name
    return tr("{person} ({kind})", person=person.name, kind=kind_word(person.kind))


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
        cost: Value = prep.cost if prep.cost_known else preparation_amount(plan, prep)
        line += [prep.end_day - prep.start_day, None, cost]
        rows.append((line, prep.start_day, prep.end_day, PREPARATION_FILL))
    for step in plan.steps:
        line = [plan.labels.module(step.module), step.name, _person(step.assignee)]
        line += [plan.labels.post(step.post), step.start, step.end, step.effort]
        total = step.labour_cost + step.spend
        line += [tr("yes") if step.critical else None, _step_cost(plan, step, total)]
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
    if plan.modules_without_steps:
        _put(sheet, len(rows) + 3, 1, no_steps_words(plan))
    _widths(sheet, PLAN_WIDTHS)


def _step_cost(plan: ProjectPlan, step: PlannedStep, total: int) -> Value:
    """A step's cost as a number, or in words when part of it is unknown (never a bare 0)."""
    return total if step_cost_known(plan, step) else step_amount(plan, step)


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
    header = [tr("Post"), tr("Held by"), tr("KPIs"), tr("Training")]
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
    for row, note in enumerate(cost_notes(plan), len(rows) + 3):
        _put(sheet, row, 1, note)
    _widths(sheet, (14, 30, 14, 14, 14, 14, 14))


def _summary_sheet(sheet: Worksheet, plan: ProjectPlan) -> None:
    """The plan in a few lines, the title in bold."""
    title = tr("Plan · strategy {name} ({id})", name=plan.strategy.name, id=plan.strategy.id)
    team = (
        tr("Team: {team}", team=plan.team)
        if plan.team is not None
        else tr("No team file: every post is a hire.")
    )
    path = " → ".join(critical_names(plan)) or "—"
    lines = [title, team, summary_line(plan), tr("Critical path: {steps}", steps=path)]
    if plan.description:
        lines.append(plan.description)
    for row, line in enumerate(lines, 1):
        _put(sheet, row, 1, line)
    sheet.cell(row=1, column=1).font = Font(bold=True)
    _widths(sheet, (120,))


def _what_if_sheet(sheet: Worksheet, plan: ProjectPlan, effect: Effect) -> None:
    """The change, its finish and money, then each step it moved: who and when, before and after."""
    _put(sheet, 1, 1, tr("What if: {change}", change=effect.change))
    sheet.cell(row=1, column=1).font = Font(bold=True)
    finish = change(effect.finish_before, effect.finish_after)
    _put(sheet, 2, 1, tr("Finish: {change}", change=finish))
    _put(sheet, 3, 1, tr("Money: {money}", money=money_words(plan, effect)))
    _put(sheet, 4, 1, not_priced_words(effect.unpriced))
    if not effect.moved:
        _put(sheet, 5, 1, tr("No step moved."))
        _widths(sheet, (60,))
        return
    names = {step.id: step.name for step in plan.steps}
    header = [tr("Step"), tr("Before"), tr("Starts"), tr("Ends")]
    header += [tr("After"), tr("Starts"), tr("Ends")]
    bold = Font(bold=True)
    for column, name in enumerate(header, 1):
        _put(sheet, 5, column, name)
        sheet.cell(row=5, column=column).font = bold
    for row, move in enumerate(effect.moved, 6):
        line: list[Value] = [names.get(move.step, move.step), _person(move.before)]
        line += [move.before_start, move.before_end, _person(move.after)]
        line += [move.after_start, move.after_end]
        for column, value in enumerate(line, 1):
            _put(sheet, row, column, value)
    _widths(sheet, (36, 24, 12, 12, 24, 12, 12))
