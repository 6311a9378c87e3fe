"""The three-stage plan (``staffcheck plan``) in the terminal: goals, analysis, a Gantt chart by
week, the operating system that follows it up, its costs and its what-if.

Every name comes from a pack or a team file and is shown as text (`plain`, `fit`), never as rich
markup; the chart's rows are cut to the width so that 80 columns hold it, Chinese counted as two.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import RenderableType
from rich.control import strip_control_codes
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.model import Stage
from staffcheck.project_plan import (
    Assignee,
    AssigneeKind,
    CostLine,
    Effect,
    PlannedStep,
    Preparation,
    PreparationKind,
    ProjectPlan,
)
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import VERDICT_STYLE, TextConsole, wrap
from staffcheck.reporters.plan_text_gantt import (
    Scale,
    bar,
    fit,
    ruler,
    scales,
    unit_words,
)
from staffcheck.reporters.plan_words import (
    amount,
    basis_words,
    change,
    critical_names,
    kind_word,
    long_date,
    no_steps_words,
    not_priced_words,
    preparation_amount,
    short_date,
    signed,
    stage_word,
    start_words,
    told_apart,
)
from staffcheck.words import confidence_word, importance_word, severity_word, verdict_word
from staffcheck.workdays import workday

WORK, PREPARATION, CRITICAL_MARK = "█", "░", "!"
#: Cells of a chart row around the bars: the mark, and a space after the mark, name and person.
_ROW_FRAME = 4
_NAME_WIDTHS = ((12, 30), (10, 16))  # (narrowest, widest) cells of a step name, a person
#: A step name keeps at least this many cells (its natural width if shorter) at a finer scale.
_READABLE_NAME = 24
_CRITICAL_STYLE = "bold red"
_NARROWEST = 6  # cells of a flexible column, however narrow the terminal
_COLUMN_GAP = 3  # cells between two columns of a table: padding, rule, padding


def render_table(plan: ProjectPlan, options: RenderOptions) -> str:
    """The plan for the terminal, section by section; plain text when colour is off."""
    plan = told_apart(plan)
    console = TextConsole(options.width, options.color)
    for block in _blocks(plan, options):
        shown = block.renderable(options.color) if isinstance(block, _Grid) else block
        if isinstance(shown, LaidOut):
            console.write_laid_out(shown.text)
        elif isinstance(shown, Text):
            console.print_laid_out(shown)
        else:
            console.print(shown, overflow="fold")
    return console.text()


def _blocks(plan: ProjectPlan, options: RenderOptions) -> Iterator[RenderableType | _Grid]:
    yield from _title(plan, options.width)
    yield from _goals(plan, options.width)
    yield from _analysis(plan, options.width)
    yield _heading(tr("3 · Implement: the steps, people and dates (Gantt chart)"))
    yield from gantt(plan, options.width, options.color)
    if plan.modules_without_steps:
        yield _paragraph(no_steps_words(plan), options.width, "yellow")
    yield from _finish(plan, options.width)
    yield from _follow_up(plan, options.width)
    yield from _costs(plan, options.width)
    if plan.what_if is not None:
        yield from _what_if(plan, plan.what_if, options.width)


def _heading(text: str) -> Text:
    return Text("\n" + inert(text), style="bold")


def _paragraph(text: str, width: int, style: str = "") -> Text:
    """Untrusted text wrapped to the width, Chinese rules kept."""
    return Text("\n".join(wrap(inert(text), width)), style=style)


#: A cell: one item of untrusted text, several (one per line), or a Text already styled.
Cell = str | tuple[str, ...] | Text


@dataclass(frozen=True, slots=True)
class LaidOut:
    """A table as plain text, laid out here to the terminal's width (`_Grid.plain`): written as
    it is, with no control code rich would drop and no line wider than the terminal."""

    text: str


class _Grid:
    """A table laid out here, not by rich: fixed columns keep their width, flexible ones share
    the rest (a narrow one takes only what it needs), and every cell is wrapped by `wrap` to its
    column (Chinese rules kept), so that rich never folds a line again."""

    def __init__(
        self, width: int, columns: Sequence[tuple[str, int]], title: str, right: bool
    ) -> None:
        self.width, self.columns, self.title, self.right = width, tuple(columns), title, right
        self.rows: list[tuple[Cell, ...]] = []

    def add(self, *cells: Cell) -> None:
        self.rows.append(cells)

    def renderable(self, color: bool) -> RenderableType | LaidOut:
        """The table: laid out here when plain text allows (`plain`), else by rich."""
        plain = None if color else self.plain()
        return plain if plain is not None else self.table()

    def plain(self) -> LaidOut | None:
        """The table as rich prints it without colour, laid out here: rich measures and wraps
        every cell again, which takes most of a plan's time for a team of 200. None when rich
        would lay it out otherwise than the simple case this reproduces (no rows, a line wider
        than its column, a table wider than the terminal, a title wider than the table);
        tests/test_plan_text_layout.py holds both to the same text."""
        if not self.rows:
            return None
        widths = self._widths()
        # rich drops these control codes from any text it prints; the cells are inert already.
        headers = [strip_control_codes(header) for header, _ in self.columns]
        title = strip_control_codes(self.title)
        # Each line with the cells it takes, measured once.
        rows = [
            [[(line, cell_len(line)) for line in _lines(c, w)] for c, w in zip(row, widths, strict=True)]
            for row in self.rows
        ]  # fmt: skip
        used = [cell_len(header) for header in headers]
        for row in rows:
            for index, lines in enumerate(row):
                used[index] = max(used[index], *(cells for _, cells in lines))
        if any(u > w for u, w in zip(used, widths, strict=True)):
            return None
        total = sum(used) + _COLUMN_GAP * (len(used) - 1)
        if total > self.width or cell_len(title) > total:
            return None
        right = [bool(cells) and self.right for _, cells in self.columns]
        gap, blank = " " * _COLUMN_GAP, ("", 0)

        def line(cells: Sequence[tuple[str, int]]) -> str:
            padded = (
                " " * (u - n) + c if r else c + " " * (u - n)
                for (c, n), u, r in zip(cells, used, right, strict=True)
            )
            return gap.join(padded).rstrip(" ")

        out = [title] if title else []
        out += [line([(h, cell_len(h)) for h in headers]), "─" * total]
        for row in rows:
            height = max(len(lines) for lines in row)
            for number in range(height):
                out.append(line([lines[number] if number < len(lines) else blank for lines in row]))
        text = "\n".join(out)
        return None if "\t" in text else LaidOut(text)  # rich expands tabs: left to it

    def table(self) -> Table:
        widths = self._widths()
        table = Table(
            title=self.title or None,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            show_edge=False,
        )
        for (header, cells), column_width in zip(self.columns, widths, strict=True):
            right = bool(cells) and self.right
            table.add_column(header, max_width=column_width, justify="right" if right else "left")
        for row in self.rows:
            table.add_row(*(_cell(c, w) for c, w in zip(row, widths, strict=True)))
        return table

    def _widths(self) -> list[int]:
        """Each column's cells: water-filling the room left by the fixed columns."""
        widths = [max(cells, cell_len(header)) for header, cells in self.columns]
        flexible = [i for i, (_, cells) in enumerate(self.columns) if not cells]
        natural = {i: max([widths[i], *(_natural(row[i]) for row in self.rows)]) for i in flexible}
        fixed = sum(widths[i] for i in range(len(widths)) if i not in natural)
        room = self.width - fixed - _COLUMN_GAP * (len(widths) - 1)
        for left, i in enumerate(sorted(flexible, key=natural.__getitem__)):
            share = max(room // (len(flexible) - left), _NARROWEST)
            widths[i] = max(widths[i], min(natural[i], share))
            room -= widths[i]
        return widths


def _natural(content: Cell) -> int:
    """The cells a table cell would take unwrapped (its widest line)."""
    if isinstance(content, Text):
        return content.cell_len
    items = (content,) if isinstance(content, str) else content
    return max((cell_len(inert(item)) for item in items), default=1)


def _lines(content: Cell, width: int) -> list[str]:
    """A cell's lines as `_cell` makes them."""
    if isinstance(content, Text):
        return content.plain.split("\n")
    items = (content,) if isinstance(content, str) else content
    return [line for item in items for line in wrap(inert(item), width)] or ["—"]


def _cell(content: Cell, width: int) -> Text:
    if isinstance(content, Text):
        return content
    items = (content,) if isinstance(content, str) else content
    lines = [line for item in items for line in wrap(inert(item), width)]
    return Text("\n".join(lines) or "—")


def _grid(width: int, *columns: tuple[str, int], title: str = "", right: bool = False) -> _Grid:
    """A table of `columns` (header, cells; 0 cells: a share of what the others leave);
    `right`: the fixed columns are amounts, aligned right."""
    return _Grid(width, columns, title, right)


def _title(plan: ProjectPlan, width: int) -> Iterator[Text]:
    yield _paragraph(
        tr("Plan · strategy {name} ({id})", name=plan.strategy.name, id=plan.strategy.id),
        width,
        "bold",
    )
    team = (
        tr("Team: {team}", team=plan.team)
        if plan.team is not None
        else tr("No team file: every post is a hire.")
    )
    yield _paragraph(team, width)
    yield _paragraph(summary_line(plan), width)


def summary_line(plan: ProjectPlan) -> str:
    """Start → finish, working days and money: the plan in one line."""
    return tr(
        "{start} → {finish}: {days} working days, {cost} in all",
        start=start_words(plan),
        finish=long_date(plan.finish),
        days=plan.days,
        cost=amount(plan, plan.costs.total.total),
    )


def _goals(plan: ProjectPlan, width: int) -> Iterator[RenderableType | _Grid]:
    yield _heading(tr("1 · Set goals: goals and KPIs"))
    if not plan.goals:
        yield Text(tr("The strategy sets no goals."))
        return
    grid = _grid(width, (tr("Goal"), 0), (tr("KPI"), 0))
    for goal in plan.goals:
        grid.add(goal.name, goal.kpi + (" *" if goal.company_kpi else ""))
    yield grid
    if any(goal.company_kpi for goal in plan.goals):
        yield _paragraph(tr("* the company's own KPI, from the team file"), width, "dim")


def _analysis(plan: ProjectPlan, width: int) -> Iterator[RenderableType | _Grid]:
    analysis = plan.analysis
    if plan.team is None:
        yield _heading(tr("2 · Analyse: the posts to fill"))
        posts = _grid(width, (tr("Post"), 0), (tr("Priority"), 10), (tr("People"), 6))
        for post in analysis.staffing.posts:
            posts.add(post.name, importance_word(post.priority), str(post.headcount))
        yield posts
        return
    yield _heading(tr("2 · Analyse: the team against the strategy"))
    people = _grid(
        width,
        (tr("Person"), 0),
        (tr("Post"), 0),
        (tr("Verdict"), 8),
        (tr("Fit"), 4),
        (tr("Confidence"), 6),
        (tr("Reason"), 0),
    )
    for person in analysis.people:
        verdict = Text(verdict_word(person.verdict), style=VERDICT_STYLE[person.verdict])
        people.add(
            person.name,
            plan.labels.post(person.post),
            verdict,
            f"{person.fit}%",
            confidence_word(person.confidence),
            person.reason or "—",
        )
    yield people
    if analysis.gaps:
        yield _heading(tr("Gaps and who fills them"))
        gaps = _grid(
            width, (tr("Post"), 0), (tr("Severity"), 8), (tr("Gap"), 0), (tr("Filled by"), 0)
        )
        for gap in analysis.gaps:
            gaps.add(
                plan.labels.post(gap.post),
                severity_word(gap.severity),
                gap.message,
                tuple(a.name for a in gap.filled_by),
            )
        yield gaps


def person_kind(person: Assignee) -> str:
    """A person and how they come to the work: ``Li Lei (after training)``; a hire's name
    (``hire: Data analyst``) says it already."""
    if person.kind is AssigneeKind.HIRE:
        return person.name
    return tr("{person} ({kind})", person=person.name, kind=kind_word(person.kind))


def people_words(names: Iterable[str]) -> str:
    """Names joined as a list in the reader's language; "—" for nobody."""
    return tr(", ").join(names) or "—"


def _widths(plan: ProjectPlan, width: int) -> tuple[int, int, Scale]:
    """The cells of the name and person columns and the time scale, finest scale first,
    then narrower names: 80 columns hold a plan of a year."""
    rows: list[PlannedStep | Preparation] = [*plan.steps, *plan.preparations]
    longest_name = max([cell_len(tr("Step")), *(cell_len(_row_name(row)) for row in rows)])
    longest_person = max([cell_len(tr("Person")), *(cell_len(row.assignee.name) for row in rows)])
    (name_low, name_high), (person_low, person_high) = _NAME_WIDTHS
    natural = (
        max(name_low, min(longest_name, name_high)),
        max(person_low, min(longest_person, person_high)),
    )
    days = _chart_days(plan)
    # The finest scale that leaves the names a readable width (a step name may lose a few
    # cells to draw weeks two cells wide), else the finest that fits beside the narrowest names.
    for scale in scales(plan.start, days):
        room = width - _ROW_FRAME - scale.width
        person_cells = max(person_low, min(natural[1], room - _READABLE_NAME))
        name_cells = min(natural[0], room - person_cells)
        if name_cells >= min(natural[0], _READABLE_NAME):
            return name_cells, person_cells, scale
    for scale in scales(plan.start, days):
        if scale.width <= width - _ROW_FRAME - name_low - person_low:
            return name_low, person_low, scale
    # Not even months fit: the months that do, and the legend says where the chart stops.
    room = max(width - _ROW_FRAME - name_low - person_low, 1)
    months = scales(plan.start, days)[-1]
    return name_low, person_low, Scale(months.unit, months.columns[:room], 1)


def _chart_days(plan: ProjectPlan) -> int:
    ends = [plan.days, *(s.end_day for s in plan.steps), *(p.end_day for p in plan.preparations)]
    return max(ends)


def _row_name(row: PlannedStep | Preparation) -> str:
    return inert(row.name if isinstance(row, PlannedStep) else row.description)


def gantt(plan: ProjectPlan, width: int, color: bool) -> Iterator[Text]:
    """The chart: a ruler of dates, preparations, then each module's steps, then the legend."""
    name_cells, person_cells, scale = _widths(plan, width)

    def row(mark: str, name: str, person: str, bars: str, style: str = "") -> Text:
        text = Text(f"{mark} ")
        text.append(fit(name, name_cells) + " ", style="bold" if mark.strip() else "")
        text.append(fit(person, person_cells) + " ")
        text.append(bars, style=style)
        return text

    yield row(" ", tr("Step"), tr("Person"), ruler(scale), "dim")
    if plan.preparations:
        yield Text(fit(tr("Hiring and training"), width), style="bold underline")
        for prep in plan.preparations:
            bars = bar(scale, prep.start_day, prep.end_day, PREPARATION)
            person = _person_cell(prep.assignee, person_cells)
            yield row(" ", inert(prep.description), person, bars, "dim")
    for module, steps in _by_module(plan.steps):
        yield Text(fit(inert(plan.labels.module(module)), width), style="bold underline")
        for step in steps:
            mark = CRITICAL_MARK if step.critical else " "
            bars = bar(scale, step.start_day, step.end_day, WORK)
            style = _CRITICAL_STYLE if step.critical and color else ""
            yield row(
                mark, inert(step.name), _person_cell(step.assignee, person_cells), bars, style
            )
    legend = tr(
        "{work} work · {prep} hiring or training · {mark} critical path · {unit}",
        work=WORK,
        prep=PREPARATION,
        mark=CRITICAL_MARK,
        unit=unit_words(scale),
    )
    if scale.columns and scale.columns[-1].end < _chart_days(plan):
        last = workday(plan.start, scale.columns[-1].end - 1)
        legend += " · " + tr("the chart is cut at {date}", date=long_date(last))
    yield _paragraph(legend, width, "dim")


def _person_cell(person: Assignee, cells: int) -> str:
    """The person's name for a chart row; where `told_apart` added the id, the name is cut
    rather than the id, so two people of one name stay two."""
    text, tail = inert(person.name), inert(f" ({person.id})")
    room = cells - cell_len(tail)
    if cell_len(text) <= cells or not text.endswith(tail) or room < 2:
        return text
    return fit(text[: -len(tail)], room) + tail


def _by_module(steps: Sequence[PlannedStep]) -> list[tuple[str, list[PlannedStep]]]:
    """The steps grouped under their module, modules in the order they first come."""
    groups: dict[str, list[PlannedStep]] = {}
    for step in steps:
        groups.setdefault(step.module, []).append(step)
    return list(groups.items())


def _finish(plan: ProjectPlan, width: int) -> Iterator[Text]:
    yield _paragraph(tr("Finish: {date}", date=long_date(plan.finish)), width, "bold")
    path = " → ".join(critical_names(plan)) or "—"
    yield _paragraph(tr("Critical path: {steps}", steps=path), width)


def _follow_up(plan: ProjectPlan, width: int) -> Iterator[RenderableType | _Grid]:
    yield _heading(tr("Follow-up: the operating system"))
    posts = _grid(
        width,
        (tr("Post"), 0),
        (tr("Held by"), 0),
        (tr("Assessed on (KPIs)"), 0),
        (tr("Training"), 0),
    )
    for post in plan.follow_up:
        posts.add(
            plan.labels.post(post.post),
            tuple(person.name for person in post.people),
            post.kpis,
            post.training,
        )
    yield posts
    if plan.preparations:
        yield _heading(tr("Who trains or is hired, and when"))
        # A date never breaks across lines (``1月11日 – 2月12`` / ``日``): When is its longest span.
        when = max(cell_len(span(p.start, p.end)) for p in plan.preparations)
        table = _grid(
            width, (tr("Person"), 0), (tr("What"), 0), (tr("When"), when), (tr("Cost"), 9)
        )
        for prep in plan.preparations:
            table.add(
                person_kind(prep.assignee),
                preparation_words(prep),
                span(prep.start, prep.end),
                preparation_amount(plan, prep),
            )
        yield table


def span(first: datetime.date, last: datetime.date) -> str:
    """A span of dates, both days included: ``4 Jan – 15 Jan``."""
    return f"{short_date(first)} – {short_date(last)}"


def preparation_words(prep: Preparation) -> str:
    """What a preparation is: the training's items, or the recruiting."""
    if prep.kind is PreparationKind.TRAINING:
        return tr("training: {items}", items=prep.description)
    return prep.description  # "recruiting: <post>"


def cost_headers() -> tuple[str, ...]:
    return (tr("Labour"), tr("Hiring"), tr("Training"), tr("Spend"), tr("Total"))


def cost_label(line: CostLine) -> str:
    """A cost line's label: a stage in the reader's words, else the line's own (a module, a month)."""
    stages = {stage.value: stage for stage in Stage}
    return stage_word(stages[line.key]) if line.key in stages else line.label


def cost_cells(plan: ProjectPlan, line: CostLine) -> tuple[str, ...]:
    values = (line.labour, line.hiring, line.training, line.spend, line.total)
    return tuple(amount(plan, value) for value in values)


def cost_groups(plan: ProjectPlan) -> tuple[tuple[str, tuple[CostLine, ...]], ...]:
    """The cost tables: by stage, by module, by month, each with its heading."""
    costs = plan.costs
    return (
        (tr("By stage"), costs.by_stage),
        (tr("By module"), costs.by_module),
        (tr("By month"), costs.by_month),
    )


def cost_notes(plan: ProjectPlan) -> list[str]:
    """The lines under the cost tables: what the totals count, then what they leave out as
    unknown ("Not priced: …", the pay of posts with no salary band among it)."""
    notes = [basis_words(plan), not_priced_words(plan.costs.unpriced)]
    return [note for note in notes if note]


def _costs(plan: ProjectPlan, width: int) -> Iterator[RenderableType | _Grid]:
    yield _heading(tr("Costs ({currency})", currency=plan.currency))
    for title, lines in cost_groups(plan):
        rows = [(cost_label(line), cost_cells(plan, line)) for line in lines]
        rows.append((tr("Total"), cost_cells(plan, plan.costs.total)))
        money_cells = [max(cell_len(row[1][i]) for row in rows) for i in range(5)]
        headers = zip(cost_headers(), money_cells, strict=True)
        grid = _grid(width, ("", 0), *headers, title=title, right=True)
        for label, amounts in rows:
            grid.add(label, *amounts)
        yield grid
    if plan.costs.basis:
        yield _paragraph(basis_words(plan), width, "dim")
    if plan.costs.unpriced:
        yield _paragraph(not_priced_words(plan.costs.unpriced), width, "yellow")


def money_words(plan: ProjectPlan, effect: Effect) -> str:
    """A what-if's money: monthly pay, one-off costs, the plan's total before and after."""
    return tr(
        "{monthly}/month, {one_off} one-off; total {before} → {after}",
        monthly=signed(plan, effect.monthly_cost),
        one_off=signed(plan, effect.one_off_cost),
        before=amount(plan, effect.total_before),
        after=amount(plan, effect.total_after),
    )


def _what_if(plan: ProjectPlan, effect: Effect, width: int) -> Iterator[RenderableType | _Grid]:
    yield _heading(tr("What if: {change}", change=effect.change))
    finish = change(effect.finish_before, effect.finish_after)
    yield _paragraph(tr("Finish: {change}", change=finish), width)
    yield _paragraph(tr("Money: {money}", money=money_words(plan, effect)), width)
    if effect.unpriced:
        yield _paragraph(not_priced_words(effect.unpriced), width, "yellow")
    if not effect.moved:
        yield Text(tr("No step moved."))
        return
    names = {step.id: step.name for step in plan.steps}
    moved = _grid(width, (tr("Step"), 0), (tr("Before"), 0), (tr("After"), 0))
    for move in effect.moved:
        moved.add(
            names.get(move.step, move.step),
            (move.before.name, span(move.before_start, move.before_end)),
            (move.after.name, span(move.after_start, move.after_end)),
        )
    yield moved
