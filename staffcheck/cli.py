"""The command line: parse, load, diagnose, report, return an exit code. No logic lives only here."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from staffcheck import __version__
from staffcheck.errors import StaffcheckError
from staffcheck.knowledge import load_knowledge, load_strategy_file, pack_files
from staffcheck.model import KnowledgeBase, Report, Severity, Strategy
from staffcheck.output import write_output
from staffcheck.reporters import FORMATS, RenderOptions, get_reporter
from staffcheck.reporters.text import inert

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
PLAN_FORMATS = ("table", "json", "markdown")  # kept equal to plan_cli's by a test

SCREEN_EXAMPLES = """\
examples:
  staffcheck screen candidates/sun-li.yaml --strategy taobao-store
  staffcheck screen drive.csv --role taobao-operator --top 20
  staffcheck screen applicants/ --format jsonl --jobs 2 > results.jsonl
  cat referrals.jsonl | staffcheck screen - --fail-on high
"""
TEAM_EXAMPLES = """\
examples:
  staffcheck team profiles/examples/spring-launch.yaml
  staffcheck team spring-launch.yaml --format html --output report.html
  staffcheck team my-team.yaml --rules my-pack/ --fail-on high
"""
RULES_EXAMPLES = """\
examples:
  staffcheck rules list
  staffcheck rules show seo-specialist-in-taobao-post
  staffcheck rules validate my-pack/
  staffcheck rules test
  staffcheck rules docs --output docs/knowledge-base.md
"""
PLAN_EXAMPLES = """\
examples:
  staffcheck plan --strategy taobao-store
  staffcheck plan --strategy search-centred --format json --output plan.json
  staffcheck plan --strategy content-marketing --format markdown
"""
EXIT_CODES = """\
exit status:
  0 ran (findings are results)   1 a finding reached --fail-on
  2 bad usage or input           130 interrupted
"""


def _common(parser: argparse.ArgumentParser, *, report: bool = True, top: bool = False) -> None:
    """The global options. They are accepted before or after the command; after wins.

    On sub-commands their default is SUPPRESS, so an option given before the command is not
    overwritten by the sub-command's default.
    """

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    parser.add_argument(
        "--rules",
        metavar="DIR",
        type=Path,
        default=default(None),
        help="knowledge pack to use instead of the bundled one",
    )
    if not report:
        return
    parser.add_argument(
        "--format",
        type=str.lower,
        choices=(*FORMATS, "jsonl"),
        default=default("table"),
        help="report format (default: table); jsonl: one JSON object per candidate (screen)",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        type=Path,
        default=default(None),
        help="write the report to FILE (atomically) instead of standard output",
    )
    parser.add_argument(
        "--fail-on",
        metavar="SEVERITY",
        type=str.lower,
        choices=[s.value for s in Severity],
        default=default(None),
        help="exit 1 if any finding is this severe or worse (critical, high, medium, low, info)",
    )
    parser.add_argument(
        "--no-color",
        action="store_true",
        default=default(False),
        help="no colour in the terminal report",
    )


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps prose paragraphs to the terminal; keeps indented lines (examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for block in text.split("\n\n"):
            if block.startswith((" ", "examples:", "exit status:")) or "\n  " in block:
                paragraphs.append(block)
            else:
                paragraphs.append(textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                                subsequent_indent=indent))  # fmt: skip
        return "\n\n".join(paragraphs)


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line, like every other error of staffcheck."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"staffcheck: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="staffcheck",
        description="Can your people carry out your marketing strategy? A rule-based expert "
        "system that finds post–skill mismatches and the posts nobody covers.",
        epilog="Run 'staffcheck COMMAND --help' for a command's options and examples.\n"
        + EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"staffcheck {__version__}")
    _common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    sc = commands.add_parser(
        "screen",
        help="screen candidates for a post",
        description="Screen one or more candidates for the post they apply for (or --role), "
        "under a strategy, and say whether each fits, with the reasons and better posts.",
        epilog=SCREEN_EXAMPLES + EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    sc.add_argument(
        "profiles",
        nargs="+",
        metavar="INPUT",
        help="profile YAML files, directories (searched recursively), CSV or XLSX exports "
        "(one applicant per row), JSON Lines files (.jsonl), or - for standard input",
    )
    sc.add_argument(
        "--strategy",
        "-s",
        metavar="ID|FILE",
        help="strategy id from the knowledge pack, or a YAML file with one strategy",
    )
    sc.add_argument(
        "--role",
        "-r",
        metavar="ROLE",
        help="screen everyone for this post and rank them, best first "
        "(default: each profile's applying_for, in input order)",
    )
    sc.add_argument("--top", type=_positive, metavar="N", help="report only the first N")
    sc.add_argument(
        "--jobs", "-j", type=_positive, metavar="N",
        help="processes to screen with (default and most: the cores available); results do not depend on N",
    )  # fmt: skip
    sc.add_argument("--quiet", "-q", action="store_true", help="no progress bar on standard error")
    sc.add_argument(
        "--stdin-format", choices=("auto", "yaml", "csv", "jsonl"), default="auto",
        help="format of standard input (default: guess from its first line)",
    )  # fmt: skip
    _common(sc)

    tm = commands.add_parser(
        "team",
        help="can this team run its strategy?",
        description="Assess a team file: every member on their post, and the posts the "
        "strategy needs that nobody covers.",
        epilog=TEAM_EXAMPLES + EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    tm.add_argument("team", type=Path, metavar="TEAM_FILE", help="YAML team file")
    tm.add_argument(
        "--as-of", type=_iso_date, metavar="YYYY-MM-DD",
        help="judge the team's waivers as of this date (default: today)",
    )  # fmt: skip
    _common(tm)

    pl = commands.add_parser(
        "plan",
        help="the staffing plan a strategy implies",
        description="Decompose a strategy into its modules, the posts that carry them, each "
        "post's essential skills, headcount and priority (critical first).",
        epilog=PLAN_EXAMPLES + EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    pl.add_argument("--strategy", "-s", metavar="ID", required=True, help="strategy id")
    _common(pl, report=False)
    pl.add_argument(
        "--format",
        type=str.lower,
        choices=PLAN_FORMATS,
        default=argparse.SUPPRESS,
        help="plan format (default: table)",
    )
    pl.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        type=Path,
        default=argparse.SUPPRESS,
        help="write the plan to FILE (atomically) instead of standard output",
    )
    pl.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help="no colour")

    from staffcheck import explain_cli

    ex = commands.add_parser(
        "explain",
        help="how each finding was reached; why (not) a post; what to do",
        description=explain_cli.DESCRIPTION,
        epilog=explain_cli.EXAMPLES + EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    explain_cli.add_arguments(ex)
    _common(ex, report=False)

    rl = commands.add_parser(
        "rules",
        help="what the system knows: list, show, validate, test, docs",
        description="Inspect and check a knowledge pack.",
        epilog=RULES_EXAMPLES,
        formatter_class=_HelpFormatter,
    )
    rules = rl.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    _rules_action(rules, "list", "list strategies, posts and rules")
    show = _rules_action(rules, "show", "show one rule, role or strategy in full")
    show.add_argument("rule_id", metavar="ID")
    for name, summary in (
        ("validate", "check a pack and list every problem with file:line"),
        ("test", "run the pack's fixtures: which rules must and must not fire"),
    ):
        _rules_action(rules, name, summary).add_argument(
            "directory",
            nargs="?",
            type=Path,
            metavar="DIR",
            help="pack directory (default: --rules, or the bundled pack)",
        )
    docs = _rules_action(rules, "docs", "generate the pack's Markdown catalogue")
    docs.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="pack directory (default: --rules, or the bundled pack)",
    )
    docs.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        type=Path,
        default=argparse.SUPPRESS,
        help="write the catalogue to FILE (atomically) instead of standard output",
    )
    return parser


def _rules_action(
    actions: argparse._SubParsersAction[_Parser], name: str, summary: str
) -> argparse.ArgumentParser:
    action = actions.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=RULES_EXAMPLES,
        formatter_class=_HelpFormatter,
    )
    _common(action, report=False)
    return action


def _iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def _resolve_strategy(kb: KnowledgeBase, value: str | None) -> Strategy | None:
    if value is None:
        return None
    path = Path(value)
    if value.endswith((".yaml", ".yml")) or path.is_file():
        return load_strategy_file(path, kb)
    from staffcheck.diagnose import find_strategy

    return find_strategy(kb, value)


def _emit(report: Report, args: argparse.Namespace, inputs: Sequence[Path]) -> int:
    reporter = get_reporter(args.format)
    if args.output is not None and str(args.output) == "-":
        args.output = None  # the usual spelling of "standard output"
    to_terminal = args.output is None and sys.stdout.isatty()
    color = to_terminal and not args.no_color and "NO_COLOR" not in os.environ
    width = 80
    if to_terminal:
        width = max(60, min(os.get_terminal_size().columns, 120))
    text = reporter(report, RenderOptions(color=color, width=width))
    if args.output is not None:
        write_output(args.output, text, inputs)
    else:
        sys.stdout.write(text)
    if args.fail_on is not None:
        threshold = Severity(args.fail_on).weight
        worst = report.worst_severity()
        if worst is not None and worst.weight >= threshold:
            return EXIT_FINDINGS
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    # Each command imports what it needs here: start-up is part of every run's wall time.
    if args.command == "rules":
        from staffcheck import rules_cli

        return rules_cli.run(args)
    if args.command == "plan":
        from staffcheck import plan_cli

        return plan_cli.run(args)
    if args.command == "explain":
        from staffcheck import explain_cli

        return explain_cli.run(args)
    kb = load_knowledge(args.rules)
    if args.command == "screen":
        from staffcheck import screen_cli

        strategy = _resolve_strategy(kb, args.strategy)
        extra = [Path(args.strategy)] if args.strategy and Path(args.strategy).is_file() else []
        return screen_cli.run(args, kb, strategy, extra, _emit)
    if args.format == "jsonl":
        raise StaffcheckError.at("--format jsonl is for 'screen'", hint="use --format json")
    from staffcheck.diagnose import assess_team
    from staffcheck.profiles import load_team

    team = load_team(args.team, kb)
    members = [Path(m.profile.source.path) for m in team.members]
    inputs = [args.team, *members, *pack_files(Path(kb.root))]
    return _emit(assess_team(kb, team, args.as_of), args, inputs)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``staffcheck`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except StaffcheckError as exc:
        # Messages quote the user's files: make escape sequences in them visible, not live.
        print(f"staffcheck: error: {inert(exc.summary())}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("staffcheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("STAFFCHECK_DEBUG"):
            raise
        print(
            f"staffcheck: internal error: {type(exc).__name__}: {inert(str(exc))} "
            "(a bug: please report it; set STAFFCHECK_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
