"""The Markdown report: the terminal report's sections, with untrusted text escaped."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from staffcheck.escaping import escape_markdown as md
from staffcheck.i18n import tr
from staffcheck.model import CandidateResult, Confidence, Finding, Gap, Labels, Report
from staffcheck.reporters import RenderOptions
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
    top_reason,
    unsure_legend,
    waiver_label,
    waiver_text,
)
from staffcheck.reporters.streams import joined
from staffcheck.words import confidence_word, importance_word, verdict_word

__all__ = ["md", "render"]


def _verdict(c: CandidateResult) -> str:
    return f"**{md(verdict_word(c.verdict))}**" + (r"\?" if c.confidence is Confidence.LOW else "")


def _item(item: Finding | Gap) -> str:
    line = f"- **{md(severity_tag(item.severity))}** {md(item.message)} (`{item.rule}`)"
    if item.waiver is not None:
        line += f" — *{md(waiver_label(item.waiver))}:* {md(waiver_text(item.waiver))}"
    return line


def _because(item: Finding | Gap) -> list[str]:
    return [f"  - {md(tr('because {step}', step=step))}" for step in item.because]


def render(report: Report, options: RenderOptions) -> str:
    """The report as Markdown: a heading, tables and lists, every untrusted text escaped."""
    return "".join(render_parts(report, options))


def render_parts(report: Report, options: RenderOptions) -> Iterator[str]:
    """`render`'s text in parts, made as they are written: a drive's ranking is read as it goes."""
    return joined(_lines(report, PersonNames(report)))


def _lines(report: Report, names: PersonNames) -> Iterator[str]:
    if report.team is not None:
        yield "# " + md(tr("Team fit: {name}", name=report.team.name))
    else:
        yield "# " + md(tr("Screening report"))
    yield ""
    if report.strategy is not None:
        strategy = tr("Strategy: {name}", name=report.strategy.name)
        yield f"{md(strategy)} (`{report.strategy.id}`)"
    else:
        yield md(tr("No strategy: posts are judged on their own requirements."))
    yield from ["", f"**{md(report_headline(report))}**", ""]
    cut = shown_of(report) if report.team is None else None
    if cut is not None:
        yield from [md(cut), ""]
    yield from _drive(report, names) if report.team is None else _verdicts(report, names)
    if any(c.confidence is Confidence.LOW for c in report.candidates):
        yield from [f"*{md(unsure_legend())}*", ""]
    yield from _rejects(report)
    if report.team is not None:
        yield from _team(report, names)
    yield from ["## " + md(tr("Findings")), ""]
    for c in report.candidates:
        yield from _person(c, names, report.labels)
    todo, more = first_steps(report)
    if todo:
        yield from ["## " + md(tr("What to do first")), ""]
        yield from [f"{index}. {md(line)}" for index, line in enumerate(todo, 1)]
        yield ""
        if more is not None:
            yield from [md(more), ""]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _verdicts(report: Report, names: PersonNames) -> list[str]:
    """A team's members, each on the post they hold."""
    out = ["## " + md(tr("Verdicts")), ""]
    out.append(
        _row(
            [md(h) for h in (tr("Person"), tr("Post"), tr("Fit"), tr("Verdict"), tr("Better post"))]
        )
    )
    out.append("|---|---|--:|---|---|")
    for c in report.candidates:
        out.append(
            _row(
                [
                    md(names.label(c.id)),
                    md(report.labels.post(c.role)),
                    str(c.fit),
                    _verdict(c),
                    md(better_posts(c, report.labels)),
                ]
            )
        )
    out.append("")
    return out


def _drive(report: Report, names: PersonNames) -> Iterator[str]:
    """A drive: the shortlist (fit or partial, best first), the rest, the open applications."""
    view = drive_view(report)
    yield from ["## " + md(shortlist_title(report)), ""]
    if view.shortlist:
        yield from _drive_table(report, view.shortlist, names)
    else:
        yield from [md(tr("Nobody fits yet.")), ""]
    if view.rest:
        yield from ["## " + md(rest_title(report, view.rest)), ""]
        yield from _drive_table(report, view.rest, names)
    if view.open_applications:
        yield from ["## " + md(tr("Open applications: every post, best first")), ""]
        for c in view.open_applications:
            yield from _open_application(c, names, report.labels)


def _drive_table(report: Report, rows: Sequence[Ranked], names: PersonNames) -> Iterator[str]:
    if report.ranked:
        heads = (tr("Person"), tr("Fit"), tr("Verdict"), tr("Top reason"), tr("Better post"))
        align = "|--:|---|--:|---|---|---|"
    else:
        heads = (tr("Person"), tr("Post"), tr("Fit"), tr("Verdict"), tr("Better post"))
        align = "|--:|---|---|--:|---|---|"
    yield from [_row(["#", *(md(h) for h in heads)]), align]
    for row in rows:
        c = row.candidate
        cells = [str(row.rank), md(names.person(c))]
        if not report.ranked:
            cells.append(md(post_cell(c, report.labels)))
        cells += [str(c.fit), _verdict(c)]
        if report.ranked:
            cells.append(md(top_reason(c, report.labels)))
        cells.append(md(better_posts(c, report.labels)))
        yield _row(cells)
    yield ""


def _open_application(c: CandidateResult, names: PersonNames, labels: Labels) -> list[str]:
    """An open applicant: their best post, then the strategy's other posts with the reason."""
    out = [f"- **{md(names.person(c))}**: {md(best_post(c, labels))}"]
    out += [f"  {n}. {md(other_post(r, labels))}" for n, r in enumerate(c.better_roles, 2)]
    out.append("")
    return out


def _team(report: Report, names: PersonNames) -> list[str]:
    """The strategy's posts and coverage, the uncovered posts, the team's own findings."""
    assert report.team is not None
    out = _posts_and_coverage(report, names) if report.posts else []
    out += ["## " + md(tr("Uncovered posts")), ""]
    if not report.team.gaps:
        out.append(md(tr("None: every post the strategy needs is covered.")))
    for gap in report.team.gaps:
        out.append(_item(gap))
        out += _because(gap)
    out.append("")
    if report.team.findings:
        out += ["## " + md(tr("The team as a whole")), ""]
        for f in report.team.findings:
            out.append(_item(f))
            out += _because(f)
        out.append("")
    return out


def _person(c: CandidateResult, names: PersonNames, labels: Labels) -> list[str]:
    """One person's findings (with those each explains), then the questions to ask."""
    heading = tr(
        "{name}, {post}: {verdict}, fit score {fit}, confidence {confidence}",
        name=names.person(c),
        post=labels.post(c.role),
        verdict=verdict_word(c.verdict),
        fit=c.fit,
        confidence=confidence_word(c.confidence),
    )
    out = [f"### {md(heading)}", ""]
    if not c.findings:
        out.append(md(no_findings()))
    for f in c.findings:
        out.append(_item(f))
        out += _because(f)
        if f.explains:
            out.append("  - " + md(tr("explains:")))
            out += ["    " + _item(inner) for inner in f.explains]
    if c.questions:
        out += ["", md(tr("Ask to settle the verdict, most decisive first:")), ""]
        out += [
            f"{n}. {md(question_line(q.skill, q.need, q.text, labels))}"
            for n, q in enumerate(c.questions, 1)
        ]
    out.append("")
    return out


def _posts_and_coverage(report: Report, names: PersonNames) -> list[str]:
    """The strategy's posts, then the posts × members table of fit scores."""
    assert report.team is not None
    labels = report.labels
    out = ["## " + md(tr("The strategy and its posts")), ""]
    out.append(_row([md(h) for h in (tr("Post"), tr("Importance"), tr("Modules it carries"))]))
    out.append("|---|---|---|")
    out += [
        _row(
            [
                md(labels.post(p.role)),
                md(importance_word(p.importance)),
                md(modules_of(p.modules, labels)),
            ]
        )
        for p in report.posts
    ]
    out += ["", "## " + md(tr("Coverage: fit of each member on each post")), ""]
    out.append(md(tr("Fit scores 0–100; * marks the post the member holds.")))
    out.append("")
    held = {(c.id, c.role) for c in report.candidates}
    ids = [cid for cid, _ in report.team.coverage]
    out.append(_row([md(tr("Post")), *(md(names.label(cid)) for cid in ids)]))
    out.append("|---|" + "--:|" * len(ids))
    for post in report.posts:
        cells = [md(labels.post(post.role))]
        for cid, fits in report.team.coverage:
            fit = next((f.fit for f in fits if f.role == post.role), 0)
            cells.append(f"{fit}{chr(92) + '*' if (cid, post.role) in held else ''}")
        out.append(_row(cells))
    out.append("")
    return out


def _rejects(report: Report) -> list[str]:
    """The records that could not be screened: where each is, and why."""
    if not report.rejects:
        return []
    shown, more = rejects_listed(report)
    out = ["## " + md(tr("Rejected records ({n})", n=len(report.rejects))), ""]
    out += [_row([md(tr("Location")), md(tr("Reason"))]), "|---|---|"]
    out += [_row([md(str(r.location)), md(r.reason)]) for r in shown]
    out.append("")
    return out + ([md(more), ""] if more is not None else [])
