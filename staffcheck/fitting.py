"""How well a person fits a post, weighed the way a recruiter weighs it.

*Fit* (0–100) is the share of a post's essential requirements the evidence shows the person meets,
each requirement weighted by how much it matters to the post:

    fit = 100 × Σ w(s) · min(have / need, 1) · certainty(s)  /  Σ w(s)

over the post's essential skills s, where ``w(s) = importance(s) × distinctiveness(s)``:

* *importance* (1–5) is the post's `importance:` in the pack, calibrated from O*NET importance
  ratings where the post's nearest occupation rates the skill (default 3);
* *distinctiveness* is ``1 + ln(N / n(s)) / ln(N)`` for a pack of N posts, n(s) of which need s:
  1 for a skill every post needs, 2 for one only this post needs — meeting what everybody meets
  says little about fitting this post;
* *certainty* is 1 for a stated level, the evidence rule's certainty for an inferred one, and a
  skill nothing shows contributes nothing (fit counts evidence, not hope).

A post's *core skill* is its heaviest requirement. *Use* (0–1) is the other direction: the share
of the person's strengths (known levels of 3 or more; 2 if they have none that high) that the post
puts to work — an essential skill fully, an optional one half — where a strength their job title
or channels point to (an evidence rule matched it) counts double: the title says what they do.
The *balance* of the two (their harmonic mean) decides whether another post is clearly better and
ranks better posts, so a post whose few easy requirements anyone meets does not win over the
post that uses what the person is good at.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from staffcheck.model import KnowledgeBase, PackCache

#: Importance of an essential skill the pack does not rate.
DEFAULT_IMPORTANCE = 3.0
#: How much more a strength counts in `use` when the person's title or channels point to it.
SIGNALLED = 2


@dataclass(frozen=True, slots=True)
class FitModel:
    """The weights of every post's essential skills in one pack, and each post's core skill."""

    weights: Mapping[str, Mapping[str, float]]
    core: Mapping[str, str]
    #: post -> (its essential skills, its optional skills)
    uses: Mapping[str, tuple[frozenset[str], frozenset[str]]]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> FitModel:
        """The model of a pack, built once per pack and process."""
        return _MODELS.of(kb)

    @classmethod
    def _build(cls, kb: KnowledgeBase) -> FitModel:
        posts = len(kb.roles)
        needed_by: dict[str, int] = {}
        for role in kb.roles.values():
            for skill in role.essential:
                needed_by[skill] = needed_by.get(skill, 0) + 1
        weights: dict[str, dict[str, float]] = {}
        core: dict[str, str] = {}
        for role in kb.roles.values():
            weights[role.id] = {
                skill: role.importance.get(skill, DEFAULT_IMPORTANCE)
                * distinctiveness(needed_by[skill], posts)
                for skill in role.essential
            }
            core[role.id] = min(
                role.essential,
                key=lambda s: (-weights[role.id][s], -role.essential[s], s),
            )
        uses = {r.id: (frozenset(r.essential), frozenset(r.optional)) for r in kb.roles.values()}
        return cls(weights, core, uses)

    def fit(
        self,
        role: str,
        rows: Iterable[tuple[str, int, int]],
        certainty: Callable[[str], float] | None = None,
    ) -> int:
        """0–100 from (skill, need, have) rows; a negative `have` (not shown) contributes nothing."""
        weights = self.weights.get(role, {})
        total = credited = 0.0
        for skill, need, have in rows:
            if need <= 0:
                continue
            weight = weights.get(skill, DEFAULT_IMPORTANCE)
            total += weight
            if have > 0:
                sure = 1.0 if certainty is None else certainty(skill)
                credited += weight * min(have / need, 1.0) * sure
        return round(100 * credited / total) if total else 0

    def use(self, role: str, known: Mapping[str, int], signalled: Collection[str] = ()) -> float:
        """0–1: the share of the person's strengths the post puts to work (essential skills
        fully, optional ones half); a skill their title or channels point to counts double."""
        return self.use_of(role, strengths(known, signalled))

    def use_of(self, role: str, weights: Mapping[str, int]) -> float:
        """`use` from a person's `strengths`, weighed once for all the posts tried."""
        total = sum(weights.values())
        if not total:
            return 0.0
        essential, optional = self.uses.get(role, (frozenset(), frozenset()))
        used = sum(
            w * (1.0 if s in essential else 0.5)
            for s, w in weights.items()
            if s in essential or s in optional
        )
        return used / total


def strengths(known: Mapping[str, int], signalled: Collection[str] = ()) -> dict[str, int]:
    """A person's strengths (known levels of 3 or more, else of 2), each weighed by its level,
    double where their title or channels point to it: what `FitModel.use` shares out."""
    found = {s: lvl for s, lvl in known.items() if lvl >= 3} or {
        s: lvl for s, lvl in known.items() if lvl >= 2
    }
    return {s: lvl * (SIGNALLED if s in signalled else 1) for s, lvl in found.items()}


def distinctiveness(needed_by: int, posts: int) -> float:
    """1 for a skill every post needs, up to 2 for a skill only one post needs."""
    if posts <= 1 or needed_by <= 0:
        return 1.0
    return 1.0 + math.log(posts / needed_by) / math.log(posts)


def balance(fit: int, use: float) -> float:
    """The harmonic mean of fit (as 0–1) and use: high only when both are."""
    f = fit / 100
    return 0.0 if f + use == 0 else 2 * f * use / (f + use)


_MODELS: PackCache[FitModel] = PackCache(FitModel._build)
