"""A why (not) answer (``staffcheck explain --why-not``) in the terminal, as Markdown and as JSON."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import escape_markdown, inert
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import SEVERITY_STYLE, TextConsole, plain
from staffcheck.reporters.explanation import SCHEMA
from staffcheck.reporters.json_report import dumps
from staffcheck.why_not import SkillCheck, WhyNot


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
    console.print(
        plain(
            f"Why (not): {answer.person_name} ({answer.person_id}) on the {answer.role} post "
            f"({answer.role_name})",
            "bold",
        )
    )
    for line in _why_not_context(answer):
        console.print(plain(line))
    style = "bold green" if answer.covers else "bold red"
    console.print(plain(f"Verdict: {answer.verdict_line}", style))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column("Essential skill", overflow="fold")
    table.add_column("Needs", justify="right", no_wrap=True)
    table.add_column("Has", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for check in answer.essential:
        table.add_row(
            plain(check.skill),
            Text(str(check.need)),
            Text(check.shown),
            _met(check),
        )
    console.print(table)
    console.print(plain(_optional_line(answer)))
    console.print()
    if not answer.findings:
        console.print(plain("No rule would fire with them on this post."))
    else:
        console.print(plain("Rules that would fire if they held it", "bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        seen: set[str] = set()
        for f in answer.findings:
            body = Text()
            body.append(f"{inert(f.rule)}: {inert(f.message)}")
            rationale = answer.rationales.get(f.rule)
            if rationale:
                why = "see above" if f.rule in seen else inert(rationale)
                body.append(f"\nwhy: {why}", style="dim")
                seen.add(f.rule)
            grid.add_row(
                Text(f"[{f.severity.value.upper()}]", style=SEVERITY_STYLE[f.severity]), body
            )
        console.print(grid)
    return console.text()


def _why_not_context(answer: WhyNot) -> list[str]:
    context = []
    if answer.strategy is not None:
        context.append(f"strategy {answer.strategy.id} ({answer.strategy.name})")
    else:
        context.append("no strategy")
    if answer.holds is not None:
        context.append(
            f"holds {answer.holds}" if answer.holds != answer.role else "holds this post"
        )
    context.append(f"fit {answer.fit} · {answer.verdict} · confidence {answer.confidence}")
    return [" · ".join(context)]


def _optional_line(answer: WhyNot) -> str:
    if not answer.optional:
        return "Optional skills of the post they have: none"
    shown = ", ".join(f"{skill} {have}" for skill, have in answer.optional)
    return f"Optional skills of the post they have: {shown}"


def render_markdown(answer: WhyNot, options: RenderOptions) -> str:
    """A --why-not answer as Markdown."""
    md = escape_markdown
    out = [
        f"# Why (not): {md(answer.person_name)} ({md(answer.person_id)}) on `{answer.role}`",
        "",
        md(_why_not_context(answer)[0]),
        "",
        f"**Verdict:** {md(answer.verdict_line)}",
        "",
        "| Essential skill | Needs | Has | |",
        "|---|--:|--:|---|",
    ]
    for check in answer.essential:
        met = "met" if check.met else "ask" if check.have is None else "**not met**"
        out.append(f"| `{check.skill}` | {check.need} | {check.shown} | {met} |")
    out += ["", md(_optional_line(answer)), ""]
    if not answer.findings:
        out += ["No rule would fire with them on this post.", ""]
    else:
        out += ["## Rules that would fire if they held it", ""]
        seen: set[str] = set()
        for f in answer.findings:
            line = f"- **[{f.severity.value.upper()}]** `{f.rule}`: {md(f.message)}"
            rationale = answer.rationales.get(f.rule)
            if rationale:
                line += f" — *why:* {'see above' if f.rule in seen else md(rationale)}"
                seen.add(f.rule)
            out.append(line)
        out.append("")
    return "\n".join(out)


def _met(check: SkillCheck) -> Text:
    if check.met:
        return Text("met", style="green")
    if check.have is None:
        return Text("ask", style="yellow")  # not shown: a question, not a gap
    return Text("not met", style="bold red")
