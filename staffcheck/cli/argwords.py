"""argparse's own words in the reader's language: the language chosen before the parser is built
(help is written as it is built), and argparse's usage errors translated.

argparse takes its words ("usage:", "options:", "invalid choice: …") from ``gettext``, which would
need compiled catalogues installed for the whole process; instead the parser sets its headings
itself and `usage_error` recognises argparse's English error texts and says them with ``tr``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from staffcheck.i18n import available, from_environment, tr


def language_of(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language ``--lang`` (or ``--lan``, ``--lang=``) asks for anywhere before ``--`` (the
    last one wins, as argparse takes it), else the locale environment's. A ``--lang`` we do not
    have is left to argparse to refuse."""
    chosen: str | None = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        option, equals, value = arg.partition("=")
        if not _is_lang(option):
            continue
        if not equals:
            value = argv[index + 1] if index + 1 < len(argv) else ""
        if value.lower() in available():
            chosen = value.lower()
    return chosen or from_environment(environ)


#: argparse's English error texts (Python 3.11 to 3.13 wordings) -> what says them in our words.
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"argument (?P<arg>.+?): (?P<problem>.*)", re.S),
        lambda m: tr("argument {arg}: {problem}", arg=m["arg"], problem=usage_error(m["problem"])),
    ),
    (
        re.compile(r"unrecognized arguments: (?P<args>.*)", re.S),
        lambda m: tr("unrecognized arguments: {args}", args=m["args"]),
    ),
    (
        re.compile(r"the following arguments are required: (?P<args>.*)", re.S),
        lambda m: tr("the following arguments are required: {args}", args=m["args"]),
    ),
    (
        re.compile(r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)", re.S),
        lambda m: tr(
            "invalid choice: {value} (choose from {choices})",
            value=m["value"],
            choices=m["choices"],
        ),
    ),
    (
        re.compile(r"invalid (?P<type>\S+) value: (?P<value>.*)", re.S),
        lambda m: tr("invalid {type} value: {value}", type=m["type"], value=m["value"]),
    ),
    (re.compile(r"expected one argument"), lambda m: tr("expected one argument")),
    (re.compile(r"expected at least one argument"), lambda m: tr("expected at least one argument")),
    (re.compile(r"expected at most one argument"), lambda m: tr("expected at most one argument")),
    (
        re.compile(r"ignored explicit argument (?P<value>.*)", re.S),
        lambda m: tr("ignored explicit argument {value}", value=m["value"]),
    ),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", re.S),
        lambda m: tr(
            "ambiguous option: {option} could match {matches}",
            option=m["option"],
            matches=m["matches"],
        ),
    ),
    (
        re.compile(r"not allowed with argument (?P<other>.*)", re.S),
        lambda m: tr("not allowed with argument {other}", other=m["other"]),
    ),
)


def _is_lang(option: str) -> bool:
    """``--lang``, or an abbreviation argparse takes for it (no other option begins ``--l``)."""
    return len(option) >= 3 and "--lang".startswith(option)


def examples(text: str) -> str:
    """A command's ``examples:`` block with its heading in the language in use (the command
    lines themselves are what one types, in any language)."""
    heading, _, rest = text.partition("\n")
    return tr(heading) + "\n" + rest


def usage_error(message: str) -> str:
    """One of argparse's usage errors in the language in use (unchanged if it is not one we
    know: English is better than nothing)."""
    for pattern, say in _ERRORS:
        match = pattern.fullmatch(message)
        if match is not None:
            return say(match)
    return message
