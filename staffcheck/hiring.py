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
#: The kinds said in one line a post, of many people at once.
_GROUPED = frozenset({"shortlist", "reserve", "reject"})


def screening_advice(report: Report, shared: frozenset[str] | None = None) -> tuple[str, ...]:
    """Hiring advice on screened applicants, most important first: shortlist the fits, interview
    those with open questions, consider a better post or an open applicant's best post, keep
    near fits in reserve, ask before deciding on (or rejecting) a verdict that rests on unknowns,
    and do not shortlist the rest. Nobody on the shortlist (`shortlisted`) is told not to be;
    people are named as the reports name them (their id too where two share a name). A few lines: per-person lines stop at `PER_KIND` of a kind, name lists
    at `LISTED_NAMES` (then "and N more").

    Plain text (untrusted names included: each reporter escapes them).

    One pass over the candidates, in any order, keeping only the few people each line can name
    and how many there are: a drive's ranking held outside memory stays there. `shared`: the
    names two of them share, when the caller has them (else they are counted here).
    """
    advice = _HiringAdvice(report)
    for order, c in enumerate(report.candidates):
        advice.add(c, (-c.fit, c.verdict.weight, c.id, order))
    if shared is None:
        shared = shared_names((c.id, c.name) for c in report.candidates)
    advice.shared = shared
    return advice.lines()


#: Where a person comes in the advice: best fit first, then better verdict, id, input order.
_Order = tuple[int, int, str, int]


class _Firsts:
    """The first `keep` people of a list in advice order, and how many the list has: the only
    ones a line names ("A, B, C and 40 more")."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.total = 0
        self._people: list[tuple[_Order, CandidateResult]] = []

    def add(self, order: _Order, c: CandidateResult) -> list[tuple[_Order, CandidateResult]]:
        """One more person; returns those now known to be past the first `keep`."""
        self.total += 1
        self._people.append((order, c))
        return self.cut() if len(self._people) > 4 * self.keep + 16 else []

    def cut(self) -> list[tuple[_Order, CandidateResult]]:
        """Drop those past the first `keep` (sorting the rest), and return them."""
        self._people.sort(key=lambda pair: pair[0])
        past = self._people[self.keep :]
        del self._people[self.keep :]
        return past

    def people(self) -> list[CandidateResult]:
        """The first `keep`, in advice order."""
        self.cut()
        return [c for _, c in self._people]

    def first(self) -> _Order:
        """The place of the first of them (a group of a kind is listed where its first is)."""
        return min(order for order, _ in self._people)


class _HiringAdvice:
    """Screened applicants sorted into kinds of advice, then each kind written as lines."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.labels = report.labels
        self.needed = {post.role for post in report.posts}
        # Per-person kinds name `PER_KIND` people, then `LISTED_NAMES` more; the others name
        # `LISTED_NAMES` a post. "elsewhere" keeps the first `PER_KIND`: the rest are rejects.
        self.kinds = {kind: _Firsts(PER_KIND + LISTED_NAMES) for kind in _KINDS}
        self.kinds["elsewhere"] = _Firsts(PER_KIND)
        self.groups: dict[str, dict[str | None, _Firsts]] = {kind: {} for kind in _GROUPED}
        self.shared: frozenset[str] = frozenset()

    def who(self, c: CandidateResult) -> str:
        """The person as the reports name them: ``Wang Fang``, or ``Wang Fang (d1)`` beside
        another Wang Fang."""
        return who(c.name, c.id, self.shared)

    def add(self, c: CandidateResult, order: _Order) -> None:
        kind = self.kind(c)
        if kind in _GROUPED:
            self.group(kind, c, order)
        else:
            past = self.kinds[kind].add(order, c)
            if kind == "elsewhere":  # past its first `PER_KIND`: said with the rejects
                for later, person in past:
                    self.group("reject", person, later)

    def group(self, kind: str, c: CandidateResult, order: _Order) -> None:
        role = None if c.open_application else c.role
        self.groups[kind].setdefault(role, _Firsts(LISTED_NAMES)).add(order, c)

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
        if self.elsewhere(c) is not None:
            return "elsewhere"  # the first `PER_KIND` in advice order (`_Firsts`), else "reject"
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
        elsewhere = self.kinds["elsewhere"]
        for order, c in elsewhere.cut():  # past the first `PER_KIND`: said with the rejects
            self.group("reject", c, order)
        elsewhere.total = len(elsewhere.people())
        lines: list[str] = []
        for kind in _KINDS:
            if kind in _GROUPED:
                lines += self.grouped(kind)
                continue
            firsts = self.kinds[kind]
            people = firsts.people()
            lines += [self.line(kind, c) for c in people[:PER_KIND]]
            if firsts.total > PER_KIND:
                lines.append(self.more(kind, people[PER_KIND:], firsts.total - PER_KIND))
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

    def more(self, kind: str, people: list[CandidateResult], total: int) -> str:
        """The people of a per-person kind past `PER_KIND`, in one line."""
        if kind == "better":
            moves = []
            for c in people[:LISTED_NAMES]:
                better = self.better(c)
                assert better is not None
                post = self.labels.post(better.role)
                moves.append(tr("{name} for {post} (fit {fit})", name=self.who(c), post=post,
                                fit=better.fit))  # fmt: skip
            return tr("Also consider {names}.", names=self.listed(moves, total))
        names = self.names(people, total)
        if kind == "interview":
            return tr("Also interview {names}.", names=names)
        if kind == "ask":
            return tr("Also ask {names} before rejecting them.", names=names)
        if kind == "decide":
            return tr("Also ask {names} before deciding on them.", names=names)
        return tr("Also consider {names}.", names=names)

    def grouped(self, kind: str) -> list[str]:
        """One line per post for a kind said of many people at once, in the order of each
        post's first person."""
        lines = []
        by_post = sorted(self.groups[kind].items(), key=lambda item: item[1].first())
        for role, group in by_post:
            names = self.names(group.people(), group.total)
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

    def names(self, people: list[CandidateResult], total: int) -> str:
        """The people with their fit ("Fang Yu (fit 100), Wang Fang (d2, fit 30)"), then "and N
        more" past `LISTED_NAMES` (of `total`)."""
        return self.listed([self.with_fit(c) for c in people[:LISTED_NAMES]], total)

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
