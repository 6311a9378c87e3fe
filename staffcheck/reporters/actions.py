"""The action plan (``staffcheck explain --actions``) in the terminal and as a Markdown list.

Its JSON is the explanation's: ``staffcheck.explain/1`` carries the trees and the actions together.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from staffcheck.actions import PLAN_STEPS, ActionPlan
from staffcheck.escaping import escape_markdown, inert
from staffcheck.i18n import tr
from staffcheck.model import Action, Labels
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import TextConsole, plain, wrap
from staffcheck.reporters.explanation import heading, plan_effect, step_effect, wrapped


def nothing_to_do() -> str:
    return tr("Nothing to do: every post is covered and nobody is mismatched.")


def action_word(action: Action) -> str:
    """The kind of a step, as the reader's language says it."""
    words = {
        Action.TRAIN: tr("train"),
        Action.REASSIGN: tr("reassign"),
        Action.HIRE: tr("hire"),
        Action.CONFIRM: tr("confirm"),
    }
    return words[action]


def _labels(plan: ActionPlan) -> Labels:
    return plan.explanation.labels if plan.explanation is not None else Labels()


def _action_rows(plan: ActionPlan) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """The first `PLAN_STEPS` steps, numbered (the JSON format has them all)."""
    labels = _labels(plan)
    for number, action in enumerate(plan.actions[:PLAN_STEPS], 1):
        summary = action.summary
        for verb in (action.action.value + " ", action_word(action.action)):
            if summary.lower().startswith(verb):  # the verb is in the column already
                summary = summary[len(verb) :].lstrip()
                break
        lines = [
            (summary, "bold"),
            (tr("effect: {effect}", effect=step_effect(action, labels)), ""),
        ]
        lines += [(tr("note: {note}", note=note), "dim") for note in action.notes]
        yield str(number), action_word(action.action), lines


def render_table(plan: ActionPlan, options: RenderOptions) -> str:
    """The action plan for the terminal."""
    console = TextConsole(options.width, options.color)
    console.print(plain(heading(tr("What to do"), plan.team, plan.strategy), "bold"))
    if not plan.actions:
        console.print(plain(nothing_to_do()))
        return console.text()
    console.print(plain("\n".join(wrap(_plan_intro(plan), options.width))))
    console.print()
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    rows = list(_action_rows(plan))
    # Bodies pre-wrapped (Chinese breaks by kinsoku) in what the number and kind columns leave.
    room = options.width - max(len(n) + 1 + cell_len(kind) + 2 for n, kind, _ in rows)
    for number, kind, lines in rows:
        body = Text()
        for index, (line, style) in enumerate(lines):
            body.append(("\n" if index else "") + inert(line), style=style)
        grid.add_row(Text(f"{number}."), Text(kind), wrapped(body, max(room, 20)))
    console.print(grid)
    more = _more(plan)
    if more is not None:
        console.print(plain(more))
    return console.text()


def _more(plan: ActionPlan) -> str | None:
    """The line that ends a plan cut at `PLAN_STEPS`, or None when it is shown whole."""
    hidden = len(plan.actions) - PLAN_STEPS
    if hidden <= 0:
        return None
    return tr("… and {count} more: '--format json' lists every step.", count=hidden)


def _plan_intro(plan: ActionPlan) -> str:
    return tr(
        "Each step's effect is measured by re-assessing the team with the steps above it done. "
        "If every step is taken: {effect}.",
        effect=plan_effect(plan),
    )


def render_markdown(plan: ActionPlan, options: RenderOptions) -> str:
    """The action plan as a numbered Markdown list."""
    md = escape_markdown
    out = [heading(tr("What to do"), plan.team, plan.strategy, markdown=True), ""]
    if not plan.actions:
        return "\n".join([*out, nothing_to_do(), ""])
    out += [md(_plan_intro(plan)), ""]
    for number, kind, lines in _action_rows(plan):
        (summary, _), *rest = lines
        out.append(f"{number}. **{kind}**: {md(summary)}")
        out += [f"   - {md(line)}" for line, _ in rest]
    more = _more(plan)
    if more is not None:
        out += ["", md(more)]
    out.append("")
    return "\n".join(out)
