"""``staffcheck rules list | show | validate | test | docs``: what a knowledge pack holds, and whether it is sound."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from staffcheck.cli import options
from staffcheck.cli.argwords import examples
from staffcheck.i18n import tr
from staffcheck.reporters import RenderOptions, formats_for

NAME = "rules"
HELP = "what the system knows: list, show, validate, test, docs"
DESCRIPTION = "Inspect and check a knowledge pack."
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = "a fixture failed (rules test)"
EXAMPLES = """\
examples:
  staffcheck rules list
  staffcheck rules show seo-specialist-in-taobao-post
  staffcheck rules validate
  staffcheck rules test
  staffcheck rules validate --format json
  staffcheck rules docs --output knowledge-base.md
"""
DIRECTORY_HELP = "pack directory (default: --rules, or the bundled pack)"


#: The result type each action produces (its --format choices come from the reporters' table).
RESULTS = {
    "list": "KnowledgeBase",
    "show": "PackEntry",
    "validate": "PackCheck",
    "test": "FixtureRun",
}


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
        action.add_argument(
            "directory", nargs="?", type=Path, metavar="DIR", help=tr(DIRECTORY_HELP)
        )
    for name, result in RESULTS.items():
        formats = formats_for(result)
        actions.choices[name].add_argument(
            "--format", type=str.lower, choices=formats, default=argparse.SUPPRESS,
            help=tr("output format (default: {format})", format=formats[0]),
        )  # fmt: skip
    actions.choices["docs"].add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=argparse.SUPPRESS,
        help=tr("write the catalogue to FILE (atomically) instead of standard output"),
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
        help=tr(summary),
        description=tr(_sentence(summary)),
        epilog=examples(EXAMPLES),
    )
    options.add_rules(action)
    return action


def _sentence(summary: str) -> str:
    """A summary as the sentence that opens an action's help."""
    return summary[0].upper() + summary[1:] + "."


def _pack(args: argparse.Namespace) -> Path:
    from staffcheck.knowledge import bundled_rules_dir

    directory: Path | None = args.directory or args.rules
    return directory or bundled_rules_dir()


def run_list(args: argparse.Namespace) -> int:
    """Print the pack's strategies, posts and rules."""
    from staffcheck.knowledge import load_knowledge

    _emit(load_knowledge(args.rules), args)
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one entry of the pack in full; exit 2 (with a did-you-mean) if there is none."""
    from staffcheck.knowledge import load_knowledge
    from staffcheck.lookup import find_entry

    _emit(find_entry(load_knowledge(args.rules), args.rule_id), args)
    return 0


def _emit(result: object, args: argparse.Namespace) -> None:
    """Print `result` in ``--format``; plain text on a terminal too (no --no-color to honour)."""
    from staffcheck.reporters import render

    options.check_format(
        args, f"rules {args.rules_command}", formats_for(RESULTS[args.rules_command])
    )
    view = RenderOptions(color=False, width=options.render_options(args).width)
    sys.stdout.write(render(result, args.format, view))


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of a pack, one per line; exit 2 if there is any."""
    from staffcheck.knowledge import check_pack
    from staffcheck.reporters.checks import check_notes

    check = check_pack(_pack(args))
    for note in check_notes(check):
        print(note, file=sys.stderr)
    _emit(check, args)
    return 0 if check.ok else 2


def run_docs(args: argparse.Namespace) -> int:
    """Print the pack's Markdown catalogue, or write it to --output (atomically)."""
    from staffcheck.catalogue import build_catalogue
    from staffcheck.fixtures import fixture_files
    from staffcheck.knowledge import pack_files

    # A Markdown catalogue: a file named otherwise (.html, .json) is refused before any work.
    options.format_for_file("rules docs", None, options.output_path(args), ("markdown",), "")
    directory = _pack(args)
    text = build_catalogue(directory)
    options.write(text, args, [*pack_files(directory), *fixture_files(directory)])
    return 0


def run_test(args: argparse.Namespace) -> int:
    """Run the pack's fixtures like a test runner; exit 1 if any fails or a rule is untested."""
    from staffcheck.fixtures import run_fixtures
    from staffcheck.knowledge import load_knowledge

    directory = _pack(args)
    run = run_fixtures(load_knowledge(directory), directory)
    _emit(run, args)
    return 0 if run.ok else 1
