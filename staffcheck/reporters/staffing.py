"""The staffing plan (``staffcheck plan``) in the terminal, as Markdown and as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import escape_markdown, inert
from staffcheck.headcount import SHARED_CRITICAL_HEADCOUNT, SHARED_CRITICAL_MODULES
from staffcheck.planning import PostPlan, StaffingPlan
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import TextConsole, plain
from staffcheck.reporters.json_report import dumps

SCHEMA = "staffcheck.plan/1"
HEADCOUNT_RULE = (
    f"Headcount: 1 person per post, {SHARED_CRITICAL_HEADCOUNT} for a critical post that "
    f"carries {SHARED_CRITICAL_MODULES} or more modules, so that no critical work rests on a "
    "single person. Priority: the post's highest importance in the modules it carries."
)


def render_json(plan: StaffingPlan, options: RenderOptions) -> str:
    """The plan as the ``staffcheck.plan/1`` JSON object."""
    return dumps(plan_dict(plan))


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


def render_table(plan: StaffingPlan, options: RenderOptions) -> str:
    """The plan for the terminal; pack text is shown as text, never as rich markup."""

    def lines(items: Iterable[str]) -> Text:
        return Text("\n".join(inert(item) for item in items))

    console = TextConsole(options.width, options.color)
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


def render_markdown(plan: StaffingPlan, options: RenderOptions) -> str:
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
