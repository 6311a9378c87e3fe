"""``staffcheck plan``: a strategy's three-stage plan, down to people, dates and money."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from staffcheck.cli import options
from staffcheck.i18n import tr
from staffcheck.reporters import formats_for

if TYPE_CHECKING:
    from staffcheck.project_plan import ProjectPlan

FORMATS = formats_for("ProjectPlan")
NAME = "plan"
HELP = "a strategy's three-stage plan, down to people and dates"
DESCRIPTION = (
    "Plan a strategy in essay 001's three stages: its goals and KPIs; the analysis (the team's "
    "diagnosis, or the posts to fill); every work step of its modules on a named person and "
    "dates (a Gantt chart), with the critical path, training, hires and the cost by stage, "
    "module and month. --without and --hire show what a change does to the finish and the money."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  staffcheck examples --copy examples
  staffcheck plan --strategy search-centred --start 2027-03-01
  staffcheck plan --team examples/search-team.yaml
  staffcheck plan --team examples/search-team.yaml --without "Zhou Min"
  staffcheck plan --team examples/search-team.yaml --hire data-analyst --format markdown
  staffcheck plan --team examples/search-team.yaml --format html --output plan.html
  staffcheck plan --team examples/search-team.yaml --output plan.xlsx
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``plan``."""
    strategy = parser.add_argument(
        "--strategy", "-s", metavar="ID|FILE",
        help=tr("strategy id, or a YAML file with one strategy (default: the team's)"),
    )  # fmt: skip
    # Required unless --team or the configuration names it: `options.require_strategy`.
    setattr(strategy, "required_unless_configured", True)  # noqa: B010
    parser.add_argument(
        "--team", "-t", type=Path, metavar="TEAM_FILE",
        help=tr("plan with this team's people (without one, every post is a hire)"),
    )  # fmt: skip
    parser.add_argument(
        "--start", type=options.plan_start, metavar="YYYY-MM-DD",
        help=tr("the plan's first day (default: the team file's plan start, else today)"),
    )  # fmt: skip
    parser.add_argument(
        "--without", action="append", default=[], metavar="ID|NAME",
        help=tr("what if this member left (id or name; may be repeated)"),
    )  # fmt: skip
    parser.add_argument(
        "--hire", action="append", default=[], metavar="POST",
        help=tr("what if one more person were hired for this post (may be repeated)"),
    )  # fmt: skip
    options.add_rules(parser)
    options.add_profiles(parser)
    options.add_output(parser, "plan", FORMATS)


def run(args: argparse.Namespace) -> int:
    """Print or write the plan; exit 2 on an unknown strategy, member, post or format."""
    options.check_format(args, "plan", FORMATS)
    from staffcheck.knowledge import load_knowledge, pack_files, resolve_strategy
    from staffcheck.operating import plan_for
    from staffcheck.profiles import load_team

    kb = load_knowledge(args.rules)
    team = load_team(args.team, kb, args.profiles) if args.team is not None else None
    options.defer_to_team(args, team)
    where = str(args.team) if args.team is not None else None
    strategy = resolve_strategy(kb, args.strategy)
    plan = plan_for(
        kb, strategy, team, args.start, without=args.without, hire=args.hire, where=where
    )
    for note in plan_notes(plan):
        options.print_note(note)
    profiles = [Path(m.profile.source.path) for m in team.members] if team is not None else []
    inputs = [args.team, *profiles] if args.team is not None else []
    if args.strategy is not None and Path(args.strategy).is_file():
        inputs.append(Path(args.strategy))
    from staffcheck.reporters.meta import ReportMeta

    options.emit(plan, args, [*inputs, *pack_files(Path(kb.root))], ReportMeta.of(kb))
    return 0


def plan_notes(plan: ProjectPlan) -> list[str]:
    """What the plan changed or could not do, for standard error: a weekend start moved to the
    Monday after; modules with no work steps, which stage 3 cannot schedule."""
    notes = []
    if plan.start_moved_from is not None:
        notes.append(
            tr("the start {asked} is a weekend day: the plan starts on Monday {start}",
               asked=plan.start_moved_from.isoformat(), start=plan.start.isoformat())
        )  # fmt: skip
    if plan.modules_without_steps:
        names = [plan.labels.modules.get(m, m) for m in plan.modules_without_steps]
        notes.append(tr("no work steps: {modules}", modules=tr(", ").join(names)))
    return notes
