"""The argument parser: the global options, then one sub-parser per command, each from its module."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn, cast

from staffcheck import __version__
from staffcheck.cli import (
    EXIT_ERROR,
    ask,
    completion,
    explain,
    options,
    plan,
    rules,
    schema,
    screen,
    team,
    template,
)
from staffcheck.cli import examples as examples_command
from staffcheck.cli.argwords import examples, language_of, usage_error
from staffcheck.cli.wrapping import columns, is_wide, wrap
from staffcheck.escaping import inert
from staffcheck.i18n import from_environment, language, set_language, tr

#: One module per command, each with NAME, HELP, DESCRIPTION, EXAMPLES, EXIT_ONE (what exit
#: status 1 means for it, or None), ``add_arguments(parser)`` and ``run(args) -> int``; in the
#: order ``--help`` lists them.
COMMANDS = (
    screen,
    ask,
    team,
    plan,
    explain,
    rules,
    template,
    schema,
    examples_command,
    completion,
)
#: Options given before the command are kept only if the command has them: dest -> default.
GLOBAL_DEFAULTS = {
    "rules": None, "format": None, "output": None, "fail_on": None, "no_color": False,
    "lang": None, "config": None, "no_config": False,
}  # fmt: skip
#: Global options every command accepts, whether it has a use for them or not.
HARMLESS = frozenset({"no_color", "lang", "config", "no_config"})


def exit_status(one: str | None) -> str:
    """The ``exit status:`` part of a help text; `one` says what status 1 means, if it is used."""
    lines = [tr("exit status:"), "  0   " + tr("ran (findings are results, not errors)")]
    if one:
        lines.append("  1   " + tr(one))
    lines += ["  2   " + tr("bad usage or input"), "  130 " + tr("interrupted")]
    return "\n".join(lines) + "\n"


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps prose paragraphs to the terminal; keeps indented lines (examples) as written."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
        width: int | None = None,
    ) -> None:  # fmt: skip
        # argparse's own width, found without importing shutil: argparse makes a formatter for
        # every argument it adds, and shutil brings the compression modules with it (issue 15).
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for block in text.split("\n\n"):
            headings = (tr("examples:"), tr("exit status:"))
            if block.startswith((" ", "examples:", "exit status:", *headings)) or "\n  " in block:
                paragraphs.append(block)
            elif is_wide(block):
                paragraphs.append("\n".join(wrap(block, width, indent)))
            else:
                paragraphs.append(textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                                subsequent_indent=indent))  # fmt: skip
        return "\n\n".join(paragraphs)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width) if is_wide(text) else super()._split_lines(text, width)

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, tr("usage: ") if prefix is None else prefix)

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        """argparse lines the usage's continuation lines up by the prefix's characters; a wide
        prefix ("用法：") takes more columns than it has characters."""
        extra = 0 if prefix is None else columns(prefix) - len(prefix)
        self._width -= extra  # lines made shorter by the columns they will be moved right
        try:
            text: str = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width += extra
        if not extra:
            return text
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line.strip() else line for line in rest)])


def _terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line, like every other error of staffcheck; every
    sub-parser (command or action) formatted alike; argparse's own words in our language."""

    #: The command line being parsed (``--show-config`` reads ``--config`` wherever it is).
    words: tuple[str, ...] = ()
    #: The commands (on the top-level parser).
    commands: Commands

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = tr("positional arguments")
        self._optionals.title = tr("options")
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS,
            help=tr("show this help message and exit"),
        )  # fmt: skip

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_ERROR,
            "staffcheck: error: "
            + tr(
                "{problem} (see '{command} --help')",
                problem=inert(usage_error(message)),  # it quotes the command line
                command=self.prog,
            )
            + "\n",
        )


def build_parser(*, lazy: bool = False) -> Parser:
    """The ``staffcheck`` parser; the chosen command's ``run`` ends up in ``args.run``. `lazy`:
    each command's arguments are added only if it is the one parsed (`Commands`)."""
    parser = Parser(
        prog="staffcheck",
        description=tr(
            "Can your people carry out your marketing strategy? A rule-based expert "
            "system that finds post–skill mismatches and the posts nobody covers."
        ),
        epilog=tr("Run 'staffcheck COMMAND --help' for a command's options and examples.")
        + "\n"
        + exit_status("a finding reached --fail-on (screen, team); a fixture failed (rules test)"),
    )
    parser.add_argument(
        "--version", action="version", version=f"staffcheck {__version__}",
        help=tr("show program's version number and exit"),
    )  # fmt: skip
    options.add_global(parser)
    commands = cast(
        Commands,
        parser.add_subparsers(dest="command", metavar="COMMAND", required=True, action=Commands),
    )
    parser.commands = commands
    for command in COMMANDS:
        sub = commands.add_parser(
            command.NAME,
            help=tr(command.HELP),
            description=tr(command.DESCRIPTION),
            epilog=examples(command.EXAMPLES) + exit_status(command.EXIT_ONE),
        )
        commands.pending[command.NAME] = partial(_fill, sub, command)
        if not lazy:
            commands.fill(command.NAME)
    return parser


if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[Parser]
else:  # not generic at run time
    _SubParsers = argparse._SubParsersAction


def _fill(parser: argparse.ArgumentParser, command: ModuleType) -> None:
    """Give a command's parser its arguments, and what it runs."""
    command.add_arguments(parser)
    parser.set_defaults(run=command.run)
    _mark_leaves(parser)


class Commands(_SubParsers):
    """The commands' sub-parsers. Each gets its arguments when it is filled: all at once for
    completion, or only the chosen one when a command line is parsed (one run needs one
    command's options; building every command's took a tenth of a screening's start-up)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Command name -> what gives its parser its arguments, until it is filled.
        self.pending: dict[str, Callable[[], None]] = {}
        #: Changes made to every parser (`options.strategy_optional`): also to those filled later.
        self.changes: list[Callable[[argparse.ArgumentParser], None]] = []

    def fill(self, name: str) -> None:
        fill = self.pending.pop(name, None)
        if fill is not None:
            fill()
            for change in self.changes:
                change(self.choices[name])

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if isinstance(values, list) and values:  # [command, its arguments...]
            self.fill(values[0])
        super().__call__(parser, namespace, values, option_string)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line; an option given before the command must be one the command has.

    The language is chosen first, from ``--lang`` wherever it is or the environment: the help
    and usage errors are written as the parser is built and used; a configuration file's
    ``lang`` counts, so it is read first (its errors wait until ``--help`` has had its turn)."""
    words = sys.argv[1:] if argv is None else argv
    set_language(language_of(words))  # for the configuration's own errors
    request = options.config_request(words)
    settings = options.read_settings(request)
    chosen = language_of(words, options.help_environment(settings))
    if chosen != language():  # the configuration's own `lang`: its problems told in it too
        set_language(chosen)
        settings = options.read_settings(request)
    parser = build_parser(lazy=True)
    parser.words = tuple(words)
    if settings.strategy is not None or settings.flaws:
        # From the configuration, or its problem told first; the command's parser is filled later.
        options.strategy_optional(parser)
        parser.commands.changes.append(options.strategy_optional)
    args = parser.parse_args(argv)
    leaf: argparse.ArgumentParser = args.leaf
    given = options.given_request(args)
    if given[0] is not None and given[1]:
        leaf.error(str(options.contradiction().problems[0]))
    if given != request:  # an abbreviation the early look did not take for ours
        settings = options.read_settings(given)
    own = {action.dest for action in leaf._actions}
    for dest, default in GLOBAL_DEFAULTS.items():
        if hasattr(args, dest) and dest not in own and dest not in HARMLESS:
            option = "--" + dest.replace("_", "-")
            leaf.error(tr("'{command}' has no {option} option", command=leaf.prog, option=option))
        if not hasattr(args, dest):
            setattr(args, dest, default)
    options.fatal_flaws(args, own, settings)
    options.apply_settings(args, own, settings)
    options.require_strategy(args, leaf)
    set_language(args.lang or from_environment())
    options.check_with_pack(args)
    return args


def _mark_leaves(parser: argparse.ArgumentParser) -> None:
    """Record on every parser that runs something (a command, or a rules action) which it is."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        parser.set_defaults(leaf=parser)
        options.add_lang(parser)
        options.add_config(parser)
    for action in subcommands:
        for child in action.choices.values():
            _mark_leaves(child)
