"""Derivation trees (``staffcheck explain``) in the terminal, as Markdown lists and as JSON."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from staffcheck.escaping import escape_markdown, inert
from staffcheck.explain import (
    CORE_RULES,
    Explanation,
    ExplanationNode,
    NodeKind,
    core_rationale,
    severity_tag,
)
from staffcheck.i18n import tr
from staffcheck.model import Labels, StrategyRef
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import SEVERITY_STYLE, TextConsole, plain, wrap
from staffcheck.reporters.json_report import dumps
from staffcheck.reporters.plan_json import effect_dict
from staffcheck.words import severity_word, verdict_word

if TYPE_CHECKING:
    from staffcheck.actions import ActionPlan, PlannedAction, Tally

SCHEMA = "staffcheck.explain/1"
KIND_STYLE = {
    NodeKind.STRATEGY: "bold",
    NodeKind.POST: "bold",
    NodeKind.RULE: "bold",
    NodeKind.EXAMPLE: "italic",
    NodeKind.OPTION: "green",
    NodeKind.WAIVER: "dim italic",
}


def render_json(explanation: Explanation, options: RenderOptions) -> str:
    """The ``staffcheck.explain/1`` document: the trees, and a team's actions."""
    return dumps(explanation_dict(explanation, explanation.actions))


def render_plan_json(plan: ActionPlan, options: RenderOptions) -> str:
    """The ``staffcheck.explain/1`` document of an action plan: its actions, and the trees it
    was planned from (`ActionPlan.explanation`; none if it was planned without them)."""
    trees = plan.explanation or Explanation(plan.strategy, plan.team, ())
    return dumps(explanation_dict(trees, plan))


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


def step_effect(action: PlannedAction, labels: Labels) -> str:
    """What a step changes, posts by name: ``covers Taobao store operator: uncovered posts 2 → 1``;
    only the counts it changes."""
    posts = tr(", ")
    parts = []
    if action.covers:
        parts.append(tr("covers {posts}", posts=posts.join(map(labels.post, action.covers))))
    if action.uncovers:
        parts.append(tr("uncovers {posts}", posts=posts.join(map(labels.post, action.uncovers))))
    parts += action.changes
    before, after = action.before, action.after
    counts = [
        text
        for text, b, a in (
            (
                tr(
                    "uncovered posts {before} → {after}",
                    before=len(before.uncovered),
                    after=len(after.uncovered),
                ),
                len(before.uncovered),
                len(after.uncovered),
            ),
            (
                tr(
                    "mismatches {before} → {after}",
                    before=len(before.mismatches),
                    after=len(after.mismatches),
                ),
                len(before.mismatches),
                len(after.mismatches),
            ),
        )
        if b != a
    ]
    if not counts and not parts and before.findings != after.findings:
        counts.append(
            tr("findings {before} → {after}", before=before.findings, after=after.findings)
        )
    if not counts:
        return tr("; ").join(parts) or tr("no count changes")
    if not parts:
        return tr(", ").join(counts)
    return tr("{changes}: {counts}", changes=tr("; ").join(parts), counts=tr(", ").join(counts))


def plan_effect(plan: ActionPlan) -> str:
    """Where the whole plan takes the team: ``uncovered posts 2 → 0, mismatches 1 → 0``."""
    return tr(
        "uncovered posts {before} → {after}, mismatches {mismatches_before} → {mismatches_after}",
        before=len(plan.before.uncovered),
        after=len(plan.after.uncovered),
        mismatches_before=len(plan.before.mismatches),
        mismatches_after=len(plan.after.mismatches),
    )


def _tally_dict(tally: Tally) -> dict[str, Any]:
    return {"uncovered": list(tally.uncovered), "mismatches": list(tally.mismatches)}


def action_dict(action: PlannedAction, labels: Labels | None = None) -> dict[str, Any]:
    """One step of the plan as JSON (its effect naming posts by `labels`)."""
    return {
        "action": action.action.value,
        "summary": action.summary,
        "effect": step_effect(action, labels or Labels()),
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
        "plan_effect": None if action.plan_effect is None else effect_dict(action.plan_effect),
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
            "effect": plan_effect(plan),
            "steps": [action_dict(a, explanation.labels) for a in plan.actions],
        },
        "derivation_rules": {rule: core_rationale(rule) for rule in _core_rules(explanation)},
    }


def _core_rules(explanation: Explanation) -> list[str]:
    """The engine's derivation rules the trees use, in order of first use."""
    used = (node.rule for node in explanation.nodes() if node.rule in CORE_RULES)
    return [rule for rule in dict.fromkeys(used) if rule is not None]


@dataclass(frozen=True, slots=True)
class Heading:
    """The heading of one tree, as the terminal and Markdown show it."""

    table: str
    markdown: str


def sections(
    explanation: Explanation,
) -> Iterator[tuple[str, list[tuple[Heading | None, ExplanationNode]]]]:
    """The sections of an explanation that have trees: title, then each tree with its heading."""
    md = escape_markdown
    post = explanation.labels.post
    Trees = list[tuple[Heading | None, ExplanationNode]]
    people: Trees = []
    for p in explanation.people:
        shown = p.shown or p.name
        fields = {"fit": p.fit, "verdict": verdict_word(p.verdict)}
        people.append(
            (
                Heading(
                    tr(
                        "{person} on post {post} · fit {fit} · {verdict}",
                        person=shown, post=post(p.role), **fields,
                    ),
                    "### " + tr(
                        "{person} on post {post}: fit {fit}, {verdict}",
                        person=md(shown), post=md(post(p.role)), **fields,
                    ),
                ),
                p.tree,
            )
        )  # fmt: skip
    gaps: Trees = [
        (
            Heading(
                f"{post(g.role)} · {severity_word(g.severity)}",
                "### "
                + tr(
                    "{post} ({importance})",
                    post=md(post(g.role)),
                    importance=severity_word(g.severity),
                ),
            ),
            g.tree,
        )
        for g in explanation.gaps
    ]
    team: Trees = [(None, tree) for tree in explanation.team_findings]
    for title, trees in (
        (tr("How each finding was reached"), people),
        (tr("How each uncovered post came about"), gaps),
        (tr("Findings about the team"), team),
    ):
        if trees:
            yield title, trees


# --- terminal -----------------------------------------------------------------------------


def _shows_rule(node: ExplanationNode, parent: ExplanationNode | None) -> bool:
    """Name the rule after a node unless its label or its parent already does."""
    if node.rule is None or node.rule in node.label:
        return False
    return parent is None or parent.rule != node.rule


def _node_text(node: ExplanationNode, parent: ExplanationNode | None, seen: set[str]) -> Text:
    label = Text()
    if node.severity is not None:
        label.append(severity_tag(node.severity) + " ", style=SEVERITY_STYLE[node.severity])
    label.append(inert(node.label), style=KIND_STYLE.get(node.kind, ""))
    if _shows_rule(node, parent):
        label.append(tr(" · rule {rule}", rule=inert(node.rule or "")), style="dim")
    if node.kind is NodeKind.RULE and node.rationale and node.rule is not None:
        why = tr("see above") if node.rule in seen else inert(node.rationale)
        seen.add(node.rule)
        label.append("\n" + tr("why: {why}", why=why), style="dim")
    return label


#: The cells rich's tree guides take per level (``├── ``, ``│   ``).
_GUIDE = 4
#: The narrowest a label is wrapped to, however deep its node: rich folds what is wider.
_NARROWEST = 12


def wrapped(label: Text, width: int) -> Text:
    """`label` broken into lines of at most `width` cells by `console.wrap` (Chinese line
    breaking, two cells a character), its styles kept, so rich never has to wrap it."""
    styles: list[Any] = [None] * len(label.plain)
    for span in label.spans:
        styles[span.start : span.end] = [span.style] * (span.end - span.start)
    chars: list[tuple[str, Any]] = []
    start = 0
    for number, paragraph in enumerate(label.plain.split("\n")):
        if number:
            chars.append(("\n", None))
        at = 0  # the wrapped lines keep the paragraph's characters in order, less spaces
        for index, line in enumerate(wrap(paragraph, width)):
            if index:
                chars.append(("\n", None))
            for char in line:
                at = _align(paragraph, at, char)
                chars.append((char, styles[start + min(at, len(paragraph) - 1)]))
                at += 1
        start += len(paragraph) + 1
    out = Text(style=label.style)
    for style, run in groupby(chars, key=lambda pair: pair[1]):
        out.append("".join(char for char, _ in run), style=style)
    return out


def _align(paragraph: str, at: int, char: str) -> int:
    """Where in `paragraph` (from `at`) the wrapped line's `char` came from: wrapping drops
    and collapses spaces, and may print a space for other whitespace."""
    if char == " ":
        return at if at < len(paragraph) and paragraph[at].isspace() else max(at - 1, 0)
    while at < len(paragraph) - 1 and paragraph[at] != char:
        at += 1
    return at


def _rich_tree(root: ExplanationNode, seen: set[str], width: int) -> Any:
    tree = Tree(wrapped(_node_text(root, None, seen), width), guide_style="dim")

    def grow(branch: Tree, node: ExplanationNode, depth: int) -> None:
        room = max(width - _GUIDE * depth, _NARROWEST)
        for child in node.children:
            grow(branch.add(wrapped(_node_text(child, node, seen), room)), child, depth + 1)

    grow(tree, root, 1)
    return tree


def heading(
    title: str, team: str | None, strategy: StrategyRef | None, *, markdown: bool = False
) -> str:
    """The first line of an answer: ``Title · team T · strategy Name (S)`` for the terminal,
    ``# Title, team T, strategy Name (`S`)`` in Markdown (text from the inputs escaped)."""
    parts = [title]
    if team is not None:
        parts.append(tr("team {team}", team=escape_markdown(team) if markdown else team))
    if strategy is not None and markdown:
        parts.append(
            tr("strategy {name} ({id})", name=escape_markdown(strategy.name), id=f"`{strategy.id}`")
        )
    elif strategy is not None:
        parts.append(tr("strategy {name} ({id})", name=strategy.name, id=strategy.id))
    if not markdown:
        return " · ".join(parts)
    line = parts[0]
    for part in parts[1:]:
        line = tr("{heading}, {part}", heading=line, part=part)
    return "# " + line


def render_table(explanation: Explanation, options: RenderOptions) -> str:
    """The derivation trees for the terminal; every text from the inputs shown inert."""
    console = TextConsole(options.width, options.color)
    title = heading(tr("Explanation"), explanation.team, explanation.strategy)
    console.print(plain(title, "bold"))
    seen: set[str] = set()
    if not (explanation.people or explanation.gaps or explanation.team_findings):
        console.print(plain(tr("Nothing to explain for this selection.")))
    for title, trees in sections(explanation):
        console.print()
        console.print(plain(title, "bold underline"))
        for head, tree in trees:
            console.print()
            if head is not None:
                console.print(plain(head.table, "bold"))
            console.print(_rich_tree(tree, seen, options.width))
    rules = _core_rules(explanation)
    if rules:
        console.print()
        console.print(plain(tr("Derivation rules (the engine's own)"), "bold underline"))
        legend = Table.grid(padding=(0, 1))
        legend.add_column(no_wrap=True)
        legend.add_column(overflow="fold")
        room = options.width - max(len(rule) for rule in rules) - 3  # "  rule "
        for rule in rules:
            text = "\n".join(wrap(core_rationale(rule), max(room, _NARROWEST)))
            legend.add_row(plain(f"  {rule}"), plain(text))
        console.print(legend)
    return console.text()


# --- Markdown ------------------------------------------------------------------------------


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
        text += f"**{severity_tag(node.severity)}** "
    text += _md_text(node.label)
    if _shows_rule(node, parent):
        text += tr(" · rule {rule}", rule=f"`{node.rule}`")
    if node.kind is NodeKind.RULE and node.rationale and node.rule is not None:
        why = tr("see above") if node.rule in seen else escape_markdown(node.rationale)
        seen.add(node.rule)
        text += " — " + tr("*why:* {why}", why=why)
    out.append(f"{'  ' * depth}- {text}")
    for child in node.children:
        _md_node(child, node, depth + 1, seen, out)


def render_markdown(explanation: Explanation, options: RenderOptions) -> str:
    """The derivation trees as nested Markdown lists; text from the inputs escaped."""
    md = escape_markdown
    out = [heading(tr("Explanation"), explanation.team, explanation.strategy, markdown=True), ""]
    seen: set[str] = set()
    if not (explanation.people or explanation.gaps or explanation.team_findings):
        out += [tr("Nothing to explain for this selection."), ""]
    for title, trees in sections(explanation):
        out += [f"## {title}", ""]
        for head, tree in trees:
            if head is not None:
                out += [head.markdown, ""]
            _md_node(tree, None, 0, seen, out)
            if head is not None:
                out.append("")
        if trees[0][0] is None:  # the team's findings: one list of trees, no headings
            out.append("")
    rules = _core_rules(explanation)
    if rules:
        out += ["## " + tr("Derivation rules (the engine's own)"), ""]
        out += [f"- `{rule}`: {md(core_rationale(rule))}" for rule in rules]
        out.append("")
    return "\n".join(out)
