"""Hiring advice on a screening: what to do with each applicant of a drive, in a few lines.

A team's advice is its action plan (`staffcheck.actions`): reassign, train, hire. Applicants are
not staff yet: the questions are whom to shortlist, whom to interview and about what, who would
suit another post, and whom not to shortlist. Names come first, posts by their names (the
report's labels), and every line through `tr`.
"""

from __future__ import annotations

from staffcheck.diagnose import GOOD_FIT
from staffcheck.i18n import tr
from staffcheck.model import CandidateResult, Confidence, Report, RoleFit, Verdict

#: A screened applicant this fit or better is worth an interview (or, open, a post): the evidence
#: already half supports them.
ASK_FIT = 50
#: Lines of one kind about one person each (interview, consider, ask) a screening's advice gives.
PER_KIND = 3
#: Names one line of a screening's advice lists before "and N more".
LISTED_NAMES = 3
#: The kinds of hiring advice, in the order the lines come.
_KINDS = ("shortlist", "interview", "better", "open", "reserve", "ask", "elsewhere", "reject")


def screening_advice(report: Report) -> tuple[str, ...]:
    """Hiring advice on screened applicants, most important first: shortlist the fits, interview
    those with open questions, consider a better post or an open applicant's best post, keep
    near fits in reserve, ask before rejecting a verdict that rests on unknowns, and do not
    shortlist the rest. A few lines: per-person lines stop at `PER_KIND` of a kind, name lists
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

    def add(self, c: CandidateResult) -> None:
        self.kinds[self.kind(c)].append(c)

    def kind(self, c: CandidateResult) -> str:
        if c.open_application:
            fits = c.verdict is Verdict.FIT or (c.verdict is Verdict.PARTIAL and c.fit >= ASK_FIT)
            return "open" if fits else "reject"
        if c.verdict is Verdict.FIT:
            return "interview" if c.questions else "shortlist"
        if c.verdict is Verdict.MISMATCH and c.confidence is Confidence.LOW and c.questions:
            return "ask"  # the verdict rests on skills nobody asked about: ask, then decide
        if self.better(c) is not None:
            return "better"
        if c.verdict is Verdict.PARTIAL and c.fit >= ASK_FIT:
            return "interview" if c.questions else "reserve"
        # A mismatch, or a partial fit the evidence does not half support: worth a word of
        # their own (for another drive) when they clearly fit a post this strategy does not use.
        if self.elsewhere(c) is not None and len(self.kinds["elsewhere"]) < PER_KIND:
            return "elsewhere"
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
                name=c.name, better=self.labels.post(better.role), fit=better.fit, post=post,
            )  # fmt: skip
        if kind == "ask":
            return self.ask(c)
        if kind == "elsewhere":
            other = self.elsewhere(c)
            assert other is not None
            return tr(
                "Do not shortlist {name} for {post}: they fit {other} (fit {fit}), "
                "a post this strategy does not use.",
                name=c.name, post=post, other=self.labels.post(other.role), fit=other.fit,
            )  # fmt: skip
        if question is None:  # an open applicant the evidence settles
            return tr("Consider {name} for {post} (fit {fit}).", name=c.name, post=post, fit=c.fit)
        asked = {"skill": self.labels.skill(question.skill), "question": question.text}
        if kind == "open":
            return tr(
                "Consider {name} for {post} (fit {fit}): ask about {skill} — {question}",
                name=c.name, post=post, fit=c.fit, **asked,
            )  # fmt: skip
        if self.report.ranked:  # one post for all: naming it on every line is noise
            return tr(
                "Interview {name} (fit {fit}): ask about {skill} — {question}",
                name=c.name, fit=c.fit, **asked,
            )  # fmt: skip
        return tr(
            "Interview {name} for {post} (fit {fit}): ask about {skill} — {question}",
            name=c.name, post=post, fit=c.fit, **asked,
        )  # fmt: skip

    def ask(self, c: CandidateResult) -> str:
        """Ask before rejecting: the skills to ask about, and the post they fit if those lack."""
        asked = tr(", ").join(self.labels.skill(q.skill) for q in c.questions)
        post = self.labels.post(c.role)
        better = self.better(c)
        if better is None:
            return tr(
                "Ask {name} about {skills} before rejecting them for {post} (staffcheck ask).",
                name=c.name, skills=asked, post=post,
            )  # fmt: skip
        return tr(
            "Ask {name} about {skills} before rejecting them for {post}; if those are missing, "
            "consider them for {better} (fit {fit}) (staffcheck ask).",
            name=c.name, skills=asked, post=post, better=self.labels.post(better.role),
            fit=better.fit,
        )  # fmt: skip

    def more(self, kind: str, people: list[CandidateResult]) -> str:
        """The people of a per-person kind past `PER_KIND`, in one line."""
        if kind == "better":
            moves = []
            for c in people[:LISTED_NAMES]:
                better = self.better(c)
                assert better is not None
                post = self.labels.post(better.role)
                moves.append(tr("{name} for {post} (fit {fit})", name=c.name, post=post,
                                fit=better.fit))  # fmt: skip
            return tr("Also consider {names}.", names=self.listed(moves, len(people)))
        names = self.names(people)
        if kind == "interview":
            return tr("Also interview {names}.", names=names)
        if kind == "ask":
            return tr("Also ask {names} before rejecting them.", names=names)
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

    @classmethod
    def names(cls, people: list[CandidateResult]) -> str:
        """The people with their fit ("Fang Yu (fit 100), Ye Ting (fit 98)"), then "and N more"
        past `LISTED_NAMES`."""
        shown = [tr("{name} (fit {fit})", name=c.name, fit=c.fit) for c in people[:LISTED_NAMES]]
        return cls.listed(shown, len(people))

    @staticmethod
    def listed(shown: list[str], total: int) -> str:
        """The first items of a list of `total`, then "and N more"."""
        text = tr(", ").join(shown)
        hidden = total - len(shown)
        return tr("{names} and {count} more", names=text, count=hidden) if hidden > 0 else text
