"""A consultation (``staffcheck ask``): its questions as asked, and its outcome as text or JSON.

The outcome in the terminal is a line saying how the verdict changed, the screening report of
the person (`terminal.render`, the same as ``screen`` prints) and what was written where.
Everything from a profile or a pack is made inert: no markup, no escape sequences.
"""

from __future__ import annotations

import textwrap
from typing import Any

from staffcheck.consult import REPLY_HINT, Consultation, Ending
from staffcheck.escaping import inert
from staffcheck.model import CandidateResult, Question
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.json_report import candidate_dict, dumps
from staffcheck.reporters.terminal import render as render_report

SCHEMA = "staffcheck.consultation/1"
PROMPT = "Level 0–5, Enter to skip, q to stop: "


def verdict_text(candidate: CandidateResult) -> str:
    """``partial (low)``: a verdict with its confidence."""
    return f"{candidate.verdict.value} ({candidate.confidence.value})"


def question_text(
    question: Question, skill_name: str, number: int, now: CandidateResult, width: int = 80
) -> str:
    """A question as it is asked: the skill, what the post needs, the verdict so far, the text."""
    head = inert(
        f"Question {number} · {skill_name} ({question.skill}) · the {now.role} post needs "
        f"level {question.need or 'any'} · now {verdict_text(now)}, fit {now.fit}"
    )
    room = max(20, width - 2)
    lines = textwrap.wrap(head, width, subsequent_indent="  ", break_on_hyphens=False)
    body = textwrap.wrap(inert(question.text), room, break_on_hyphens=False)
    return "\n".join([*lines, *("  " + line for line in body)]) + "\n"


def retry_text(typed: str) -> str:
    """The one line shown after an answer that cannot be read, before it is asked again."""
    shown = inert(typed.strip())[:20]
    return f"  '{shown}' is not an answer: {REPLY_HINT}\n"


def answered_text(skill: str, level: int, now: CandidateResult) -> str:
    """The line after a level is given: where the verdict stands with it."""
    return inert(f"  {skill} {level}: now {verdict_text(now)}, fit {now.fit}") + "\n"


def outcome_line(consultation: Consultation) -> str:
    """How the consultation ended and how the verdict changed: ``partial (low) → fit (high)``."""
    c = consultation
    before, after = verdict_text(c.before), verdict_text(c.after)
    change = f"{before} → {after}" if before != after else f"still {after}"
    answered = len(c.answers)
    if c.ending is Ending.SETTLED and not c.steps:
        return f"Nothing to ask: the verdict is settled, {verdict_text(c.after)}."
    if c.ending is Ending.SETTLED:
        plural = "answer" if answered == 1 else "answers"
        return f"The verdict is settled after {answered} {plural}: {change}."
    left = len(c.open_questions)
    still = f"{left} question{'s' if left != 1 else ''} could still change the verdict"
    if c.ending is Ending.STOPPED:
        return f"Stopped: {still}: {change}."
    return f"Every question left was skipped: {still}: {change}."


def written_line(consultation: Consultation) -> str:
    """What was written where, or that nothing was."""
    answers = consultation.answers
    if not answers or consultation.written is None:
        return "Nothing written: no answer was given."
    added = ", ".join(f"{skill} {level}" for skill, level in answers.items())
    verb = "Updated" if consultation.in_place else "Wrote"
    return inert(f"{verb} {consultation.written}: added to skills: {added}")


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
