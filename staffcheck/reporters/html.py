"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no network).

Sections follow the terminal report: the answer (a team's verdict, or a drive's counts, its
shortlist, the rest and the open applications), the strategy's posts, a posts × members
heatmap of fit scores, uncovered posts, per-person findings (each explanation folds open with
<details>), and what to do first. Colour is never the only signal: every cell and tag has words
or numbers. All text from profiles is escaped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from html import escape

from rich.cells import cell_len

from staffcheck.escaping import inert
from staffcheck.i18n import language, tr
from staffcheck.model import CandidateResult, Confidence, Finding, Gap, Labels, Report
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import clip
from staffcheck.reporters.drive import PersonNames, Ranked, drive_view
from staffcheck.reporters.phrases import (
    best_post,
    better_posts,
    first_steps,
    modules_of,
    no_findings,
    other_post,
    post_cell,
    question_line,
    rejects_listed,
    report_headline,
    rest_title,
    severity_tag,
    shortlist_title,
    shown_of,
    team_blocked,
    top_reason,
    unsure_legend,
    waiver_label,
    waiver_text,
)
from staffcheck.reporters.streams import joined
from staffcheck.words import confidence_word, importance_word, verdict_word

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
.person-id { color: var(--muted); font-size: .8em; font-weight: normal; }
details { margin: .3rem 0 0; } summary { cursor: pointer; }
ol.because { margin: .2rem 0 .6rem 1.2rem; color: var(--muted); font-size: .92rem; }
details:not([open]) + ol.because { display: none; }
.wide { overflow-x: auto; } .wide svg { display: block; }
ul.explains { margin: 0 0 .6rem 1.5rem; padding: 0; list-style: none; }
svg text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
footer.report-meta { margin-top: 2.5rem; border-top: 1px solid var(--line); color: var(--muted);
                     font-size: .85rem; }
@media (max-width: 40rem) { body { margin: 1rem auto; padding: 0 .5rem; font-size: 14px; }
  th, td { padding: .3rem .25rem; overflow-wrap: break-word; hyphens: auto; } .bar { display: none; } }
@media print { body { margin: 0; max-width: none; font-size: 11pt; }
  details:not([open]) + ol.because { display: block; } summary { list-style: none; }
  li, tr { break-inside: avoid; } h2, h3 { break-after: avoid; }
  .wide { overflow: visible; } .wide svg { max-width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; } }
"""


_SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")
#: Terminal cells of a post's label and of a member's name the heatmap shows (longer ones end
#: in …; the whole name is in the cell's tooltip and in the tables).
HEATMAP_POST_CELLS = 40
HEATMAP_NAME_CELLS = 24


def person_anchor(ident: str) -> str:
    """The fragment id of a person's section, the same for the link and its target: the id
    itself when it is made of letters, digits, ``-`` and ``_``; else those characters of it
    and a short hash of the whole, so ``a b`` and ``a-b`` stay apart and no id breaks the HTML."""
    if _SAFE_ID.fullmatch(ident):
        return f"person-{ident}"
    readable = "-".join(_SAFE_ID.findall(ident))[:40]
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"person-{readable}-{digest}" if readable else f"person-{digest}"


def e(text: str) -> str:
    """Untrusted text as inert HTML."""
    return escape(inert(text), quote=True)


def _tag(label: str, css: str) -> str:
    return f'<span class="tag {css}">{e(label)}</span>'


def _person_name(names: PersonNames, c: CandidateResult) -> str:
    """The person's name, their id on hover, and beside it when another has the same name."""
    shown = e(c.name)
    if names.person_shared(c):
        shown += f' <span class="person-id">({e(c.id)})</span>'
    return f'<span title="{e(c.id)}">{shown}</span>'


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
        return f'<p class="muted">{e(tr("No heatmap: no posts to compare."))}</p>'
    names = PersonNames(report)
    held = {(c.id, c.role) for c in report.candidates}
    roles = [(p.role, clip(report.labels.post(p.role), HEATMAP_POST_CELLS)) for p in report.posts]
    # About 7 pixels a cell of text at 12px: room for the longest post label.
    cell_w, cell_h, top = 64, 26, 110
    left = 20 + 7 * max(cell_len(label) for _, label in roles)
    width = left + cell_w * len(team.coverage) + 10
    height = top + cell_h * len(roles) + 10
    title = tr("Fit of each member on each post the strategy needs")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="heatmap-title">'
        f'<title id="heatmap-title">{e(title)}</title>'
    ]
    for col, (cid, _) in enumerate(team.coverage):
        x = left + col * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x}" y="{top - 8}" transform="rotate(-40 {x} {top - 8})">'
            f"<title>{e(cid)}</title>{e(clip(names.label(cid), HEATMAP_NAME_CELLS))}</text>"
        )
    for row, (role, label) in enumerate(roles):
        y = top + row * cell_h
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{e(label)}</text>')
        for col, (cid, fits) in enumerate(team.coverage):
            fit = next((f.fit for f in fits if f.role == role), 0)
            tip = tr(
                "{name} on {post}: fit {fit}",
                name=names.label(cid),
                post=report.labels.post(role),
                fit=fit,
            )
            x = left + col * cell_w
            parts.append(_heat_cell(x, y, cell_w, fit, (cid, role) in held, tip))
    parts.append("</svg>")
    return "".join(parts)


def _heat_cell(x: int, y: int, cell_w: int, fit: int, held: bool, tip: str) -> str:
    """One cell: its colour, a dark border where the member holds the post, the number."""
    stroke = ' stroke="#1d1d1f" stroke-width="2.5"' if held else ""
    return (
        f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="24" '
        f'fill="{_heat_colour(fit)}"{stroke}><title>{e(tip)}</title></rect>'
        f'<text x="{x + cell_w / 2}" y="{y + 17}" text-anchor="middle">'
        f"{fit}{'*' if held else ''}</text>"
    )


def _fit_bar(fit: int) -> str:
    colour = "#1e6b34" if fit >= 70 else "#8a5a00" if fit >= 40 else "#b3261e"
    return (
        f'<svg width="104" height="12" role="img" aria-label="{e(tr("fit {fit}", fit=fit))}">'
        '<rect x="0" y="1" width="104" height="10" fill="#eeeef2"/>'
        f'<rect x="2" y="3" width="{fit}" height="6" fill="{colour}"/></svg>'
    )


def _details(item: Finding | Gap) -> str:
    """A finding whose explanation folds open on click. The explanation follows the <details>,
    not inside it, so that print CSS can show it: a closed <details> hides its content from
    every style sheet, and a printed report must say why."""
    steps = "".join(f"<li>{e(step)}</li>" for step in item.because)
    waiver = ""
    if item.waiver is not None:
        waiver = f" {_tag(waiver_label(item.waiver), 'info')} {e(waiver_text(item.waiver))}"
    return (
        f"<details><summary>{_tag(severity_tag(item.severity), item.severity.value)} "
        f'{e(item.message)} <span class="muted">({e(item.rule)})</span>{waiver}</summary>'
        f'</details><ol class="because">{steps}</ol>'
    )


def _unsure(c: CandidateResult) -> str:
    """A mark on a verdict open questions could change, with its meaning on hover."""
    if c.confidence is not Confidence.LOW:
        return ""
    return f' <abbr title="{e(tr("open questions could change this verdict"))}">?</abbr>'


def _verdict_tag(c: CandidateResult) -> str:
    return _tag(verdict_word(c.verdict), c.verdict.value) + _unsure(c)


def _person(c: CandidateResult, names: PersonNames, labels: Labels) -> str:
    on_post = tr("on post {post}", post=labels.post(c.role))
    about = tr(
        "fit {fit} · confidence {confidence}", fit=c.fit, confidence=confidence_word(c.confidence)
    )
    out = [
        f'<h3 id="{person_anchor(c.id)}">{_person_name(names, c)} <span class="muted">'
        f"{e(on_post)}</span> {_tag(verdict_word(c.verdict), c.verdict.value)} "
        f'<span class="muted">{e(about)}</span></h3>'
    ]
    if not c.findings:
        out.append(f"<p>{e(no_findings())}</p>")
    for f in c.findings:
        out.append(_details(f))
        if f.explains:
            inner = "".join(f"<li>{_details(x)}</li>" for x in f.explains)
            out.append(f'<ul class="explains" aria-label="{e(tr("explains"))}">{inner}</ul>')
    if c.questions:
        asked = "".join(
            f"<li>{e(question_line(q.skill, q.need, q.text, labels))}</li>" for q in c.questions
        )
        ask = tr("Ask to settle the verdict, most decisive first:")
        out.append(f'<p class="questions">{e(ask)}</p>')
        out.append(f"<ol>{asked}</ol>")
    return "\n".join(out)


def render(report: Report, options: RenderOptions) -> str:
    """The report as one self-contained HTML page."""
    return "".join(render_parts(report, options))


def render_parts(report: Report, options: RenderOptions) -> Iterator[str]:
    """`render`'s page in parts, made as they are written: a drive's ranking is read as it goes.
    The last part holds the closing ``</body>`` (`meta.footer_parts` adds the footer there)."""
    yield from joined(_lines(report, PersonNames(report)))
    yield "\n"


def _lines(report: Report, names: PersonNames) -> Iterator[str]:
    if report.team is not None:
        title = tr("Team fit: {name}", name=report.team.name)
    else:
        title = tr("Screening report")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language())}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    if report.strategy is not None:
        strategy = tr("Strategy: {name} ({id})", name=report.strategy.name, id=report.strategy.id)
        out.append(f'<p class="muted">{e(strategy)}</p>')
    yield from out
    if report.team is not None:
        yield from _team_summary(report, names)
    else:
        yield from _drive_summary(report, names)
    yield from _rejects(report)
    yield from _team(report, names)
    yield f'<section id="findings"><h2>{e(tr("Findings, person by person"))}</h2>'
    for c in report.candidates:
        yield _person(c, names, report.labels)
    yield "</section>"
    todo, more = first_steps(report)
    if todo:
        yield f'<section id="recommendations"><h2>{e(tr("What to do first"))}</h2><ol>'
        yield from [f"<li>{e(line)}</li>" for line in todo]
        yield "</ol>" + ("" if more is None else f"<p>{e(more)}</p>") + "</section>"
    yield "</body></html>"


def _team(report: Report, names: PersonNames) -> list[str]:
    """The strategy's posts, and a team's heatmap, uncovered posts and team-wide findings."""
    out: list[str] = []
    if report.posts:
        out.append(
            f'<section id="strategy"><h2>{e(tr("The strategy and its posts"))}</h2>'
            f"<table><thead><tr><th>{e(tr('Post'))}</th><th>{e(tr('Importance'))}</th>"
            f"<th>{e(tr('Modules it carries'))}</th></tr></thead><tbody>"
        )
        for post in report.posts:
            out.append(
                f"<tr><td>{e(report.labels.post(post.role))}</td>"
                f"<td>{e(importance_word(post.importance))}</td>"
                f"<td>{e(modules_of(post.modules, report.labels))}</td></tr>"
            )
        out.append("</tbody></table></section>")
    if report.team is None:
        return out
    note = tr("Numbers are fit scores (0–100); * and a dark border mark the post the member holds.")
    out.append(
        f'<section id="heatmap"><h2>{e(tr("Coverage: fit of each member on each post"))}</h2>'
        f'<p class="muted">{e(note)}</p><div class="wide">{heatmap_svg(report)}</div></section>'
    )
    out.append(f'<section id="gaps"><h2>{e(tr("Uncovered posts"))}</h2>')
    if not report.team.gaps:
        out.append(f"<p>{e(tr('None: every post the strategy needs is covered.'))}</p>")
    out += [_details(g) for g in report.team.gaps]
    out.append("</section>")
    if report.team.findings:
        out.append(f'<section id="team-findings"><h2>{e(tr("The team as a whole"))}</h2>')
        out += [_details(f) for f in report.team.findings]
        out.append("</section>")
    return out


def _team_summary(report: Report, names: PersonNames) -> list[str]:
    """A team's verdict in a sentence (NO when it cannot run its strategy), then its members."""
    blocked = team_blocked(report)
    answer = _tag(tr("NO") if blocked else tr("YES"), "mismatch" if blocked else "fit")
    out = [
        f'<section id="summary"><h2>{e(tr("Verdict"))}</h2>'
        f'<p class="lead">{answer} {e(report_headline(report))}</p>',
        _table_head([tr("Person"), tr("Post"), tr("Fit"), "", tr("Verdict"), tr("Better post")]),
    ]
    for c in report.candidates:
        out.append(
            f"<tr><td>{_person_link(names, c)}</td><td>{e(report.labels.post(c.role))}</td>"
            f'<td class="num">{c.fit}</td><td class="bar">{_fit_bar(c.fit)}</td>'
            f"<td>{_verdict_tag(c)}</td><td>{e(better_posts(c, report.labels))}</td></tr>"
        )
    out.append("</tbody></table>")
    out += _legend(report)
    out.append("</section>")
    return out


def _table_head(heads: list[str]) -> str:
    cells = "".join(_head_cell(h) for h in heads)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>"


def _head_cell(head: str) -> str:
    """A column's heading: numbers right-aligned; the unnamed one is the fit bar's, which a
    narrow screen drops (the number beside it says the same)."""
    if not head:
        return '<th class="bar"></th>'
    if head in ("#", tr("Fit")):
        return f'<th class="num">{e(head)}</th>'
    return f"<th>{e(head)}</th>"


def _person_link(names: PersonNames, c: CandidateResult) -> str:
    return f'<a href="#{person_anchor(c.id)}">{_person_name(names, c)}</a>'


def _legend(report: Report) -> list[str]:
    if any(c.confidence is Confidence.LOW for c in report.candidates):
        return [f'<p class="muted">{e(unsure_legend())}</p>']
    return []


def _drive_summary(report: Report, names: PersonNames) -> Iterator[str]:
    """A drive's counts (no NO: mismatches in a drive are expected), its shortlist, the rest
    and the open applications."""
    view = drive_view(report)
    yield (
        f'<section id="summary"><h2>{e(tr("Screening"))}</h2>'
        f'<p class="lead">{e(report_headline(report))}</p>'
    )
    cut = shown_of(report)
    if cut is not None:
        yield f'<p class="muted">{e(cut)}</p>'
    yield f"<h3>{e(shortlist_title(report))}</h3>"
    if view.shortlist:
        yield from _drive_table(report, view.shortlist, names)
    else:
        yield f"<p>{e(tr('Nobody fits yet.'))}</p>"
    if view.rest:
        yield f"<h3>{e(rest_title(report, view.rest))}</h3>"
        yield from _drive_table(report, view.rest, names)
    yield from _legend(report)
    yield "</section>"
    if view.open_applications:
        yield from _open_applications(view.open_applications, names, report.labels)


def _drive_table(report: Report, rows: Sequence[Ranked], names: PersonNames) -> Iterator[str]:
    """Ranked people, names first; ranked for one post: its reasons, else each one's post."""
    heads = ["#", tr("Person")] + ([] if report.ranked else [tr("Post")]) + [tr("Fit"), ""]
    heads += [tr("Verdict")] + ([tr("Top reason")] if report.ranked else []) + [tr("Better post")]
    yield _table_head(heads)
    for row in rows:
        c = row.candidate
        post = "" if report.ranked else f"<td>{e(post_cell(c, report.labels))}</td>"
        reason = f"<td>{e(top_reason(c, report.labels))}</td>" if report.ranked else ""
        yield (
            f'<tr><td class="num">{row.rank}</td><td>{_person_link(names, c)}</td>{post}'
            f'<td class="num">{c.fit}</td><td class="bar">{_fit_bar(c.fit)}</td>'
            f"<td>{_verdict_tag(c)}</td>{reason}<td>{e(better_posts(c, report.labels))}</td></tr>"
        )
    yield "</tbody></table>"


def _open_applications(
    people: Sequence[CandidateResult], names: PersonNames, labels: Labels
) -> list[str]:
    """Each open applicant's best post, then the strategy's other posts, best first, with why."""
    out = [
        f'<section id="open-applications"><h2>{e(tr("Open applications: every post, best first"))}'
        "</h2><ul>"
    ]
    for c in people:
        others = "".join(f"<li>{e(other_post(r, labels))}</li>" for r in c.better_roles)
        out.append(
            f"<li>{_person_link(names, c)}: {e(best_post(c, labels))}"
            + (f'<ol start="2">{others}</ol>' if others else "")
            + "</li>"
        )
    out.append("</ul></section>")
    return out


def _rejects(report: Report) -> list[str]:
    """The records that could not be screened: where each is, and why."""
    if not report.rejects:
        return []
    shown, more = rejects_listed(report)
    title = tr("Rejected records ({n})", n=len(report.rejects))
    out = [
        f'<section id="rejects"><h2>{e(title)}</h2>',
        _table_head([tr("Location"), tr("Reason")]),
    ]
    out += [f"<tr><td>{e(str(r.location))}</td><td>{e(r.reason)}</td></tr>" for r in shown]
    out.append("</tbody></table>" + ("" if more is None else f'<p class="muted">{e(more)}</p>'))
    return [*out, "</section>"]
