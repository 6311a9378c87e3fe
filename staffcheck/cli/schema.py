"""``staffcheck schema profile|team|pack``: the JSON Schema of a kind of file, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from staffcheck.cli import options
from staffcheck.i18n import tr

#: The kinds of file (`file_schemas.FILE_KINDS`, repeated here: the entry module stays light).
KINDS = ("profile", "team", "pack")
NAME = "schema"
HELP = "the JSON Schema of profile, team or pack files, for editors"
DESCRIPTION = (
    "Print the JSON Schema (draft 2020-12) of a kind of file, made from the declarations the "
    "loader reads files by: editors such as VS Code (with the YAML extension) then complete "
    "fields, ids of the pack and levels, show the pack's names as help, and mark mistakes as "
    "you type. Skill, post, channel and strategy ids come from the pack in use (--rules), its "
    "names in the language in use (--lang). See docs/editor-support.md."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  staffcheck schema profile -o profile.schema.json
  staffcheck schema team -o team.schema.json
  staffcheck schema pack -o pack.schema.json
  staffcheck --lang zh schema profile > profile.zh.schema.json
"""


def file_kind(value: str) -> str:
    """A kind of file, or a usage error with the closest kind."""
    from staffcheck.schema import did_you_mean

    if value in KINDS:
        return value
    hint = did_you_mean(value, KINDS) or tr("one of: {options}", options=", ".join(KINDS))
    raise argparse.ArgumentTypeError(
        tr("no schema for {kind} files ({hint})", kind=repr(value), hint=hint)
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``schema``."""
    parser.add_argument(
        "kind", metavar="KIND", type=file_kind, choices=KINDS,
        help=tr("the kind of file: profile, team or pack"),
    )  # fmt: skip
    parser.add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=options.UNSET,
        help=tr("write the schema to FILE (atomically) instead of standard output"),
    )  # fmt: skip
    options.add_rules(parser)


def run(args: argparse.Namespace) -> int:
    """Print (or write) the schema of ``KIND`` against the pack in use."""
    from staffcheck.file_schemas import file_schema, schema_text
    from staffcheck.knowledge import load_knowledge, pack_files

    # A schema is JSON: -o x.xlsx or x.csv is refused as every command refuses a mismatched suffix.
    options.format_for_file(NAME, None, options.output_path(args), ("json",), "json")
    kb = load_knowledge(args.rules)
    text = schema_text(file_schema(args.kind, kb))
    options.write(text, args, pack_files(Path(kb.root)))
    return 0
