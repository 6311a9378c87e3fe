"""The staffing plan a strategy implies: its modules, the posts carrying them, skills and headcount.

This is the "implementation decomposition" of essay 001: the plan is broken down into modules, and
each module's work is put on named posts, each with the skills it needs and the people it takes.

Headcount rule: one person per post, except that a post whose priority is critical and which
carries two or more modules gets two people, so that several critical modules never rest on a
single person (no single point of failure). A post's priority is its highest importance in any
module it carries; posts are ordered critical first, then in the order the strategy names them.
"""

from __future__ import annotations

from dataclasses import dataclass

from staffcheck.headcount import headcount_for
from staffcheck.model import Importance, KnowledgeBase, OnetRef, Strategy, StrategyRef


@dataclass(frozen=True, slots=True)
class SkillLevel:
    """An essential skill of a post and the minimum level the post needs."""

    skill: str
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class ModulePlan:
    """A module of the strategy and the posts that carry it, with how much it needs each."""

    module: str
    name: str
    posts: tuple[tuple[str, Importance], ...]


@dataclass(frozen=True, slots=True)
class PostPlan:
    """A post the strategy needs: the modules it carries, its skills, headcount and priority."""

    role: str
    name: str
    modules: tuple[str, ...]
    priority: Importance
    headcount: int
    headcount_reason: str
    skills: tuple[SkillLevel, ...]
    optional: tuple[str, ...] = ()
    onet: OnetRef | None = None
    esco: str | None = None


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    """The staffing plan of one strategy: modules in strategy order, posts critical first."""

    strategy: StrategyRef
    description: str
    modules: tuple[ModulePlan, ...]
    posts: tuple[PostPlan, ...]

    @property
    def headcount(self) -> int:
        """People the whole plan takes."""
        return sum(post.headcount for post in self.posts)


def plan_staffing(kb: KnowledgeBase, strategy: Strategy) -> StaffingPlan:
    """Decompose `strategy` into modules and posts, with skills, headcount and priority."""
    modules = tuple(
        ModulePlan(need.module, kb.modules[need.module].name, need.roles)
        for need in strategy.modules
    )
    posts = []
    for role_id, (carried, priority) in strategy.posts().items():
        role = kb.roles[role_id]
        headcount, reason = headcount_for(priority, len(carried))
        posts.append(
            PostPlan(
                role=role.id,
                name=role.name,
                modules=carried,
                priority=priority,
                headcount=headcount,
                headcount_reason=reason,
                skills=tuple(
                    SkillLevel(skill, kb.skills[skill].name, level)
                    for skill, level in role.essential.items()
                ),
                optional=role.optional,
                onet=role.onet,
                esco=role.esco,
            )
        )
    # The sort is stable: posts of equal priority keep the order the strategy names them in.
    posts.sort(key=lambda post: -post.priority.weight)
    return StaffingPlan(
        strategy=StrategyRef(strategy.id, strategy.name),
        description=strategy.description,
        modules=modules,
        posts=tuple(posts),
    )
