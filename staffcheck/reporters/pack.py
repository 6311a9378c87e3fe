"""What a knowledge pack holds (``staffcheck rules list`` and ``rules show``): tables and JSON.

The JSON documents (``staffcheck.pack/1``):

- ``rules list``, kind ``pack``: ``name``, ``root``, and lists of ``strategies`` (``id``, ``name``,
  ``posts``), ``posts`` (``id``, ``name``, ``essential``: skill -> minimum level) and ``rules``
  (``id``, ``title``, ``kind``, ``severity``, ``enabled``).
- ``rules show ID``, kind ``pack-entry``: ``id``, ``entry`` (rule, role, strategy or vocabulary)
  and ``name``; a rule adds ``title``, ``rule_kind``, ``severity``, ``enabled``, ``defined_at``,
  ``message``, ``rationale`` and ``remediation`` (``action``, ``text``); a role its
  ``description``, ``essential`` and ``optional`` skills, ``kpis`` (names), ``training``
  (``id``, ``name``, ``skills``, ``days``, ``cost``), ``salary`` ([low, high] or null) and
  ``hiring`` (``lead_time``, ``cost``, each or null), in the pack's ``currency``; a strategy its
  ``description``, ``modules`` (``module``, ``posts``: post -> importance) and ``goals`` (``id``,
  ``name``, ``kpi``); vocabulary, what the id names (``skill``, ``module``, ``channel``: the
  name, or null), and a module its ``steps`` (``id``, ``name``, ``posts``, ``effort``,
  ``after``, ``stage``, ``spend``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from staffcheck.escaping import inert
from staffcheck.i18n import tr, tr_in
from staffcheck.kinds import Ref, describe_rule
from staffcheck.lookup import PackEntry
from staffcheck.model import KnowledgeBase, Module, Role, Rule, Step, Strategy
from staffcheck.money import money
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.actions import action_word
from staffcheck.reporters.console import TextConsole, cell, wrap
from staffcheck.reporters.json_report import dumps
from staffcheck.reporters.plan_words import stage_word
from staffcheck.words import importance_word, severity_word, working_days

SCHEMA = "staffcheck.pack/1"


def render_listing(kb: KnowledgeBase, options: RenderOptions) -> str:
    """The pack's strategies, posts and rules, one table each."""
    console = TextConsole(options.width, options.color)
    _list_pack(kb, console)
    return console.text()


def render_entry(entry: PackEntry, options: RenderOptions) -> str:
    """One rule, role, strategy, skill, module or channel in full."""
    console = TextConsole(options.width, options.color)
    _show(entry, console)
    return console.text()


def render_listing_json(kb: KnowledgeBase, options: RenderOptions) -> str:
    """The pack's strategies, posts and rules as a ``staffcheck.pack/1`` document."""
    return dumps(
        {
            "schema": SCHEMA,
            "kind": "pack",
            "name": kb.name,
            "root": kb.root,
            "strategies": [
                {"id": s.id, "name": s.name, "posts": sorted(s.posts())}
                for s in kb.strategies.values()
            ],
            "posts": [
                {"id": r.id, "name": r.name, "essential": dict(r.essential)}
                for r in kb.roles.values()
            ],
            "rules": [
                {
                    "id": rule.id,
                    "title": rule.title,
                    "kind": rule.kind,
                    "severity": rule.severity.value,
                    "enabled": rule.enabled,
                }
                for rule in kb.rules.values()
            ],
        }
    )


def render_entry_json(entry: PackEntry, options: RenderOptions) -> str:
    """One entry of the pack as a ``staffcheck.pack/1`` document of kind ``pack-entry``."""
    kb, ident = entry.kb, entry.ident
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "kind": "pack-entry",
        "id": ident,
        "entry": entry.kind,
    }
    if entry.kind == "rule":
        rule = kb.rules[ident]
        data |= {
            "name": rule.title,
            "title": rule.title,
            "rule_kind": rule.kind,
            "severity": rule.severity.value,
            "enabled": rule.enabled,
            "defined_at": str(rule.source),
            "message": rule.message,
            "rationale": rule.rationale.strip(),
            "remediation": {
                "action": rule.remediation.action.value,
                "text": rule.remediation.text.strip(),
            },
        }
    elif entry.kind == "role":
        role = kb.roles[ident]
        data |= {
            "name": role.name,
            "description": role.description,
            "essential": dict(role.essential),
            "optional": list(role.optional),
            **_role_plan_json(role, kb.currency),
        }
    elif entry.kind == "strategy":
        strategy = kb.strategies[ident]
        modules = [
            {"module": need.module, "posts": {role: imp.value for role, imp in need.roles}}
            for need in strategy.modules
        ]
        goals = [{"id": g.id, "name": g.name, "kpi": g.kpi} for g in strategy.goals]
        data |= {
            "name": strategy.name,
            "description": strategy.description,
            "modules": modules,
            "goals": goals,
        }
    else:
        names = {
            "skill": kb.skills[ident].name if ident in kb.skills else None,
            "module": kb.modules[ident].name if ident in kb.modules else None,
            "channel": kb.channels[ident].name if ident in kb.channels else None,
        }
        data |= {"name": next(name for name in names.values() if name is not None), **names}
        if ident in kb.modules:
            data["steps"] = [_step_json(step) for step in kb.modules[ident].steps]
    return dumps(data)


def _role_plan_json(role: Role, currency: str) -> dict[str, Any]:
    """A post's KPIs, training, pay and hiring terms (``rules show ROLE --format json``)."""
    terms = role.terms
    return {
        "kpis": [kpi.name for kpi in role.kpis],
        "training": [
            {"id": t.id, "name": t.name, "skills": list(t.skills), "days": t.days, "cost": t.cost}
            for t in role.training
        ],
        "salary": list(terms.salary) if terms.salary is not None else None,
        "hiring": {"lead_time": terms.lead_time, "cost": terms.hiring_cost},
        "currency": currency,
    }


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "name": step.name,
        "posts": list(step.posts),
        "effort": step.effort,
        "after": list(step.after),
        "stage": step.stage.value,
        "spend": step.spend,
    }


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    table.add_column(columns[0], no_wrap=True)
    for column in columns[1:]:
        table.add_column(column, overflow="fold")
    return table


def _list_pack(kb: KnowledgeBase, console: Console) -> None:
    """Print the pack's strategies, posts and rules."""
    # the pack's name and its path may hold escape sequences
    console.print(Text(f"{inert(kb.name)} ({inert(kb.root)})", style="bold"))
    comma = ", "  # between ids: a place to wrap in any language
    strategies = _table(tr("Strategies"), tr("Strategy"), tr_in("pack entry", "Name"), tr("Posts"))
    for s in kb.strategies.values():
        strategies.add_row(s.id, cell(s.name, 24), comma.join(sorted(s.posts())))
    console.print(strategies)
    roles = _table(
        tr("Posts"), tr("Post"), tr_in("pack entry", "Name"), tr("Essential skills (minimum level)")
    )
    for r in kb.roles.values():
        roles.add_row(
            r.id, cell(r.name, 24), comma.join(f"{k} {v}" for k, v in r.essential.items())
        )
    console.print(roles)
    rules = _table(tr("Rules"), tr("Rule"), tr("Severity"), tr("Title"))
    # What the id and severity columns leave the title (rich would break Chinese anywhere).
    room = max(16, console.width - max((len(r) for r in kb.rules), default=0) - 20)
    for rule in kb.rules.values():
        severity = severity_word(rule.severity)
        rules.add_row(
            rule.id,
            severity if rule.enabled else tr("{severity} (off)", severity=severity),
            cell(rule.title, room),
        )
    console.print(rules)


def _posts_of(kb: KnowledgeBase, need_roles: Any) -> str:
    """``SEO specialist (seo-specialist, critical), ...``: the posts a module needs, how much."""
    posts = []
    for role, imp in need_roles:
        entry = kb.roles.get(role)
        name = role if entry is None else entry.name
        importance = importance_word(imp)
        if name == role:
            posts.append(tr("{post} ({importance})", post=role, importance=importance))
        else:
            posts.append(
                tr("{name} ({id}, {importance})", name=name, id=role, importance=importance)
            )
    return tr(", ").join(posts)


def _name_id(entries: Mapping[str, Any], ident: str) -> str:
    """An entry of the pack by its (localised) name, with the id a rule or profile is written
    with: ``Search engine optimisation (seo)``; an id the pack does not define as it is."""
    entry = entries.get(ident)
    if entry is None or entry.name == ident:
        return ident
    return tr("{name} ({id})", name=entry.name, id=ident)


def _say(console: Console, text: str, indent: str = "") -> None:
    """Print `text` (from the pack: made inert) wrapped by `console.wrap`, paragraphs kept;
    an indented line's continuations are indented two more (they belong to it)."""
    hang = indent + "  " if indent else ""
    room = max(console.width - len(hang), 20)
    for paragraph in inert(text, single_line=False).split("\n"):
        lines = wrap(paragraph, room)
        console.print("\n".join([indent + lines[0], *(hang + line for line in lines[1:])]))


def _show(entry: PackEntry, console: Console) -> None:
    """Print a rule, role, strategy or vocabulary entry."""
    kb, ident = entry.kb, entry.ident
    none = "—"
    if entry.kind == "rule":
        _show_rule(kb, kb.rules[ident], console)
    elif entry.kind == "role":
        role = kb.roles[ident]
        console.print(Text(f"{role.id}: {inert(role.name)}", style="bold"))
        _say(console, role.description)
        if role.onet:
            console.print(f"O*NET-SOC: {role.onet.code} {inert(role.onet.title)}")
        if role.esco:
            console.print(f"ESCO: {inert(role.esco)}")
        essential = tr(", ").join(
            f"{_name_id(kb.skills, k)} ≥ {v}" for k, v in role.essential.items()
        )
        _say(console, tr("essential: {skills}", skills=essential))
        optional = tr(", ").join(_name_id(kb.skills, k) for k in role.optional)
        _say(console, tr("optional: {skills}", skills=optional or none))
        _show_role_plan(kb, role, console)
    elif entry.kind == "strategy":
        strategy = kb.strategies[ident]
        console.print(Text(f"{strategy.id}: {inert(strategy.name)}", style="bold"))
        _say(console, strategy.description)
        for need in strategy.modules:
            module = _name_id(kb.modules, need.module)
            line = tr("{module}: {posts}", module=module, posts=_posts_of(kb, need.roles))
            _say(console, line, "  ")
        _show_goals(strategy, console)
    else:
        _show_vocabulary(kb, ident, console)


def _show_vocabulary(kb: KnowledgeBase, ident: str, console: Console) -> None:
    """A skill, module or channel: what it is, and which posts or strategies use it."""
    comma, none = tr(", "), "—"
    if ident in kb.skills:
        skill = kb.skills[ident]
        console.print(
            Text(tr("skill {id}: {name}", id=skill.id, name=inert(skill.name)), style="bold")
        )
        if skill.description:
            _say(console, skill.description)
        needing = [
            f"{_name_id(kb.roles, r.id)} ≥ {r.essential[ident]}"
            for r in kb.roles.values()
            if ident in r.essential
        ]
        helping = [_name_id(kb.roles, r.id) for r in kb.roles.values() if ident in r.optional]
        _say(console, tr("essential for: {posts}", posts=comma.join(needing) or none))
        _say(console, tr("helps in: {posts}", posts=comma.join(helping) or none))
    if ident in kb.modules:
        module = kb.modules[ident]
        console.print(
            Text(tr("module {id}: {name}", id=module.id, name=inert(module.name)), style="bold")
        )
        if module.description:
            _say(console, module.description)
        for strategy in kb.strategies.values():
            for need in strategy.modules:
                if need.module == ident:
                    line = tr(  # 在淘宝店（taobao-store）中
                        "in {strategy}: {posts}",
                        strategy=_name_id(kb.strategies, strategy.id),
                        posts=_posts_of(kb, need.roles),
                    )
                    _say(console, line, "  ")
        _show_steps(kb, module, console)
    if ident in kb.channels:
        channel = kb.channels[ident]
        console.print(
            Text(tr("channel {id}: {name}", id=channel.id, name=inert(channel.name)), style="bold")
        )
        users = [
            _name_id(kb.strategies, s.id) for s in kb.strategies.values() if ident in s.channels
        ]
        _say(console, tr("strategies on it: {strategies}", strategies=comma.join(users) or none))


def _show_role_plan(kb: KnowledgeBase, role: Role, console: Console) -> None:
    """A post's KPIs, training items, salary band and hiring terms, where the pack gives them."""
    comma = tr(", ")
    if role.kpis:
        _say(console, tr("assessed on: {kpis}", kpis=tr("; ").join(k.name for k in role.kpis)))
    for item in role.training:
        skills = comma.join(_name_id(kb.skills, s) for s in item.skills)
        line = tr(
            "training: {name} ({id}): {skills}, {days}, {cost}",
            name=item.name, id=item.id, skills=skills, days=working_days(item.days),
            cost=money(item.cost, kb.currency),
        )  # fmt: skip
        _say(console, line)
    terms = role.terms
    if terms.salary is not None:
        low, high = (money(end, kb.currency) for end in terms.salary)
        _say(console, tr("salary: {low}–{high} a month", low=low, high=high))
    if terms.lead_time is not None or terms.hiring_cost is not None:
        unknown = "—"
        days = unknown if terms.lead_time is None else working_days(terms.lead_time)
        cost = unknown if terms.hiring_cost is None else money(terms.hiring_cost, kb.currency)
        _say(console, tr("hiring: {days}, {cost}", days=days, cost=cost))


def _show_goals(strategy: Strategy, console: Console) -> None:
    """A strategy's goals, each with its KPI (stage 1 of the plan)."""
    for goal in strategy.goals:
        line = tr("goal {name} ({id}): {kpi}", name=goal.name, id=goal.id, kpi=goal.kpi)
        _say(console, line)


def _show_steps(kb: KnowledgeBase, module: Module, console: Console) -> None:
    """A module's steps: who does each, its effort, the steps it waits for, its stage, its spend."""
    comma = tr(", ")
    for step in module.steps:
        who = comma.join(_name_id(kb.roles, post) for post in step.posts) or tr("leading post")
        line = tr(
            "step {name} ({id}), {stage}: {posts}, {days}",
            name=step.name, id=step.id, stage=stage_word(step.stage), posts=who,
            days=working_days(step.effort),
        )  # fmt: skip
        if step.after:
            line += tr("; after {steps}", steps=comma.join(step.after))
        if step.spend:
            line += tr("; spend {amount}", amount=money(step.spend, kb.currency))
        _say(console, line, "  ")


def _named(kb: KnowledgeBase, ref: Ref) -> str:
    """A rule's parameter value by the name the reader knows, with the id a rule is written
    with: ``Search engine optimisation (seo) ≥ 3``; words and unknown ids as they are."""
    entries: dict[str, Any] = {
        "skill": kb.skills,
        "post": kb.roles,
        "channel": kb.channels,
        "module": kb.modules,
    }
    entry = entries.get(ref.kind, {}).get(ref.text)
    if entry is None or entry.name == ref.text:
        return ref.text + ref.note
    return tr("{name} ({id})", name=entry.name, id=ref.text) + ref.note


def _show_rule(kb: KnowledgeBase, rule: Rule, console: Console) -> None:
    console.print(Text(f"{rule.id}: {inert(rule.title)}", style="bold"))
    rows = [
        (tr("kind"), rule.kind),
        (tr("severity"), severity_word(rule.severity)),
        (tr("enabled"), tr("yes") if rule.enabled else tr("no")),
        (tr("defined at"), str(rule.source)),
        (tr("message"), rule.message),
        (tr("rationale"), rule.rationale.strip()),
        (
            tr("remediation"),
            tr(
                "{action}: {text}",
                action=action_word(rule.remediation.action),
                text=rule.remediation.text.strip(),
            ),
        ),
        (tr("looks like"), rule.example.looks_like),
        (tr("actually is"), rule.example.actually_is),
    ]
    for offset, param in enumerate(describe_rule(rule)):
        named = tr(", ").join(_named(kb, value) for value in param.values)
        rows.insert(3 + offset, (param.label, named))
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    # Values pre-wrapped by console.wrap (Chinese breaks by kinsoku) in what the keys leave.
    room = max(console.width - max(cell_len(key) for key, _ in rows) - 2, 20)
    for key, value in rows:
        paragraphs = inert(value, single_line=False).split("\n")
        table.add_row(key, "\n".join(line for p in paragraphs for line in wrap(p, room)))
    console.print(table)
