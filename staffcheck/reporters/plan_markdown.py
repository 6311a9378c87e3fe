"""The three-stage plan as Markdown: tables, and the Gantt chart as a Mermaid ``gantt`` block.

Names in tables go through `escape_markdown`. Inside the Mermaid block Markdown escaping means
nothing, and Mermaid has its own syntax: `mermaid_text` makes a name inert there (no ``:`` ending
the name, no ``;``, ``#``, ``%%``, backticks, ``<``, braces, no new line, no leading keyword such
as ``section`` or ``click``), so a name can never add a task, a section or a directive.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator

from staffcheck.escaping import escape_markdown, inert
from staffcheck.i18n import language, tr
from staffcheck.project_plan import AssigneeKind, Effect, ProjectPlan
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.plan_text import (
    cost_cells,
    cost_groups,
    cost_headers,
    cost_label,
    cost_notes,
    money_words,
    people_words,
    person_kind,
    preparation_words,
    span,
    summary_line,
)
from staffcheck.reporters.plan_words import (
    change,
    critical_names,
    long_date,
    no_steps_words,
    not_priced_words,
    preparation_amount,
    short_date,
    step_amount,
    told_apart,
)
from staffcheck.words import confidence_word, importance_word, severity_word, verdict_word

md = escape_markdown

#: Characters with a meaning in a Mermaid gantt line, and the look-alikes that replace them.
_MERMAID_LOOKALIKES = str.maketrans(
    {
        ":": "：",
        ";": "；",
        "#": "＃",
        "%": "％",
        "`": "ˋ",
        "<": "‹",
        ">": "›",
        "&": "＆",
        '"': "”",
        "{": "（",
        "}": "）",
        "\\": "∖",
    }
)
#: What starts a statement of a gantt chart at the start of a line (Mermaid's lexer ignores case
#: and needs no word boundary after some): a name starting so is shown after a "· ".
_MERMAID_STATEMENT = re.compile(
    r"(?i)(gantt|title|section|dateformat|axisformat|tickinterval|excludes|includes|todaymarker|"
    r"inclusiveenddates|topaxis|weekday|weekend|click|acc|call|href|\d{4}-\d\d-\d\d)"
)
_SPACES = re.compile(r"\s+")
#: Longest name in the chart, in characters: a name is for recognising the bar, the table has it all.
MERMAID_NAME_LIMIT = 60


def mermaid_text(text: str) -> str:
    """Untrusted text that is only text in a Mermaid gantt line: a task's or a section's name."""
    flat = _SPACES.sub(" ", inert(text).translate(_MERMAID_LOOKALIKES)).strip()
    if len(flat) > MERMAID_NAME_LIMIT:
        flat = flat[: MERMAID_NAME_LIMIT - 1].rstrip() + "…"
    if _MERMAID_STATEMENT.match(flat):
        flat = "· " + flat
    return flat or "—"


def render_markdown(plan: ProjectPlan, options: RenderOptions) -> str:
    """The plan as Markdown: goals, analysis, the Mermaid Gantt chart and the steps' table,
    follow-up, costs and the what-if."""
    plan = told_apart(plan)
    out = [*_title(plan), *_goals(plan), *_analysis(plan), *_implementation(plan)]
    out += [*_follow_up(plan), *_costs(plan)]
    if plan.what_if is not None:
        out += _what_if(plan, plan.what_if)
    return "\n".join(out) + "\n"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _header(*cells: str, right: int = 0) -> list[str]:
    """A table's header row and rule; the last `right` columns are amounts, aligned right."""
    rules = ["---"] * (len(cells) - right) + ["--:"] * right
    return [_row(*cells), _row(*rules)]


def _title(plan: ProjectPlan) -> list[str]:
    heading = tr(
        "Plan · strategy {name} ({id})", name=md(plan.strategy.name), id=f"`{plan.strategy.id}`"
    )
    team = (
        tr("Team: {team}", team=md(plan.team))
        if plan.team is not None
        else tr("No team file: every post is a hire.")
    )
    out = [f"# {heading}", ""]
    if plan.description:
        out += [md(plan.description), ""]
    return [*out, team, "", md(summary_line(plan)), ""]


def _goals(plan: ProjectPlan) -> list[str]:
    out = ["## " + tr("1 · Set goals: goals and KPIs"), ""]
    if not plan.goals:
        return [*out, tr("The strategy sets no goals."), ""]
    out += _header(tr("Goal"), tr("KPI"))
    for goal in plan.goals:
        out.append(_row(md(goal.name), md(goal.kpi) + (" \\*" if goal.company_kpi else "")))
    if any(goal.company_kpi for goal in plan.goals):
        out += ["", md(tr("* the company's own KPI, from the team file"))]
    return [*out, ""]


def _analysis(plan: ProjectPlan) -> list[str]:
    analysis = plan.analysis
    if plan.team is None:
        out = ["## " + tr("2 · Analyse: the posts to fill"), ""]
        out += _header(tr("Post"), tr("Priority"), tr("People"), right=1)
        for post in analysis.staffing.posts:
            priority = importance_word(post.priority)
            out.append(_row(md(post.name), priority, str(post.headcount)))
        return [*out, ""]
    out = ["## " + tr("2 · Analyse: the team against the strategy"), ""]
    out += _header(
        tr("Person"), tr("Post"), tr("Verdict"), tr("Confidence"), tr("Reason"), tr("Fit"), right=1
    )
    for person in analysis.people:
        out.append(
            _row(
                md(person.name),
                md(plan.labels.post(person.post)),
                verdict_word(person.verdict),
                confidence_word(person.confidence),
                md(person.reason) or "—",
                f"{person.fit}%",
            )
        )
    if analysis.gaps:
        out += ["", "### " + tr("Gaps and who fills them"), ""]
        out += _header(tr("Post"), tr("Severity"), tr("Gap"), tr("Filled by"))
        for gap in analysis.gaps:
            filled = people_words(md(a.name) for a in gap.filled_by)
            gap_post = md(plan.labels.post(gap.post))
            out.append(_row(gap_post, severity_word(gap.severity), md(gap.message), filled))
    return [*out, ""]


def _implementation(plan: ProjectPlan) -> list[str]:
    out = ["## " + tr("3 · Implement: the steps, people and dates (Gantt chart)"), ""]
    out += ["```mermaid", *mermaid_gantt(plan), "```", ""]
    out += _header(
        tr("Module"), tr("Step"), tr("Person"), tr("Start"), tr("End"), tr("Critical"),
        tr("Days"), tr("Cost"), right=2,
    )  # fmt: skip
    for step in plan.steps:
        out.append(
            _row(
                md(plan.labels.module(step.module)),
                md(step.name),
                md(person_kind(step.assignee)),
                short_date(step.start),
                short_date(step.end),
                "**!**" if step.critical else "",
                str(step.effort),
                step_amount(plan, step),
            )
        )
    if plan.modules_without_steps:
        out += ["", md(no_steps_words(plan))]
    path = " → ".join(md(name) for name in critical_names(plan)) or "—"
    out += ["", "**" + tr("Finish: {date}", date=long_date(plan.finish)) + "**", ""]
    return [*out, tr("Critical path: {steps}", steps=path), ""]


def mermaid_gantt(plan: ProjectPlan) -> Iterator[str]:
    """The lines of the Mermaid gantt chart: a section per module (and one for hiring and
    training), a task per step with its first day and the day after its last (Mermaid's end is
    exclusive), ``crit`` on the critical path."""
    axis = "%m月%d日" if language() == "zh" else "%d %b"
    yield "gantt"
    yield f"    title {mermaid_text(plan.strategy.name)}"
    yield "    dateFormat YYYY-MM-DD"
    yield f"    axisFormat {axis}"
    number = 0
    if plan.preparations:
        yield f"    section {mermaid_text(tr('Hiring and training'))}"
        for prep in plan.preparations:
            number += 1
            # "recruiting: <post>" says who already; "hire: <post>" after it would repeat it.
            name = (
                prep.description
                if prep.assignee.kind is AssigneeKind.HIRE
                else tr("{what} ({person})", what=prep.description, person=prep.assignee.name)
            )
            yield _task(name, ("active",), number, prep.start, prep.end)
    module = None
    for step in plan.steps:
        if step.module != module:
            module = step.module
            yield f"    section {mermaid_text(plan.labels.module(module))}"
        number += 1
        tags = ("crit",) if step.critical else ()
        name = tr("{what} ({person})", what=step.name, person=step.assignee.name)
        yield _task(name, tags, number, step.start, step.end)


def _task(
    name: str, tags: Iterable[str], number: int, first: datetime.date, last: datetime.date
) -> str:
    after_last = last + datetime.timedelta(days=1)
    data = ", ".join([*tags, f"t{number}", first.isoformat(), after_last.isoformat()])
    return f"    {mermaid_text(name)} :{data}"


def _follow_up(plan: ProjectPlan) -> list[str]:
    out = ["## " + tr("Follow-up: the operating system"), ""]
    out += _header(tr("Post"), tr("Held by"), tr("Assessed on (KPIs)"), tr("Training"))
    for post in plan.follow_up:
        out.append(
            _row(
                md(plan.labels.post(post.post)),
                people_words(md(person.name) for person in post.people),
                "<br>".join(md(kpi) for kpi in post.kpis) or "—",
                "<br>".join(md(item) for item in post.training) or "—",
            )
        )
    if plan.preparations:
        out += ["", "### " + tr("Who trains or is hired, and when"), ""]
        out += _header(tr("Person"), tr("What"), tr("When"), tr("Cost"), right=1)
        for prep in plan.preparations:
            person = md(person_kind(prep.assignee))
            when = span(prep.start, prep.end)
            out.append(
                _row(person, md(preparation_words(prep)), when, preparation_amount(plan, prep))
            )
    return [*out, ""]


def _costs(plan: ProjectPlan) -> list[str]:
    out = ["## " + tr("Costs ({currency})", currency=plan.currency), ""]
    for title, lines in cost_groups(plan):
        out += ["### " + title, "", *_header("", *cost_headers(), right=5)]
        for line in lines:
            out.append(_row(md(cost_label(line)), *cost_cells(plan, line)))
        total = cost_cells(plan, plan.costs.total)
        out += [_row("**" + tr("Total") + "**", *total), ""]
    return [*out, *(line for note in cost_notes(plan) for line in (md(note), ""))]


def _what_if(plan: ProjectPlan, effect: Effect) -> list[str]:
    finish = change(effect.finish_before, effect.finish_after)
    out = [
        "## " + tr("What if: {change}", change=md(effect.change)),
        "",
        "- " + tr("Finish: {change}", change=finish),
        "- " + tr("Money: {money}", money=md(money_words(plan, effect))),
    ]
    if effect.unpriced:
        out.append("- " + md(not_priced_words(effect.unpriced)))
    out.append("")
    if not effect.moved:
        return [*out, tr("No step moved."), ""]
    names = {step.id: step.name for step in plan.steps}
    out += _header(tr("Step"), tr("Before"), tr("After"))
    for move in effect.moved:
        before = f"{md(move.before.name)}, {span(move.before_start, move.before_end)}"
        after = f"{md(move.after.name)}, {span(move.after_start, move.after_end)}"
        out.append(_row(md(names.get(move.step, move.step)), before, after))
    return [*out, ""]
