"""``staffcheck examples``: list the bundled example teams, profiles and exports, or copy them."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from staffcheck.i18n import tr

if TYPE_CHECKING:
    from staffcheck.examples import Kind

NAME = "examples"
HELP = "list the bundled example teams, profiles and exports, or copy them to try"
DESCRIPTION = (
    "List the example teams, candidate profiles and hiring-system exports that come with "
    "staffcheck, one line each; with --copy, copy them into a directory of yours, keeping "
    "their folders (a team file names its members' profiles relative to itself)."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  staffcheck examples
  staffcheck examples --copy examples
  staffcheck team examples/spring-launch.yaml
  staffcheck examples --copy examples --force
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``examples``."""
    parser.add_argument(
        "--copy", metavar="DIR",
        help=tr("copy the examples into DIR (created if needed) instead of listing them"),
    )  # fmt: skip
    parser.add_argument(
        "--force", action="store_true",
        help=tr("with --copy, overwrite example files already in DIR"),
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """List the examples, or copy them; exit 2 if a copy would overwrite a file without --force."""
    if args.copy is None:
        if args.force:
            from staffcheck.errors import StaffcheckError

            raise StaffcheckError.at(
                tr("--force only goes with --copy"),
                hint=tr("give --copy DIR, or leave --force out"),
            )
        _list()
        return 0
    if not args.copy:
        from staffcheck.errors import StaffcheckError

        raise StaffcheckError.at(
            tr("--copy needs the name of a directory, not an empty one"),
            hint=tr("give --copy DIR, e.g. --copy examples"),
        )
    _copy(Path(args.copy), force=args.force)
    return 0


def _list() -> None:
    """One line per example under a heading per kind, then how to copy them."""
    from staffcheck.escaping import inert
    from staffcheck.examples import Kind, bundled_examples, describe

    examples = bundled_examples()
    width = max(len(e.path) for e in examples) + 2
    for kind in Kind:
        print(_heading(kind))
        for example in (e for e in examples if e.kind is kind):
            print(f"  {example.path.ljust(width)}{inert(describe(example))}")
        print()
    print(tr("Copy them to try them: {command}", command="staffcheck examples --copy examples"))


def _heading(kind: Kind) -> str:
    """The heading of one kind of example, with the command that reads it."""
    from staffcheck.examples import Kind

    if kind is Kind.TEAM:
        return tr("Teams ({usage}):", usage="staffcheck team FILE")
    if kind is Kind.PROFILE:
        return tr("Candidate profiles ({usage}):", usage="staffcheck screen FILE --strategy ID")
    return tr("Lists of applicants ({usage}):", usage="staffcheck screen FILE --post ID")


def _copy(destination: Path, *, force: bool) -> None:
    """Copy the examples into `destination`, refusing to overwrite unless `force`."""
    from staffcheck.errors import StaffcheckError
    from staffcheck.escaping import inert
    from staffcheck.examples import (
        SHOWCASE_EXPORT,
        SHOWCASE_TEAM,
        clashes,
        copy_examples,
        is_link,
        refuse_linked_directories,
    )

    refuse_linked_directories(destination)
    existing = clashes(destination)
    links = [path for path in existing if is_link(path)]
    if links and not force:
        raise StaffcheckError.at(
            tr("is a symbolic link; the examples are never copied through a link"),
            links[0],
            hint=tr("give --force to replace the link by a copy, leaving what it points to "
                    "alone, or copy into another directory"),
        )  # fmt: skip
    if existing and not force:
        raise StaffcheckError.at(
            tr(
                "already exists; {count} of the example files are there already",
                count=len(existing),
            ),
            existing[0],
            hint=tr("give --force to overwrite them, or copy into another directory"),
        )
    copied = copy_examples(destination)
    print(tr("Copied {count} example files into {directory}:", count=len(copied),
             directory=inert(str(destination))))  # fmt: skip
    for relative in copied:
        print("  " + _shown(destination / relative))
    if existing:
        print(tr("{count} of them replaced files that were there.", count=len(existing)))
    export, post = SHOWCASE_EXPORT
    print(tr("Next, try:"))
    print(f"  staffcheck team {_shown(destination / SHOWCASE_TEAM)}")
    print(f"  staffcheck screen {_shown(destination / export)} --post {post}")


def _shown(path: Path) -> str:
    """A path as one would type it in a shell, control characters made visible."""
    from staffcheck.escaping import inert

    return inert(shlex.quote(str(path)))
