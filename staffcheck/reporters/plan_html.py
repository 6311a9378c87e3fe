"""A plan as one self-contained HTML page: essay 001's three stages, a Gantt chart, the follow-up.

Sections: the plan in a sentence (strategy, team, start → finish, cost); 1 goals and KPIs;
2 the analysis (how each member stands, the posts the team lacks and who fills them, or the
posts to fill); 3 the implementation (the Gantt chart as inline SVG, the steps, the preparations);
the operating system (posts, people, KPIs, training); the costs; the what-if. Inline CSS, no
script, no request; A4 landscape in print, where the chart shrinks to the page instead of being
clipped. Every text from a pack or a team file is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from staffcheck.i18n import language, tr
from staffcheck.model import Stage
from staffcheck.project_plan import (
    Assignee,
    AssigneeKind,
    CostLine,
    PreparationKind,
    ProjectPlan,
)
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.plan_gantt import CRITICAL_MARK, e, gantt_svg
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
    step_amount,
    told_apart,
)
from staffcheck.words import confidence_word, importance_word, severity_word, verdict_word

CSS = """
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --bad: #b3261e; --warn: #8a5a00;
        --ok: #1e6b34; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: #fff; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
     border-bottom: 1px solid var(--line); padding-bottom: .2rem; } h3 { font-size: 1rem; }
.lead { font-size: 1.1rem; } .muted { color: var(--muted); } .warn { color: var(--warn); }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid var(--fg); }
.critical, .mismatch, .high { color: var(--bad); font-weight: 600; }
.partial, .medium { color: var(--warn); } .fit, .low { color: var(--ok); }
ul.plain { margin: 0; padding-left: 1.1rem; }
.chart { overflow-x: auto; border: 1px solid var(--line); padding: .5rem 0; }
svg.gantt text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
svg.gantt text.week { font-size: 10px; fill: #5f6368; }
svg.gantt text.module, svg.gantt text.finish { font-weight: 600; }
td.date { white-space: nowrap; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .chart { overflow: visible; border: none; }
  svg.gantt { width: 100%; height: auto; max-height: 150mm; }
  h2, h3 { break-after: avoid; } tr, .chart { break-inside: avoid; }
}
"""


def render_html(plan: ProjectPlan, options: RenderOptions) -> str:
    """The plan as one self-contained HTML page."""
    plan = told_apart(plan)
    title = tr("Plan: {strategy}", strategy=plan.strategy.name)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language())}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        *_summary(plan),
        *_goals(plan),
        *_analysis(plan),
        *_implementation(plan),
        *_operating(plan),
        *_costs(plan),
        *_what_if(plan),
        "</body></html>",
    ]
    return "\n".join(out) + "\n"


def _table(
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: frozenset[int],
    dates: frozenset[int] = frozenset(),
) -> str:
    """A table of already-escaped cells; `numeric` columns right-aligned, `dates` never wrapped."""

    def cell(tag: str, index: int, text: str) -> str:
        css = ' class="num"' if index in numeric else ' class="date"' if index in dates else ""
        return f"<{tag}{css}>{text}</{tag}>"

    head = "".join(cell("th", i, e(h)) for i, h in enumerate(heads))
    body = "".join(
        "<tr>" + "".join(cell("td", i, text) for i, text in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _person(person: Assignee) -> str:
    """A person's name, and "after training" for a trainee (a hire's name says it already)."""
    if person.kind is not AssigneeKind.TRAINEE:
        return f'<span title="{e(person.id)}">{e(person.name)}</span>'
    return f'<span title="{e(person.id)}">{e(person.name)}</span> ({e(kind_word(person.kind))})'


def _summary(plan: ProjectPlan) -> list[str]:
    span = tr(
        "{start} → {finish}: {days} working days",
        start=start_words(plan),
        finish=long_date(plan.finish),
        days=plan.days,
    )
    team = (
        tr("Team: {team}", team=plan.team)
        if plan.team is not None
        else tr("No team file: every post is a hire.")
    )
    cost = tr("Total cost: {amount}", amount=amount(plan, plan.costs.total.total))
    out = [
        '<section id="summary">',
        f'<p class="muted">{e(tr("Strategy: {name} ({id})", name=plan.strategy.name, id=plan.strategy.id))}</p>',
        f'<p class="lead">{e(team)} · {e(span)} · {e(cost)}</p>',
    ]
    if plan.description:
        out.append(f"<p>{e(plan.description)}</p>")
    out.append("</section>")
    return out


def _goals(plan: ProjectPlan) -> list[str]:
    out = [f'<section id="goals"><h2>1. {e(stage_word(Stage.GOALS))}</h2>']
    if not plan.goals:
        out.append(f"<p>{e(tr('The strategy names no goals.'))}</p>")
    rows = [
        [
            e(g.name),
            e(g.kpi) + (f" ({e(tr('the company’s own'))})" if g.company_kpi else ""),
        ]
        for g in plan.goals
    ]
    if rows:
        out.append(_table([tr("Goal"), tr("KPI")], rows, frozenset()))
    out.append("</section>")
    return out


def _analysis(plan: ProjectPlan) -> list[str]:
    """How each member stands and what the plan does about missing posts, or the posts to fill."""
    analysis = plan.analysis
    out = [f'<section id="analysis"><h2>2. {e(stage_word(Stage.ANALYSIS))}</h2>']
    if analysis.people:
        rows = [
            [
                f'<span title="{e(p.id)}">{e(p.name)}</span>',
                e(plan.labels.post(p.post)),
                f'<span class="{e(p.verdict.value)}">{e(verdict_word(p.verdict))}</span>',
                str(p.fit),
                e(confidence_word(p.confidence)),
                e(p.reason),
            ]
            for p in analysis.people
        ]
        heads = [tr("Person"), tr("Post"), tr("Verdict"), tr("Fit"), tr("Confidence"), tr("Reason")]
        out.append(_table(heads, rows, frozenset({3})))
    if analysis.gaps:
        out.append(f"<h3>{e(tr('Posts the team does not cover, and who takes their steps'))}</h3>")
        rows = [
            [
                e(plan.labels.post(g.post)),
                f'<span class="{e(g.severity.value)}">{e(severity_word(g.severity))}</span>',
                e(g.message),
                ", ".join(_person(a) for a in g.filled_by) or "—",
            ]
            for g in analysis.gaps
        ]
        heads = [tr("Post"), tr("Severity"), tr("Finding"), tr("Filled by")]
        out.append(_table(heads, rows, frozenset()))
    if plan.team is None:
        out.append(f"<h3>{e(tr('Posts to fill'))}</h3>")
        rows = [
            [e(p.name), str(p.headcount), e(importance_word(p.priority))]
            for p in analysis.staffing.posts
        ]
        out.append(_table([tr("Post"), tr("Headcount"), tr("Importance")], rows, frozenset({1})))
    out.append("</section>")
    return out


def _implementation(plan: ProjectPlan) -> list[str]:
    """The Gantt chart, then the steps and the preparations as tables."""
    out = [
        f'<section id="implementation"><h2>3. {e(stage_word(Stage.IMPLEMENTATION))}</h2>',
        f'<div class="chart">{gantt_svg(plan)}</div>',
        *([f"<p>{e(no_steps_words(plan))}</p>"] if plan.modules_without_steps else []),
        f"<p><strong>{e(tr('Finish: {date}', date=long_date(plan.finish)))}</strong></p>",
        f"<p>{e(tr('Critical path: {steps}', steps=' → '.join(critical_names(plan)) or '—'))}</p>",
        f'<h3 id="steps">{e(tr("Steps"))}</h3>',
    ]
    rows = []
    for s in plan.steps:
        critical = f'<span class="critical">{CRITICAL_MARK} {e(tr("yes"))}</span>'
        rows.append(
            [
                e(plan.labels.module(s.module)),
                e(s.name),
                _person(s.assignee),
                e(plan.labels.post(s.post)),
                e(short_date(s.start)),
                e(short_date(s.end)),
                str(s.effort),
                critical if s.critical else "",
                e(step_amount(plan, s)),
            ]
        )
    heads = [tr("Module"), tr("Step"), tr("Person"), tr("Post"), tr("Starts"), tr("Ends")]
    heads += [tr("Working days"), tr("Critical path"), tr("Cost")]
    out.append(_table(heads, rows, frozenset({6, 8}), frozenset({4, 5})))
    if plan.preparations:
        out.append(f'<h3 id="preparations">{e(tr("Preparations"))}</h3>')
        rows = [
            [
                _person(p.assignee),
                e(p.description),
                e(short_date(p.start)),
                e(short_date(p.end)),
                e(preparation_amount(plan, p)),
            ]
            for p in plan.preparations
        ]
        heads = [tr("Person"), tr("Preparation"), tr("Starts"), tr("Ends"), tr("Cost")]
        out.append(_table(heads, rows, frozenset({4}), frozenset({2, 3})))
    out.append("</section>")
    return out


def _operating(plan: ProjectPlan) -> list[str]:
    """Each post: who holds it, what they are assessed on, their training and when, the pay."""
    rows = []
    for post in plan.follow_up:
        ids = {person.id for person in post.people}
        trained = [
            f"{p.description}: {p.assignee.name}, {short_date(p.start)} – {short_date(p.end)}"
            for p in plan.preparations
            if p.kind is PreparationKind.TRAINING and p.assignee.id in ids
        ]
        salary = (
            f"{amount(plan, post.salary[0])} – {amount(plan, post.salary[1])}"
            if post.salary
            else "—"
        )
        rows.append(
            [
                e(plan.labels.post(post.post)),
                ", ".join(_person(p) for p in post.people) or "—",
                _list(post.kpis),
                _list([*(t for t in post.training if not _dated(t, trained)), *trained]),
                e(salary),
            ]
        )
    heads = [tr("Post"), tr("Held by"), tr("KPIs"), tr("Training"), tr("Monthly salary")]
    return [
        f'<section id="operating"><h2>{e(tr("The operating system: posts, KPIs, training"))}</h2>',
        _table(heads, rows, frozenset()),
        "</section>",
    ]


def _dated(training: str, dated: Sequence[str]) -> bool:
    """Whether a post's training item is already among the plan's dated trainings."""
    return any(line.startswith(training) for line in dated)


def _list(items: Sequence[str]) -> str:
    if not items:
        return "—"
    return '<ul class="plain">' + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>"


def _costs(plan: ProjectPlan) -> list[str]:
    costs = plan.costs
    out = [f'<section id="costs"><h2>{e(tr("Costs"))}</h2>']
    for heading, lines in (
        (tr("By stage"), costs.by_stage),
        (tr("By module"), costs.by_module),
        (tr("By month"), costs.by_month),
    ):
        out.append(f"<h3>{e(heading)}</h3>")
        out.append(_cost_table(plan, [*lines, costs.total]))
    if costs.basis:
        out.append(f'<p class="muted">{e(basis_words(plan))}</p>')
    if costs.unpriced:
        out.append(f'<p class="warn">{e(not_priced_words(costs.unpriced))}</p>')
    out.append("</section>")
    return out


def _cost_table(plan: ProjectPlan, lines: Sequence[CostLine]) -> str:
    heads = ["", tr("Labour"), tr("Hiring"), tr("Training"), tr("Other spend"), tr("Total")]
    rows = [
        [
            e(line.label),
            *(e(amount(plan, v)) for v in (line.labour, line.hiring, line.training, line.spend)),
            e(amount(plan, line.total)),
        ]
        for line in lines
    ]
    table = _table(heads, rows, frozenset({1, 2, 3, 4, 5}))
    # The last row is the plan's total: set it apart.
    head, sep, last = table.rpartition("<tr>")
    return head + '<tr class="total">' + last if sep else table


def _what_if(plan: ProjectPlan) -> list[str]:
    effect = plan.what_if
    if effect is None:
        return []
    facts = [
        tr("Finish: {change}", change=change(effect.finish_before, effect.finish_after)),
        tr("Pay a month: {amount}", amount=signed(plan, effect.monthly_cost)),
        tr("One-off: {amount}", amount=signed(plan, effect.one_off_cost)),
        tr(
            "Total cost: {before} → {after}",
            before=amount(plan, effect.total_before),
            after=amount(plan, effect.total_after),
        ),
    ]
    if effect.unpriced:
        facts.append(not_priced_words(effect.unpriced))
    out = [
        f'<section id="what-if"><h2>{e(tr("What if: {change}", change=effect.change))}</h2>',
        _list(facts),
    ]
    if effect.moved:
        names = {s.id: s.name for s in plan.steps}
        rows = [
            [
                e(names.get(m.step, m.step)),
                f"{_person(m.before)}, {e(short_date(m.before_start))} – {e(short_date(m.before_end))}",
                f"{_person(m.after)}, {e(short_date(m.after_start))} – {e(short_date(m.after_end))}",
            ]
            for m in effect.moved
        ]
        out.append(_table([tr("Step"), tr("Before"), tr("After")], rows, frozenset()))
    out.append("</section>")
    return out
