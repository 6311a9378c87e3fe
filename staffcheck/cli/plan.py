"""``staffcheck plan``: the staffing plan a strategy implies."""

from __future__ import annotations

import argparse
from pathlib import Path

from staffcheck.cli import options
from staffcheck.reporters import formats_for

FORMATS = formats_for("StaffingPlan")
NAME = "plan"
HELP = "the staffing plan a strategy implies"
DESCRIPTION = (
    "Decompose a strategy into its modules, the posts that carry them, each "
    "post's essential skills, headcount and priority (critical first)."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  staffcheck plan --strategy taobao-store
  staffcheck plan --strategy search-centred --format json --output plan.json
  staffcheck plan --strategy content-marketing --format markdown
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``plan``."""
    parser.add_argument("--strategy", "-s", metavar="ID", required=True, help="strategy id")
    options.add_rules(parser)
    options.add_output(parser, "plan", FORMATS)


def run(args: argparse.Namespace) -> int:
    """Print or write the plan of ``--strategy``; exit 2 on an unknown strategy or format."""
    options.check_format(args, "plan", FORMATS)
    from staffcheck.diagnose import find_strategy
    from staffcheck.knowledge import load_knowledge, pack_files
    from staffcheck.planning import plan_staffing

    kb = load_knowledge(args.rules)
    plan = plan_staffing(kb, find_strategy(kb, args.strategy))
    options.emit(plan, args, pack_files(Path(kb.root)))
    return 0
