"""The staffing plan (``staffcheck plan``) in the terminal, as Markdown and as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import escape_markdown, inert
from staffcheck.headcount import SHARED_CRITICAL_HEADCOUNT, SHARED_CRITICAL_MODULES
from staffcheck.i18n import tr
from staffcheck.planning import PostPlan, StaffingPlan
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import TextConsole, plain, wrap
from staffcheck.reporters.json_report import dumps
from staffcheck.words import importance_word

SCHEMA = "staffcheck.plan/1"


def headcount_rule() -> str:
    """The headcount and priority rules in a sentence, under the tables."""
    return tr(
        "Headcount: 1 person per post, {people} for a critical post that carries {modules} or "
        "more modules, so that no critical work rests on a single person. Priority: the post's "
        "highest importance in the modules it carries.",
        people=SHARED_CRITICAL_HEADCOUNT,
        modules=SHARED_CRITICAL_MODULES,
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
    posts_text = tr("1 post") if posts == 1 else tr("{count} posts", count=posts)
    people_text = tr("1 person") if people == 1 else tr("{count} people", count=people)
    return tr("{posts}, {people}", posts=posts_text, people=people_text)


def _post_names(plan: StaffingPlan) -> dict[str, str]:
    """Each post of the plan -> its name (the pack's label)."""
    return {post.role: post.name for post in plan.posts}


def render_table(plan: StaffingPlan, options: RenderOptions) -> str:
    """The plan for the terminal; pack text is shown as text, never as rich markup."""

    def lines(items: Iterable[str]) -> Text:
        return Text("\n".join(inert(item) for item in items))

    names = _post_names(plan)
    console = TextConsole(options.width, options.color)
    title = tr(
        "Staffing plan · strategy {name} ({id})", name=plan.strategy.name, id=plan.strategy.id
    )
    console.print(plain(title))
    console.print(Text(_summary(plan), style="bold"))
    console.print()
    # One item per line in a cell: names are never broken in the middle at 80 columns.
    modules = Table(title=tr("Modules"), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    modules.add_column(tr("Module"), overflow="fold")
    modules.add_column(tr("Carried by (importance)"), overflow="fold")
    for module in plan.modules:
        modules.add_row(
            plain(module.name),
            lines(
                tr(
                    "{post} ({importance})",
                    post=names.get(role, role),
                    importance=importance_word(imp),
                )
                for role, imp in module.posts
            ),
        )
    console.print(modules)
    posts = Table(
        title=tr("Posts, critical first"), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    posts.add_column(tr("Priority"), no_wrap=True)
    posts.add_column(tr("Post"), overflow="fold")
    posts.add_column(tr("People"), justify="right", no_wrap=True)
    posts.add_column(tr("Essential skills (minimum level)"), overflow="fold")
    for post in plan.posts:
        posts.add_row(
            Text(importance_word(post.priority), style="bold" if post.priority.weight >= 3 else ""),
            plain(post.name),
            Text(str(post.headcount)),
            lines(f"{s.name} ≥ {s.level}" for s in post.skills),
        )
    console.print(posts)
    console.print(Text("\n".join(wrap(headcount_rule(), options.width)), style="dim"))
    return console.text()


def render_markdown(plan: StaffingPlan, options: RenderOptions) -> str:
    """The plan as Markdown; pack text escaped, ids (kebab-case by the loader) in code spans."""
    md = escape_markdown
    names = _post_names(plan)
    modules_by_id = {module.module: module.name for module in plan.modules}
    heading = tr(
        "Staffing plan: {name} ({id})", name=md(plan.strategy.name), id=f"`{plan.strategy.id}`"
    )
    out = [f"# {heading}", ""]
    if plan.description:
        out += [tr("Strategy: {description}", description=md(plan.description)), ""]
    out += [
        tr("Total: {summary}.", summary=_summary(plan)),
        "",
        "## " + tr("Posts"),
        "",
        "| {} | {} | {} | {} | {} |".format(
            tr("Priority"), tr("Post"), tr("Headcount"), tr("Modules"), tr("Essential skills")
        ),
        "|---|---|--:|---|---|",
    ]
    for post in plan.posts:
        modules = tr(", ").join(md(modules_by_id.get(m, m)) for m in post.modules)
        skills = tr(", ").join(f"{md(s.name)} ≥ {s.level}" for s in post.skills)
        out.append(
            f"| {importance_word(post.priority)} | {md(post.name)} (`{post.role}`) "
            f"| {post.headcount} | {modules} | {skills} |"
        )
    out += [
        "",
        "## " + tr("Modules"),
        "",
        "| {} | {} |".format(tr("Module"), tr("Posts (importance)")),
        "|---|---|",
    ]
    for module in plan.modules:
        carried = tr(", ").join(
            tr(
                "{post} ({importance})",
                post=md(names.get(role, role)),
                importance=importance_word(imp),
            )
            for role, imp in module.posts
        )
        out.append(f"| {md(module.name)} (`{module.module}`) | {carried} |")
    out += ["", md(headcount_rule()), ""]
    return "\n".join(out)
