"""``staffcheck rules list | show | validate | test | docs``: what a knowledge pack holds, and whether it is sound."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from staffcheck.cli import options
from staffcheck.errors import StaffcheckError
from staffcheck.escaping import inert
from staffcheck.reporters import RenderOptions

NAME = "rules"
HELP = "what the system knows: list, show, validate, test, docs"
DESCRIPTION = "Inspect and check a knowledge pack."
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = "a fixture failed (rules test)"
EXAMPLES = """\
examples:
  staffcheck rules list
  staffcheck rules show seo-specialist-in-taobao-post
  staffcheck rules validate my-pack/
  staffcheck rules test
  staffcheck rules docs --output docs/knowledge-base.md
"""
DIRECTORY_HELP = "pack directory (default: --rules, or the bundled pack)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The actions of ``rules``, each with its arguments."""
    actions = parser.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    _action(actions, "list", "list strategies, posts and rules")
    _action(actions, "show", "show one rule, role or strategy in full").add_argument(
        "rule_id", metavar="ID"
    )
    for name, summary in (
        ("validate", "check a pack and list every problem with file:line"),
        ("test", "run the pack's fixtures: which rules must and must not fire"),
        ("docs", "generate the pack's Markdown catalogue"),
    ):
        action = _action(actions, name, summary)
        action.add_argument("directory", nargs="?", type=Path, metavar="DIR", help=DIRECTORY_HELP)
    actions.choices["docs"].add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=argparse.SUPPRESS,
        help="write the catalogue to FILE (atomically) instead of standard output",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run the chosen action."""
    actions = {
        "list": run_list,
        "show": run_show,
        "validate": run_validate,
        "test": run_test,
        "docs": run_docs,
    }
    return actions[args.rules_command](args)


def _action(
    actions: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str
) -> argparse.ArgumentParser:
    action = actions.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=EXAMPLES,
    )
    options.add_rules(action)
    return action


def _pack(args: argparse.Namespace) -> Path:
    from staffcheck.knowledge import bundled_rules_dir

    directory: Path | None = args.directory or args.rules
    return directory or bundled_rules_dir()


def run_list(args: argparse.Namespace) -> int:
    """Print the pack's strategies, posts and rules."""
    from staffcheck.knowledge import load_knowledge
    from staffcheck.reporters import render

    sys.stdout.write(render(load_knowledge(args.rules), "table", _view(args)))
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one entry of the pack in full; exit 2 (with a did-you-mean) if there is none."""
    from staffcheck.knowledge import load_knowledge
    from staffcheck.lookup import find_entry
    from staffcheck.reporters import render

    entry = find_entry(load_knowledge(args.rules), args.rule_id)
    sys.stdout.write(render(entry, "table", _view(args)))
    return 0


def _view(args: argparse.Namespace) -> RenderOptions:
    # The listings are plain text on a terminal too: no --no-color to honour.
    return RenderOptions(color=False, width=options.render_options(args).width)


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of a pack, one per line; exit 2 if there is any."""
    from staffcheck.knowledge import lint_knowledge, load_knowledge, pack_files

    directory = _pack(args)
    pack_files(directory)  # a missing directory is a usage error: one line, from main()
    try:
        kb = load_knowledge(directory)
    except StaffcheckError as exc:
        for problem in exc.problems:
            print(inert(str(problem)), file=sys.stderr)
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


def run_docs(args: argparse.Namespace) -> int:
    """Print the pack's Markdown catalogue, or write it to --output (atomically)."""
    from staffcheck.catalogue import build_catalogue
    from staffcheck.fixtures import fixture_files
    from staffcheck.knowledge import pack_files

    directory = _pack(args)
    text = build_catalogue(directory)
    options.write(text, args, [*pack_files(directory), *fixture_files(directory)])
    return 0


def run_test(args: argparse.Namespace) -> int:
    """Run the pack's fixtures like a test runner; exit 1 if any fails or a rule is untested."""
    from staffcheck.fixtures import (
        example_fixtures,
        fixture_files,
        load_fixture,
        run_fixture,
        untested_rules,
    )
    from staffcheck.knowledge import load_knowledge

    directory = _pack(args)
    kb = load_knowledge(directory)
    fixtures = example_fixtures(kb)
    errors = 0
    for path in fixture_files(directory):
        try:
            fixtures.append(load_fixture(path, kb))
        except StaffcheckError as exc:
            errors += 1
            for problem in exc.problems:
                print(f"ERROR {inert(str(problem))}")
    failed = 0
    for fixture in fixtures:
        outcome = run_fixture(kb, fixture)
        name = fixture.name
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
