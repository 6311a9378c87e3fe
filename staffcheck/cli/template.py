"""``staffcheck template``: an empty import sheet for a post, with the columns the reader expects."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from staffcheck.cli import options
from staffcheck.i18n import tr

FORMATS = ("csv", "xlsx")
NAME = "template"
HELP = "an empty import sheet (CSV or XLSX) for a post"
DESCRIPTION = (
    "Write an empty spreadsheet to fill in with applicants for a post: the profile columns, "
    "then one column per skill of the post (essential ones first), headed in the language in "
    "use (--lang zh gives Chinese headers). 'staffcheck screen' reads it back as it is."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  staffcheck template --post taobao-operator -o drive.xlsx
  staffcheck --lang zh template --post taobao-operator -o 淘宝运营招聘.xlsx
  staffcheck template --post seo-specialist --format csv > drive.csv
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``template``."""
    parser.add_argument(
        "--post", dest="post", metavar="POST", required=True,
        help=tr("the post applicants apply for (its id, or its name in any language of the pack)"),
    )  # fmt: skip
    parser.add_argument(
        "--format", type=str.lower, choices=FORMATS, default=options.UNSET,
        help=tr("csv or xlsx (default: from the --output file's suffix, else csv); xlsx adds a "
        "0–5 dropdown on the skill columns"),
    )  # fmt: skip
    parser.add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=options.UNSET,
        help=tr("write the template to FILE (atomically) instead of standard output; without "
                "--format, a .csv or .xlsx suffix chooses the format"),
    )  # fmt: skip
    options.add_rules(parser)


def run(args: argparse.Namespace) -> int:
    """Write the template of ``--post``; exit 2 on an unknown post or an XLSX for a terminal."""
    from staffcheck.diagnose import check_role
    from staffcheck.errors import StaffcheckError
    from staffcheck.i18n import language, tr
    from staffcheck.knowledge import load_knowledge, pack_files
    from staffcheck.output import check_output_target, write_output_bytes
    from staffcheck.template import post_label, template_columns, template_csv, template_xlsx

    kb = load_knowledge(args.rules)
    post = check_role(kb, args.post)
    target = options.output_path(args)
    fmt = options.format_for_file(NAME, getattr(args, "format", None), target, FORMATS, "csv")
    inputs = pack_files(Path(kb.root))
    if target is not None:
        check_output_target(target, inputs)
    columns = template_columns(kb, post, language())
    if fmt == "csv":
        text = template_csv(columns)
        # A BOM in a file makes Excel read the Chinese headers as UTF-8.
        options.write(text if target is None else "\ufeff" + text, args, inputs)
        return 0
    if target is None and sys.stdout.isatty():
        raise StaffcheckError.at(
            tr("an XLSX workbook is binary and is not written to a terminal"),
            hint=tr("write it to a file with -o FILE.xlsx"),
        )
    data = template_xlsx(columns, post_label(kb, post, language()))
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_output_bytes(target, data, inputs)
    return 0
