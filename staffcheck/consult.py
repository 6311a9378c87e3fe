"""A consultation: ask one person the questions that could change their verdict, one at a time.

The loop knows nothing of terminals. It screens the person, hands the most decisive open question
to an *answer source* (a callable: a level 0–5, `SKIP` or `STOP`), adds each level given as a
*stated* skill, screens again, and stops as soon as no open question is left (the verdict is
settled), when the source says `STOP`, or when every question left was skipped. `parse_reply` reads
the answer syntax that ``staffcheck ask`` accepts on a terminal or from standard input.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from staffcheck.actions import advise
from staffcheck.diagnose import screen
from staffcheck.i18n import tr
from staffcheck.model import (
    CandidateResult,
    KnowledgeBase,
    Profile,
    Question,
    Report,
    Strategy,
    frozen_map,
)
from staffcheck.schema import MAX_LEVEL


class Control(enum.Enum):
    """An answer that is not a level: pass over this question, or end the consultation."""

    SKIP = "skip"
    STOP = "stop"


SKIP, STOP = Control.SKIP, Control.STOP
#: What an answer source returns: a level 0–5, or one of the controls.
Reply = int | Control
#: Asked with the question and the person's current diagnosis; returns the reply.
AnswerSource = Callable[[Question, CandidateResult], Reply]

#: Words that skip or stop besides the English ones (a Chinese keyboard types these).
_SKIP_WORDS = ("", "s", "skip", "跳过", "跳", "略过")
_STOP_WORDS = ("q", "quit", "stop", "退出", "停止", "结束")


def reply_hint() -> str:
    """The one-line reminder of the answer syntax, shown again after an answer it cannot read."""
    return tr(
        "type a level 0–{top} (0 none … {top} expert), Enter or s to skip, q to stop",
        top=MAX_LEVEL,
    )


class Ending(enum.StrEnum):
    """Why a consultation ended."""

    SETTLED = "settled"
    """No open question is left: no answer could change the verdict any more."""
    STOPPED = "stopped"
    """The person (or the input) stopped it: ``q``, or the end of the input."""
    SKIPPED = "skipped"
    """Every question still open was skipped: the verdict stays open."""


@dataclass(frozen=True, slots=True)
class Step:
    """One question asked, and the verdict after its answer (the same one when skipped)."""

    question: Question
    #: the level given, or None when it was skipped
    level: int | None
    after: CandidateResult


@dataclass(frozen=True, slots=True)
class Consultation:
    """What a consultation asked, what it was told, and the diagnosis before and after."""

    post: str
    #: the diagnosis before any answer
    before: CandidateResult
    #: the screening report after the last answer (one candidate, with its advice)
    report: Report
    steps: tuple[Step, ...]
    ending: Ending
    #: where the answers were written (set by the caller once it has written them), and whether
    #: that is the file the profile was read from
    written: str | None = None
    in_place: bool = False

    @property
    def after(self) -> CandidateResult:
        """The diagnosis after the last answer."""
        return self.report.candidates[0]

    @property
    def answers(self) -> Mapping[str, int]:
        """The levels given, skill -> level, in the order they were given."""
        return {s.question.skill: s.level for s in self.steps if s.level is not None}

    @property
    def skipped(self) -> tuple[str, ...]:
        """The skills whose question was skipped, in the order they were asked."""
        return tuple(s.question.skill for s in self.steps if s.level is None)

    @property
    def open_questions(self) -> tuple[Question, ...]:
        """The questions that could still change the verdict."""
        return self.after.questions


def parse_reply(text: str) -> Reply | None:
    """A typed answer: ``0``–``5`` a level, empty or ``s`` skip, ``q`` stop; None if unreadable.

    Full-width digits and letters (``３``, ``ｑ``) count as their ASCII forms; 跳过 skips, 退出 stops.
    """
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in _SKIP_WORDS:
        return SKIP
    if word in _STOP_WORDS:
        return STOP
    if word.isascii() and word.isdigit() and int(word) <= MAX_LEVEL:
        return int(word)
    return None


def with_answers(profile: Profile, answers: Mapping[str, int]) -> Profile:
    """`profile` with `answers` added to its stated skills."""
    return replace(profile, skills=frozen_map({**profile.skills, **answers}))


def consult(
    kb: KnowledgeBase,
    profile: Profile,
    strategy: Strategy | None,
    post: str | None,
    answer: AnswerSource,
    told: Callable[[Step], None] | None = None,
) -> Consultation:
    """Ask `answer` the open questions of `profile` on `post` (default: the post it applies for),
    most decisive first, re-screening after each level given, until the verdict is settled.
    `told`, if given, hears each step as it is taken (the verdict after each answer)."""
    report = _screen(kb, profile, strategy, post)
    before = report.candidates[0]
    post = post or before.role  # an open application: ask about the post that fits best, only
    answers: dict[str, int] = {}
    steps: list[Step] = []
    ending = Ending.SETTLED
    while report.candidates[0].questions:
        current = report.candidates[0]
        asked = {step.question.skill for step in steps}
        waiting = [q for q in current.questions if q.skill not in asked]
        if not waiting:
            ending = Ending.SKIPPED
            break
        question = waiting[0]
        reply = answer(question, current)
        if reply is STOP:
            ending = Ending.STOPPED
            break
        if isinstance(reply, Control):  # SKIP
            steps.append(Step(question, None, current))
        else:
            if not 0 <= reply <= MAX_LEVEL:
                raise ValueError(f"an answer source returned level {reply!r}")
            answers[question.skill] = reply
            report = _screen(kb, with_answers(profile, answers), strategy, post)
            steps.append(Step(question, reply, report.candidates[0]))
        if told is not None:
            told(steps[-1])
    return Consultation(before.role, before, advise(kb, report), tuple(steps), ending)


def _screen(
    kb: KnowledgeBase, profile: Profile, strategy: Strategy | None, post: str | None
) -> Report:
    return screen(kb, [profile], strategy, role=post)
