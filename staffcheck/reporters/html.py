"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no network).

Sections follow the terminal report: verdict summary, the strategy's posts, a posts × members
heatmap of fit scores, uncovered posts, per-person findings (each explanation folds open with
<details>), and what to do first. Colour is never the only signal: every cell and tag has words
or numbers. All text from profiles is escaped.
"""

from __future__ import annotations

from html import escape

from staffcheck.escaping import inert
from staffcheck.model import CandidateResult, Confidence, Finding, Gap, Report, Verdict
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.phrases import UNSURE_LEGEND, first_steps, top_reason, waiver_text

CSS = """
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --bad: #b3261e; --warn: #8a5a00;
        --ok: #1e6b34; --bg: #ffffff; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: var(--bg); max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
     border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
.lead { font-size: 1.1rem; } .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .5rem;
        border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.tag { display: inline-block; font-weight: 600; font-size: .8rem; padding: 0 .4rem; border-radius: .25rem;
       border: 1px solid currentColor; white-space: nowrap; }
.critical, .high, .mismatch { color: var(--bad); } .medium, .partial { color: var(--warn); }
.fit, .low { color: var(--ok); } .info { color: var(--muted); }
details { margin: .3rem 0 .6rem; } summary { cursor: pointer; }
ol.because { margin: .2rem 0 .4rem 1.2rem; color: var(--muted); font-size: .92rem; }
ul.explains { margin: 0 0 .6rem 1.5rem; padding: 0; list-style: none; }
svg text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } details { break-inside: avoid; }
  details:not([open]) > *:not(summary) { display: block; } summary { list-style: none; }
  h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
"""


def e(text: str) -> str:
    """Untrusted text as inert HTML."""
    return escape(inert(text), quote=True)


def _tag(label: str, css: str) -> str:
    return f'<span class="tag {css}">{e(label)}</span>'


def _heat_colour(fit: int) -> str:
    # From pale red (0) through pale yellow (50) to green (100); light enough for black text.
    if fit >= 70:
        return "#cdebd3"
    if fit >= 40:
        return "#fbe8b5"
    return "#f6c9c5"


def heatmap_svg(report: Report) -> str:
    """Posts (rows) × members (columns), each cell the member's fit on the post, as inline SVG."""
    team = report.team
    if team is None or not team.coverage or not report.posts:
        return '<p class="muted">No heatmap: no posts to compare.</p>'
    names = {c.id: c.name for c in report.candidates}
    held = {(c.id, c.role) for c in report.candidates}
    cell_w, cell_h, left, top = 64, 26, 190, 110
    roles = [p.role for p in report.posts]
    width = left + cell_w * len(team.coverage) + 10
    height = top + cell_h * len(roles) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="heatmap-title">'
        '<title id="heatmap-title">Fit of each member on each post the strategy needs</title>'
    ]
    for col, (cid, _) in enumerate(team.coverage):
        x = left + col * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x}" y="{top - 8}" transform="rotate(-40 {x} {top - 8})">'
            f"{e(names.get(cid, cid))[:24]}</text>"
        )
    for row, role in enumerate(roles):
        y = top + row * cell_h
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{e(role)}</text>')
        for col, (cid, fits) in enumerate(team.coverage):
            fit = next((f.fit for f in fits if f.role == role), 0)
            x = left + col * cell_w
            stroke = ' stroke="#1d1d1f" stroke-width="2.5"' if (cid, role) in held else ""
            label = f"{fit}{'*' if (cid, role) in held else ''}"
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{_heat_colour(fit)}"{stroke}><title>{e(names.get(cid, cid))} on {e(role)}: '
                f"fit {fit}</title></rect>"
                f'<text x="{x + cell_w / 2}" y="{y + 17}" text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _fit_bar(fit: int) -> str:
    return (
        '<svg width="104" height="12" role="img" aria-label="fit {0}">'
        '<rect x="0" y="1" width="104" height="10" fill="#eeeef2"/>'
        '<rect x="2" y="3" width="{0}" height="6" fill="{1}"/></svg>'
    ).format(fit, "#1e6b34" if fit >= 70 else "#8a5a00" if fit >= 40 else "#b3261e")


def _details(item: Finding | Gap) -> str:
    """A finding whose explanation folds open on click."""
    steps = "".join(f"<li>{e(step)}</li>" for step in item.because)
    waiver = ""
    if item.waiver is not None:
        label = "WAIVER EXPIRED" if item.waiver.expired else "WAIVED"
        waiver = f" {_tag(label, 'info')} {e(waiver_text(item.waiver))}"
    return (
        f"<details><summary>{_tag(item.severity.value.upper(), item.severity.value)} "
        f'{e(item.message)} <span class="muted">({e(item.rule)})</span>{waiver}</summary>'
        f'<ol class="because">{steps}</ol></details>'
    )


def _unsure(c: CandidateResult) -> str:
    """A mark on a verdict open questions could change, with its meaning on hover."""
    if c.confidence is not Confidence.LOW:
        return ""
    return ' <abbr title="open questions could change this verdict">?</abbr>'


def _person(c: CandidateResult) -> str:
    out = [
        f'<h3 id="person-{e(c.id)}">{e(c.name)} <span class="muted">({e(c.id)}) on post '
        f"{e(c.role)}</span> {_tag(c.verdict.value, c.verdict.value)} "
        f'<span class="muted">fit {c.fit} · confidence {e(c.confidence.value)}</span></h3>'
    ]
    if not c.findings:
        out.append("<p>No findings: meets every essential skill of the post.</p>")
    for f in c.findings:
        out.append(_details(f))
        if f.explains:
            inner = "".join(f"<li>{_details(x)}</li>" for x in f.explains)
            out.append(f'<ul class="explains" aria-label="explains">{inner}</ul>')
    if c.questions:
        asked = "".join(
            f"<li><strong>{e(q.skill)}</strong> (needs {q.need}): {e(q.text)}</li>"
            for q in c.questions
        )
        out.append('<p class="questions">Ask to settle the verdict, most decisive first:</p>')
        out.append(f"<ol>{asked}</ol>")
    return "\n".join(out)


def render(report: Report, options: RenderOptions) -> str:
    """The report as one self-contained HTML page."""
    worst = report.worst_severity()
    blocked = worst is not None and worst.blocks
    title = f"Team fit: {report.team.name}" if report.team else "Screening report"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    if report.strategy is not None:
        out.append(
            f'<p class="muted">Strategy: {e(report.strategy.name)} ({e(report.strategy.id)})</p>'
        )
    out += _summary(report, blocked)
    if report.posts:
        out.append('<section id="strategy"><h2>The strategy and its posts</h2><table><thead><tr>')
        out.append(
            "<th>Post</th><th>Importance</th><th>Modules it carries</th></tr></thead><tbody>"
        )
        for post in report.posts:
            out.append(
                f"<tr><td>{e(post.role)}</td><td>{e(post.importance.value)}</td>"
                f"<td>{e(', '.join(post.modules))}</td></tr>"
            )
        out.append("</tbody></table></section>")
    if report.team is not None:
        out.append(
            '<section id="heatmap"><h2>Coverage: fit of each member on each post</h2>'
            '<p class="muted">Numbers are fit scores (0–100); * and a dark border mark the post '
            "the member holds.</p>" + heatmap_svg(report) + "</section>"
        )
        out.append('<section id="gaps"><h2>Uncovered posts</h2>')
        if not report.team.gaps:
            out.append("<p>None: every post the strategy needs is covered.</p>")
        out += [_details(g) for g in report.team.gaps]
        out.append("</section>")
        if report.team.findings:
            out.append('<section id="team-findings"><h2>The team as a whole</h2>')
            out += [_details(f) for f in report.team.findings]
            out.append("</section>")
    out.append('<section id="findings"><h2>Findings, person by person</h2>')
    out += [_person(c) for c in report.candidates]
    out.append("</section>")
    todo, more = first_steps(report)
    if todo:
        out.append('<section id="recommendations"><h2>What to do first</h2><ol>')
        out += [f"<li>{e(line)}</li>" for line in todo]
        out.append("</ol>" + ("" if more is None else f"<p>{e(more)}</p>") + "</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _summary(report: Report, blocked: bool) -> list[str]:
    """The verdict section: the answer in a sentence, then a row per person (ranked or not)."""
    mismatches = sum(c.verdict is Verdict.MISMATCH for c in report.candidates)
    out: list[str] = []
    answer = (
        ("This team cannot run the strategy as staffed" if report.team else "Mismatches found")
        if blocked
        else ("This team can run the strategy as staffed" if report.team else "No mismatches")
    )
    gaps = len(report.team.gaps) if report.team else 0
    out.append(
        f'<section id="summary"><h2>Verdict</h2><p class="lead">'
        f"{_tag('NO' if blocked else 'YES', 'mismatch' if blocked else 'fit')} {e(answer)}: "
        f"{mismatches} mismatch{'es' if mismatches != 1 else ''}"
        + (f", {gaps} uncovered post{'s' if gaps != 1 else ''}" if report.team else "")
        + "</p>"
    )
    if report.ranked and report.candidates:
        out.append(f"<h3>Ranking for the {e(report.candidates[0].role)} post</h3>")
    rank_head = '<th class="num">#</th>' if report.ranked else ""
    reason_head = "<th>Top reason</th>" if report.ranked else ""
    out.append(
        f'<table><thead><tr>{rank_head}<th>Person</th><th>Post</th><th class="num">Fit</th>'
        f"<th></th><th>Verdict</th>{reason_head}<th>Better post</th></tr></thead><tbody>"
    )
    for rank, c in enumerate(report.candidates, 1):
        better = ", ".join(f"{e(r.role)} ({r.fit})" for r in c.better_roles) or "—"
        rank_cell = f'<td class="num">{rank}</td>' if report.ranked else ""
        reason_cell = f"<td>{e(top_reason(c))}</td>" if report.ranked else ""
        out.append(
            f'<tr>{rank_cell}<td><a href="#person-{e(c.id)}">{e(c.name)}</a> '
            f'<span class="muted">({e(c.id)})</span></td><td>{e(c.role)}</td>'
            f'<td class="num">{c.fit}</td><td>{_fit_bar(c.fit)}</td>'
            f"<td>{_tag(c.verdict.value, c.verdict.value)}{_unsure(c)}</td>{reason_cell}"
            f"<td>{better}</td></tr>"
        )
    out.append("</tbody></table>")
    if any(c.confidence is Confidence.LOW for c in report.candidates):
        out.append(f'<p class="muted">{e(UNSURE_LEGEND)}</p>')
    out.append("</section>")
    return out
