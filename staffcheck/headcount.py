"""How many people a strategy's staffing plan puts on each post (the headcount rule).

One person per post, except that a post whose priority is critical and which carries two or more
modules gets two, so that several critical modules never rest on a single person. A post's
priority is its highest importance in any module it carries. `planning` shows the rule in a
staffing plan; the `single-holder` rule kind reads it to judge a post with one holder.
"""

from __future__ import annotations

from staffcheck.model import Importance, Strategy

#: People for a critical post that carries this many modules or more.
SHARED_CRITICAL_MODULES = 2
SHARED_CRITICAL_HEADCOUNT = 2


def headcount_for(priority: Importance, modules: int) -> tuple[int, str]:
    """People a post takes, and why, by the headcount rule of this module's docstring."""
    if priority is Importance.CRITICAL and modules >= SHARED_CRITICAL_MODULES:
        return (
            SHARED_CRITICAL_HEADCOUNT,
            f"critical and carries {modules} modules: a second person, so they do not rest "
            "on one person",
        )
    return 1, "one person per post"


def planned_headcounts(strategy: Strategy) -> dict[str, int]:
    """Each post the strategy needs -> the people its staffing plan puts on it."""
    return {
        role: headcount_for(priority, len(modules))[0]
        for role, (modules, priority) in strategy.posts().items()
    }


def planned_team_size(strategy: Strategy) -> int:
    """The people the whole staffing plan of the strategy takes."""
    return sum(planned_headcounts(strategy).values())


def second_holder_due(headcount: int, members: int, planned: int) -> bool:
    """Whether a post with one holder is short of its plan in a team that can afford more.

    True when the plan puts two or more people on the post (`headcount`) and the team has at
    least as many `members` as the whole plan takes (`planned`). Otherwise one holder is what
    the plan asks of a team that size, and a named deputy is the answer, not a second hire.
    """
    return headcount >= SHARED_CRITICAL_HEADCOUNT and members >= planned
