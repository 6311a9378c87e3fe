"""A why (not) answer (``staffcheck explain --why-not``) in the terminal, as Markdown and as JSON."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import escape_markdown, inert
from staffcheck.explain import (
    severity_tag,
)
from staffcheck.i18n import tr
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import SEVERITY_STYLE, TextConsole, plain, wrap
from staffcheck.reporters.explanation import SCHEMA, wrapped
from staffcheck.reporters.json_report import dumps
from staffcheck.why_not import SkillCheck, WhyNot
from staffcheck.words import confidence_word, verdict_word


def render_json(answer: WhyNot, options: RenderOptions) -> str:
    """The ``staffcheck.explain/1`` object of a --why-not question."""
    return dumps(why_not_dict(answer))


def why_not_dict(answer: WhyNot) -> dict[str, Any]:
    """The ``staffcheck.explain/1`` object of a --why-not question."""
    s = answer.strategy
    return {
        "schema": SCHEMA,
        "kind": "why-not",
        "strategy": None if s is None else {"id": s.id, "name": s.name},
        "why_not": {
            "person": {"id": answer.person_id, "name": answer.person_name},
            "post": answer.role,
            "holds": answer.holds,
            "fit": answer.fit,
            "verdict": answer.verdict.value,
            "covers": answer.covers,
            "verdict_line": answer.verdict_line,
            "confidence": answer.confidence.value,
            "questions": [
                {"skill": q.skill, "need": q.need, "text": q.text} for q in answer.questions
            ],
            "essential": [
                {
                    "skill": c.skill,
                    "need": c.need,
                    "have": c.have,
                    "basis": c.basis.value if c.have is not None else "unknown",
                    "met": c.met,
                }
                for c in answer.essential
            ],
            "optional": [{"skill": skill, "have": have} for skill, have in answer.optional],
            "findings": [
                {
                    "rule": f.rule,
                    "severity": f.severity.value,
                    "message": f.message,
                    "because": list(f.because),
                    "rationale": answer.rationales.get(f.rule),
                }
                for f in answer.findings
            ],
            "better_roles": [{"role": r.role, "fit": r.fit} for r in answer.better_roles],
        },
    }


def render_table(answer: WhyNot, options: RenderOptions) -> str:
    """A --why-not answer for the terminal."""
    console = TextConsole(options.width, options.color)
    title = tr(
        "Why (not): {person} on the {post} post", person=answer.person, post=answer.role_name
    )
    console.print(plain(title, "bold"))
    for line in _why_not_context(answer):
        console.print(plain("\n".join(wrap(line, options.width))))
    style = "bold green" if answer.covers else "bold red"
    console.print(plain(tr("Verdict: {verdict}", verdict=answer.verdict_line), style))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column(tr("Essential skill"), overflow="fold")
    table.add_column(tr("Needs"), justify="right", no_wrap=True)
    table.add_column(tr("Has"), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for check in answer.essential:
        table.add_row(
            plain(answer.labels.skill(check.skill)),
            Text(str(check.need)),
            Text(check.shown),
            _met(check),
        )
    console.print(table)
    console.print(plain(_optional_line(answer)))
    console.print()
    if not answer.findings:
        console.print(plain(tr("No rule would fire with them on this post.")))
    else:
        console.print(plain(tr("Rules that would fire if they held it"), "bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        seen: set[str] = set()
        # Bodies pre-wrapped (Chinese breaks by kinsoku) in what the severity column leaves.
        room = options.width - max(cell_len(severity_tag(f.severity)) for f in answer.findings) - 1
        for f in answer.findings:
            body = Text()
            body.append(tr("{rule}: {message}", rule=inert(f.rule), message=inert(f.message)))
            rationale = answer.rationales.get(f.rule)
            if rationale:
                why = tr("see above") if f.rule in seen else inert(rationale)
                body.append("\n" + tr("why: {why}", why=why), style="dim")
                seen.add(f.rule)
            tag = Text(severity_tag(f.severity), style=SEVERITY_STYLE[f.severity])
            grid.add_row(tag, wrapped(body, room))
        console.print(grid)
    return console.text()


def _why_not_context(answer: WhyNot) -> list[str]:
    context = []
    if answer.strategy is not None:
        context.append(
            tr("strategy {name} ({id})", name=answer.strategy.name, id=answer.strategy.id)
        )
    else:
        context.append(tr("no strategy"))
    if answer.holds == answer.role:
        context.append(tr("holds this post"))
    elif answer.holds is not None:
        context.append(tr("holds {post}", post=answer.labels.post(answer.holds)))
    context.append(
        tr(
            "fit {fit} · {verdict} · confidence {confidence}",
            fit=answer.fit,
            verdict=verdict_word(answer.verdict),
            confidence=confidence_word(answer.confidence),
        )
    )
    return [" · ".join(context)]


def _optional_line(answer: WhyNot) -> str:
    if not answer.optional:
        return tr("Optional skills of the post they have: none")
    shown = tr(", ").join(f"{answer.labels.skill(skill)} {have}" for skill, have in answer.optional)
    return tr("Optional skills of the post they have: {skills}", skills=shown)


def render_markdown(answer: WhyNot, options: RenderOptions) -> str:
    """A --why-not answer as Markdown."""
    md = escape_markdown
    title = tr(
        "Why (not): {person} on the {post} post",
        person=md(answer.person),
        post=md(answer.role_name),
    )
    out = [
        f"# {title}",
        "",
        md(_why_not_context(answer)[0]),
        "",
        "**" + tr("Verdict:") + "** " + md(answer.verdict_line),
        "",
        f"| {tr('Essential skill')} | {tr('Needs')} | {tr('Has')} | |",
        "|---|--:|--:|---|",
    ]
    for check in answer.essential:
        met = _met(check).plain
        met = f"**{met}**" if check.have is not None and not check.met else met
        skill = md(answer.labels.skill(check.skill))
        out.append(f"| {skill} | {check.need} | {md(check.shown)} | {met} |")
    out += ["", md(_optional_line(answer)), ""]
    if not answer.findings:
        out += [tr("No rule would fire with them on this post."), ""]
    else:
        out += ["## " + tr("Rules that would fire if they held it"), ""]
        seen: set[str] = set()
        for f in answer.findings:
            line = f"- **{severity_tag(f.severity)}** `{f.rule}`: {md(f.message)}"
            rationale = answer.rationales.get(f.rule)
            if rationale:
                why = tr("see above") if f.rule in seen else md(rationale)
                line += " — " + tr("*why:* {why}", why=why)
                seen.add(f.rule)
            out.append(line)
        out.append("")
    return "\n".join(out)


def _met(check: SkillCheck) -> Text:
    if check.met:
        return Text(tr("met"), style="green")
    if check.have is None:
        return Text(tr("ask"), style="yellow")  # not shown: a question, not a gap
    return Text(tr("not met"), style="bold red")
