"""``staffcheck plan``: the staffing plan a strategy implies, as a table, JSON or Markdown."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from staffcheck.diagnose import find_strategy
from staffcheck.errors import StaffcheckError
from staffcheck.escaping import escape_markdown, inert
from staffcheck.knowledge import load_knowledge, pack_files
from staffcheck.output import write_output
from staffcheck.planning import (
    SHARED_CRITICAL_HEADCOUNT,
    SHARED_CRITICAL_MODULES,
    PostPlan,
    StaffingPlan,
    plan_staffing,
)

PLAN_FORMATS = ("table", "json", "markdown")
SCHEMA = "staffcheck.plan/1"
HEADCOUNT_RULE = (
    f"Headcount: 1 person per post, {SHARED_CRITICAL_HEADCOUNT} for a critical post that "
    f"carries {SHARED_CRITICAL_MODULES} or more modules, so that no critical work rests on a "
    "single person. Priority: the post's highest importance in the modules it carries."
)


def run(args: argparse.Namespace) -> int:
    """Print or write the plan of ``--strategy``; exit 2 on an unknown strategy or format."""
    if args.format not in PLAN_FORMATS:
        # --format before the command is shared with `screen`/`team`, which also offer html.
        raise StaffcheckError.at(
            f"plan has no {args.format!r} format", hint=f"use one of: {', '.join(PLAN_FORMATS)}"
        )
    kb = load_knowledge(args.rules)
    plan = plan_staffing(kb, find_strategy(kb, args.strategy))
    if args.format == "json":
        text = json.dumps(plan_dict(plan), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        text = render_markdown(plan)
    else:
        to_terminal = args.output is None and sys.stdout.isatty()
        color = to_terminal and not args.no_color and "NO_COLOR" not in os.environ
        width = max(60, min(os.get_terminal_size().columns, 120)) if to_terminal else 80
        text = render_table(plan, color=color, width=width)
    if args.output is not None:
        write_output(args.output, text, pack_files(Path(kb.root)))
    else:
        sys.stdout.write(text)
    return 0


def plan_dict(plan: StaffingPlan) -> dict[str, Any]:
    """The plan as the ``staffcheck.plan/1`` JSON object."""
    return {
        "schema": SCHEMA,
        "strategy": {"id": plan.strategy.id, "name": plan.strategy.name},
        "headcount": plan.headcount,
        "modules": [
            {
                "id": module.module,
                "name": module.name,
                "posts": [{"role": role, "importance": imp.value} for role, imp in module.posts],
            }
            for module in plan.modules
        ],
        "posts": [_post_dict(post) for post in plan.posts],
    }


def _post_dict(post: PostPlan) -> dict[str, Any]:
    return {
        "role": post.role,
        "name": post.name,
        "priority": post.priority.value,
        "headcount": post.headcount,
        "headcount_reason": post.headcount_reason,
        "modules": list(post.modules),
        "skills": [{"skill": s.skill, "name": s.name, "level": s.level} for s in post.skills],
        "optional": list(post.optional),
        "onet": None if post.onet is None else {"code": post.onet.code, "title": post.onet.title},
        "esco": post.esco,
    }


def _summary(plan: StaffingPlan) -> str:
    posts, people = len(plan.posts), plan.headcount
    return (
        f"{posts} post{'s' if posts != 1 else ''}, {people} {'person' if people == 1 else 'people'}"
    )


def render_table(plan: StaffingPlan, *, color: bool = False, width: int = 80) -> str:
    """The plan for the terminal; pack text is shown as text, never as rich markup."""
    # rich is imported here so that `staffcheck --help` does not pay for it.
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from staffcheck.reporters.console import TextConsole

    def plain(text: str, style: str = "") -> Text:
        return Text(inert(text), style=style)

    def lines(items: Iterable[str]) -> Text:
        return Text("\n".join(inert(item) for item in items))

    console = TextConsole(width, color)
    console.print(plain(f"Staffing plan · strategy {plan.strategy.id} ({plan.strategy.name})"))
    console.print(Text(_summary(plan), style="bold"))
    console.print()
    # One item per line in a cell: ids are never broken in the middle at 80 columns.
    modules = Table(title="Modules", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    modules.add_column("Module", no_wrap=True)
    modules.add_column("Carried by (importance)", overflow="fold")
    for module in plan.modules:
        modules.add_row(
            plain(module.module),
            lines(f"{role} ({imp.value})" for role, imp in module.posts),
        )
    console.print(modules)
    posts = Table(
        title="Posts, critical first", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    posts.add_column("Priority", no_wrap=True)
    posts.add_column("Post", overflow="fold")
    posts.add_column("People", justify="right", no_wrap=True)
    posts.add_column("Essential skills (minimum level)", overflow="fold")
    for post in plan.posts:
        posts.add_row(
            Text(post.priority.value, style="bold" if post.priority.weight >= 3 else ""),
            plain(post.role),
            Text(str(post.headcount)),
            lines(f"{s.skill} ≥ {s.level}" for s in post.skills),
        )
    console.print(posts)
    console.print(Text(HEADCOUNT_RULE, style="dim"))
    return console.text()


def render_markdown(plan: StaffingPlan) -> str:
    """The plan as Markdown; pack text escaped, ids (kebab-case by the loader) in code spans."""
    md = escape_markdown
    out = [
        f"# Staffing plan: {md(plan.strategy.name)} (`{plan.strategy.id}`)",
        "",
    ]
    if plan.description:
        out += [f"Strategy: {md(plan.description)}", ""]
    out += [
        f"Total: {_summary(plan)}.",
        "",
        "## Posts",
        "",
        "| Priority | Post | Headcount | Modules | Essential skills |",
        "|---|---|--:|---|---|",
    ]
    for post in plan.posts:
        modules = ", ".join(f"`{m}`" for m in post.modules)
        skills = ", ".join(f"`{s.skill}` ≥ {s.level}" for s in post.skills)
        out.append(
            f"| {post.priority.value} | {md(post.name)} (`{post.role}`) | {post.headcount} "
            f"| {modules} | {skills} |"
        )
    out += ["", "## Modules", "", "| Module | Posts (importance) |", "|---|---|"]
    for module in plan.modules:
        carried = ", ".join(f"`{role}` ({imp.value})" for role, imp in module.posts)
        out.append(f"| {md(module.name)} (`{module.module}`) | {carried} |")
    out += ["", f"{md(HEADCOUNT_RULE)}", ""]
    return "\n".join(out)
