"""The terminal report (rich): readable at 80 columns, colour only as an addition to words.

A screening (a drive) leads with its counts and the shortlist; a team report with whether the
team can run its strategy. People are shown by name, posts, modules and skills by their labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.model import CandidateResult, Confidence, Finding, Gap, Labels, Report
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import (
    SEVERITY_STYLE,
    VERDICT_STYLE,
    PlainText,
    Styled,
    TextConsole,
    cell,
    plain,
    wrap,
    wrapped,
)
from staffcheck.reporters.drive import PersonNames, Ranked, drive_view
from staffcheck.reporters.phrases import (
    best_post,
    better_post,
    first_steps,
    modules_of,
    no_findings,
    other_post,
    person_heading,
    post_cell,
    question_line,
    report_headline,
    rest_title,
    screening_subject,
    severity_tag,
    shortlist_title,
    shown_of,
    strategy_line,
    team_blocked,
    top_reason,
    unsure_legend,
    waiver_label,
    waiver_text,
)
from staffcheck.reporters.plain_table import print_table
from staffcheck.words import importance_word, verdict_word

#: rich's Text in colour, a PlainText without (`_findings`)
T = TypeVar("T", bound=Styled)


def _title(text: str) -> Text:
    return Text(text, style="bold underline")


def _summary(console: TextConsole, report: Report, names: PersonNames) -> None:
    """A team's members: each on the post they hold (a row per member: laid out by hand)."""
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
    table.add_column(tr("Person"), overflow="fold", max_width=18)
    table.add_column(tr("Post"), overflow="fold", max_width=22)
    table.add_column(tr("Fit"), justify="right", no_wrap=True)
    table.add_column(tr("Verdict"), no_wrap=True)
    table.add_column(tr("Better post"), overflow="fold", min_width=16)
    rows = [
        (
            plain(names.label(c.id)),
            wrapped(report.labels.post(c.role), 22),
            Text(str(c.fit)),
            _verdict(c),
            plain(better_post(c, report.labels)),
        )
        for c in report.candidates
    ]
    print_table(console, table, rows)


def _verdict(c: CandidateResult) -> Text:
    """``partial?``: the verdict, marked when open questions could still change it."""
    text = Text(verdict_word(c.verdict), style=VERDICT_STYLE[c.verdict])
    if c.confidence is Confidence.LOW:
        text.append("?", style="bold")
    return text


def _legend(report: Report) -> Text | None:
    if any(c.confidence is Confidence.LOW for c in report.candidates):
        return Text(unsure_legend(), style="dim")
    return None


def _drive_table(report: Report, rows: Sequence[Ranked], names: PersonNames) -> Table:
    """Ranked people, names first. Ranked for one post: its reasons; else each one's post."""
    table = _drive_frame(report)
    for row in rows:
        table.add_row(*_drive_cells(report, row, names))
    return table


def _drive_frame(report: Report, *, show_header: bool = True) -> Table:
    """`_drive_table`'s columns, without rows."""
    # Sized for 80 columns: the wordy columns wrap, between words or (Chinese) characters.
    table = Table(
        box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0),
        show_header=show_header,
    )  # fmt: skip
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(tr("Person"), overflow="fold", max_width=14)
    if not report.ranked:
        table.add_column(tr("Post"), overflow="fold", max_width=22)
    table.add_column(tr("Fit"), justify="right", no_wrap=True)
    table.add_column(tr("Verdict"), no_wrap=True)
    if report.ranked:
        table.add_column(tr("Top reason"), overflow="fold", min_width=20, ratio=1)
    table.add_column(tr("Better post"), overflow="fold", min_width=14, max_width=22)
    return table


def _drive_cells(report: Report, row: Ranked, names: PersonNames) -> list[RenderableType]:
    """One person's row of `_drive_table`."""
    c = row.candidate
    cells: list[RenderableType] = [str(row.rank), plain(names.person(c))]
    if not report.ranked:
        cells.append(wrapped(post_cell(c, report.labels, sep="\n"), 22))
    cells += [Text(str(c.fit)), _verdict(c)]
    if report.ranked:
        cells.append(cell(top_reason(c, report.labels), 30))
    cells.append(wrapped(better_post(c, report.labels, with_fit=not report.ranked), 22))
    return cells


#: Rows of a drive's table rendered at a time; a longer table is printed in pieces this long.
TABLE_ROWS = 500


def _print_drive_table(
    console: TextConsole, report: Report, rows: Sequence[Ranked], names: PersonNames
) -> Iterator[str]:
    """`_drive_table` printed, and handed on as it is (`TextConsole.drain`). Up to `TABLE_ROWS`
    rows it is one rich Table. A longer one is printed `TABLE_ROWS` rows at a time, each piece
    a table whose columns are as wide as the whole table's: every piece starts with the same
    three rows, the header's words and, in each column, the cell that needs the most room at
    least and at most, by which rich sizes a column; their lines are then cut off. So the
    rows come out as one table would print them, holding a piece at a time."""
    if len(rows) <= TABLE_ROWS:
        console.print(_drive_table(report, rows, names))
        yield console.drain()
        return
    sizing = _sizing_rows(console, report, rows, names)
    sized = len(_piece(console, report, sizing, show_header=False))
    header = _piece(console, report, sizing, show_header=True)
    console.buffer.write("".join(header[: len(header) - sized]))
    piece: list[list[RenderableType]] = []
    for row in rows:
        piece.append(_drive_cells(report, row, names))
        if len(piece) == TABLE_ROWS:
            console.buffer.write("".join(_piece(console, report, sizing + piece)[sized:]))
            yield console.drain()
            piece = []
    if piece:
        console.buffer.write("".join(_piece(console, report, sizing + piece)[sized:]))
    yield console.drain()


def _sizing_rows(
    console: TextConsole, report: Report, rows: Sequence[Ranked], names: PersonNames
) -> list[list[RenderableType]]:
    """The header's words, then the widest cells of every column (the widest at least, the
    widest at most): the rows that size a table as all its rows do."""
    frame = _drive_frame(report)
    heads: list[RenderableType] = [Text(str(column.header)) for column in frame.columns]
    widest: list[tuple[int, RenderableType]] = []
    longest: list[tuple[int, RenderableType]] = []
    for row in rows:
        for index, renderable in enumerate(_drive_cells(report, row, names)):
            low, high = Measurement.get(console, console.options, renderable)
            if index == len(widest):
                widest.append((low, renderable))
                longest.append((high, renderable))
                continue
            if low > widest[index][0]:
                widest[index] = (low, renderable)
            if high > longest[index][0]:
                longest[index] = (high, renderable)
    return [heads, [r for _, r in widest], [r for _, r in longest]]


def _piece(
    console: TextConsole,
    report: Report,
    rows: list[list[RenderableType]],
    *,
    show_header: bool = False,
) -> list[str]:
    """The lines (each with its newline, as printed) of a drive's table of these rows."""
    table = _drive_frame(report, show_header=show_header)
    for cells in rows:
        table.add_row(*cells)
    scratch = TextConsole(console.width, console.color_system is not None)
    scratch.print(table)
    return [line + "\n" for line in scratch.buffer.getvalue().split("\n")[:-1]]


def _drive(console: TextConsole, report: Report, names: PersonNames) -> Iterator[str]:
    """A drive's shortlist (fit or partial, best first), the rest, and the open applications;
    handed on as printed (`TextConsole.drain`)."""
    view = drive_view(report)
    console.print(_title(inert(shortlist_title(report))))
    if view.shortlist:
        yield from _print_drive_table(console, report, view.shortlist, names)
        console.print()
    else:
        console.print(Padding(Text(tr("Nobody fits yet.")), (0, 0, 1, 2), expand=False))
    if view.rest:
        console.print(_title(inert(rest_title(report, view.rest))))
        yield from _print_drive_table(console, report, view.rest, names)
        console.print()
    if view.open_applications:
        console.print(_title(tr("Open applications: every post, best first")))
        for c in view.open_applications:
            console.print(_open_application(c, names, report.labels, console.width))
        console.print()


def _open_application(c: CandidateResult, names: PersonNames, labels: Labels, width: int) -> Text:
    """An open applicant: their best post, then the strategy's other posts with the reason."""
    text = Text(no_wrap=True, overflow="fold")
    head = wrap(inert(names.person(c)) + " · " + inert(best_post(c, labels)), width - 2)
    text.append("  " + "\n    ".join(head), style="bold")
    for number, other in enumerate(c.better_roles, 2):
        lines = wrap(inert(other_post(other, labels)), width - 8)
        text.append(f"\n  {number:>3}. " + "\n       ".join(lines))
    return text


def _posts(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(tr("Post"), overflow="fold", max_width=26)
    table.add_column(tr("Importance"), no_wrap=True)
    table.add_column(tr("Modules it carries"), overflow="fold")
    for post in report.posts:
        table.add_row(
            wrapped(report.labels.post(post.role), 26),
            importance_word(post.importance),
            plain(modules_of(post.modules, report.labels)),
        )
    return table


#: Members shown as columns of the terminal heatmap at most; larger teams: --format html.
HEATMAP_COLUMNS = 8
#: The heatmap's post column and each member's column, in cells (names wrap between words).
POST_COLUMN, MEMBER_COLUMN = 18, 7


def _coverage(report: Report, names: PersonNames, width: int) -> RenderableType:
    """Posts × members, fit scores; * marks the post a member holds. Numbers, not colours."""
    assert report.team is not None
    room = max(1, (width - POST_COLUMN - 1) // (MEMBER_COLUMN + 1))
    coverage = report.team.coverage[: min(HEATMAP_COLUMNS, room)]
    held = {(c.id, c.role) for c in report.candidates}
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column(tr("Post"), overflow="fold", max_width=POST_COLUMN)
    for cid, _ in coverage:
        label = plain(names.label(cid))
        table.add_column(label, justify="right", overflow="fold", max_width=MEMBER_COLUMN)
    for post in report.posts:
        cells: list[RenderableType] = [wrapped(report.labels.post(post.role), POST_COLUMN)]
        for cid, fits in coverage:
            fit = next((f.fit for f in fits if f.role == post.role), 0)
            mark = "*" if (cid, post.role) in held else " "
            style = "green" if fit >= 70 else "yellow" if fit >= 40 else "red"
            cells.append(Text(f"{fit}{mark}", style=style))
        table.add_row(*cells)
    more = len(report.team.coverage) - len(coverage)
    if more > 0:
        note = Text(
            "  "
            + (
                tr("… and 1 more member: see --format html")
                if more == 1
                else tr("… and {n} more members: see --format html", n=more)
            ),
            style="dim",
        )
        return Group(table, note)
    return table


def _headline(report: Report) -> Text:
    """Who and under what strategy, then the answer: a team's in bold (red when it cannot run
    the strategy), a drive's counts in plain bold (a drive with mismatches is not a failure)."""
    line = Text()
    if report.team is not None:
        line.append(tr("Team {name}", name=inert(report.team.name)), style="bold")
    else:
        line.append(screening_subject(report), style="bold")
    line.append(" · " + inert(strategy_line(report)) + "\n")
    blocked = report.team is not None and team_blocked(report)
    line.append(inert(report_headline(report)), style="bold red" if blocked else "bold")
    cut = shown_of(report) if report.team is None else None
    if cut is not None:
        line.append("\n" + cut, style="dim")
    return line


def _styled() -> Text:
    """A pre-wrapped Text: rich need not measure it again."""
    return Text(no_wrap=True, overflow="fold")


def _finding_block(item: Finding | Gap, width: int, new: Callable[[], T]) -> T:
    """`[HIGH] message (rule)` with wrapped lines hanging under the message, then the chain.

    Wrapped by hand rather than in nested rich tables: a team of hundreds has thousands of these,
    and measuring nested tables is most of rich's time.
    """
    tag = f"[{severity_tag(item.severity)}]"
    hang = " " * (cell_len(tag) + 1)
    room = max(20, width - 2 - len(hang))
    text = new()
    text.append(tag, style=SEVERITY_STYLE[item.severity])
    lines = wrap(f"{inert(item.message)} ({item.rule})", room)
    text.append(" " + "\n".join(lines[:1] + [hang + line for line in lines[1:]]))
    if item.waiver is not None:
        label = f"[{waiver_label(item.waiver)}] "
        lines = wrap(label + inert(waiver_text(item.waiver)), room)
        text.append("\n" + "\n".join(hang + line for line in lines), style="bold")
    for step in item.because:
        lines = wrap(inert(step), room - 2)
        chain = [hang + "← " + lines[0], *(hang + "  " + line for line in lines[1:])]
        text.append("\n" + "\n".join(chain), style="dim")
    return text


def _person(
    c: CandidateResult, names: PersonNames, labels: Labels, width: int, new: Callable[[], T]
) -> T:
    """One person's findings as a single pre-wrapped Text (cheap to print by the thousand)."""
    text = new()
    head = wrap(inert(person_heading(c, names.label(c.id), labels)), width)
    text.append("\n".join(head), style="bold")
    if not c.findings:
        text.append("\n  " + no_findings())
    for finding in c.findings:
        _indented(text, _finding_block(finding, width, new), "  ")
        if finding.explains:
            text.append("\n    " + tr("explains:"), style="dim")
        for inner in finding.explains:
            _indented(text, _finding_line(inner, width - 6, new), "      ")
    if c.questions:
        text.append("\n  " + tr("Ask to settle the verdict, most decisive first:"), style="bold")
        for number, question in enumerate(c.questions, 1):
            line = question_line(question.skill, question.need, question.text, labels)
            lines = wrap(inert(line), width - 7)
            text.append(f"\n  {number:>2}. " + "\n      ".join(lines))
    return text


def _indented(text: T, block: T, indent: str) -> None:
    for line in block.split("\n"):
        text.append("\n" + indent)
        text.append_text(line)


def _finding_line(item: Finding, width: int, new: Callable[[], T]) -> T:
    """A finding another explains: its severity and message, without the chain."""
    tag = f"[{severity_tag(item.severity)}]"
    hang = " " * (cell_len(tag) + 1)
    lines = wrap(f"{inert(item.message)} ({item.rule})", max(20, width - len(hang)))
    text = new()
    text.append(tag, style=SEVERITY_STYLE[item.severity])
    text.append(" " + "\n".join(lines[:1] + [hang + line for line in lines[1:]]))
    return text


def _team(console: TextConsole, report: Report, names: PersonNames) -> None:
    """A team's verdicts, its strategy's posts and coverage, uncovered posts, team findings."""
    assert report.team is not None
    console.print(_title(tr("Verdicts")))
    _summary(console, report, names)
    _print_legend(console, report)
    if report.posts:
        console.print(_title(tr("The strategy and its posts")))
        console.print(_posts(report))
        console.print(_title(tr("Coverage: fit of each member on each post")))
        console.print(_coverage(report, names, console.width))
    console.print(_title(tr("Uncovered posts")))
    if not report.team.gaps:
        none = Text(tr("None: every post the strategy needs is covered."))
        console.print(Padding(none, (0, 0, 0, 2), expand=False))
    for gap in report.team.gaps:
        block = _finding_block(gap, console.width, _styled)
        console.print(Padding(block, (0, 0, 0, 2), expand=False))
    console.print()
    if report.team.findings:
        console.print(_title(tr("The team as a whole")))
        for finding in report.team.findings:
            block = _finding_block(finding, console.width, _styled)
            console.print(Padding(block, (0, 0, 0, 2), expand=False))
        console.print()


def _print_legend(console: TextConsole, report: Report) -> None:
    legend = _legend(report)
    if legend is not None:
        console.print(legend)
        console.print()


def _findings(console: TextConsole, report: Report, names: PersonNames, color: bool) -> None:
    console.print(_title(tr("Findings")))
    if color:
        console.print(_people(report, names, console.width, _styled), end="")
    else:
        # Already wrapped and nothing to style: thousands of people need no spans nor segments.
        console.buffer.write(_people(report, names, console.width, PlainText).plain)


def _people(report: Report, names: PersonNames, width: int, new: Callable[[], T]) -> T:
    people = new()
    for candidate in report.candidates:
        people.append_text(_person(candidate, names, report.labels, width, new))
        people.append("\n\n")
    return people


def _advice(console: TextConsole, report: Report) -> None:
    todo, more = first_steps(report)
    if not todo:
        return
    console.print(_title(tr("What to do first")))
    steps = Table.grid(padding=(0, 1))
    steps.add_column(justify="right", no_wrap=True)
    steps.add_column(overflow="fold")
    # Pre-wrapped by console.wrap (Chinese breaks by kinsoku): indent, number, gap.
    room = max(console.width - 2 - len(f"{len(todo)}.") - 1, 20)
    for index, text in enumerate(todo, 1):
        steps.add_row(f"{index}.", plain("\n".join(wrap(text, room))))
    if more is not None:
        steps.add_row("", plain("\n".join(wrap(more, room))))
    console.print(Padding(steps, (0, 0, 0, 2), expand=False))


def render(report: Report, options: RenderOptions) -> str:
    """The report for a terminal: headline, shortlist or verdicts, posts, findings, advice."""
    return "".join(render_parts(report, options))


def render_parts(report: Report, options: RenderOptions) -> Iterator[str]:
    """`render`'s text in parts, handed on as printed: a drive's ranking is read as it goes."""
    console = TextConsole(options.width, options.color)
    names = PersonNames(report)
    console.print(_headline(report))
    console.print()
    if report.team is not None:
        _team(console, report, names)
    else:
        yield from _drive(console, report, names)
        _print_legend(console, report)
    if report.rejects:
        console.print(_title(tr("Rejected records ({n})", n=len(report.rejects))))
        for reject in report.rejects:
            console.print(Padding(plain(str(reject)), (0, 0, 0, 2), expand=False))
        console.print()
    if not report.ranked:  # a ranking of a drive is read by its table; details are in JSON
        _findings(console, report, names, options.color)
    _advice(console, report)
    yield console.text()
