"""Short phrases every format of the report shares, in the reader's language: the words for
verdicts and severities, a drive's and a team's headline, a waiver's note, a candidate's top
reason, the first steps of a team's advice.

Every phrase returns plain text: untrusted parts (names, pack labels) are left as they are, and
each format escapes the whole phrase for its medium.
"""

from __future__ import annotations

from collections.abc import Sequence

from staffcheck.i18n import tr
from staffcheck.model import (
    CandidateResult,
    Labels,
    Reject,
    Report,
    RoleFit,
    Severity,
    Verdict,
    WaiverNote,
)
from staffcheck.reporters.drive import Ranked, VerdictCounts, verdict_counts
from staffcheck.words import confidence_word, severity_word, verdict_word

#: Where a team report's cut advice continues. Kept here, not in `staffcheck.actions`: every text
#: report uses these phrases, and a screening should not load the action planner's modules.
MORE_ADVICE = "'staffcheck explain TEAM_FILE --actions' shows them step by step"


def severity_tag(severity: Severity) -> str:
    """``HIGH``: a finding's severity as its tag."""
    return severity_word(severity).upper()


def drive_headline(counts: VerdictCounts) -> str:
    """``2 of 6 fit, 1 partial, 3 do not fit``: a drive's answer, counted over the whole batch.

    An open applicant whose best post is a partial they cannot carry yet is not on the
    shortlist: the headline counts them apart ("1 to ask about first"), not as partial."""
    parts = [tr("{fit} of {screened} fit", fit=counts.fit, screened=counts.screened)]
    partial = max(0, counts.partial - counts.unplaced)
    if partial:
        parts.append(tr("{n} partial", n=partial))
    if counts.unplaced:
        parts.append(tr("{n} to ask about first", n=counts.unplaced))
    if counts.mismatch == 1:
        parts.append(tr("1 does not fit"))
    elif counts.mismatch:
        parts.append(tr("{n} do not fit", n=counts.mismatch))
    if counts.open_applications == 1:
        parts.append(tr("1 open application"))
    elif counts.open_applications:
        parts.append(tr("{n} open applications", n=counts.open_applications))
    return _clauses(parts)


def _clauses(parts: list[str]) -> str:
    """Clauses of one sentence, comma-separated (a list of names uses ``tr(", ")``)."""
    sentence = parts[0]
    for part in parts[1:]:
        sentence = tr("{first}, {then}", first=sentence, then=part)
    return sentence


def report_headline(report: Report) -> str:
    """The report's answer in a line: a team's verdict, or a drive's counts (never a "NO")."""
    if report.team is None:
        return drive_headline(verdict_counts(report))
    return team_verdict(report) + tr(": ") + team_counts(report)


def team_blocked(report: Report) -> bool:
    """A finding that counts is high or worse: the team cannot run the strategy as staffed."""
    worst = report.worst_severity()
    return worst is not None and worst.blocks


def team_verdict(report: Report) -> str:
    """Whether the team can run its strategy as staffed."""
    if team_blocked(report):
        return tr("This team cannot run the strategy as staffed")
    return tr("This team can run the strategy as staffed")


def team_counts(report: Report) -> str:
    """``1 mismatch, 2 uncovered posts``."""
    mismatches = sum(c.verdict is Verdict.MISMATCH for c in report.candidates)
    gaps = sum(g.counts for g in report.team.gaps) if report.team else 0
    first = tr("1 mismatch") if mismatches == 1 else tr("{n} mismatches", n=mismatches)
    second = tr("1 uncovered post") if gaps == 1 else tr("{n} uncovered posts", n=gaps)
    return _clauses([first, second])


def screening_subject(report: Report) -> str:
    """``Screening of 6 people``: the whole batch, before any --top cut."""
    people = verdict_counts(report).screened
    if people == 1:
        return tr("Screening of 1 person")
    return tr("Screening of {n} people", n=people)


def strategy_line(report: Report) -> str:
    """``strategy Taobao store (taobao-store)``, or that posts stand on their own."""
    if report.strategy is None:
        return tr("no strategy: posts judged on their own requirements")
    return tr("strategy {name} ({id})", name=report.strategy.name, id=report.strategy.id)


def shown_of(report: Report) -> str | None:
    """``Showing the best 3 of 6.`` when --top cut a ranked report, ``Showing the first 3 of 6.``
    when it cut one in input order (no --post: nothing was ranked), else None."""
    screened = verdict_counts(report).screened
    shown = len(report.candidates)
    if screened <= shown:
        return None
    if not report.ranked:
        return tr("Showing the first {shown} of {screened}.", shown=shown, screened=screened)
    return tr("Showing the best {shown} of {screened}.", shown=shown, screened=screened)


def ranked_post(report: Report) -> str | None:
    """The post a drive was ranked for (its label), or None when each applied for their own."""
    if not report.ranked or not report.candidates:
        return None
    return report.labels.post(report.candidates[0].role)


def shortlist_title(report: Report) -> str:
    """The heading of a drive's shortlist."""
    post = ranked_post(report)
    if post is None:
        return tr("Shortlist: fit or partial, best first")
    return tr("Shortlist for the {post} post", post=post)


def rest_title(report: Report, rest: Sequence[Ranked]) -> str:
    """The heading of the rest of a drive: those who do not fit (an open applicant, no post)."""
    post = ranked_post(report)
    if post is not None:
        return tr("Not a fit for the {post} post", post=post)
    opened = sum(1 for row in rest if row.candidate.open_application)
    if opened == len(rest):
        return tr("Not a fit for any post yet")
    if opened:
        return tr("Not a fit for the post they applied for (open applications: for any post)")
    return tr("Not a fit for the post they applied for")


def post_cell(c: CandidateResult, labels: Labels, *, sep: str | None = None) -> str:
    """The post a person was screened for; an open applicant's best post is marked as such
    (after `sep`: a terminal cell puts the mark on a line of its own, so that a narrow column
    never breaks it, or a Chinese bracket, in two)."""
    post = labels.post(c.role)
    if not c.open_application:
        return post
    mark = tr("(open application)")
    if sep is None:  # a full-width bracket (Chinese) takes no space before it
        sep = " " if mark[:1].isascii() else ""
    return post + sep + mark


def better_post(c: CandidateResult, labels: Labels, *, with_fit: bool = True) -> str:
    """The post that would suit the person better, or ``—`` (an open applicant is on their best)."""
    if c.open_application or not c.better_roles:
        return "—"
    best = c.better_roles[0]
    return role_fit(best, labels) if with_fit else labels.post(best.role)


def better_posts(c: CandidateResult, labels: Labels) -> str:
    """Every better post with its fit, or ``—``."""
    if c.open_application or not c.better_roles:
        return "—"
    return tr(", ").join(role_fit(r, labels) for r in c.better_roles)


def role_fit(fit: RoleFit, labels: Labels) -> str:
    """``SEO specialist (72)``."""
    return tr("{post} ({fit})", post=labels.post(fit.role), fit=fit.fit)


def other_post(fit: RoleFit, labels: Labels) -> str:
    """An open applicant's other post: ``SEO specialist, fit 72: reason``."""
    if fit.reason:
        return tr(
            "{post}, fit {fit}: {reason}",
            post=labels.post(fit.role),
            fit=fit.fit,
            reason=fit.reason,
        )
    return tr("{post}, fit {fit}", post=labels.post(fit.role), fit=fit.fit)


def best_post(c: CandidateResult, labels: Labels) -> str:
    """An open applicant's best post: ``best post Taobao store operator, fit 91 (partial)``."""
    return tr(
        "best post {post}, fit {fit} ({verdict})",
        post=labels.post(c.role),
        fit=c.fit,
        verdict=verdict_word(c.verdict),
    )


def person_heading(c: CandidateResult, name: str, labels: Labels) -> str:
    """``Sun Li on post SEO specialist · fit 0 · mismatch · confidence high``."""
    return tr(
        "{name} on post {post} · fit {fit} · {verdict} · confidence {confidence}",
        name=name,
        post=labels.post(c.role),
        fit=c.fit,
        verdict=verdict_word(c.verdict),
        confidence=confidence_word(c.confidence),
    )


def question_line(skill: str, need: int, text: str, labels: Labels) -> str:
    """``SEO (needs 3): the question``."""
    return tr(
        "{skill} (needs {need}): {question}", skill=labels.skill(skill), need=need, question=text
    )


def modules_of(modules: tuple[str, ...], labels: Labels) -> str:
    """The modules a post carries, by name."""
    return tr(", ").join(labels.module(m) for m in modules)


def waiver_text(note: WaiverNote | None) -> str:
    """`waived by X until D: reason`, or that the waiver expired: shown after a finding."""
    if note is None:
        return ""
    if note.expired:
        return tr(
            "waiver expired on {date} (was: {reason}; {by})",
            date=note.expires.isoformat(),
            reason=note.reason,
            by=note.approved_by,
        )
    return tr(
        "waived by {by} until {date}: {reason}",
        by=note.approved_by,
        date=note.expires.isoformat(),
        reason=note.reason,
    )


def waiver_label(note: WaiverNote) -> str:
    """``WAIVED`` or ``WAIVER EXPIRED``."""
    return tr("WAIVER EXPIRED") if note.expired else tr("WAIVED")


def top_reason(c: CandidateResult, labels: Labels) -> str:
    """The heaviest finding in a few words (its rule's title and skill), or why there is none."""
    if not c.findings:
        return tr("meets every essential skill")
    first = c.findings[0]
    if not first.title:
        return first.message
    if first.skill:
        return tr("{title}: {skill}", title=first.title, skill=labels.skill(first.skill))
    return first.title


def no_findings() -> str:
    """What a person without findings gets."""
    return tr("No findings: meets every essential skill of the post.")


def first_steps(report: Report) -> tuple[tuple[str, ...], str | None]:
    """The advice a text format lists, and the line that ends it when more steps follow.

    A team report's advice is the start of its plan, most pressing first; ``explain --actions``
    has the whole plan (and says how many steps it has). A screening's advice is whole.
    """
    if report.team is None or not report.advice_more:
        return report.advice, None
    return report.advice, tr("… and more: {how}.", how=MORE_ADVICE)


def unsure_legend() -> str:
    """What the mark ``?`` on a verdict means: open questions could still change it."""
    return tr("? open questions could change this verdict: ask them (staffcheck ask)")


#: How many rejected records a Markdown or HTML report lists one by one: a file for a reader,
#: not a log (every reject is on standard error, and in the JSON report and the workbook).
REJECTS_LISTED = 1000


def rejects_listed(report: Report) -> tuple[tuple[Reject, ...], str | None]:
    """The rejected records a document lists, and the line that ends the list when it is cut."""
    shown = report.rejects[:REJECTS_LISTED]
    more = len(report.rejects) - len(shown)
    if not more:
        return shown, None
    return shown, tr(
        "… and {more} more: every one is listed on standard error and in --format json or xlsx.",
        more=more,
    )
