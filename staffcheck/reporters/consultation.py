"""A consultation (``staffcheck ask``): its questions as asked, and its outcome as text or JSON.

The outcome in the terminal is a line saying how the verdict changed, the screening report of
the person (`terminal.render`, the same as ``screen`` prints) and what was written where.
Everything from a profile or a pack is made inert: no markup, no escape sequences.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from staffcheck.consult import Consultation, Ending, reply_hint
from staffcheck.escaping import inert
from staffcheck.i18n import tr
from staffcheck.model import CandidateResult, Question
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.console import TextConsole, clip
from staffcheck.reporters.json_report import candidate_dict, dumps
from staffcheck.reporters.terminal import render as render_report
from staffcheck.words import confidence_word, verdict_word

SCHEMA = "staffcheck.consultation/1"


def prompt() -> str:
    """What the terminal shows before reading an answer."""
    return tr("Level 0–5, Enter to skip, q to stop: ")


def verdict_text(candidate: CandidateResult) -> str:
    """``partial (low)``: a verdict with its confidence."""
    return tr(
        "{verdict} ({confidence})",
        verdict=verdict_word(candidate.verdict),
        confidence=confidence_word(candidate.confidence),
    )


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` in lines of at most `width` terminal cells (a Chinese character takes two), the
    lines after the first indented by `indent`."""
    console = TextConsole(width)
    first, *rest = Text(text).wrap(console, width) or [Text("")]
    head = first.plain.rstrip()
    if not rest or not indent:
        return [head, *(line.plain.rstrip() for line in rest)]
    remainder = Text(text[len(head) :].strip()).wrap(console, width - len(indent))
    return [head, *(indent + line.plain.rstrip() for line in remainder)]


def question_text(
    question: Question,
    skill_name: str,
    number: int,
    now: CandidateResult,
    width: int = 80,
    post_name: str | None = None,
) -> str:
    """A question as it is asked: the skill, what the post needs, the verdict so far, the text."""
    fields = {
        "number": number,
        "skill": skill_name,
        "post": post_name or now.role,
        "verdict": verdict_text(now),
        "fit": now.fit,
    }
    if question.need:
        head = tr(
            "Question {number} · {skill} · the {post} post needs level {level} · "
            "now {verdict}, fit {fit}",
            level=question.need,
            **fields,
        )
    else:
        head = tr(
            "Question {number} · {skill} · the {post} post needs any level · "
            "now {verdict}, fit {fit}",
            **fields,
        )
    lines = _wrap(inert(head), width, "  ")
    body = _wrap(inert(question.text), max(20, width - 2))
    return "\n".join([*lines, *("  " + line for line in body)]) + "\n"


#: Terminal cells of an unreadable answer shown back before the question is asked again.
ANSWER_SHOWN_CELLS = 20


def retry_text(typed: str) -> str:
    """The one line shown after an answer that cannot be read, before it is asked again."""
    shown = inert(
        clip(typed.strip(), ANSWER_SHOWN_CELLS)
    )  # cut the text, then escape: no escape cut in two
    return "  " + tr("'{typed}' is not an answer: {hint}", typed=shown, hint=reply_hint()) + "\n"


def answered_text(skill: str, level: int, now: CandidateResult) -> str:
    """The line after a level is given: where the verdict stands with it."""
    line = tr(
        "{skill} {level}: now {verdict}, fit {fit}",
        skill=skill,
        level=level,
        verdict=verdict_text(now),
        fit=now.fit,
    )
    return inert("  " + line) + "\n"


def skipped_text(skill: str) -> str:
    """The line after a question is skipped."""
    return inert("  " + tr("{skill}: skipped", skill=skill)) + "\n"


def _questions_left(left: int) -> str:
    if left == 1:
        return tr("1 question could still change the verdict")
    return tr("{count} questions could still change the verdict", count=left)


def outcome_line(consultation: Consultation) -> str:
    """How the consultation ended and how the verdict changed: ``partial (low) → fit (high)``."""
    c = consultation
    before, after = verdict_text(c.before), verdict_text(c.after)
    change = f"{before} → {after}" if before != after else tr("still {verdict}", verdict=after)
    answered = len(c.answers)
    if c.ending is Ending.SETTLED and not c.steps:
        return tr("Nothing to ask: the verdict is settled, {verdict}.", verdict=after)
    if c.ending is Ending.SETTLED and answered == 1:
        return tr("The verdict is settled after 1 answer: {change}.", change=change)
    if c.ending is Ending.SETTLED:
        return tr(
            "The verdict is settled after {count} answers: {change}.", count=answered, change=change
        )
    still = _questions_left(len(c.open_questions))
    if c.ending is Ending.STOPPED:
        return tr("Stopped: {still}: {change}.", still=still, change=change)
    return tr("Every question left was skipped: {still}: {change}.", still=still, change=change)


def written_line(consultation: Consultation) -> str:
    """What was written where (the skills as the file has them), or that nothing was."""
    answers = consultation.answers
    if not answers or consultation.written is None:
        return tr("Nothing written: no answer was given.")
    added = ", ".join(f"{skill} {level}" for skill, level in answers.items())
    fields = {"file": consultation.written, "skills": added}
    if consultation.in_place:
        return inert(tr("Updated {file}: added to skills: {skills}", **fields))
    return inert(tr("Wrote {file}: added to skills: {skills}", **fields))


def render_table(consultation: Consultation, options: RenderOptions) -> str:
    """The outcome line, the person's screening report, and what was written."""
    report = render_report(consultation.report, options).rstrip("\n")
    return f"{outcome_line(consultation)}\n\n{report}\n\n{written_line(consultation)}\n"


def render_json(consultation: Consultation, options: RenderOptions) -> str:
    """The ``staffcheck.consultation/1`` document: the answers, before and after, the diagnosis."""
    c = consultation
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "person": {"id": c.after.id, "name": c.after.name},
        "post": c.post,
        "ending": c.ending.value,
        "before": _state(c.before),
        "after": _state(c.after),
        "answers": [{"skill": s, "level": level} for s, level in c.answers.items()],
        "skipped": list(c.skipped),
        "open_questions": [
            {"skill": q.skill, "need": q.need, "text": q.text} for q in c.open_questions
        ],
        "written": c.written,
        "in_place": c.in_place,
        "candidate": candidate_dict(c.after),
    }
    return dumps(data)


def _state(candidate: CandidateResult) -> dict[str, Any]:
    return {
        "verdict": candidate.verdict.value,
        "confidence": candidate.confidence.value,
        "fit": candidate.fit,
    }
