"""Hiring advice on a screening: what to do with each applicant of a drive, in a few lines.

A team's advice is its action plan (`staffcheck.actions`): reassign, train, hire. Applicants are
not staff yet: the questions are whom to shortlist, whom to interview and about what, who would
suit another post, and whom not to shortlist. Names come first, posts by their names (the
report's labels), and every line through `tr`.
"""

from __future__ import annotations

from staffcheck.diagnose import GOOD_FIT, shortlisted
from staffcheck.i18n import tr
from staffcheck.lookup import shared_names, who
from staffcheck.model import CandidateResult, Confidence, Report, RoleFit, Verdict

#: A screened applicant this fit or better is worth an interview (or, open, a post): the evidence
#: already half supports them.
ASK_FIT = 50
#: Lines of one kind about one person each (interview, consider, ask) a screening's advice gives.
PER_KIND = 3
#: Names one line of a screening's advice lists before "and N more".
LISTED_NAMES = 3
#: The kinds of hiring advice, in the order the lines come.
#: "decide": a partial fit resting on open questions (on the shortlist, asked before a verdict);
#: "ask": a mismatch resting on them (off it, asked before rejecting).
_KINDS = (
    "shortlist", "interview", "better", "open", "reserve", "decide", "ask", "elsewhere", "reject"
)  # fmt: skip


def screening_advice(report: Report) -> tuple[str, ...]:
    """Hiring advice on screened applicants, most important first: shortlist the fits, interview
    those with open questions, consider a better post or an open applicant's best post, keep
    near fits in reserve, ask before deciding on (or rejecting) a verdict that rests on unknowns,
    and do not shortlist the rest. Nobody on the shortlist (`shortlisted`) is told not to be;
    people are named as the reports name them (their id too where two share a name). A few lines: per-person lines stop at `PER_KIND` of a kind, name lists
    at `LISTED_NAMES` (then "and N more").

    Plain text (untrusted names included: each reporter escapes them).
    """
    advice = _HiringAdvice(report)
    for c in sorted(report.candidates, key=lambda c: (-c.fit, c.verdict.weight, c.id)):
        advice.add(c)
    return advice.lines()


class _HiringAdvice:
    """Screened applicants sorted into kinds of advice, then each kind written as lines."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.labels = report.labels
        self.needed = {post.role for post in report.posts}
        self.kinds: dict[str, list[CandidateResult]] = {kind: [] for kind in _KINDS}
        self.shared = shared_names((c.id, c.name) for c in report.candidates)

    def who(self, c: CandidateResult) -> str:
        """The person as the reports name them: ``Wang Fang``, or ``Wang Fang (d1)`` beside
        another Wang Fang."""
        return who(c.name, c.id, self.shared)

    def add(self, c: CandidateResult) -> None:
        self.kinds[self.kind(c)].append(c)

    def kind(self, c: CandidateResult) -> str:
        if c.open_application:
            return self.open_kind(c)
        if c.verdict is Verdict.FIT:
            return "interview" if c.questions else "shortlist"
        unknowns = c.confidence is Confidence.LOW and bool(c.questions)
        if c.verdict is Verdict.MISMATCH and unknowns:
            return "ask"  # the verdict rests on skills nobody asked about: ask, then decide
        if self.better(c) is not None:
            return "better"
        if c.verdict is Verdict.PARTIAL:  # shortlisted: never "do not shortlist"
            if unknowns and c.fit < ASK_FIT:
                return "decide"  # too little shown to interview on: ask first
            return "interview" if c.questions else "reserve"
        # A mismatch: worth a word of their own (for another drive) when they clearly fit a
        # post this strategy does not use.
        if self.elsewhere(c) is not None and len(self.kinds["elsewhere"]) < PER_KIND:
            return "elsewhere"
        return "reject"

    @staticmethod
    def open_kind(c: CandidateResult) -> str:
        """An open applicant: their best post if they can carry it; else, where that post's
        verdict rests on questions about skills they partly show, ask before deciding."""
        if shortlisted(c):
            return "open"
        if c.verdict is Verdict.PARTIAL and c.questions and c.fit > 0:
            return "decide"
        return "reject"

    def better(self, c: CandidateResult) -> RoleFit | None:
        """A post the strategy needs (any, without one) that the person clearly fits better."""
        best = c.better_roles[0] if c.better_roles else None
        if best is None or best.fit < GOOD_FIT or (self.needed and best.role not in self.needed):
            return None
        return best

    def elsewhere(self, c: CandidateResult) -> RoleFit | None:
        """A post outside the strategy that the person clearly fits."""
        best = c.better_roles[0] if c.better_roles else None
        if best is None or best.fit < GOOD_FIT or not self.needed or best.role in self.needed:
            return None
        return best

    def lines(self) -> tuple[str, ...]:
        lines: list[str] = []
        for kind in _KINDS:
            people = self.kinds[kind]
            if kind in ("shortlist", "reserve", "reject"):
                lines += self.grouped(kind, people)
            else:
                lines += [self.line(kind, c) for c in people[:PER_KIND]]
                if len(people) > PER_KIND:
                    lines.append(self.more(kind, people[PER_KIND:]))
        return tuple(lines)

    def line(self, kind: str, c: CandidateResult) -> str:
        """One person's line of a per-person kind."""
        post = self.labels.post(c.role)
        question = c.questions[0] if c.questions else None
        if kind == "better":
            better = self.better(c)
            assert better is not None
            return tr(
                "Consider {name} for {better} (fit {fit}) instead of {post}.",
                name=self.who(c), better=self.labels.post(better.role), fit=better.fit, post=post,
            )  # fmt: skip
        if kind == "ask":
            return self.ask(c)
        if kind == "decide" and self.report.ranked:  # one post for all: not named each time
            return tr(
                "Ask {name} about {skills} before deciding on them (staffcheck ask).",
                name=self.who(c), skills=self.asked(c),
            )  # fmt: skip
        if kind == "decide":
            return tr(
                "Ask {name} about {skills} before deciding on them for {post} (staffcheck ask).",
                name=self.who(c), skills=self.asked(c), post=post,
            )  # fmt: skip
        if kind == "elsewhere":
            other = self.elsewhere(c)
            assert other is not None
            return tr(
                "Do not shortlist {name} for {post}: they fit {other} (fit {fit}), "
                "a post this strategy does not use.",
                name=self.who(c), post=post, other=self.labels.post(other.role), fit=other.fit,
            )  # fmt: skip
        if question is None:  # an open applicant the evidence settles
            return tr(
                "Consider {name} for {post} (fit {fit}).", name=self.who(c), post=post, fit=c.fit
            )
        asked = {"skill": self.labels.skill(question.skill), "question": question.text}
        if kind == "open":
            return tr(
                "Consider {name} for {post} (fit {fit}): ask about {skill} — {question}",
                name=self.who(c), post=post, fit=c.fit, **asked,
            )  # fmt: skip
        if self.report.ranked:  # one post for all: naming it on every line is noise
            return tr(
                "Interview {name} (fit {fit}): ask about {skill} — {question}",
                name=self.who(c), fit=c.fit, **asked,
            )  # fmt: skip
        return tr(
            "Interview {name} for {post} (fit {fit}): ask about {skill} — {question}",
            name=self.who(c), post=post, fit=c.fit, **asked,
        )  # fmt: skip

    def ask(self, c: CandidateResult) -> str:
        """Ask before rejecting: the skills to ask about, and the post they fit if those lack."""
        asked = self.asked(c)
        post = self.labels.post(c.role)
        better = self.better(c)
        if better is None:
            return tr(
                "Ask {name} about {skills} before rejecting them for {post} (staffcheck ask).",
                name=self.who(c), skills=asked, post=post,
            )  # fmt: skip
        return tr(
            "Ask {name} about {skills} before rejecting them for {post}; if those are missing, "
            "consider them for {better} (fit {fit}) (staffcheck ask).",
            name=self.who(c), skills=asked, post=post, better=self.labels.post(better.role),
            fit=better.fit,
        )  # fmt: skip

    def asked(self, c: CandidateResult) -> str:
        """The skills to ask someone about, most decisive first."""
        return tr(", ").join(self.labels.skill(q.skill) for q in c.questions)

    def more(self, kind: str, people: list[CandidateResult]) -> str:
        """The people of a per-person kind past `PER_KIND`, in one line."""
        if kind == "better":
            moves = []
            for c in people[:LISTED_NAMES]:
                better = self.better(c)
                assert better is not None
                post = self.labels.post(better.role)
                moves.append(tr("{name} for {post} (fit {fit})", name=self.who(c), post=post,
                                fit=better.fit))  # fmt: skip
            return tr("Also consider {names}.", names=self.listed(moves, len(people)))
        names = self.names(people)
        if kind == "interview":
            return tr("Also interview {names}.", names=names)
        if kind == "ask":
            return tr("Also ask {names} before rejecting them.", names=names)
        if kind == "decide":
            return tr("Also ask {names} before deciding on them.", names=names)
        return tr("Also consider {names}.", names=names)

    def grouped(self, kind: str, people: list[CandidateResult]) -> list[str]:
        """One line per post for a kind said of many people at once."""
        by_post: dict[str | None, list[CandidateResult]] = {}
        for c in people:
            by_post.setdefault(None if c.open_application else c.role, []).append(c)
        lines = []
        for role, group in by_post.items():
            names = self.names(group)
            post = self.labels.post(role) if role is not None else ""
            if kind == "shortlist":
                lines.append(tr("Shortlist {names} for {post}.", names=names, post=post))
            elif kind == "reserve":
                kept = tr("Keep {names} in reserve for {post}: close, but short of a fit.",
                          names=names, post=post)  # fmt: skip
                lines.append(kept)
            elif role is None:
                lines.append(tr("Do not shortlist {names}: no post fits them.", names=names))
            else:
                lines.append(tr("Do not shortlist {names} for {post}.", names=names, post=post))
        return lines

    def names(self, people: list[CandidateResult]) -> str:
        """The people with their fit ("Fang Yu (fit 100), Wang Fang (d2, fit 30)"), then "and N
        more" past `LISTED_NAMES`."""
        return self.listed([self.with_fit(c) for c in people[:LISTED_NAMES]], len(people))

    def with_fit(self, c: CandidateResult) -> str:
        """``Fang Yu (fit 100)``; a namesake's id shares the brackets: ``Wang Fang (d2, fit 30)``."""
        if who(c.name, c.id, self.shared) == c.name:
            return tr("{name} (fit {fit})", name=c.name, fit=c.fit)
        return tr("{name} ({id}, fit {fit})", name=c.name, id=c.id, fit=c.fit)

    @staticmethod
    def listed(shown: list[str], total: int) -> str:
        """The first items of a list of `total`, then "and N more"."""
        text = tr(", ").join(shown)
        hidden = total - len(shown)
        return tr("{names} and {count} more", names=text, count=hidden) if hidden > 0 else text
