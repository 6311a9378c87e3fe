"""The Markdown report: the terminal report's sections, with untrusted text escaped."""

from __future__ import annotations

from staffcheck.escaping import escape_markdown as md
from staffcheck.model import CandidateResult, Confidence, Finding, Gap, Report
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.phrases import UNSURE_LEGEND, first_steps, top_reason, waiver_text

__all__ = ["md", "render"]


def _verdict(c: CandidateResult) -> str:
    return f"**{c.verdict.value}**" + (r"\?" if c.confidence is Confidence.LOW else "")


def _item(item: Finding | Gap) -> str:
    line = f"- **{item.severity.value.upper()}** {md(item.message)} (`{item.rule}`)"
    if item.waiver is not None:
        label = "WAIVER EXPIRED" if item.waiver.expired else "WAIVED"
        line += f" — *{label}:* {md(waiver_text(item.waiver))}"
    return line


def render(report: Report, options: RenderOptions) -> str:
    """The report as Markdown: a heading, tables and lists, every untrusted text escaped."""
    out: list[str] = []
    if report.team is not None:
        out.append(f"# Team fit: {md(report.team.name)}")
    else:
        out.append("# Screening report")
    out.append("")
    if report.strategy is not None:
        out.append(f"Strategy: **{md(report.strategy.name)}** (`{report.strategy.id}`)")
    else:
        out.append("No strategy: posts are judged on their own requirements.")
    out.append("")
    if report.ranked:
        ranked_post = report.candidates[0].role if report.candidates else "?"
        out += [
            f"## Ranking for the {md(ranked_post)} post",
            "",
            "| # | Person | Fit | Verdict | Top reason | Better post |",
            "|--:|---|--:|---|---|---|",
        ]
    else:
        out += ["## Verdicts", "", "| Person | Post | Fit | Verdict | Better post |"]
        out.append("|---|---|--:|---|---|")
    for rank, c in enumerate(report.candidates, 1):
        better = ", ".join(f"{md(r.role)} ({r.fit})" for r in c.better_roles) or "—"
        person = f"{md(c.name)} ({md(c.id)})"
        if report.ranked:
            out.append(
                f"| {rank} | {person} | {c.fit} | {_verdict(c)} | {md(top_reason(c))} | {better} |"
            )
        else:
            out.append(f"| {person} | {md(c.role)} | {c.fit} | {_verdict(c)} | {better} |")
    out.append("")
    if any(c.confidence is Confidence.LOW for c in report.candidates):
        out += [f"*{md(UNSURE_LEGEND)}*", ""]
    if report.team is not None and report.posts:
        out += _posts_and_coverage(report)
    if report.team is not None:
        out += ["## Uncovered posts", ""]
        if not report.team.gaps:
            out.append("None: every post the strategy needs is covered.")
        for gap in report.team.gaps:
            out.append(_item(gap))
            out += [f"  - because {md(step)}" for step in gap.because]
        out.append("")
    if report.team is not None and report.team.findings:
        out += ["## The team as a whole", ""]
        for f in report.team.findings:
            out.append(_item(f))
            out += [f"  - because {md(step)}" for step in f.because]
        out.append("")
    out += ["## Findings", ""]
    for c in report.candidates:
        out += _person(c)
    todo, more = first_steps(report)
    if todo:
        out += ["## What to do first", ""]
        out += [f"{index}. {md(line)}" for index, line in enumerate(todo, 1)]
        out.append("")
        if more is not None:
            out += [md(more), ""]
    return "\n".join(out)


def _person(c: CandidateResult) -> list[str]:
    """One person's findings (with those each explains), then the questions to ask."""
    out = [
        f"### {md(c.name)} ({md(c.id)}), {md(c.role)}: **{c.verdict.value}**, "
        f"fit score {c.fit}, confidence {c.confidence.value}",
        "",
    ]
    if not c.findings:
        out.append("No findings: meets every essential skill of the post.")
    for f in c.findings:
        out.append(_item(f))
        out += [f"  - because {md(step)}" for step in f.because]
        if f.explains:
            out.append("  - explains:")
            out += ["    " + _item(inner) for inner in f.explains]
    if c.questions:
        out += ["", "Ask to settle the verdict, most decisive first:", ""]
        out += [
            f"{n}. **{md(q.skill)}** (needs {q.need}): {md(q.text)}"
            for n, q in enumerate(c.questions, 1)
        ]
    out.append("")
    return out


def _posts_and_coverage(report: Report) -> list[str]:
    """The strategy's posts, then the posts × members table of fit scores."""
    assert report.team is not None
    out: list[str] = []
    out += ["## The strategy and its posts", "", "| Post | Importance | Modules it carries |"]
    out.append("|---|---|---|")
    out += [
        f"| {md(p.role)} | {p.importance.value} | {md(', '.join(p.modules))} |"
        for p in report.posts
    ]
    out += ["", "## Coverage: fit of each member on each post", ""]
    out.append("Fit scores 0–100; \\* marks the post the member holds.")
    out.append("")
    held = {(c.id, c.role) for c in report.candidates}
    ids = [cid for cid, _ in report.team.coverage]
    out.append("| Post | " + " | ".join(md(cid) for cid in ids) + " |")
    out.append("|---|" + "--:|" * len(ids))
    for post in report.posts:
        cells = []
        for cid, fits in report.team.coverage:
            fit = next((f.fit for f in fits if f.role == post.role), 0)
            cells.append(f"{fit}{chr(92) + '*' if (cid, post.role) in held else ''}")
        out.append(f"| {md(post.role)} | " + " | ".join(cells) + " |")
    out.append("")
    return out
