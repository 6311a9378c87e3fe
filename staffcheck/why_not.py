"""Why (not): whether one person covers one post, which they may or may not hold, and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from staffcheck.diagnose import check_role, screen
from staffcheck.evidence import weigh
from staffcheck.explain import shared_names, strategy_and_team, who
from staffcheck.i18n import tr
from staffcheck.kinds import as_clause
from staffcheck.lookup import find_person
from staffcheck.model import (
    NOT_SHOWN,
    Basis,
    Confidence,
    Finding,
    KnowledgeBase,
    Labels,
    Profile,
    Question,
    RoleFit,
    Strategy,
    StrategyRef,
    Verdict,
    frozen_map,
)
from staffcheck.sources import Subject, held_post


@dataclass(frozen=True, slots=True)
class SkillCheck:
    """An essential skill of a post: what it needs and what the person has."""

    skill: str
    need: int
    #: the level shown: stated or inferred; None when the profile does not show the skill
    have: int | None
    basis: Basis = Basis.STATED

    @property
    def met(self) -> bool:
        return self.have is not None and self.have >= self.need

    @property
    def shown(self) -> str:
        """``3``, ``3 (inferred)`` or ``not shown``."""
        if self.have is None:
            return tr("not shown")
        if self.basis is Basis.INFERRED:
            return tr("{level} (inferred)", level=self.have)
        return str(self.have)


@dataclass(frozen=True, slots=True)
class WhyNot:
    """Why one person does or does not cover one post (which they may or may not hold)."""

    person_id: str
    person_name: str
    role: str
    role_name: str
    strategy: StrategyRef | None
    holds: str | None
    fit: int
    verdict: Verdict
    essential: tuple[SkillCheck, ...]
    #: optional skills of the post the person has (level above 0)
    optional: tuple[tuple[str, int], ...]
    #: the rules that fire with the person on the post, heaviest first
    findings: tuple[Finding, ...]
    better_roles: tuple[RoleFit, ...] = ()
    #: how far the verdict can be trusted, and what to ask to settle it
    confidence: Confidence = Confidence.HIGH
    questions: tuple[Question, ...] = ()
    #: rule id -> the rule's rationale, for the findings
    rationales: Mapping[str, str] = field(default_factory=frozen_map)
    #: the names of the pack's posts, modules and skills
    labels: Labels = field(default_factory=Labels)
    #: how the person is shown: their name, with the id if another person shares it
    shown: str = ""

    @property
    def person(self) -> str:
        """The person as a reader sees them: by name (with the id where names are shared)."""
        return self.shown or who(self.person_name, self.person_id)

    @property
    def covers(self) -> bool:
        """No finding of severity high or worse: the engine would count the post as covered."""
        return not any(f.severity.blocks for f in self.findings)

    @property
    def reason(self) -> str | None:
        """The main reason, in a few words: the heaviest finding."""
        if not self.findings:
            return None
        first = self.findings[0]
        text = as_clause(first.title) if first.title else first.rule
        check = next((s for s in self.essential if s.skill == first.skill), None)
        if check is not None:
            text += tr(
                " ({skill} {shown}, needs {need})",
                skill=self.labels.skill(check.skill),
                shown=check.shown,
                need=check.need,
            )
        more = len(self.findings) - 1
        if more == 1:
            text += tr(" (+1 more finding)")
        elif more:
            text += tr(" (+{count} more findings)", count=more)
        return text

    @property
    def verdict_line(self) -> str:
        """``covers it``, ``covers it, with reservations: ...`` or ``does not cover it: ...``."""
        if self.covers and not self.findings:
            return tr("covers it")
        if self.covers:
            return tr("covers it, with reservations: {reason}", reason=self.reason)
        return tr("does not cover it: {reason}", reason=self.reason)


def why_not(
    kb: KnowledgeBase,
    profile: Profile,
    role: str,
    strategy: Strategy | None = None,
    *,
    holds: str | None = None,
    display: str = "",
) -> WhyNot:
    """Why `profile` does or does not cover `role`: screen them as if they held it."""
    role = check_role(kb, role)
    candidate = screen(kb, [profile], strategy, role=role).candidates[0]
    post = kb.roles[role]
    shown = weigh(kb, profile)
    essential = tuple(
        SkillCheck(skill, need, _level(shown.level(skill)), shown.basis(skill))
        for skill, need in post.essential.items()
    )
    optional = tuple(
        (skill, shown.level(skill)) for skill in post.optional if shown.level(skill) > 0
    )
    rationales = {f.rule: " ".join(kb.rules[f.rule].rationale.split()) for f in candidate.findings}
    return WhyNot(
        person_id=profile.id,
        person_name=profile.name,
        role=role,
        role_name=post.name,
        strategy=None if strategy is None else StrategyRef(strategy.id, strategy.name),
        holds=holds,
        fit=candidate.fit,
        verdict=candidate.verdict,
        essential=essential,
        optional=optional,
        findings=candidate.findings,
        better_roles=candidate.better_roles,
        rationales=frozen_map(rationales),
        confidence=candidate.confidence,
        questions=candidate.questions,
        labels=Labels.of(kb),
        shown=display,
    )


def _level(level: int) -> int | None:
    return None if level == NOT_SHOWN else level


def answer_why_not(
    kb: KnowledgeBase,
    subject: Subject,
    person: str,
    post: str,
    strategy: Strategy | None = None,
) -> WhyNot:
    """``explain --why-not``: why one person of `subject` (by id or name) does or does not cover
    `post`.

    The strategy is `strategy`, else the team's own; the post they hold is theirs in the team,
    else the one they apply for.
    """
    strategy, _ = strategy_and_team(subject, kb, strategy)
    found = find_person(subject.profiles, person)
    display = who(found.name, found.id, shared_names((p.id, p.name) for p in subject.profiles))
    return why_not(kb, found, post, strategy, holds=held_post(subject, found), display=display)
