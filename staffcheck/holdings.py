"""What the team run's rules read of a team, counted member by member (`diagnose._team_key`).

A what-if trial of ``explain --actions`` changes a member or two of a team of hundreds, and the
team run is made again only when what its rules read changes. Counting that afresh reads every
member's post and skills; `Holdings` counts it once, and for a variant of the team it counted
last (the same members, some replaced, some added at the end) re-counts only the members that
differ — recognised by identity, as the memo's rows are reused while a member is unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Hashable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import is_not

#: A variant re-counts at most this many changed members; more: counted afresh.
_MOST_CHANGED = 16


@dataclass(frozen=True, slots=True, eq=False)
class Held:
    """A member as the team rules read them: the post held, whether blocked on it, and each
    skill's level shown (stated or inferred)."""

    role: str
    person: str
    blocked: bool
    levels: tuple[tuple[str, int], ...]


class Holdings:
    """Per post, its holders (by position in the team) and whether each is blocked; per skill,
    how many members show it at each level."""

    def __init__(self, held: Sequence[Held]) -> None:
        self.held = held
        self.holders: dict[str, dict[int, Held]] = {}
        #: per post, its holders not blocked on it
        self.unblocked: Counter[str] = Counter()
        self.levels: dict[str, Counter[int]] = {}
        for position, member in enumerate(held):
            self._count(position, member, 1)

    def variant(self, held: Sequence[Held]) -> Holdings:
        """The holdings of `held`: from these, when it is a variant of the team counted here."""
        old = self.held
        if len(held) < len(old):
            return Holdings(held)
        changed = list(compress(range(len(old)), map(is_not, old, held)))
        changed += range(len(old), len(held))
        if len(changed) > _MOST_CHANGED:
            return Holdings(held)
        new = object.__new__(Holdings)
        new.held = held
        new.holders = dict(self.holders)
        new.unblocked = self.unblocked.copy()
        new.levels = dict(self.levels)
        copied: set[str] = set()  # the posts and skills whose counts `new` owns
        for position in changed:
            if position < len(old):
                new._own(old[position], copied)._count(position, old[position], -1)
            new._own(held[position], copied)._count(position, held[position], 1)
        return new

    def _own(self, member: Held, copied: set[str]) -> Holdings:
        """Copy the counts `member` changes before changing them (the last holdings keep theirs)."""
        if "post:" + member.role not in copied:
            copied.add("post:" + member.role)
            self.holders[member.role] = dict(self.holders.get(member.role, {}))
        for skill, _ in member.levels:
            if "skill:" + skill not in copied:
                copied.add("skill:" + skill)
                self.levels[skill] = Counter(self.levels.get(skill, {}))
        return self

    def _count(self, position: int, member: Held, sign: int) -> None:
        holders = self.holders.setdefault(member.role, {})
        if sign > 0:
            holders[position] = member
        else:
            del holders[position]
        if not member.blocked:
            self.unblocked[member.role] += sign
        for skill, level in member.levels:
            counts = self.levels.setdefault(skill, Counter())
            counts[level] += sign
            if not counts[level]:
                del counts[level]

    def key(self, needed: Container[str]) -> tuple[Hashable, ...]:
        """For each post in `needed` someone holds (by post): its single holder and whether they
        are blocked, or, held by several, whether any is not blocked; each skill's best level."""
        posts: list[Hashable] = []
        for role in sorted(self.holders):
            holders = self.holders[role]
            if not holders or role not in needed:
                continue
            if len(holders) == 1:
                (only,) = holders.values()
                posts.append((role, only.person, only.blocked))
            else:
                posts.append((role, self.unblocked[role] > 0))
        best = sorted((skill, max(counts)) for skill, counts in self.levels.items() if counts)
        return (tuple(posts), tuple(best))
