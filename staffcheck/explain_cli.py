"""``staffcheck explain``: how each finding was reached, why (not) a post, and what to do, in three formats."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from staffcheck.diagnose import assess_team, find_strategy, screen
from staffcheck.errors import Problem, StaffcheckError
from staffcheck.escaping import escape_markdown, inert
from staffcheck.explain import (
    CORE_RULES,
    ActionPlan,
    Explanation,
    ExplanationNode,
    NodeKind,
    PlannedAction,
    Tally,
    WhyNot,
    explain,
    find_person,
    plan_actions,
    why_not,
)
from staffcheck.knowledge import load_knowledge, pack_files
from staffcheck.model import KnowledgeBase, Profile, Strategy, Team
from staffcheck.output import check_output_target, write_output
from staffcheck.profiles import read_team
from staffcheck.reporters.terminal import SEVERITY_STYLE
from staffcheck.schema import Cursor
from staffcheck.sources import read_applicants
from staffcheck.yamlio import load_yaml

if TYPE_CHECKING:
    from rich.text import Text

EXPLAIN_FORMATS = ("table", "json", "markdown")
SCHEMA = "staffcheck.explain/1"
DESCRIPTION = (
    "Show how each finding was reached, as a tree: strategy → module → post → requirement → "
    "the person's evidence → rule → finding, each step with the rule that licensed it and that "
    "rule's rationale; and, for a team, how each uncovered post came about. --why-not tells "
    "why one person does or does not cover one post; --actions lists what to do, in order, "
    "each step with its effect measured by re-assessing the team."
)
EXAMPLES = """\
examples:
  staffcheck explain profiles/examples/spring-launch.yaml
  staffcheck explain spring-launch.yaml --person c-1042 --rule essential-skill-missing
  staffcheck explain spring-launch.yaml --why-not --person c-1042 --post seo-specialist
  staffcheck explain spring-launch.yaml --actions
  staffcheck explain candidates/sun-li.yaml --strategy taobao-store --format markdown
  staffcheck explain spring-launch.yaml --format json --output explain.json
"""
NOTHING_TO_DO = "Nothing to do: every post is covered and nobody is mismatched."
KIND_STYLE = {
    NodeKind.STRATEGY: "bold",
    NodeKind.POST: "bold",
    NodeKind.RULE: "bold",
    NodeKind.EXAMPLE: "italic",
    NodeKind.OPTION: "green",
    NodeKind.WAIVER: "dim italic",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``staffcheck explain`` (``--rules`` comes from the common options)."""
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="TEAM_FILE|PROFILE",
        help="one YAML team file, or profiles (YAML, CSV, XLSX, JSON Lines, directories, -)",
    )
    parser.add_argument(
        "--strategy", "-s", metavar="ID",
        help="strategy id (default: the team's; profiles are screened without one)",
    )  # fmt: skip
    parser.add_argument("--person", "-p", metavar="ID", help="explain only this person")
    parser.add_argument("--rule", metavar="RULE_ID", help="explain only the findings of this rule")
    parser.add_argument(
        "--why-not", action="store_true",
        help="why --person does or does not cover --post (any post, not only theirs)",
    )  # fmt: skip
    parser.add_argument(
        "--post", metavar="ROLE",
        help="the post for --why-not; with profiles, the post to screen them for",
    )  # fmt: skip
    parser.add_argument(
        "--actions", action="store_true",
        help="what to do, in order (reassign, train, hire), each with its measured effect",
    )  # fmt: skip
    parser.add_argument(
        "--format",
        type=str.lower,
        choices=EXPLAIN_FORMATS,
        default=argparse.SUPPRESS,
        help="output format (default: table)",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=argparse.SUPPRESS,
        help="write to FILE (atomically) instead of standard output",
    )  # fmt: skip
    parser.add_argument(
        "--no-color", action="store_true", default=argparse.SUPPRESS, help="no colour"
    )


# --- loading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subject:
    """What to explain: a team (with its members' profiles), or profiles on their own."""

    team: Team | None
    profiles: tuple[Profile, ...]
    files: tuple[Path, ...]


def load_subject(inputs: Sequence[str], kb: KnowledgeBase) -> Subject:
    """One team file, or any mix of profile inputs; a bad record stops the run (exit 2)."""
    if len(inputs) == 1 and inputs[0] != "-" and Path(inputs[0]).is_file():
        path = Path(inputs[0])
        if path.suffix.lower() in (".yaml", ".yml"):
            doc = load_yaml(path)
            if isinstance(doc.data, dict) and ("members" in doc.data or "team" in doc.data):
                problems: list[Problem] = []
                team = read_team(Cursor(doc, (), problems), path.parent, kb)
                if problems or team is None:
                    raise StaffcheckError(problems or [Problem("not a team file", str(path))])
                profiles = tuple(m.profile for m in team.members)
                files = (path, *(Path(p.source.path) for p in profiles))
                return Subject(team, profiles, files)
    found: list[Profile] = []
    rejected: list[Problem] = []
    for record in read_applicants(inputs, kb):
        if isinstance(record, Profile):
            found.append(record)
        else:
            rejected.append(Problem(record.reason, record.source, record.row, record.column))
    if rejected:
        raise StaffcheckError(rejected)
    if not found:
        raise StaffcheckError.at("no profiles to explain", hint="name a team file or profiles")
    files = tuple(Path(i) for i in inputs if i != "-" and Path(i).is_file())
    return Subject(None, tuple(found), files)


def _check_options(args: argparse.Namespace) -> None:
    if args.format not in EXPLAIN_FORMATS:
        # --format before the command is shared with `screen`/`team`, which also offer html.
        raise StaffcheckError.at(
            f"explain has no {args.format!r} format",
            hint=f"use one of: {', '.join(EXPLAIN_FORMATS)}",
        )
    if args.why_not and args.actions:
        raise StaffcheckError.at("--why-not and --actions are separate questions", hint="pick one")
    if args.why_not and (args.person is None or args.post is None):
        raise StaffcheckError.at(
            "--why-not needs --person ID and --post ROLE",
            hint="e.g. --why-not --person c-1042 --post seo-specialist",
        )
    if args.actions and (args.person is not None or args.rule is not None):
        raise StaffcheckError.at(
            "--actions plans for the whole team", hint="leave out --person and --rule"
        )


# --- running ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Explain, answer --why-not, or plan --actions; print or write the result."""
    _check_options(args)
    kb = load_knowledge(args.rules)
    if args.output is not None and str(args.output) == "-":
        args.output = None  # the usual spelling of "standard output"
    subject = load_subject(args.inputs, kb)
    inputs = [*subject.files, *pack_files(Path(kb.root))]
    if args.output is not None:
        check_output_target(args.output, inputs)
    to_terminal = args.output is None and sys.stdout.isatty()
    view = _View(
        args.format,
        color=to_terminal and not args.no_color and "NO_COLOR" not in os.environ,
        width=max(60, min(os.get_terminal_size().columns, 120)) if to_terminal else 80,
    )
    text = _why_not(args, kb, subject, view) if args.why_not else _explain(args, kb, subject, view)
    if args.output is not None:
        write_output(args.output, text, inputs)
    else:
        sys.stdout.write(text)
    return 0


@dataclass(frozen=True, slots=True)
class _View:
    format: str
    color: bool = False
    width: int = 80


def _strategy_and_team(
    args: argparse.Namespace, kb: KnowledgeBase, subject: Subject
) -> tuple[Strategy | None, Team | None]:
    """--strategy, else the team's; a team assessed under --strategy when both are given."""
    strategy = find_strategy(kb, args.strategy) if args.strategy is not None else None
    team = subject.team
    if team is not None:
        if strategy is None:
            strategy = find_strategy(kb, team.strategy)
        team = replace(team, strategy=strategy.id)
    return strategy, team


def _why_not(args: argparse.Namespace, kb: KnowledgeBase, subject: Subject, view: _View) -> str:
    strategy, team = _strategy_and_team(args, kb, subject)
    person = find_person(subject.profiles, args.person)
    holds = person.applying_for
    if team is not None:
        holds = next(m.role for m in team.members if m.profile.id == person.id)
    answer = why_not(kb, person, args.post, strategy, holds=holds)
    if view.format == "json":
        return _json(why_not_dict(answer))
    if view.format == "markdown":
        return why_not_markdown(answer)
    return why_not_table(answer, color=view.color, width=view.width)


def _explain(args: argparse.Namespace, kb: KnowledgeBase, subject: Subject, view: _View) -> str:
    strategy, team = _strategy_and_team(args, kb, subject)
    if team is not None:
        if args.post is not None:
            raise StaffcheckError.at(
                "--post needs --why-not with a team file",
                hint="members are explained on the posts they hold",
            )
        report = assess_team(kb, team)
    else:
        if args.actions:
            raise StaffcheckError.at(
                "--actions needs a team file", hint="actions re-assess a whole team"
            )
        report = screen(kb, subject.profiles, strategy, role=args.post)
    explanation = explain(kb, report, subject.profiles, person=args.person, rule=args.rule)
    plan = None
    if team is not None and (args.actions or view.format == "json"):
        plan = plan_actions(kb, team, report)
    if view.format == "json":
        return _json(explanation_dict(explanation, plan))
    if plan is not None and view.format == "markdown":
        return actions_markdown(explanation, plan)
    if plan is not None:
        return actions_table(explanation, plan, color=view.color, width=view.width)
    if view.format == "markdown":
        return explanation_markdown(explanation)
    return explanation_table(explanation, color=view.color, width=view.width)


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- JSON ------------------------------------------------------------------------------------


def node_dict(node: ExplanationNode) -> dict[str, Any]:
    """A tree node as JSON: label, kind, rule, rationale, severity, children."""
    return {
        "label": node.label,
        "kind": node.kind.value,
        "rule": node.rule,
        "rationale": node.rationale,
        "severity": None if node.severity is None else node.severity.value,
        "children": [node_dict(child) for child in node.children],
    }


def _tally_dict(tally: Tally) -> dict[str, Any]:
    return {"uncovered": list(tally.uncovered), "mismatches": list(tally.mismatches)}


def action_dict(action: PlannedAction) -> dict[str, Any]:
    """One step of the plan as JSON."""
    return {
        "action": action.action.value,
        "summary": action.summary,
        "effect": action.effect,
        "covers": list(action.covers),
        "uncovers": list(action.uncovers),
        "uncovered_before": len(action.before.uncovered),
        "uncovered_after": len(action.after.uncovered),
        "mismatches_before": len(action.before.mismatches),
        "mismatches_after": len(action.after.mismatches),
        "moves": [
            {
                "id": m.person_id,
                "name": m.person_name,
                "from": m.from_role,
                "to": m.to_role,
                "fit": m.fit,
                "hire": m.hire,
            }
            for m in action.moves
        ],
        "training": [
            {
                "id": t.person_id,
                "name": t.person_name,
                "skill": t.skill,
                "from": t.have,
                "to": t.need,
            }
            for t in action.training
        ],
        "notes": list(action.notes),
    }


def explanation_dict(explanation: Explanation, plan: ActionPlan | None) -> dict[str, Any]:
    """The ``staffcheck.explain/1`` object: trees per person, per uncovered post, and actions."""
    s = explanation.strategy
    return {
        "schema": SCHEMA,
        "kind": "explanation",
        "strategy": None if s is None else {"id": s.id, "name": s.name},
        "team": explanation.team,
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "fit": p.fit,
                "verdict": p.verdict.value,
                "tree": node_dict(p.tree),
            }
            for p in explanation.people
        ],
        "gaps": [
            {"role": g.role, "severity": g.severity.value, "tree": node_dict(g.tree)}
            for g in explanation.gaps
        ],
        "team_findings": [node_dict(tree) for tree in explanation.team_findings],
        "actions": None
        if plan is None
        else {
            "before": _tally_dict(plan.before),
            "after": _tally_dict(plan.after),
            "effect": plan.effect,
            "steps": [action_dict(a) for a in plan.actions],
        },
        "derivation_rules": {rule: CORE_RULES[rule] for rule in _core_rules(explanation)},
    }


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
            "essential": [
                {"skill": c.skill, "need": c.need, "have": c.have, "met": c.met}
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


def _core_rules(explanation: Explanation) -> list[str]:
    """The engine's derivation rules the trees use, in order of first use."""
    used = (node.rule for node in explanation.nodes() if node.rule in CORE_RULES)
    return [rule for rule in dict.fromkeys(used) if rule is not None]


# --- terminal --------------------------------------------------------------------------------


def _shows_rule(node: ExplanationNode, parent: ExplanationNode | None) -> bool:
    """Name the rule after a node unless its label or its parent already does."""
    if node.rule is None or node.rule in node.label:
        return False
    return parent is None or parent.rule != node.rule


def _plain(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(inert(text), style=style)


def _node_text(node: ExplanationNode, parent: ExplanationNode | None, seen: set[str]) -> Text:
    from rich.text import Text

    label = Text()
    if node.severity is not None:
        label.append(f"[{node.severity.value.upper()}] ", style=SEVERITY_STYLE[node.severity])
    label.append(inert(node.label), style=KIND_STYLE.get(node.kind, ""))
    if _shows_rule(node, parent):
        label.append(f" · rule {inert(node.rule or '')}", style="dim")
    if node.kind is NodeKind.RULE and node.rationale and node.rule is not None:
        why = "see above" if node.rule in seen else inert(node.rationale)
        seen.add(node.rule)
        label.append(f"\nwhy: {why}", style="dim")
    return label


def _rich_tree(root: ExplanationNode, seen: set[str]) -> Any:
    from rich.tree import Tree

    tree = Tree(_node_text(root, None, seen), guide_style="dim")

    def grow(branch: Tree, node: ExplanationNode) -> None:
        for child in node.children:
            grow(branch.add(_node_text(child, node, seen)), child)

    grow(tree, root)
    return tree


def _heading(explanation: Explanation) -> str:
    parts = ["Explanation"]
    if explanation.team is not None:
        parts.append(f"team {explanation.team}")
    if explanation.strategy is not None:
        parts.append(f"strategy {explanation.strategy.id} ({explanation.strategy.name})")
    return " · ".join(parts)


def explanation_table(explanation: Explanation, *, color: bool = False, width: int = 80) -> str:
    """The derivation trees for the terminal; every text from the inputs shown inert."""
    from rich.table import Table

    from staffcheck.reporters.console import TextConsole

    console = TextConsole(width, color)
    console.print(_plain(_heading(explanation), "bold"))
    seen: set[str] = set()
    if not (explanation.people or explanation.gaps or explanation.team_findings):
        console.print(_plain("Nothing to explain for this selection."))
    if explanation.people:
        console.print()
        console.print(_plain("How each finding was reached", "bold underline"))
    for p in explanation.people:
        console.print()
        console.print(
            _plain(f"{p.name} ({p.id}) on post {p.role} · fit {p.fit} · {p.verdict}", "bold")
        )
        console.print(_rich_tree(p.tree, seen))
    if explanation.gaps:
        console.print()
        console.print(_plain("How each uncovered post came about", "bold underline"))
    for g in explanation.gaps:
        console.print()
        console.print(_plain(f"{g.role} · {g.severity}", "bold"))
        console.print(_rich_tree(g.tree, seen))
    if explanation.team_findings:
        console.print()
        console.print(_plain("Findings about the team", "bold underline"))
    for tree in explanation.team_findings:
        console.print()
        console.print(_rich_tree(tree, seen))
    rules = _core_rules(explanation)
    if rules:
        console.print()
        console.print(_plain("Derivation rules (the engine's own)", "bold underline"))
        legend = Table.grid(padding=(0, 1))
        legend.add_column(no_wrap=True)
        legend.add_column(overflow="fold")
        for rule in rules:
            legend.add_row(_plain(f"  {rule}"), _plain(CORE_RULES[rule]))
        console.print(legend)
    return console.text()


def _action_rows(plan: ActionPlan) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    for number, action in enumerate(plan.actions, 1):
        summary = action.summary
        verb = action.action.value
        if summary.lower().startswith(verb + " "):  # the verb is in the column already
            summary = summary[len(verb) + 1 :]
        lines = [(summary, "bold"), (f"effect: {action.effect}", "")]
        lines += [(f"note: {note}", "dim") for note in action.notes]
        yield str(number), action.action.value, lines


def actions_table(
    explanation: Explanation, plan: ActionPlan, *, color: bool = False, width: int = 80
) -> str:
    """The action plan for the terminal."""
    from rich.table import Table
    from rich.text import Text

    from staffcheck.reporters.console import TextConsole

    console = TextConsole(width, color)
    console.print(_plain(_heading(explanation).replace("Explanation", "What to do", 1), "bold"))
    if not plan.actions:
        console.print(_plain(NOTHING_TO_DO))
        return console.text()
    console.print(_plain(_plan_intro(plan)))
    console.print()
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for number, kind, lines in _action_rows(plan):
        body = Text()
        for index, (line, style) in enumerate(lines):
            body.append(("\n" if index else "") + inert(line), style=style)
        grid.add_row(Text(f"{number}."), Text(kind), body)
    console.print(grid)
    return console.text()


def _plan_intro(plan: ActionPlan) -> str:
    return (
        "Each step's effect is measured by re-assessing the team with the steps above it done. "
        f"If every step is taken: {plan.effect}."
    )


def why_not_table(answer: WhyNot, *, color: bool = False, width: int = 80) -> str:
    """A --why-not answer for the terminal."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from staffcheck.reporters.console import TextConsole

    console = TextConsole(width, color)
    console.print(
        _plain(
            f"Why (not): {answer.person_name} ({answer.person_id}) on the {answer.role} post "
            f"({answer.role_name})",
            "bold",
        )
    )
    for line in _why_not_context(answer):
        console.print(_plain(line))
    style = "bold green" if answer.covers else "bold red"
    console.print(_plain(f"Verdict: {answer.verdict_line}", style))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column("Essential skill", overflow="fold")
    table.add_column("Needs", justify="right", no_wrap=True)
    table.add_column("Has", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for check in answer.essential:
        table.add_row(
            _plain(check.skill),
            Text(str(check.need)),
            Text(str(check.have)),
            Text("met", style="green") if check.met else Text("not met", style="bold red"),
        )
    console.print(table)
    console.print(_plain(_optional_line(answer)))
    console.print()
    if not answer.findings:
        console.print(_plain("No rule would fire with them on this post."))
    else:
        console.print(_plain("Rules that would fire if they held it", "bold"))
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
    context.append(f"fit {answer.fit} · {answer.verdict}")
    return [" · ".join(context)]


def _optional_line(answer: WhyNot) -> str:
    if not answer.optional:
        return "Optional skills of the post they have: none"
    shown = ", ".join(f"{skill} {have}" for skill, have in answer.optional)
    return f"Optional skills of the post they have: {shown}"


# --- Markdown --------------------------------------------------------------------------------


_MD_BLOCK_START = re.compile(r"^(?:[#>+\-=]|\d+[.)])")


def _md_text(text: str) -> str:
    """Escaped text that may open a list item: block syntax (``# ``, ``1.``, ``>``) made literal."""
    escaped = escape_markdown(text)
    if _MD_BLOCK_START.match(escaped):
        digits = escaped.split(".", 1)[0].split(")", 1)[0]
        if digits.isdigit():
            return digits + "\\" + escaped[len(digits) :]
        return "\\" + escaped
    return escaped


def _md_node(
    node: ExplanationNode,
    parent: ExplanationNode | None,
    depth: int,
    seen: set[str],
    out: list[str],
) -> None:
    text = ""
    if node.severity is not None:
        text += f"**[{node.severity.value.upper()}]** "
    text += _md_text(node.label)
    if _shows_rule(node, parent):
        text += f" · rule `{node.rule}`"
    if node.kind is NodeKind.RULE and node.rationale and node.rule is not None:
        why = "see above" if node.rule in seen else escape_markdown(node.rationale)
        seen.add(node.rule)
        text += f" — *why:* {why}"
    out.append(f"{'  ' * depth}- {text}")
    for child in node.children:
        _md_node(child, node, depth + 1, seen, out)


def _md_heading(explanation: Explanation, title: str) -> str:
    parts = [title]
    if explanation.team is not None:
        parts.append(f"team {escape_markdown(explanation.team)}")
    if explanation.strategy is not None:
        s = explanation.strategy
        parts.append(f"strategy {escape_markdown(s.name)} (`{s.id}`)")
    return "# " + ", ".join(parts)


def explanation_markdown(explanation: Explanation) -> str:
    """The derivation trees as nested Markdown lists; text from the inputs escaped."""
    md = escape_markdown
    out = [_md_heading(explanation, "Explanation"), ""]
    seen: set[str] = set()
    if not (explanation.people or explanation.gaps or explanation.team_findings):
        out += ["Nothing to explain for this selection.", ""]
    if explanation.people:
        out += ["## How each finding was reached", ""]
    for p in explanation.people:
        out += [f"### {md(p.name)} ({md(p.id)}) on `{p.role}`: fit {p.fit}, {p.verdict}", ""]
        _md_node(p.tree, None, 0, seen, out)
        out.append("")
    if explanation.gaps:
        out += ["## How each uncovered post came about", ""]
    for g in explanation.gaps:
        out += [f"### `{g.role}` ({g.severity})", ""]
        _md_node(g.tree, None, 0, seen, out)
        out.append("")
    if explanation.team_findings:
        out += ["## Findings about the team", ""]
        for tree in explanation.team_findings:
            _md_node(tree, None, 0, seen, out)
        out.append("")
    rules = _core_rules(explanation)
    if rules:
        out += ["## Derivation rules (the engine's own)", ""]
        out += [f"- `{rule}`: {md(CORE_RULES[rule])}" for rule in rules]
        out.append("")
    return "\n".join(out)


def actions_markdown(explanation: Explanation, plan: ActionPlan) -> str:
    """The action plan as a numbered Markdown list."""
    md = escape_markdown
    out = [_md_heading(explanation, "What to do"), ""]
    if not plan.actions:
        return "\n".join([*out, NOTHING_TO_DO, ""])
    out += [md(_plan_intro(plan)), ""]
    for number, kind, lines in _action_rows(plan):
        (summary, _), *rest = lines
        out.append(f"{number}. **{kind}**: {md(summary)}")
        out += [f"   - {md(line)}" for line, _ in rest]
    out.append("")
    return "\n".join(out)


def why_not_markdown(answer: WhyNot) -> str:
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
        met = "met" if check.met else "**not met**"
        out.append(f"| `{check.skill}` | {check.need} | {check.have} | {met} |")
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
