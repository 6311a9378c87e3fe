"""``staffcheck plan``: the staffing plan a strategy implies."""

from __future__ import annotations

import argparse
from pathlib import Path

from staffcheck.cli import options
from staffcheck.i18n import tr
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
    parser.add_argument(
        "--strategy", "-s", metavar="ID|FILE", required=True,
        help=tr("strategy id, or a YAML file with one strategy"),
    )  # fmt: skip
    options.add_rules(parser)
    options.add_output(parser, "plan", FORMATS)


def run(args: argparse.Namespace) -> int:
    """Print or write the plan of ``--strategy``; exit 2 on an unknown strategy or format."""
    options.check_format(args, "plan", FORMATS)
    from staffcheck.knowledge import load_knowledge, pack_files, resolve_strategy, strategy_files
    from staffcheck.planning import plan_staffing

    kb = load_knowledge(args.rules)
    strategy = resolve_strategy(kb, args.strategy)
    assert strategy is not None  # --strategy is required
    extra = strategy_files(args.strategy)
    plan = plan_staffing(kb, strategy)
    options.emit(plan, args, [*extra, *pack_files(Path(kb.root))])
    return 0
