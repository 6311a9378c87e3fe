"""The operating system of a strategy: its three-stage plan, down to people, dates and money.

`build_plan` turns a strategy (and a team, if any) into a `project_plan.ProjectPlan`: the goals
and KPIs; the team's diagnosis; every work step of the strategy's modules on a named person,
scheduled by `staffcheck.scheduling`; who is assessed on what and trained when; the cost per
stage, module and month. `what_if` and `effect` compare two plans.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from staffcheck.model import KnowledgeBase, Report, Strategy, Team
from staffcheck.project_plan import Effect, ProjectPlan


def build_plan(
    kb: KnowledgeBase,
    strategy: Strategy,
    start: datetime.date,
    *,
    team: Team | None = None,
    report: Report | None = None,
    without: Sequence[str] = (),
    hire: Sequence[str] = (),
) -> ProjectPlan:
    """The three-stage plan of `strategy` from `start`, with `team` (its `report` if already made).

    `without`: member ids taken out of the team (they leave); `hire`: post ids to hire one more
    person for. With either, the plan's `what_if` compares it with the plan without them.
    """
    raise NotImplementedError


def effect(before: ProjectPlan, after: ProjectPlan, change: str) -> Effect:
    """What going from `before` to `after` does: finish date, money, steps moved."""
    raise NotImplementedError
