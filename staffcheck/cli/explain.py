"""``staffcheck explain``: how each finding was reached, why (not) a post, and what to do."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from staffcheck.cli import options
from staffcheck.errors import StaffcheckError
from staffcheck.reporters import formats_for

if TYPE_CHECKING:
    from staffcheck.model import KnowledgeBase, Strategy, Team
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
  staffcheck explain profiles/examples/spring-launch.yaml
  staffcheck explain spring-launch.yaml --person c-1042 --rule essential-skill-missing
  staffcheck explain spring-launch.yaml --why-not --person c-1042 --post seo-specialist
  staffcheck explain spring-launch.yaml --actions
  staffcheck explain candidates/sun-li.yaml --strategy taobao-store --format markdown
  staffcheck explain spring-launch.yaml --format json --output explain.json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``explain``."""
    parser.add_argument(
        "inputs", nargs="+", metavar="TEAM_FILE|PROFILE",
        help="one YAML team file, or profiles (YAML, CSV, XLSX, JSON Lines, directories, -)",
    )  # fmt: skip
    parser.add_argument(
        "--strategy", "-s", metavar="ID",
        help="strategy id (default: the team's; profiles are screened without one)",
    )  # fmt: skip
    parser.add_argument("--person", "-p", metavar="ID", help="explain only this person")
    parser.add_argument("--rule", metavar="RULE_ID", help="explain only the findings of this rule")
    parser.add_argument(
        "--why-not", action="store_true",
        help="why --person does or does not cover --post (any post, not only theirs)",
    )  # fmt: skip
    parser.add_argument(
        "--post", metavar="POST",
        help="the post for --why-not; with profiles, the post to screen them for",
    )  # fmt: skip
    parser.add_argument(
        "--actions", action="store_true",
        help="what to do, in order (reassign, train, hire), each with its measured effect",
    )  # fmt: skip
    options.add_rules(parser)
    options.add_output(parser, "output", FORMATS)


def _check_options(args: argparse.Namespace) -> None:
    options.check_format(args, "explain", FORMATS)
    if args.why_not and args.actions:
        raise StaffcheckError.at("--why-not and --actions are separate questions", hint="pick one")
    if args.why_not and (args.person is None or args.post is None):
        raise StaffcheckError.at(
            "--why-not needs --person ID and --post POST",
            hint="e.g. --why-not --person c-1042 --post seo-specialist",
        )
    if args.actions and (args.person is not None or args.rule is not None):
        raise StaffcheckError.at(
            "--actions plans for the whole team", hint="leave out --person and --rule"
        )


def run(args: argparse.Namespace) -> int:
    """Explain, answer --why-not, or plan --actions; print or write the result."""
    _check_options(args)
    from staffcheck.knowledge import load_knowledge, pack_files
    from staffcheck.output import check_output_target
    from staffcheck.sources import load_subject

    kb = load_knowledge(args.rules)
    subject = load_subject(args.inputs, kb)
    inputs = [*subject.files, *pack_files(Path(kb.root))]
    target = options.output_path(args)
    if target is not None:
        check_output_target(target, inputs)
    result = _why_not(args, kb, subject) if args.why_not else _explain(args, kb, subject)
    options.emit(result, args, inputs)
    return 0


def _strategy_and_team(
    args: argparse.Namespace, kb: KnowledgeBase, subject: Subject
) -> tuple[Strategy | None, Team | None]:
    """--strategy, else the team's; a team assessed under --strategy when both are given."""
    from staffcheck.diagnose import find_strategy

    strategy = find_strategy(kb, args.strategy) if args.strategy is not None else None
    team = subject.team
    if team is not None:
        if strategy is None:
            strategy = find_strategy(kb, team.strategy)
        team = replace(team, strategy=strategy.id)
    return strategy, team


def _why_not(args: argparse.Namespace, kb: KnowledgeBase, subject: Subject) -> object:
    from staffcheck.explain import find_person
    from staffcheck.why_not import why_not

    strategy, team = _strategy_and_team(args, kb, subject)
    person = find_person(subject.profiles, args.person)
    holds = person.applying_for
    if team is not None:
        holds = next(m.role for m in team.members if m.profile.id == person.id)
    return why_not(kb, person, args.post, strategy, holds=holds)


def _explain(args: argparse.Namespace, kb: KnowledgeBase, subject: Subject) -> object:
    """The trees (with a team's actions: the JSON carries both), or the actions alone."""
    from staffcheck.actions import plan_actions
    from staffcheck.diagnose import assess_team, screen
    from staffcheck.explain import explain

    strategy, team = _strategy_and_team(args, kb, subject)
    if team is not None:
        if args.post is not None:
            raise StaffcheckError.at(
                "--post needs --why-not with a team file",
                hint="members are explained on the posts they hold",
            )
        report = assess_team(kb, team)
    else:
        if args.actions:
            raise StaffcheckError.at(
                "--actions needs a team file", hint="actions re-assess a whole team"
            )
        report = screen(kb, subject.profiles, strategy, role=args.post)
    explanation = explain(kb, report, subject.profiles, person=args.person, rule=args.rule)
    if team is None or not (args.actions or args.format == "json"):
        return explanation
    plan = plan_actions(kb, team, report)
    # JSON is one document for every question (staffcheck.explain/1): the trees and the actions.
    return plan if args.actions and args.format != "json" else replace(explanation, actions=plan)
