"""Who does a post's work in a plan: members as they are, members trained first, hires.

In order of preference: the members holding the post whose verdict is not a mismatch (trained
first when one level short on a stated essential skill the post's training lifts); members
elsewhere who could cover it (the diagnosis names them) and have every essential skill at its
level, since its work comes on top of their own; a holder one level short on every missing skill,
who can be trained; a hire, who starts after the post's lead time (a pack that gives none:
`DEFAULT_LEAD_TIME`). Without a team every post is hired, as many as its headcount.

Money follows the team's currency: a team file in another currency than the pack's uses its own
amounts only (the pack's are not converted at a guessed rate).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from staffcheck.i18n import tr
from staffcheck.model import (
    KnowledgeBase,
    Member,
    PostTerms,
    Report,
    Team,
    TrainingItem,
    Verdict,
)
from staffcheck.project_plan import (
    Assignee,
    AssigneeKind,
    Preparation,
    PreparationKind,
    ProjectPlan,
)
from staffcheck.workdays import last_day

#: Working days to fill a post whose pack gives no hiring lead time (about a month of recruiting).
DEFAULT_LEAD_TIME = 20


def currency_of(kb: KnowledgeBase, team: Team | None) -> str:
    """The plan's currency: the team file's own, else the pack's."""
    own = team.plan.currency if team is not None else None
    return own or kb.currency


def terms_of(kb: KnowledgeBase, team: Team | None, post: str) -> PostTerms:
    """A post's pay, recruiting cost and lead time: the team's own over the pack's (in another
    currency than the pack's, the team's own amounts only: the pack's are not converted)."""
    own = team.plan.posts.get(post) if team is not None else None
    pack = kb.roles[post].terms
    if currency_of(kb, team) != kb.currency:
        pack = PostTerms(lead_time=pack.lead_time)  # days are no currency
    return own.over(pack) if own is not None else pack


def unpriced_training(kb: KnowledgeBase, team: Team | None, post: str) -> frozenset[str]:
    """The ids of `post`'s training items whose cost is unknown in the plan's currency: priced
    in the pack's, which the team's is not, and given no cost of the team's own."""
    if currency_of(kb, team) == kb.currency:
        return frozenset()
    own = team.plan.training if team is not None else {}
    return frozenset(
        item.id
        for item in kb.roles[post].training
        if item.cost and (item.id not in own or own[item.id].cost is None)
    )


def training_of(kb: KnowledgeBase, team: Team | None, post: str) -> tuple[TrainingItem, ...]:
    """A post's training items with the team's own days and cost (the pack's cost only in the
    pack's currency; else 0, and `unpriced_training` names them)."""
    own = team.plan.training if team is not None else {}
    foreign = currency_of(kb, team) != kb.currency
    items = []
    for item in kb.roles[post].training:
        terms = own.get(item.id)
        cost = 0 if foreign else item.cost
        days = item.days
        if terms is not None:
            days = terms.days if terms.days is not None else days
            cost = terms.cost if terms.cost is not None else cost
        items.append(replace(item, days=days, cost=cost))
    return tuple(items)


@dataclass(frozen=True, slots=True)
class Person:
    """A resource of the plan: who, from which working day they can work, what prepares them."""

    assignee: Assignee
    ready: int = 0
    preparation: Preparation | None = None


def by_id(people: Mapping[str, list[Person]]) -> dict[str, Person]:
    """Everyone the plan puts work on, once each: a member who covers another post is the same
    person (trained first if they are trained for their own post)."""
    found: dict[str, Person] = {}
    for listed in people.values():
        for person in listed:
            known = found.get(person.assignee.id)
            if known is None or (known.preparation is None and person.preparation is not None):
                found[person.assignee.id] = person
    return found


class PeopleMemo:
    """What plans of variants of one team share (`plan_after_actions`, a step of the team's
    actions at a time): a member as they are and trained for a post, once per profile and post,
    each post's training terms, and the last plan (the next is the same if its people are). Valid for one pack, one team file's plan terms and one start date."""

    def __init__(self) -> None:
        #: (id(profile), post, all_short) -> (profile, the trained person or None): the profile
        #: is kept so that its id() is not reused
        self.trained: dict[tuple[int, str, bool], tuple[object, Person | None]] = {}
        self.members: dict[tuple[int, str], tuple[object, Person]] = {}
        #: a holder of a post as its plan has them work (trained first, or as they are)
        self.holders: dict[tuple[int, str], tuple[object, Person]] = {}
        #: the last plan made without its analysis, and the people it was made with
        self.last_plan: tuple[Mapping[str, list[Person]], ProjectPlan] | None = None
        self.training: dict[str, tuple[tuple[TrainingItem, ...], frozenset[str]]] = {}


class People:
    """The people of one plan, post by post: from the team and its diagnosis, or hires."""

    def __init__(
        self,
        kb: KnowledgeBase,
        team: Team | None,
        report: Report | None,
        start: datetime.date,
        headcounts: Mapping[str, int],
        hires_wanted: Mapping[str, int] | None = None,
        action_hires: Sequence[str] = (),
        stretch: bool = False,
        memo: PeopleMemo | None = None,
    ) -> None:
        self.kb, self.team, self.report, self.start = kb, team, report, start
        self.memo = PeopleMemo() if memo is None else memo
        #: the members by the post they hold, and the verdicts by id (made when first asked)
        self._holding: dict[str, list[Member]] | None = None
        self._verdicts: dict[str, Verdict] | None = None
        self.headcounts = headcounts
        #: at least this many hires on a post (``--hire``: one more than the plan without it
        #: makes); posts a team report's action hires for
        self.hires_wanted = dict(hires_wanted or {})
        self.action_hires = list(action_hires)
        #: a post nobody covers falls to the member who fits it best instead of a hire: the
        #: team as it stands, against which a team report's actions are measured
        self.stretch = stretch

    def for_post(self, post: str) -> list[Person]:
        """Who does `post`'s steps, preferred first (see the module's docstring)."""
        found = self.holders(post) or self.covers(post) or self.trainable(post)
        action_hire = post in self.action_hires and not self.holders(post)
        if action_hire:  # the action's hire, not a cover
            found = []
        if not found and self.stretch and not action_hire:
            found = self.stretched(post)
        if not found:
            count = 1 if self.team is not None else self.headcounts.get(post, 1)
            count = max(count, self.action_hires.count(post))
            found = [self.hired(post, n) for n in range(1, count + 1)]
        taken = sum(p.assignee.kind is AssigneeKind.HIRE for p in found)
        extra = self.hires_wanted.get(post, 0) - taken
        found += [self.hired(post, taken + n) for n in range(1, extra + 1)]
        return found

    def members(self) -> Sequence[Member]:
        return self.team.members if self.team is not None else ()

    def verdicts(self) -> dict[str, Verdict]:
        if self._verdicts is None:
            candidates = self.report.candidates if self.report else ()
            self._verdicts = {c.id: c.verdict for c in candidates}
        return self._verdicts

    def holding(self, post: str) -> list[Member]:
        """The members holding `post`, in team order (a post at a time costs its holders only)."""
        if self._holding is None:
            self._holding = {}
            for member in self.members():
                self._holding.setdefault(member.role, []).append(member)
        return self._holding.get(post, [])

    def holders(self, post: str) -> list[Person]:
        verdicts = self.verdicts()
        known = self.memo.holders
        found = []
        for member in self.holding(post):
            if verdicts.get(member.profile.id) is Verdict.MISMATCH:
                continue
            entry = known.get((id(member.profile), post))
            if entry is None:  # the holder, trained first if one level short (once per profile)
                trained = self.trained(member, post, all_short=False)
                entry = (member.profile, trained or self.member(member, post))
                known[(id(member.profile), post)] = entry
            found.append(entry[1])
        return found

    def covers(self, post: str) -> list[Person]:
        gaps = self.report.team.gaps if self.report and self.report.team else ()
        gap = next((g for g in gaps if g.role == post), None)
        if gap is None:
            return []
        by_id = {m.profile.id: m for m in self.members()}
        essential = self.kb.roles[post].essential.items()
        # Work on top of their own: only someone with every essential skill at the post's level.
        return [
            self.member(by_id[c.person_id], by_id[c.person_id].role)
            for c in gap.could_cover
            if c.person_id in by_id
            and all(by_id[c.person_id].profile.level(s) >= need for s, need in essential)
        ]

    def trainable(self, post: str) -> list[Person]:
        # Only its holders: training someone from another post into it is a move and a
        # training, which the team report's actions weigh (the plan takes the team as it is).
        found = []
        for member in self.holding(post):
            trained = self.trained(member, post, all_short=True)
            if trained is not None:
                found.append(trained)
        return found

    def stretched(self, post: str) -> list[Person]:
        """The member who fits `post` best (ties: the first in the team file), doing its work on
        top of their own: who would carry it if nobody were hired."""
        coverage = self.report.team.coverage if self.report and self.report.team else ()
        members = {m.profile.id: m for m in self.members()}
        fits = [
            (fit.fit, -index, pid)
            for index, (pid, role_fits) in enumerate(coverage)
            for fit in role_fits
            if fit.role == post and pid in members
        ]
        if not fits:
            return []
        chosen = members[max(fits)[2]]
        return [self.member(chosen, chosen.role)]

    def member(self, member: Member, post: str) -> Person:
        """`member` as they are, doing `post`'s work (once per profile and post)."""
        key = (id(member.profile), post)
        known = self.memo.members.get(key)
        if known is None:
            assignee = Assignee(member.profile.id, member.profile.name, AssigneeKind.MEMBER, post)
            known = (member.profile, Person(assignee))
            self.memo.members[key] = known
        return known[1]

    def trained(self, member: Member, post: str, *, all_short: bool) -> Person | None:
        """`member` trained first on `post`, if one level short on stated essential skills the
        post's training lifts (with `all_short`: every skill they lack must be such a one).
        Once per profile and post (`PeopleMemo`): a plan of each step of a big team's actions
        re-reads only the people the step changes."""
        key = (id(member.profile), post, all_short)
        known = self.memo.trained.get(key)
        if known is None:
            known = (member.profile, self._trained(member, post, all_short=all_short))
            self.memo.trained[key] = known
        return known[1]

    def training_terms(self, post: str) -> tuple[tuple[TrainingItem, ...], frozenset[str]]:
        """`training_of` and `unpriced_training` of `post`, once per post."""
        known = self.memo.training.get(post)
        if known is None:
            known = (
                training_of(self.kb, self.team, post),
                unpriced_training(self.kb, self.team, post),
            )
            self.memo.training[post] = known
        return known

    def _trained(self, member: Member, post: str, *, all_short: bool) -> Person | None:
        stated = member.profile.skills
        short = [
            skill
            for skill, need in self.kb.roles[post].essential.items()
            if stated.get(skill, 0) < need
        ]
        liftable = [
            s for s in short if s in stated and stated[s] == self.kb.roles[post].essential[s] - 1
        ]
        training, unknown = self.training_terms(post)
        items = [i for i in training if set(i.skills) & set(liftable)]
        lifted = {s for i in items for s in i.skills} & set(liftable)
        if not lifted or (all_short and lifted != set(short)):
            return None
        kind = AssigneeKind.TRAINEE
        person = Assignee(member.profile.id, member.profile.name, kind, member.role)
        days = sum(i.days for i in items)
        preparation = Preparation(
            kind=PreparationKind.TRAINING,
            assignee=person,
            items=tuple(i.id for i in items),
            skills=tuple(sorted(lifted)),
            description=tr(", ").join(i.name for i in items),
            start_day=0,
            end_day=days,
            start=self.start,
            end=last_day(self.start, days),
            cost=sum(i.cost for i in items),
            cost_known=not any(i.id in unknown for i in items),
        )
        return Person(person, days, preparation)

    def hired(self, post: str, n: int) -> Person:
        name = self.kb.roles[post].name
        ident = f"hire:{post}" if n == 1 else f"hire:{post}:{n}"
        label = tr("hire: {post}", post=name) + ("" if n == 1 else f" {n}")
        person = Assignee(ident, label, AssigneeKind.HIRE, post)
        terms = terms_of(self.kb, self.team, post)
        lead = terms.lead_time if terms.lead_time is not None else DEFAULT_LEAD_TIME
        preparation = Preparation(
            kind=PreparationKind.HIRING,
            assignee=person,
            items=(),
            skills=(),
            description=tr("recruiting: {post}", post=name),
            start_day=0,
            end_day=lead,
            start=self.start,
            end=last_day(self.start, lead),
            cost=terms.hiring_cost or 0,
            cost_known=terms.hiring_cost is not None,
        )
        return Person(person, lead, preparation)

    # -- follow-up -----------------------------------------------------------------------------
