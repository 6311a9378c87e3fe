"""The options commands share, declared once, and what they decide: format, output, colour, width."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from staffcheck.cli import EXIT_FINDINGS, EXIT_OK
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.model import Severity
from staffcheck.reporters import (
    BINARY_FORMATS,
    BYTE_FORMATS,
    RENDERERS,
    RenderOptions,
    render,
    render_bytes,
)

if TYPE_CHECKING:
    from staffcheck.config import Setting, Settings
    from staffcheck.errors import Problem
    from staffcheck.model import Team
    from staffcheck.reporters.meta import ReportMeta

# Shared options have no default on any parser (SUPPRESS): they are accepted before or after the
# command (after wins), and `parser.parse` tells one given from one left out, refuses one the
# command does not have, and fills in the defaults (`parser.GLOBAL_DEFAULTS`).
UNSET = argparse.SUPPRESS


def add_rules(parser: argparse.ArgumentParser) -> None:
    """``--rules DIR``: the knowledge pack to use."""
    parser.add_argument(
        "--rules", metavar="DIR", type=Path, default=UNSET,
        help=tr("knowledge pack to use instead of the bundled one"),
    )  # fmt: skip


def add_profiles(parser: argparse.ArgumentParser) -> None:
    """``--profiles DIR``: where a team's member profile files may be besides the team file's
    directory and the current one (`profiles.profile_roots`)."""
    parser.add_argument(
        "--profiles", metavar="DIR", type=Path, action="append", default=[],
        help=tr("a directory the team's member profile files may be in, besides the team "
                "file's and the current one (may be repeated)"),
    )  # fmt: skip


def add_output(parser: argparse.ArgumentParser, what: str, formats: Sequence[str]) -> None:
    """``--format`` (choices from the reporters' table), ``--output`` and ``--no-color``; `what`
    is what is written ("output", "report", "plan"), in English: it is translated here."""
    what = {"output": tr("output"), "report": tr("report"), "plan": tr("plan")}.get(what, what)
    parser.add_argument(
        "--format", type=str.lower, choices=formats, default=UNSET,
        help=tr("{what} format (default: from the --output file's suffix, else table)", what=what)
        + _format_notes(formats),
    )  # fmt: skip
    suffixes = [_MAIN_SUFFIXES[fmt] for fmt in _MAIN_SUFFIXES if fmt in formats]
    parser.add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=UNSET,
        help=tr("write the {what} to FILE (atomically) instead of standard output; without "
                "--format, the file's suffix chooses the format ({suffixes}; .txt or none: "
                "table)", what=what, suffixes=tr(", ").join(suffixes))
        + _contradiction_note(formats),
    )  # fmt: skip
    parser.add_argument(
        "--no-color", action="store_true", default=UNSET,
        help=tr("no colour in the terminal output"),
    )  # fmt: skip


def _contradiction_note(formats: Sequence[str]) -> str:
    """The rule when --format and the file's suffix disagree, for the formats a program parses."""
    strict = [
        _MAIN_SUFFIXES[fmt] for fmt in _MAIN_SUFFIXES if fmt in formats and fmt in STRICT_FORMATS
    ]
    if not strict:
        return ""
    return tr("; --format is refused when a {suffixes} suffix says another format; a device "
              "or a pipe (/dev/stdout) is written into, never replaced",
              suffixes=tr(", ").join(strict))  # fmt: skip


#: The suffix ``--output``'s help names for each format a command may write (its main one).
_MAIN_SUFFIXES = {
    "html": ".html", "markdown": ".md", "json": ".json", "jsonl": ".jsonl", "csv": ".csv",
    "xlsx": ".xlsx",
}  # fmt: skip


def _format_notes(formats: Sequence[str]) -> str:
    """What the row-per-item formats hold, for the formats this command has: screening's csv
    and xlsx have a row per candidate; a plan's xlsx (no csv) a row per step."""
    notes = []
    if "jsonl" in formats:
        notes.append(tr("jsonl: one JSON object per candidate, written as each is screened"))
    if "csv" in formats:
        notes.append(
            tr(
                "csv, xlsx: one row per candidate, for a spreadsheet (xlsx: to --output FILE or a pipe)"
            )
        )
    elif "xlsx" in formats:
        notes.append(
            tr("xlsx: one row per step, its bar drawn in cell fills (to --output FILE or a pipe)")
        )
    return "".join(tr("; {note}", note=note) for note in notes)


#: ``--fail-on none``: findings never change the exit status, whatever the configuration says.
FAIL_NEVER = "none"


def add_fail_on(parser: argparse.ArgumentParser) -> None:
    """``--fail-on SEVERITY``: exit 1 when a finding is that severe (``none``: never)."""
    parser.add_argument(
        "--fail-on", metavar="SEVERITY", type=str.lower,
        choices=[*(s.value for s in Severity), FAIL_NEVER], default=UNSET,
        help=tr("exit 1 if any finding is this severe or worse (critical, high, medium, low, "
                "info; none: never, whatever the configuration says)"),
    )  # fmt: skip


def add_lang(parser: argparse.ArgumentParser) -> None:
    """``--lang``: the language of every human-readable text (ids and JSON keys stay English)."""
    from staffcheck.i18n import available

    parser.add_argument(
        "--lang", metavar="LANG", type=language_code, default=UNSET,
        help=tr("language of reports and messages: {languages}, or another language the "
                "knowledge pack declares (default: from LC_ALL, LC_MESSAGES or LANG; English "
                "if none is one of these)",
                languages=", ".join(available())),
    )  # fmt: skip


def language_code(value: str) -> str:
    """``--lang``'s value: a language code (``zh``, ``fr``); whether the program or the pack
    speaks it is known only once the pack is loaded (`knowledge.load_knowledge` says)."""
    code = value.strip().lower()
    if not re.fullmatch(r"[a-z]{2,3}", code):
        raise argparse.ArgumentTypeError(
            tr("{value!r} is not a language code such as zh or en", value=value)
        )
    return code


def add_global(parser: argparse.ArgumentParser) -> None:
    """The options accepted before the command, for any command that has them."""
    add_lang(parser)
    add_rules(parser)
    every_format = tuple(dict.fromkeys(fmt for _, fmt in RENDERERS))
    add_output(parser, "output", every_format)
    add_fail_on(parser)
    add_config(parser)
    parser.add_argument(
        "--show-config", action=ShowConfig,
        help=tr("show the settings in effect and where each comes from, then exit (flags "
                "given on the command line still win over them)"),
    )  # fmt: skip


#: The format a file's suffix names (``.txt``: the terminal's table, as plain text).
SUFFIX_FORMATS = {
    ".htm": "html", ".html": "html", ".md": "markdown", ".markdown": "markdown",
    ".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".xlsx": "xlsx", ".txt": "table",
}  # fmt: skip
#: Formats whose file another program parses: writing any other format under their suffix
#: gives a file that program refuses (a table in an .xlsx).
STRICT_FORMATS = frozenset({"html", "json", "jsonl", "csv", "xlsx"})
#: Suffixes of files other programs read that staffcheck does not write.
FOREIGN_SUFFIXES = frozenset(
    {".ods", ".xls", ".xlsm", ".xlsb", ".numbers", ".tsv", ".pdf", ".doc", ".docx", ".odt",
     ".rtf", ".xml"}
)  # fmt: skip


def format_for_file(
    command: str, given: str | None, target: Path | None, formats: Sequence[str], default: str
) -> str:
    """The format to write: `given` (``--format``), else the one `target`'s suffix names, else
    `default`; exit 2 when the format and the suffix disagree, or the suffix names a file this
    command cannot write (``-o x.ods``), before any work is done."""
    suffix = target.suffix.lower() if target is not None and not _device(target) else ""
    named = SUFFIX_FORMATS.get(suffix)
    if suffix in FOREIGN_SUFFIXES or (given is None and named is not None and named not in formats):
        raise StaffcheckError.at(
            tr("{command} cannot write a {suffix} file", command=command, suffix=suffix),
            target,
            hint=tr("name a file ending in one of: {suffixes}", suffixes=_suffixes(formats)),
        )
    if given is None:
        return named or default
    if named is not None and named != given and {named, given} & STRICT_FORMATS:
        raise StaffcheckError.at(
            tr("--format {format} does not match the file's suffix {suffix}",
               format=given, suffix=suffix),
            target,
            hint=tr("drop --format to write {named}, or name a file ending in the format's suffix",
                    named=named),
        )  # fmt: skip
    return given


def _suffixes(formats: Sequence[str]) -> str:
    return tr(", ").join(s for s, fmt in SUFFIX_FORMATS.items() if fmt in formats)


def _device(target: Path) -> bool:
    """/dev/null, a terminal, a pipe, /proc/self/fd/1: its name says nothing about the format."""
    from staffcheck.output import written_through

    return str(target).startswith("/dev/") or written_through(target)


def check_format(
    args: argparse.Namespace, command: str, formats: Sequence[str], *, report_file: bool = True
) -> None:
    """Settle ``args.format`` (from ``--output``'s suffix when not given and `report_file`: the
    file is the report), refuse one this command does not have, one the file's suffix
    contradicts, and a binary file (xlsx) bound for the terminal, before any work is done."""
    target = output_path(args) if report_file else None
    args.format = format_for_file(command, args.format, target, formats, "table")
    if args.format not in formats:
        raise StaffcheckError.at(
            tr("{command} has no {format} format", command=command, format=repr(args.format)),
            hint=tr("use one of: {formats}", formats=", ".join(formats)),
        )
    if args.format in BINARY_FORMATS and output_path(args) is None and sys.stdout.isatty():
        raise StaffcheckError.at(
            tr("an {format} workbook is a file, not text for the terminal", format=args.format),
            hint=tr("use --output FILE, or redirect: > results.{format}", format=args.format),
        )


def output_path(args: argparse.Namespace) -> Path | None:
    """The ``--output`` file, or None for standard output (also spelt ``-``)."""
    target: Path | None = getattr(args, "output", None)
    return None if target is None or str(target) == "-" else target


def render_options(args: argparse.Namespace, *, to_file: bool | None = None) -> RenderOptions:
    """Colour and width: a terminal's (60 to 120 columns, colour unless refused), else 80, plain.

    The text goes to ``--output`` if there is one, unless `to_file` says otherwise (``ask``'s
    ``--output`` is a profile file; its report always goes to standard output).
    """
    if to_file is None:
        to_file = output_path(args) is not None
    to_terminal = not to_file and sys.stdout.isatty()
    if not to_terminal:
        return RenderOptions(color=False, width=80)
    refused = getattr(args, "no_color", False) or "NO_COLOR" in os.environ
    return RenderOptions(color=not refused, width=max(60, min(os.get_terminal_size().columns, 120)))


def emit(
    result: object,
    args: argparse.Namespace,
    inputs: Sequence[Path] = (),
    meta: ReportMeta | None = None,
) -> None:
    """Render `result` in ``--format`` (with its provenance `meta`, if given, in a text format)
    and write it to ``--output`` (atomically) or stdout."""
    if args.format in BYTE_FORMATS:
        write(render_bytes(result, args.format, render_options(args)), args, inputs)
        return
    text = render(result, args.format, dataclasses.replace(render_options(args), meta=meta))
    write(text, args, inputs)


def emit_parts(
    result: object,
    args: argparse.Namespace,
    inputs: Sequence[Path] = (),
    meta: ReportMeta | None = None,
) -> None:
    """`emit`, writing the document part by part as it is made (`reporters.text_parts`): a
    screening's ranking is never held as one document."""
    from staffcheck.reporters import byte_parts, text_parts

    target = output_path(args)
    if args.format in BYTE_FORMATS:
        data = byte_parts(result, args.format, render_options(args))
        if target is None:
            sys.stdout.flush()  # text written before must come first
            for chunk in data:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        from staffcheck.output import atomic_binary_output

        with atomic_binary_output(target, inputs) as binary:
            for chunk in data:
                binary.write(chunk)
        return
    text = text_parts(result, args.format, dataclasses.replace(render_options(args), meta=meta))
    if target is None:
        for part in text:
            sys.stdout.write(part)
        return
    from staffcheck.output import atomic_output

    with atomic_output(target, inputs) as handle:
        for part in text:
            handle.write(part)


def write(content: str | bytes, args: argparse.Namespace, inputs: Sequence[Path] = ()) -> None:
    """Write `content` (text, or a file's bytes) to ``--output`` (atomically, never over an
    input) or standard output."""
    target = output_path(args)
    if target is None:
        if isinstance(content, bytes):
            sys.stdout.flush()  # text written before must come first
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return
    from staffcheck.output import write_output

    write_output(target, content, inputs)


def print_note(notice: object) -> None:
    """What a reader guessed or left aside in a file (a `sources.Notice`): one line on standard
    error, said as it is read."""
    from staffcheck.escaping import inert

    print(f"staffcheck: note: {inert(str(notice))}", file=sys.stderr)


def iso_date(text: str) -> datetime.date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_not_a_date(text)) from None


def _not_a_date(text: str) -> str:
    """Why `text` is no date: not written YYYY-MM-DD, or no day of the calendar (2027-02-30)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return tr("{value} is not a day of the calendar", value=repr(text))
    return tr("{text} is not a date written YYYY-MM-DD", text=repr(text))


def plan_start(text: str) -> datetime.date:
    """An argparse type: a plan's start, written YYYY-MM-DD (only) within the years a plan may
    start in (`workdays.EARLIEST_START` … `LATEST_START`)."""
    from staffcheck.workdays import EARLIEST_START, LATEST_START, iso_day, start_in_range

    day = iso_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(_not_a_date(text))
    if not start_in_range(day):
        raise argparse.ArgumentTypeError(
            tr("{date} is outside {first} … {last}: start the plan within those dates",
               date=day.isoformat(), first=EARLIEST_START.isoformat(),
               last=LATEST_START.isoformat())
        )  # fmt: skip
    return day


#: A date as ``plan --start`` takes it: ``2027-03-01``, not ``20270301`` nor ``2027-W09-1``.


def positive(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{text} is not a whole number", text=repr(text))
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(tr("{value} is not 1 or more", value=value))
    return value


def fail_code(worst: Severity | None, fail_on: str | None) -> int:
    """EXIT_FINDINGS if the `worst` finding that counts is at least as severe as ``--fail-on``."""
    if fail_on in (None, FAIL_NEVER) or worst is None:
        return EXIT_OK
    return EXIT_FINDINGS if worst >= Severity(str(fail_on)) else EXIT_OK


# -- the project configuration (staffcheck.config): defaults below the command line ----------


def add_config(parser: argparse.ArgumentParser) -> None:
    """``--config FILE`` and ``--no-config``: which configuration file, if any, to read."""
    parser.add_argument(
        "--config", metavar="FILE", type=config_file, default=UNSET,
        help=tr("read the settings from FILE (a staffcheck.yaml, or a pyproject.toml with "
                "[tool.staffcheck]) instead of the one found from the current directory up"),
    )  # fmt: skip
    parser.add_argument(
        "--no-config", action="store_true", default=UNSET,
        help=tr("read no configuration file (STAFFCHECK_RULES and STAFFCHECK_LANG still apply)"),
    )  # fmt: skip


def config_file(value: str) -> Path:
    """``--config``'s value: a path, not an empty one (``Path("")`` would be the directory)."""
    if not value.strip():
        raise argparse.ArgumentTypeError(tr("an empty path names no file"))
    return Path(value)


#: ``(--config's value, --no-config)`` as given on the line; "" is an empty ``--config=``.
Request = tuple[str | None, bool]


def config_request(argv: Sequence[str]) -> Request:
    """``--config FILE`` and ``--no-config`` as given anywhere before ``--`` (the last
    ``--config`` wins, as argparse takes it): read before the parser is built, whose help is
    written in the language the configuration may set; `parser.parse` then compares it with
    what argparse took."""
    explicit: str | None = None
    ignore = False
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        option, equals, value = arg.partition("=")
        if len(option) >= 5 and "--config".startswith(option):
            if not equals:
                value = argv[index + 1] if index + 1 < len(argv) else ""
            explicit = value
        elif len(option) >= 8 and "--no-config".startswith(option):
            ignore = True
    return explicit, ignore


def given_request(args: argparse.Namespace) -> Request:
    """``(--config, --no-config)`` as argparse took them."""
    explicit = vars(args).get("config")
    return (None if explicit is None else str(explicit)), bool(vars(args).get("no_config"))


def read_settings(request: Request) -> Settings:
    """The settings for ``(--config, --no-config)``, every problem kept in ``flaws``: they are
    raised once ``--help`` and ``--version`` have had their turn, unless a flag overrides the
    setting they spoil or the command has no use for it (`fatal_flaws`)."""
    from staffcheck.config import Flaw, Settings

    try:
        return settings_for(request, raising=False)
    except StaffcheckError as exc:
        return Settings(flaws=tuple(Flaw(None, problem) for problem in exc.problems))
    except OSError as exc:  # defence: a configuration never makes an internal error
        problem = StaffcheckError.at(
            tr("cannot read the configuration: {problem}", problem=exc.strerror or str(exc))
        ).problems[0]
        return Settings(flaws=(Flaw(None, problem),))


def help_environment(settings: Settings) -> dict[str, str] | None:
    """The locale environment as the help language sees it: the configuration's (or
    STAFFCHECK_LANG's) language, if staffcheck speaks it, before LC_ALL and LANG."""
    from staffcheck.i18n import available

    lang = None if settings.lang is None else settings.lang.value
    return {"LC_ALL": lang} if lang in available() else None


def strategy_optional(parser: argparse.ArgumentParser) -> None:
    """No command requires ``--strategy`` while the configuration may name one (or a problem
    in it must be told first): `require_strategy` asks for it once the settings are applied."""
    for action in parser._actions:
        if action.dest == "strategy" and action.required:
            action.required = False
            action.default = None
            setattr(action, "required_unless_configured", True)  # noqa: B010
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                strategy_optional(child)


def require_strategy(args: argparse.Namespace, leaf: argparse.ArgumentParser) -> None:
    """The usage error argparse would have given when neither the line nor the configuration
    names the strategy a command requires (``plan --team`` takes the team's)."""
    named = getattr(args, "strategy", None) is not None or getattr(args, "team", None) is not None
    for action in leaf._actions:
        if getattr(action, "required_unless_configured", False) and not named:
            if any("--team" in other.option_strings for other in leaf._actions):
                leaf.error(tr("--strategy or --team is required"))  # ``plan``: either will do
            leaf.error("the following arguments are required: " + "/".join(action.option_strings))


def settings_for(request: Request, *, raising: bool = True) -> Settings:
    """The settings in effect for ``(--config, --no-config)`` (with `raising`, every problem
    in them raised); an empty ``--config``, or both options, is refused."""
    from staffcheck.config import gather_settings, load_settings

    explicit, ignore = request
    if explicit is not None and not explicit.strip():
        raise StaffcheckError.at(
            tr("--config: an empty path names no file"),
            hint=tr("name a configuration file, or leave --config out"),
        )
    if explicit is not None and ignore:
        raise contradiction()
    load = load_settings if raising else gather_settings
    return load(explicit=None if explicit is None else Path(explicit), ignore_files=ignore)


def contradiction() -> StaffcheckError:
    """``--config FILE --no-config``: which of them was meant cannot be guessed."""
    return StaffcheckError.at(
        tr("--config and --no-config contradict each other"),
        hint=tr("give one of them"),
    )


#: The settings a command may use besides the language (which every command uses).
USED_SETTINGS = frozenset({"rules", "strategy", "fail_on"})


def fatal_flaws(args: argparse.Namespace, own: set[str], settings: Settings) -> None:
    """Raise the problems of the configuration that count for this run: every one but those
    of a setting a flag on the line overrides; none at all for a command that uses no
    setting but the language (``examples``, ``completion``: a broken configuration must not
    print an error at every shell start)."""
    if not own & USED_SETTINGS:
        return
    problems = [
        flaw.problem
        for flaw in settings.flaws
        if flaw.dest is None or getattr(args, flaw.dest, None) is None
    ]
    if problems:
        raise StaffcheckError(problems)


def apply_settings(args: argparse.Namespace, own: set[str], settings: Settings) -> None:
    """Fill the options the command has and the command line left out from `settings`, and
    record which (``args.configured``); `check_with_pack` then checks what the pack judges."""
    configured: dict[str, Setting] = {}
    for dest in ("rules", "strategy", "fail_on", "lang"):
        setting = settings.get(dest)
        if setting is not None and dest in own and getattr(args, dest, None) is None:
            setattr(args, dest, Path(setting.value) if dest == "rules" else setting.value)
            configured[dest] = setting
    args.settings = settings
    args.configured = configured


def check_with_pack(args: argparse.Namespace) -> None:
    """A configured language only the pack may speak, a configured strategy id: checked
    against the pack once the language is set, so an error names the setting
    (``staffcheck.yaml:3``), not a flag."""
    from staffcheck.i18n import available

    lang, strategy = args.configured.get("lang"), args.configured.get("strategy")
    if lang is not None and lang.value in available():
        lang = None  # staffcheck speaks it: nothing for the pack to say
    if strategy is not None and strategy.value.endswith((".yaml", ".yml")):
        strategy = None  # a file: its own errors name it
    if lang is None and strategy is None:
        return
    from staffcheck.knowledge import find_strategy, load_knowledge

    problems: list[Problem] = []
    if lang is not None:
        problems += _problems(lambda: load_knowledge(args.rules), lang)
    if strategy is not None:
        # Ids are the same in every language: in English if the configured one is refused.
        pack_lang = "en" if problems else None
        found = _problems(lambda: find_strategy(load_knowledge(args.rules, pack_lang),
                                                strategy.value), strategy)  # fmt: skip
        problems += [problem for problem in found if problem not in problems]
    if problems:
        raise StaffcheckError(problems)


def _problems(check: Callable[[], object], setting: Setting) -> list[Problem]:
    """The problems `check` raises, placed at `setting` where they have no place."""
    try:
        with blamed_on(setting):
            check()
    except StaffcheckError as exc:
        return list(exc.problems)
    return []


@contextmanager
def blamed_on(setting: Setting | None) -> Iterator[None]:
    """Errors raised inside placed at `setting`, where they have no place of their own."""
    try:
        yield
    except StaffcheckError as exc:
        if setting is None:
            raise
        from dataclasses import replace

        raise StaffcheckError(
            replace(problem, location=problem.location or setting.origin)
            for problem in exc.problems
        ) from None


def defer_to_team(args: argparse.Namespace, team: Team | None) -> None:
    """A team file's own strategy beats the configuration's (``team`` always uses it): forget
    a configured ``--strategy`` default when the input is a team."""
    if team is not None and "strategy" in getattr(args, "configured", {}):
        args.strategy = None
        del args.configured["strategy"]


class ShowConfig(argparse.Action):
    """``--show-config``: print the settings in effect, each with where it comes from; exit."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:  # fmt: skip
        # The whole line, not the namespace: --config may come after --show-config.
        words: Sequence[str] = getattr(parser, "words", None) or ()
        settings = read_settings(config_request(words))
        if settings.flaws:
            raise StaffcheckError(flaw.problem for flaw in settings.flaws)
        sys.stdout.write(describe_settings(settings))
        parser.exit()


def describe_settings(settings: Settings) -> str:
    """The settings in effect, one a line with its source; the defaults for what is unset."""
    from staffcheck.escaping import inert
    from staffcheck.i18n import from_environment

    file = inert(settings.file) if settings.file else tr("none found")
    lines = [tr("configuration file: {file}", file=file)]
    defaults = {
        "rules": tr("the bundled pack (default)"),
        "strategy": tr("none (default: each command's own)"),
        "lang": tr("{lang} (default: from LC_ALL, LC_MESSAGES or LANG)", lang=from_environment()),
        "fail-on": tr("none (default: findings do not change the exit status)"),
    }
    for key, default in defaults.items():
        setting = settings.get(key.replace("-", "_"))
        said = default
        if setting is not None:
            said = tr("{value} (from {source})", value=inert(setting.value),
                      source=inert(setting.source))  # fmt: skip
        lines.append(f"{key}: {said}")
    return "\n".join(lines) + "\n"
