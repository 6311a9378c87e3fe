"""``staffcheck rules list | show | validate | test | docs``: what a knowledge pack holds, and whether it is sound."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from staffcheck.catalogue import build_catalogue
from staffcheck.errors import StaffcheckError
from staffcheck.fixtures import (
    example_fixtures,
    fixture_files,
    load_fixture,
    run_fixture,
    untested_rules,
)
from staffcheck.kinds import describe_rule
from staffcheck.knowledge import bundled_rules_dir, lint_knowledge, load_knowledge, pack_files
from staffcheck.model import KnowledgeBase, Rule
from staffcheck.output import write_output
from staffcheck.reporters.console import TextConsole
from staffcheck.reporters.text import inert
from staffcheck.schema import did_you_mean


def _console() -> TextConsole:
    width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    return TextConsole(width=min(max(width, 60), 120))


def run(args: argparse.Namespace) -> int:
    if args.rules_command == "validate":
        return validate(args.directory or args.rules or bundled_rules_dir())
    if args.rules_command == "test":
        return test_pack(args.directory or args.rules or bundled_rules_dir())
    if args.rules_command == "docs":
        return docs(args.directory or args.rules or bundled_rules_dir(), args.output)
    kb = load_knowledge(args.rules)
    if args.rules_command == "list":
        console = _console()
        list_pack(kb, console)
        sys.stdout.write(console.text())
        return 0
    console = _console()
    code = show(kb, args.rule_id, console)
    sys.stdout.write(console.text())
    return code


def validate(directory: Path) -> int:
    """Print every problem of a pack, one per line; exit 2 if there is any."""
    pack_files(directory)  # a missing directory is a usage error: one line, from main()
    try:
        kb = load_knowledge(directory)
    except StaffcheckError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {directory}", file=sys.stderr)
        return 2
    warnings = lint_knowledge(kb)
    for warning in warnings:
        print(warning, file=sys.stderr)
    print(
        f"{directory}: ok — {len(kb.strategies)} strategies, {len(kb.roles)} roles, "
        f"{len(kb.skills)} skills, {len(kb.rules)} rules"
        + (f", {len(warnings)} warnings" if warnings else "")
    )
    return 0


def docs(directory: Path, output: Path | None) -> int:
    """Print the pack's Markdown catalogue, or write it to `output` (atomically)."""
    text = build_catalogue(directory)
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text, [*pack_files(directory), *fixture_files(directory)])
    return 0


def test_pack(directory: Path) -> int:
    """Run the pack's fixtures like a test runner; exit 1 if any fails or a rule is untested."""
    kb = load_knowledge(directory)
    fixtures = example_fixtures(kb)
    errors = 0
    for path in fixture_files(directory):
        try:
            fixtures.append(load_fixture(path, kb))
        except StaffcheckError as exc:
            errors += 1
            print(f"ERROR {exc.summary()}")
    failed = 0
    for fixture in fixtures:
        outcome = run_fixture(kb, fixture)
        name = Path(fixture.path).name
        if outcome.passed:
            print(f"PASS  {name}")
            continue
        failed += 1
        print(f"FAIL  {name} — {inert(fixture.description)}")
        for rule in sorted(outcome.missing):
            print(f"      expected {rule} to fire; it did not")
        for rule in sorted(outcome.unexpected):
            print(f"      expected {rule} to stay quiet; it fired")
    untested = untested_rules(kb, fixtures)
    for gap in untested:
        print(f"FAIL  coverage: {gap}")
    failed += len(untested)
    passed = len(fixtures) - (failed - len(untested))
    print(f"{passed} passed, {failed + errors} failed")
    return 0 if failed + errors == 0 else 1


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    table.add_column(columns[0], no_wrap=True)
    for column in columns[1:]:
        table.add_column(column, overflow="fold")
    return table


def list_pack(kb: KnowledgeBase, console: Console) -> None:
    console.print(Text(f"{kb.name} ({kb.root})", style="bold"))
    strategies = _table("Strategies", "Strategy", "Name", "Posts")
    for s in kb.strategies.values():
        strategies.add_row(s.id, inert(s.name), ", ".join(sorted(s.posts())))
    console.print(strategies)
    roles = _table("Posts", "Post", "Name", "Essential skills (minimum level)")
    for r in kb.roles.values():
        roles.add_row(r.id, inert(r.name), ", ".join(f"{k} {v}" for k, v in r.essential.items()))
    console.print(roles)
    rules = _table("Rules", "Rule", "Severity", "Title")
    for rule in kb.rules.values():
        rules.add_row(
            rule.id, rule.severity.value + ("" if rule.enabled else " (off)"), inert(rule.title)
        )
    console.print(rules)


def show(kb: KnowledgeBase, ident: str, console: Console) -> int:
    """Show a rule, role or strategy by id."""
    if ident in kb.rules:
        _show_rule(kb.rules[ident], console)
    elif ident in kb.roles:
        role = kb.roles[ident]
        console.print(Text(f"{role.id}: {inert(role.name)}", style="bold"))
        console.print(inert(role.description, single_line=False))
        if role.onet:
            console.print(f"O*NET-SOC: {role.onet.code} {inert(role.onet.title)}")
        if role.esco:
            console.print(f"ESCO: {inert(role.esco)}")
        console.print("essential: " + ", ".join(f"{k} ≥ {v}" for k, v in role.essential.items()))
        console.print("optional: " + (", ".join(role.optional) or "—"))
    elif ident in kb.strategies:
        strategy = kb.strategies[ident]
        console.print(Text(f"{strategy.id}: {inert(strategy.name)}", style="bold"))
        console.print(inert(strategy.description, single_line=False))
        for need in strategy.modules:
            posts = ", ".join(f"{role} ({imp.value})" for role, imp in need.roles)
            console.print(f"  {need.module}: {posts}")
    elif ident in kb.skills or ident in kb.modules or ident in kb.channels:
        _show_vocabulary(kb, ident, console)
    else:
        known = [*kb.rules, *kb.roles, *kb.strategies, *kb.skills, *kb.modules, *kb.channels]
        raise StaffcheckError.at(
            f"no rule, role, strategy, skill, module or channel {ident!r}",
            hint=did_you_mean(ident, known) or "run 'staffcheck rules list'",
        )
    return 0


def _show_vocabulary(kb: KnowledgeBase, ident: str, console: Console) -> None:
    """A skill, module or channel: what it is, and which posts or strategies use it."""
    if ident in kb.skills:
        skill = kb.skills[ident]
        console.print(Text(f"skill {skill.id}: {inert(skill.name)}", style="bold"))
        if skill.description:
            console.print(inert(skill.description, single_line=False))
        needing = [
            f"{r.id} (≥ {r.essential[ident]})" for r in kb.roles.values() if ident in r.essential
        ]
        helping = [r.id for r in kb.roles.values() if ident in r.optional]
        console.print("essential for: " + (", ".join(needing) or "—"))
        console.print("helps in: " + (", ".join(helping) or "—"))
    if ident in kb.modules:
        module = kb.modules[ident]
        console.print(Text(f"module {module.id}: {inert(module.name)}", style="bold"))
        if module.description:
            console.print(inert(module.description, single_line=False))
        for strategy in kb.strategies.values():
            for need in strategy.modules:
                if need.module == ident:
                    posts = ", ".join(f"{role} ({imp.value})" for role, imp in need.roles)
                    console.print(f"  in {strategy.id}: {posts}")
    if ident in kb.channels:
        channel = kb.channels[ident]
        console.print(Text(f"channel {channel.id}: {inert(channel.name)}", style="bold"))
        users = [s.id for s in kb.strategies.values() if ident in s.channels]
        console.print("strategies on it: " + (", ".join(users) or "—"))


def _show_rule(rule: Rule, console: Console) -> None:
    console.print(Text(f"{rule.id}: {inert(rule.title)}", style="bold"))
    rows = [
        ("kind", rule.kind),
        ("severity", rule.severity.value),
        ("enabled", "yes" if rule.enabled else "no"),
        ("defined at", str(rule.source)),
        ("message", rule.message),
        ("rationale", rule.rationale.strip()),
        ("remediation", f"{rule.remediation.action.value}: {rule.remediation.text.strip()}"),
        ("looks like", rule.example.looks_like),
        ("actually is", rule.example.actually_is),
    ]
    for offset, param in enumerate(describe_rule(rule)):
        rows.insert(3 + offset, (param.label, ", ".join(v.text + v.note for v in param.values)))
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, inert(value, single_line=False))
    console.print(table)
