"""``staffcheck explain``: how each finding was reached, why (not) a post, and what to do."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from staffcheck.cli import options
from staffcheck.cli.team import collect_less_often
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.reporters import formats_for

if TYPE_CHECKING:
    from staffcheck.sources import Subject

FORMATS = formats_for("Explanation", "ActionPlan", "WhyNot")
DESCRIPTION = (
    "Show how each finding was reached, as a tree: strategy → module → post → requirement → "
    "the person's evidence → rule → finding, each step with the rule that licensed it and that "
    "rule's rationale; and, for a team, how each uncovered post came about. --why-not tells "
    "why one person does or does not cover one post; --actions lists what to do, in order, "
    "each step with its effect measured by re-assessing the team."
)
NAME = "explain"
HELP = "how each finding was reached; why (not) a post; what to do"
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  staffcheck examples --copy examples
  staffcheck explain examples/spring-launch.yaml
  staffcheck explain examples/spring-launch.yaml --person c-1042 --rule essential-skill-missing
  staffcheck explain examples/spring-launch.yaml --person "Guo Ping"
  staffcheck explain examples/spring-launch.yaml --why-not --person c-1042 --post seo-specialist
  staffcheck explain examples/spring-launch.yaml --actions
  staffcheck explain examples/candidates/sun-li.yaml --strategy taobao-store --format markdown
  staffcheck explain examples/spring-launch.yaml --format json --output explain.json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``explain``."""
    parser.add_argument(
        "inputs", nargs="+", metavar="TEAM_FILE|PROFILE",
        help=tr("one YAML team file, or profiles (YAML, CSV, XLSX, JSON Lines, directories, -)"),
    )  # fmt: skip
    parser.add_argument(
        "--strategy", "-s", metavar="ID|FILE",
        help=tr("strategy id, or a YAML file with one strategy "
        "(default: the team's; profiles are screened without one)"),
    )  # fmt: skip
    parser.add_argument(
        "--person", "-p", metavar="ID|NAME", help=tr("explain only this person (id or name)")
    )
    parser.add_argument(
        "--rule", metavar="RULE_ID", help=tr("explain only the findings of this rule")
    )
    parser.add_argument(
        "--why-not", action="store_true",
        help=tr("why --person does or does not cover --post (any post, not only theirs)"),
    )  # fmt: skip
    parser.add_argument(
        "--post", metavar="POST",
        help=tr("the post for --why-not; with profiles, the post to screen them for"),
    )  # fmt: skip
    parser.add_argument(
        "--actions", action="store_true",
        help=tr("what to do, in order (reassign, train, hire), each with its measured effect"),
    )  # fmt: skip
    options.add_rules(parser)
    options.add_profiles(parser)
    options.add_output(parser, "output", FORMATS)


def _check_options(args: argparse.Namespace) -> None:
    options.check_format(args, "explain", FORMATS)
    if args.why_not and args.actions:
        raise StaffcheckError.at(
            tr("--why-not and --actions are separate questions"), hint=tr("pick one")
        )
    if args.why_not and (args.person is None or args.post is None):
        raise StaffcheckError.at(
            tr("--why-not needs --person ID|NAME and --post POST"),
            hint=tr('e.g. --why-not --person "Sun Li" --post seo-specialist'),
        )
    if args.actions and (args.person is not None or args.rule is not None):
        raise StaffcheckError.at(
            tr("--actions plans for the whole team"), hint=tr("leave out --person and --rule")
        )


def _check_subject(args: argparse.Namespace, subject: Subject) -> None:
    """What only a team file, or only profiles, can be asked."""
    if subject.team is None and args.actions:
        raise StaffcheckError.at(
            tr("--actions needs a team file"), hint=tr("actions re-assess a whole team")
        )
    if subject.team is not None and args.post is not None and not args.why_not:
        raise StaffcheckError.at(
            tr("--post needs --why-not with a team file"),
            hint=tr("members are explained on the posts they hold"),
        )


def run(args: argparse.Namespace) -> int:
    """Explain, answer --why-not, or plan --actions; print or write the result."""
    _check_options(args)
    collect_less_often()
    from staffcheck.actions import explain_subject
    from staffcheck.knowledge import load_knowledge, pack_files, resolve_strategy, strategy_files
    from staffcheck.output import check_output_target
    from staffcheck.sources import load_subject
    from staffcheck.why_not import answer_why_not

    kb = load_knowledge(args.rules)
    subject = load_subject(args.inputs, kb, args.profiles)
    for notice in subject.notes:
        options.print_note(notice)
    _check_subject(args, subject)
    options.defer_to_team(args, subject.team)
    extra = strategy_files(args.strategy)
    inputs = [*subject.files, *extra, *pack_files(Path(kb.root))]
    target = options.output_path(args)
    if target is not None:
        check_output_target(target, inputs)
    strategy = resolve_strategy(kb, args.strategy)
    result: object
    if args.why_not:
        result = answer_why_not(kb, subject, args.person, args.post, strategy)
    else:
        result = explain_subject(
            kb, subject, strategy,
            person=args.person, rule=args.rule, post=args.post, actions=args.actions,
        )  # fmt: skip
    from staffcheck.reporters.meta import ReportMeta

    options.emit(result, args, inputs, ReportMeta.of(kb))
    return 0
