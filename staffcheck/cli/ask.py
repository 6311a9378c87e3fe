"""``staffcheck ask``: a consultation. Ask a person what their profile does not show, one question at
a time, until the verdict is settled; show the diagnosis; write the answers into the profile."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from staffcheck.cli import options
from staffcheck.errors import StaffcheckError
from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.reporters import formats_for

if TYPE_CHECKING:
    from staffcheck.consult import Reply, Step
    from staffcheck.model import CandidateResult, KnowledgeBase, Profile, Question
    from staffcheck.sources import Subject

FORMATS = formats_for("Consultation")
NAME = "ask"
HELP = "ask a person what their profile does not show, until the verdict is settled"
DESCRIPTION = (
    "A consultation: screen one person for a post, then ask the questions whose answers could "
    "change the verdict, most decisive first, one at a time, until it is settled; show the "
    "diagnosis and write the levels given into the profile's skills: (atomically, keeping its "
    "comments and key order), or into a new profile file with --output.\n\n"
    "Answer each question with a level from 0 (none) to 5 (expert); Enter or s skips it (it is "
    "not asked again), q stops. The conversation goes to standard error, the diagnosis to "
    "standard output. When standard input is not a terminal, answers are read from it, one a "
    "line; the end of the input stops like q. Whatever stops the consultation, the answers given "
    "so far are written; Ctrl-C writes nothing. A CSV, XLSX or JSON Lines record, or a member "
    "inside a team file, has no profile file to write into: give --output."
)
#: What exit status 1 means for this command (None: it is not used).
EXIT_ONE = None
EXAMPLES = """\
examples:
  staffcheck examples --copy examples
  staffcheck ask examples/candidates/wen-jie.yaml
  staffcheck ask examples/candidates/wen-jie.yaml --post marketing-copywriter --strategy content-marketing
  staffcheck ask examples/exports/taobao-drive.csv --person t-102 --post seo-specialist --output t-102.yaml
  printf '3\\n\\n1\\n' | staffcheck ask examples/candidates/wen-jie.yaml
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments and options of ``ask``."""
    parser.add_argument(
        "profile", metavar="PROFILE",
        help=tr("a YAML profile file (or a file holding several, with --person); a CSV, XLSX, "
        "JSON Lines or team file only with --output"),
    )  # fmt: skip
    parser.add_argument(
        "--post", "-r", metavar="POST",
        help=tr("the post to ask about (default: the profile's applying_for, or a member's post)"),
    )  # fmt: skip
    parser.add_argument(
        "--strategy", "-s", metavar="ID|FILE",
        help=tr("strategy id from the knowledge pack, or a YAML file with one strategy "
        "(default: a team member's team's strategy; none for a profile)"),
    )  # fmt: skip
    parser.add_argument(
        "--person",
        "-p",
        metavar="ID|NAME",
        help=tr("the person to ask (id or name), when the file holds several"),
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=options.UNSET,
        help=tr("write the updated profile to FILE (atomically) and leave the original untouched"),
    )  # fmt: skip
    parser.add_argument(
        "--format", type=str.lower, choices=FORMATS, default=options.UNSET,
        help=tr("format of the diagnosis at the end (default: table)"),
    )  # fmt: skip
    parser.add_argument(
        "--no-color", action="store_true", default=options.UNSET,
        help=tr("no colour in the terminal output"),
    )  # fmt: skip
    options.add_rules(parser)
    options.add_profiles(parser)


def run(args: argparse.Namespace) -> int:
    """Consult one person; write their answers; print the diagnosis. Exit 2 before asking anything
    if the profile cannot be read, or its answers could not be written."""
    options.check_format(args, "ask", FORMATS, report_file=False)
    if args.profile == "-":
        raise StaffcheckError.at(
            tr("ask reads its answers from standard input, so the profile cannot come from it"),
            hint=tr("save the profile to a file and name it"),
        )
    from staffcheck.consult import consult
    from staffcheck.knowledge import (
        find_strategy,
        load_knowledge,
        pack_files,
        resolve_strategy,
        strategy_files,
    )
    from staffcheck.reporters import render
    from staffcheck.sources import held_post, load_subject
    from staffcheck.writeback import write_answers

    kb = load_knowledge(args.rules)
    subject = load_subject([args.profile], kb, args.profiles)
    options.defer_to_team(args, subject.team)
    strategy = resolve_strategy(kb, args.strategy)
    for notice in subject.notes:
        options.print_note(notice)
    if strategy is None and subject.team is not None:
        strategy = find_strategy(kb, subject.team.strategy)  # a member is asked in their team
    profile = _pick(subject, args.person, args.profile)
    target, source = _destination(args, subject, profile)
    inputs = [*strategy_files(args.strategy), *pack_files(Path(kb.root))]
    if source is None or target != source:
        inputs += subject.files  # a new file is never written over one that was read
    asker = _Asker(kb, sys.stdin, sys.stderr)
    result = consult(
        kb, profile, strategy, args.post or held_post(subject, profile), asker, asker.told
    )
    if result.steps:
        sys.stderr.write("\n")  # the conversation ends; the diagnosis follows
    if result.answers:
        write_answers(kb, profile, result.answers, target, source, inputs)
        result = replace(result, written=str(target), in_place=target == source)
    sys.stdout.write(render(result, args.format, options.render_options(args, to_file=False)))
    return 0


def _pick(subject: Subject, person: str | None, named: str) -> Profile:
    """The one profile to consult: the only one, or the one `person` names (by id or name)."""
    from staffcheck.lookup import find_person

    if person is not None:
        return find_person(subject.profiles, person, named)
    if len(subject.profiles) > 1:
        first = subject.profiles[0]
        raise StaffcheckError.at(
            tr("holds {count} people; ask one at a time", count=len(subject.profiles)),
            named,
            hint=tr("pick one with --person ID or NAME (e.g. --person {id})", id=first.id),
        )
    return subject.profiles[0]


def _destination(
    args: argparse.Namespace, subject: Subject, profile: Profile
) -> tuple[Path, Path | None]:
    """Where the answers will go, and the YAML file to edit (None: write a new profile file).
    Refused before anything is asked when there is nowhere to write them."""
    from staffcheck.output import check_output_target
    from staffcheck.writeback import editable_source

    team_file = subject.files[0] if subject.team is not None else None
    source = editable_source(profile, team_file)
    target: Path | None = options.output_path(args)
    if target is not None and not _same(target, source):
        _refuse_other_suffix(target)
        check_output_target(target, subject.files)
        return target, source
    if source is None:
        raise StaffcheckError.at(
            tr(
                "ask writes the answers into a YAML profile file; this is {kind}",
                kind=_kind(subject, profile),
            ),
            profile.source.path,
            hint=tr("give --output FILE to write them into a new profile file"),
        )
    check_output_target(source)  # read-only, or in a directory we cannot write: say so now
    return source, source


def _refuse_other_suffix(target: Path) -> None:
    """--output is a YAML profile: a name that says another kind of file (.html, .json) would
    hold YAML its reader refuses."""
    from staffcheck.output import written_through

    if target.suffix.lower() not in ("", ".yaml", ".yml") and not written_through(target):
        raise StaffcheckError.at(
            tr("ask writes a YAML profile, not a {suffix} file", suffix=target.suffix),
            target,
            hint=tr("name a file ending in .yaml"),
        )


def _same(target: Path, source: Path | None) -> bool:
    """Whether --output names the profile file itself (the default: it is updated in place)."""
    try:
        return source is not None and target.resolve() == source.resolve()
    except OSError:
        return False


def _kind(subject: Subject, profile: Profile) -> str:
    """What a profile's source is, in words, for the refusal."""
    if subject.team is not None:
        return tr("a member inside a team file")
    suffix = Path(profile.source.path).suffix.lower()
    kinds = {
        ".csv": tr("a CSV export"),
        ".xlsx": tr("an XLSX export"),
        ".jsonl": tr("a JSON Lines file"),
    }
    return kinds.get(suffix, tr("not a YAML file"))


class _Asker:
    """The answer source of the terminal: asks on standard error, reads standard input (echoed
    when it is not a terminal, so that a transcript reads as a conversation)."""

    def __init__(self, kb: KnowledgeBase, answers: TextIO, talk: TextIO) -> None:
        self.kb = kb
        self.answers = answers
        self.talk = talk
        self.echo = not answers.isatty()
        self.asked = 0
        self.width = 80
        if talk.isatty():
            self.width = max(60, min(os.get_terminal_size(talk.fileno()).columns, 120))

    def __call__(self, question: Question, now: CandidateResult) -> Reply:
        from staffcheck.consult import STOP, parse_reply
        from staffcheck.reporters.consultation import prompt, question_text, retry_text

        self.asked += 1
        post = self.kb.roles.get(now.role)
        self.talk.write(("\n" if self.asked > 1 else "") + question_text(
            question, self.skill_name(question.skill), self.asked, now, self.width,
            post.name if post is not None else None,
        ))  # fmt: skip
        while True:
            self.talk.write(prompt())
            self.talk.flush()
            try:
                line = self.answers.readline()
            except KeyboardInterrupt:  # end the prompt's line before "staffcheck: interrupted"
                self.talk.write("\n")
                self.talk.flush()
                raise
            if not line:  # end of input (Ctrl-D): stop, keeping what was answered
                self.talk.write("\n")
                return STOP
            if self.echo:
                self.talk.write(inert(line.rstrip("\r\n")) + "\n")
            reply = parse_reply(line)
            if reply is not None:
                return reply
            self.talk.write(retry_text(line))

    def skill_name(self, skill: str) -> str:
        known = self.kb.skills.get(skill)
        return known.name if known is not None else skill

    def told(self, step: Step) -> None:
        from staffcheck.reporters.consultation import answered_text, skipped_text

        name = self.skill_name(step.question.skill)
        if step.level is None:
            self.talk.write(skipped_text(name))
        else:
            self.talk.write(answered_text(name, step.level, step.after))
