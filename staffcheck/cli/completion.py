"""``staffcheck completion bash|zsh|fish``: the shell code that completes staffcheck; and
`complete`, which answers that code's questions (a TAB) from the parser and the pack in use.

argcomplete does the work for all three shells: its shell code runs ``staffcheck`` with
``_ARGCOMPLETE`` and the line typed so far in the environment, and ``main`` hands over to
`complete` before anything else. argcomplete is imported only then: a normal run never loads it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from staffcheck.cli import EXIT_ERROR, EXIT_OK
from staffcheck.i18n import tr

#: The shells `run` writes code for, in the order the help lists them.
SHELLS = ("bash", "zsh", "fish")
NAME = "completion"
HELP = "print the code that completes staffcheck in bash, zsh or fish"
DESCRIPTION = """\
Print the shell code that makes bash, zsh or fish complete staffcheck's commands and options, \
the formats each command writes, and the ids of the posts, strategies and rules of the pack in \
use (the one --rules names on the line, else STAFFCHECK_RULES's, else the project \
configuration's, else the bundled pack). zsh and fish show the names beside the ids.

where it goes:
  bash  eval it in ~/.bashrc, or save it as
        ~/.local/share/bash-completion/completions/staffcheck
  zsh   eval it in ~/.zshrc after compinit, or save it as _staffcheck
        in a directory of $fpath
  fish  save it as ~/.config/fish/completions/staffcheck.fish

A shell started afterwards completes staffcheck; so does the current one once the code is \
evaluated in it."""
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  eval "$(staffcheck completion bash)"
  staffcheck completion bash > ~/.local/share/bash-completion/completions/staffcheck
  eval "$(staffcheck completion zsh)"
  staffcheck completion fish > ~/.config/fish/completions/staffcheck.fish
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The argument of ``completion``: the shell."""
    parser.add_argument("shell", metavar="SHELL", help=tr("bash, zsh or fish"))


def run(args: argparse.Namespace) -> int:
    """Print the code for ``args.shell``; exit 2 on a shell we have no code for."""
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode(["staffcheck"], shell=shell_name(args.shell)))
    return EXIT_OK


def shell_name(value: str) -> str:
    """The shell `value` names: ``zsh``, ``ZSH`` or ``$SHELL``'s ``/usr/bin/zsh``; else a
    one-line error with the closest shell we know."""
    from staffcheck.errors import StaffcheckError
    from staffcheck.schema import did_you_mean

    name = Path(value.strip()).name.lower()
    if name in SHELLS:
        return name
    raise StaffcheckError.at(
        tr("no completion for the shell {shell}", shell=repr(value)),
        hint=did_you_mean(name, SHELLS) or tr("use one of: {shells}", shells=", ".join(SHELLS)),
    )


def complete() -> int:
    """Answer the shell's question (argcomplete's protocol: ``_ARGCOMPLETE``, ``COMP_LINE``,
    ``COMP_POINT``; the answer on file descriptor 8) and end the process. The help texts shown
    beside options, and the pack's names beside ids, are in the language ``--lang`` on the
    line (or the locale) asks for."""
    import argcomplete

    from staffcheck.cli import completers
    from staffcheck.cli.argwords import language_of
    from staffcheck.cli.parser import build_parser
    from staffcheck.i18n import set_language

    if not _a_question_we_can_read():
        return EXIT_OK  # no answer, and nothing on the terminal the user is typing at
    set_language(language_of(_typed_words()))
    parser = build_parser()
    completers.attach(parser)
    # Options are offered once a "-" is typed: a bare TAB lists commands, ids or files.
    argcomplete.autocomplete(parser, always_complete_options=False)  # answers, then exits
    return EXIT_ERROR  # not reached: argcomplete returns only when not asked to complete


def _a_question_we_can_read() -> bool:
    """Whether the shell's variables are what argcomplete reads as numbers and a line. A real
    shell always sends them; anything else (``COMP_POINT=abc``) would end in int()'s traceback."""
    try:
        int(os.environ["COMP_POINT"])
        int(os.environ["_ARGCOMPLETE"])
    except (KeyError, ValueError):
        return False
    return "COMP_LINE" in os.environ


def _typed_words() -> list[str]:
    """The words of the line being completed, after the command's name (an unclosed quote is
    fine: the line is still being typed)."""
    import shlex

    line = os.environ.get("COMP_LINE", "")
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    return words[1:]
