"""``staffcheck team``: can this team run its strategy?"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

from staffcheck.cli import options
from staffcheck.i18n import tr
from staffcheck.reporters import SCREENING_ONLY_FORMATS, formats_for

FORMATS = tuple(f for f in formats_for("Report") if f not in SCREENING_ONLY_FORMATS)
NAME = "team"
HELP = "can this team run its strategy?"
DESCRIPTION = (
    "Assess a team file: every member on their post, and the posts the "
    "strategy needs that nobody covers; then what to do first."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = "a finding reached --fail-on"
EXAMPLES = """\
examples:
  staffcheck examples --copy examples
  staffcheck team examples/spring-launch.yaml
  staffcheck team examples/spring-launch.yaml --format html --output report.html
  staffcheck team examples/retail-team.yaml --fail-on high
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``team``."""
    parser.add_argument("team", type=Path, metavar="TEAM_FILE", help=tr("YAML team file"))
    parser.add_argument(
        "--as-of", type=options.iso_date, metavar="YYYY-MM-DD",
        help=tr("judge the team's waivers as of this date (default: today)"),
    )  # fmt: skip
    options.add_rules(parser)
    options.add_profiles(parser)
    options.add_output(parser, "report", FORMATS)
    options.add_fail_on(parser)


def run(args: argparse.Namespace) -> int:
    """Assess the team, advise, write the report; exit 1 if a finding reaches --fail-on."""
    options.check_format(args, "team", FORMATS)
    collect_less_often()
    from staffcheck.actions import advise
    from staffcheck.diagnose import TeamMemo, assess_team
    from staffcheck.knowledge import load_knowledge, pack_files
    from staffcheck.profiles import load_team
    from staffcheck.reporters.meta import ReportMeta, made_on

    kb = load_knowledge(args.rules)
    team = load_team(args.team, kb, args.profiles)
    as_of = args.as_of or made_on()  # the day the report says it was made (SOURCE_DATE_EPOCH)
    memo = TeamMemo()  # the planner behind the advice starts from this assessment's runs
    report = advise(kb, assess_team(kb, team, as_of, memo), team, as_of, memo)
    members = [Path(m.profile.source.path) for m in team.members]
    inputs = [args.team, *members, *pack_files(Path(kb.root))]
    options.emit(report, args, inputs, ReportMeta.of(kb, as_of))
    return options.fail_code(report.worst_severity(), args.fail_on)


def collect_less_often() -> None:
    """Run the cyclic garbage collector less often: a big team's report keeps what it works out
    of each member and each trial to the end of the run, and each collection of the oldest
    generation walks all of it again (about a tenth of a 1,000-member report, in bench/)."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(5000, middle, oldest)
