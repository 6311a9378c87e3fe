"""The terminal report (rich): readable at 80 columns, colour only as an addition to words."""

from __future__ import annotations

import textwrap

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import inert
from staffcheck.model import CandidateResult, Confidence, Finding, Gap, Report, Verdict
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import SEVERITY_STYLE, VERDICT_STYLE, TextConsole, plain
from staffcheck.reporters.phrases import UNSURE_LEGEND, first_steps, top_reason, waiver_text


def _summary(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
    table.add_column("Person", overflow="fold", max_width=18)
    table.add_column("Post", no_wrap=True)
    table.add_column("Fit", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Better post", no_wrap=True, min_width=20)
    for c in report.candidates:
        better = f"{c.better_roles[0].role} ({c.better_roles[0].fit})" if c.better_roles else "—"
        table.add_row(
            plain(f"{c.name} ({c.id})"),
            plain(c.role),
            Text(str(c.fit)),
            _verdict(c),
            plain(better),
        )
    return table


def _verdict(c: CandidateResult) -> Text:
    """``partial?``: the verdict, marked when open questions could still change it."""
    text = Text(c.verdict.value, style=VERDICT_STYLE[c.verdict])
    if c.confidence is Confidence.LOW:
        text.append("?", style="bold")
    return text


def _legend(report: Report) -> Text | None:
    if any(c.confidence is Confidence.LOW for c in report.candidates):
        return Text(UNSURE_LEGEND, style="dim")
    return None


def _ranking(report: Report) -> Table:
    # Sized for 80 columns: ids (post names) never break; the reason wraps between words.
    table = Table(
        box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0)
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Person", overflow="fold", max_width=13)
    table.add_column("Fit", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Top reason", overflow="fold", min_width=22, ratio=1)
    table.add_column("Better post", no_wrap=True, min_width=20)
    for rank, c in enumerate(report.candidates, 1):
        # The post only: ids are never broken, and its fit is in the JSON and the findings.
        better = c.better_roles[0].role if c.better_roles else "—"
        table.add_row(
            str(rank),
            plain(f"{c.name} ({c.id})"),
            Text(str(c.fit)),
            _verdict(c),
            plain(top_reason(c)),
            plain(better),
        )
    return table


def _posts(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Post", no_wrap=True)
    table.add_column("Importance", no_wrap=True)
    table.add_column("Modules it carries", overflow="fold")
    for post in report.posts:
        table.add_row(plain(post.role), post.importance.value, plain(", ".join(post.modules)))
    return table


#: Members shown as columns of the terminal heatmap; larger teams: --format html.
HEATMAP_COLUMNS = 8


def _coverage(report: Report) -> RenderableType:
    """Posts × members, fit scores; * marks the post a member holds. Numbers, not colours."""
    assert report.team is not None
    coverage = report.team.coverage[:HEATMAP_COLUMNS]
    held = {(c.id, c.role) for c in report.candidates}
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Post", no_wrap=True)
    for cid, _ in coverage:
        table.add_column(plain(cid), justify="right", no_wrap=True)
    for post in report.posts:
        cells: list[RenderableType] = [plain(post.role)]
        for cid, fits in coverage:
            fit = next((f.fit for f in fits if f.role == post.role), 0)
            mark = "*" if (cid, post.role) in held else " "
            style = "green" if fit >= 70 else "yellow" if fit >= 40 else "red"
            cells.append(Text(f"{fit}{mark}", style=style))
        table.add_row(*cells)
    more = len(report.team.coverage) - len(coverage)
    if more > 0:
        note = Text(f"  … and {more} more members: see --format html", style="dim")
        return Group(table, note)
    return table


def _headline(report: Report) -> Text:
    worst = report.worst_severity()
    mismatches = sum(c.verdict is Verdict.MISMATCH for c in report.candidates)
    if report.batch is not None:
        mismatches = report.batch.mismatches
    gaps = sum(g.counts for g in report.team.gaps) if report.team else 0
    line = Text()
    if report.team is not None:
        line.append("Team ", style="bold")
        line.append(inert(report.team.name), style="bold")
        line.append(" · ")
    if report.strategy is not None:
        line.append("strategy ")
        line.append(inert(f"{report.strategy.id} ({report.strategy.name})"))
    else:
        line.append("no strategy: posts judged on their own requirements")
    line.append("\n")
    people = report.batch.screened if report.batch else len(report.candidates)
    blocked = worst is not None and worst.blocks
    if report.team is not None:
        subject = "This team"
        verdict = (
            "cannot run the strategy as staffed" if blocked else "can run the strategy as staffed"
        )
    else:
        subject = f"Screening of {people} {'person' if people == 1 else 'people'}"
        verdict = "finds mismatches" if blocked else "finds no mismatch"
    line.append(f"{subject} {verdict}: ", style="bold")
    line.append(f"{mismatches} mismatch{'es' if mismatches != 1 else ''}")
    if report.team is not None:
        line.append(f", {gaps} uncovered post{'s' if gaps != 1 else ''}")
    return line


def _finding_block(item: Finding | Gap, width: int) -> Text:
    """`[HIGH] message (rule)` with wrapped lines hanging under the message, then the chain.

    Wrapped by hand rather than in nested rich tables: a team of hundreds has thousands of these,
    and measuring nested tables is most of rich's time.
    """
    tag = f"[{item.severity.value.upper()}]"
    hang = " " * (len(tag) + 1)
    room = max(20, width - 2 - len(hang))
    text = Text(no_wrap=True, overflow="fold")  # already wrapped: rich need not measure it again
    text.append(tag, style=SEVERITY_STYLE[item.severity])
    lines = _wrap(f"{inert(item.message)} ({item.rule})", room)
    text.append(" " + "\n".join(lines[:1] + [hang + line for line in lines[1:]]))
    if item.waiver is not None:
        label = "[WAIVER EXPIRED] " if item.waiver.expired else "[WAIVED] "
        lines = _wrap(label + inert(waiver_text(item.waiver)), room)
        text.append("\n" + "\n".join(hang + line for line in lines), style="bold")
    for step in item.because:
        lines = _wrap(inert(step), room - 2)
        chain = [hang + "← " + lines[0], *(hang + "  " + line for line in lines[1:])]
        text.append("\n" + "\n".join(chain), style="dim")
    return text


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _person(c: CandidateResult, width: int) -> Text:
    """One person's findings as a single pre-wrapped Text (cheap to print by the thousand)."""
    text = Text(no_wrap=True, overflow="fold")
    head = _wrap(
        inert(
            f"{c.name} ({c.id}) on post {c.role} · fit {c.fit} · {c.verdict.value}"
            f" · confidence {c.confidence.value}"
        ),
        width,
    )
    text.append("\n".join(head), style="bold")
    if not c.findings:
        text.append("\n  No findings: meets every essential skill of the post.")
    for finding in c.findings:
        _indented(text, _finding_block(finding, width), "  ")
        if finding.explains:
            text.append("\n    explains:", style="dim")
        for inner in finding.explains:
            _indented(text, _finding_line(inner, width - 6), "      ")
    if c.questions:
        text.append("\n  Ask to settle the verdict, most decisive first:", style="bold")
        for number, question in enumerate(c.questions, 1):
            lines = _wrap(
                inert(f"{question.skill} (needs {question.need}): {question.text}"), width - 7
            )
            text.append(f"\n  {number:>2}. " + "\n      ".join(lines))
    return text


def _indented(text: Text, block: Text, indent: str) -> None:
    for line in block.split("\n"):
        text.append("\n" + indent)
        text.append_text(line)


def _finding_line(item: Finding, width: int) -> Text:
    """A finding another explains: its severity and message, without the chain."""
    tag = f"[{item.severity.value.upper()}]"
    hang = " " * (len(tag) + 1)
    lines = _wrap(f"{inert(item.message)} ({item.rule})", max(20, width - len(hang)))
    text = Text(no_wrap=True, overflow="fold")
    text.append(tag, style=SEVERITY_STYLE[item.severity])
    text.append(" " + "\n".join(lines[:1] + [hang + line for line in lines[1:]]))
    return text


def render(report: Report, options: RenderOptions) -> str:
    """The report for a terminal: headline, verdicts or ranking, posts, findings, advice."""
    console = TextConsole(options.width, options.color)
    console.print(_headline(report))
    console.print()
    if report.ranked:
        post = report.candidates[0].role if report.candidates else "?"
        shown = len(report.candidates)
        title = f"Ranking for the {inert(post)} post"
        if report.batch is not None and report.batch.screened > shown:
            title += f" (the best {shown} of {report.batch.screened})"
        console.print(Text(title, style="bold underline"))
        console.print(_ranking(report))
    else:
        console.print(Text("Verdicts", style="bold underline"))
        console.print(_summary(report))
    legend = _legend(report)
    if legend is not None:
        console.print(legend)
        console.print()
    if report.rejects:
        console.print(Text(f"Rejected records ({len(report.rejects)})", style="bold underline"))
        for reject in report.rejects:
            console.print(Padding(plain(str(reject)), (0, 0, 0, 2), expand=False))
        console.print()
    if report.team is not None and report.posts:
        console.print(Text("The strategy and its posts", style="bold underline"))
        console.print(_posts(report))
        console.print(Text("Coverage: fit of each member on each post", style="bold underline"))
        console.print(_coverage(report))
    if report.team is not None:
        console.print(Text("Uncovered posts", style="bold underline"))
        if not report.team.gaps:
            console.print(
                Padding(
                    Text("None: every post the strategy needs is covered."),
                    (0, 0, 0, 2),
                    expand=False,
                )
            )
        for gap in report.team.gaps:
            block = _finding_block(gap, console.width)
            console.print(Padding(block, (0, 0, 0, 2), expand=False))
        console.print()
        if report.team.findings:
            console.print(Text("The team as a whole", style="bold underline"))
            for finding in report.team.findings:
                block = _finding_block(finding, console.width)
                console.print(Padding(block, (0, 0, 0, 2), expand=False))
            console.print()
    if not report.ranked:  # a ranking of a drive is read by its table; details are in JSON
        console.print(Text("Findings", style="bold underline"))
        people = Text(no_wrap=True, overflow="fold")
        for candidate in report.candidates:
            people.append_text(_person(candidate, console.width))
            people.append("\n\n")
        if options.color:
            console.print(people, end="")
        else:
            # Already wrapped and nothing to style: thousands of people need no segment work.
            console.buffer.write(people.plain)
    todo, more = first_steps(report)
    if todo:
        console.print(Text("What to do first", style="bold underline"))
        steps = Table.grid(padding=(0, 1))
        steps.add_column(justify="right", no_wrap=True)
        steps.add_column(overflow="fold")
        for index, text in enumerate(todo, 1):
            steps.add_row(f"{index}.", plain(text))
        if more is not None:
            steps.add_row("", plain(more))
        console.print(Padding(steps, (0, 0, 0, 2), expand=False))
    return console.text()
