"""A large team's member runs shared with worker processes give the serial run's report and plan."""

from __future__ import annotations

import dataclasses
import datetime

from staffcheck import workers
from staffcheck.diagnose import assess_team, find_strategy
from staffcheck.model import KnowledgeBase, Team
from staffcheck.operating import build_plan
from staffcheck.profiles import load_team

from .conftest import EXAMPLES


def _team_of(kb: KnowledgeBase, size: int) -> Team:
    """The spring-launch team repeated (fresh ids) to `size` members."""
    team = load_team(EXAMPLES / "spring-launch.yaml", kb)
    members = [
        dataclasses.replace(m, profile=dataclasses.replace(m.profile, id=f"{m.profile.id}-{n}"))
        for n in range(size)
        for m in team.members
    ][:size]
    return dataclasses.replace(team, members=tuple(members))


def test_thirty_members_in_two_processes_as_in_one(kb: KnowledgeBase) -> None:
    team = _team_of(kb, 30)
    assert len(team.members) >= workers.PARALLEL_FROM
    today = datetime.date(2027, 1, 4)
    assert assess_team(kb, team, today, jobs=2) == assess_team(kb, team, today, jobs=1)


def test_the_plan_does_not_depend_on_jobs(kb: KnowledgeBase) -> None:
    team = _team_of(kb, 30)
    strategy = find_strategy(kb, team.strategy)
    start, today = datetime.date(2027, 3, 1), datetime.date(2027, 1, 4)
    one = build_plan(kb, strategy, start, team=team, today=today, jobs=1)
    two = build_plan(kb, strategy, start, team=team, today=today, jobs=2)
    assert one == two


def test_a_small_team_stays_in_this_process(kb: KnowledgeBase, monkeypatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a small team started a worker")

    monkeypatch.setattr(workers, "pool", no_pool)
    team = _team_of(kb, workers.PARALLEL_FROM - 1)
    assess_team(kb, team, datetime.date(2027, 1, 4), jobs=2)
