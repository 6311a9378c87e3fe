"""The argument parser: the global options, then one sub-parser per command, each from its module."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any, NoReturn

from staffcheck import __version__
from staffcheck.cli import EXIT_ERROR, explain, options, plan, rules, screen, team

EXIT_CODES = """\
exit status:
  0 ran (findings are results)   1 a finding reached --fail-on
  2 bad usage or input           130 interrupted
"""
#: One module per command, each with NAME, HELP, DESCRIPTION, EXAMPLES, ``add_arguments(parser)``
#: and ``run(args) -> int``; in the order ``--help`` lists them.
COMMANDS = (screen, team, plan, explain, rules)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
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


class Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line, like every other error of staffcheck; and every
    sub-parser (command or action) formatted alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"staffcheck: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``staffcheck`` parser; the chosen command's ``run`` ends up in ``args.run``."""
    parser = Parser(
        prog="staffcheck",
        description="Can your people carry out your marketing strategy? A rule-based expert "
        "system that finds post–skill mismatches and the posts nobody covers.",
        epilog="Run 'staffcheck COMMAND --help' for a command's options and examples.\n"
        + EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"staffcheck {__version__}")
    options.add_global(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(
            command.NAME,
            help=command.HELP,
            description=command.DESCRIPTION,
            epilog=command.EXAMPLES + EXIT_CODES,
        )
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser
