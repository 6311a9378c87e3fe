"""A resource-constrained schedule: steps on people, nobody doing two at once, prerequisites first.

The method is the textbook heuristic for the resource-constrained project scheduling problem
(RCPSP): the *serial schedule generation scheme* with the *latest finish time* (LFT) priority rule
(Kolisch 1996, "Serial and parallel resource-constrained project scheduling methods revisited:
theory and computation", EJOR 90(2)). Tasks are taken one at a time, most urgent first among those
whose prerequisites are scheduled; each is placed at the earliest day one of its candidate
resources is free for its whole duration (filling gaps left earlier), the candidate that finishes
it first winning, ties to the one listed first. Every choice has a fixed tie-break, so the same
input always gives the same schedule.

The critical path of a resource-constrained schedule is its *critical chain*: from the task that
finishes last, back through whatever made each task start when it did — a prerequisite that
finished that day, the same person's previous task, or the person becoming ready (a hire's lead
time, a training period).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Task:
    """Work to place: its duration in days, what must finish first, who may do it (preferred first)."""

    id: str
    duration: int
    after: tuple[str, ...]
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resource:
    """A person (or a hire to be made), who can work from day `ready` on, one task at a time."""

    id: str
    ready: int = 0


@dataclass(frozen=True, slots=True)
class Slot:
    """A task placed: on whom, from `start` to `end` (exclusive), in days from the plan's start."""

    task: str
    resource: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """Every task placed, the day the last one ends, and the critical chain (first to last)."""

    slots: Mapping[str, Slot]
    finish: int
    critical: tuple[str, ...]


class ScheduleError(ValueError):
    """The tasks cannot be scheduled: a cycle, an unknown prerequisite or resource, no candidate."""


def schedule(tasks: Sequence[Task], resources: Sequence[Resource]) -> Schedule:
    """Place every task (see the module's docstring for the method); `ScheduleError` if impossible."""
    raise NotImplementedError
