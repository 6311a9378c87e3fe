"""What a profile shows of each skill: stated, inferred by the pack's evidence rules, or unknown.

The evidence pass runs before the diagnosis. A stated level always wins (an explicit 0 is a
statement: "none"); a skill the profile does not state takes the highest level the evidence
rules imply from its titles, channels and years; any other skill is unknown — not 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from staffcheck.kinds import infer, infers
from staffcheck.model import NOT_SHOWN, Basis, Inference, KnowledgeBase, PackCache, Profile, Rule


@dataclass(frozen=True, slots=True)
class PersonEvidence:
    """The evidence behind each skill level of one person."""

    stated: Mapping[str, int]
    #: skill -> the inference that won for it (skills the profile does not state)
    inferred: Mapping[str, Inference]
    #: skills the profile's titles or channels point to, stated or not: what the person does
    signalled: frozenset[str] = frozenset()

    def level(self, skill: str) -> int:
        """The stated or inferred level, or `NOT_SHOWN` (-1) when nothing shows the skill."""
        if skill in self.stated:
            return self.stated[skill]
        found = self.inferred.get(skill)
        return NOT_SHOWN if found is None else found.level

    def basis(self, skill: str) -> Basis:
        if skill in self.stated:
            return Basis.STATED
        return Basis.INFERRED if skill in self.inferred else Basis.UNKNOWN

    def certainty(self, skill: str) -> float:
        """1 for a stated level, the rule's certainty for an inferred one, 0 for unknown."""
        if skill in self.stated:
            return 1.0
        found = self.inferred.get(skill)
        return 0.0 if found is None else found.certainty

    def known(self) -> dict[str, int]:
        """Every skill with a stated or inferred level."""
        return {**{s: i.level for s, i in self.inferred.items()}, **self.stated}


def evidence_rules(kb: KnowledgeBase) -> tuple[Rule, ...]:
    """The active rules that infer skill levels (the evidence pass runs only these)."""
    return _EVIDENCE_RULES.of(kb)


def weigh(kb: KnowledgeBase, profile: Profile) -> PersonEvidence:
    """The evidence behind every skill of `profile`."""
    best: dict[str, Inference] = {}
    signalled: set[str] = set()
    for rule in evidence_rules(kb):
        for found in infer(rule, profile):
            signalled.add(found.skill)
            if found.skill in profile.skills:
                continue  # a stated level wins, an explicit 0 included
            current = best.get(found.skill)
            if current is None or (found.level, found.certainty) > (
                current.level,
                current.certainty,
            ):
                best[found.skill] = found
    return PersonEvidence(profile.skills, best, frozenset(signalled))


_EVIDENCE_RULES = PackCache(lambda kb: tuple(r for r in kb.active_rules() if infers(r)))
