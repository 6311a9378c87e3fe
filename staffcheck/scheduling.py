"""A resource-constrained schedule: steps on people, nobody doing two at once, prerequisites first.

The method is the textbook heuristic for the resource-constrained project scheduling problem
(RCPSP): the *serial schedule generation scheme* with the *latest finish time* (LFT) priority rule
(Kolisch 1996, "Serial and parallel resource-constrained project scheduling methods revisited:
theory and computation", EJOR 90(2)). Tasks are taken one at a time, most urgent first among those
whose prerequisites are scheduled; each is placed at the earliest day one of its candidate
resources is free for its whole duration (filling gaps left earlier), the candidate that finishes
it first winning, ties to the one listed first. Every choice has a fixed tie-break, so the same
input always gives the same schedule. Exact solvers exist (constraint programming, e.g. CP-SAT),
but this heuristic is deterministic, needs no dependency and places 1,000 tasks in well under a
second.

Urgency is a task's latest finish time: a backward pass over the precedence graph (durations
only, resources ignored) from the length of its longest path; ties go to the task given first.
The order of `resources` never matters; the order of the tasks breaks ties of urgency, and the
order of a task's candidates breaks ties between people.

The critical path of a resource-constrained schedule is its *critical chain*: from the task that
finishes last, back through whatever made each task start when it did — a prerequisite that
finished that day, the same person's previous task, or the person becoming ready (a hire's lead
time, a training period). `Schedule.waits` says it for every task, as one of:

- ``after:<task>``: a prerequisite ended that day (the first listed, among those that did);
- ``resource:<task>``: the resource's previous task ended that day;
- ``ready:<resource>``: the resource became ready that day;
- ``start``: the task starts on day 0 with nothing to wait for.

When several hold, the first in that order is given. The chain follows ``after`` and
``resource`` links back from the last task to finish (ties: the task given first), so each of
its tasks starts the day the one before it ends; it begins at a ``ready`` or ``start`` wait.
"""

from __future__ import annotations

import heapq
import sys
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from staffcheck.i18n import tr

#: The end of a resource's last free interval: open-ended.
_FOREVER = sys.maxsize


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
    """Every task placed, the day the last one ends, and the critical chain (first to last).

    `waits` maps every task to why it starts when it does (see the module's docstring).
    """

    slots: Mapping[str, Slot]
    finish: int
    critical: tuple[str, ...]
    waits: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


class ScheduleError(ValueError):
    """The tasks cannot be scheduled: a cycle, an unknown prerequisite or resource, no candidate."""


class _Calendar:
    """One resource's free time as sorted, disjoint intervals [start, end); busy slots by end day."""

    __slots__ = ("ending", "ends", "ready", "starts")

    def __init__(self, ready: int) -> None:
        self.ready = ready
        self.starts = [0]
        self.ends = [_FOREVER]
        self.ending: dict[int, str] = {}

    def earliest(self, earliest: int, duration: int) -> int:
        """The first day from `earliest` (and `ready`) on that starts `duration` free days."""
        low = max(earliest, self.ready)
        starts, ends = self.starts, self.ends
        index = bisect_right(ends, low)
        while True:
            begin = max(starts[index], low)
            if begin + duration <= ends[index]:
                return begin
            index += 1

    def book(self, task: str, begin: int, end: int) -> None:
        """Take [begin, end) out of the free interval holding it."""
        index = bisect_right(self.starts, begin) - 1
        free_start, free_end = self.starts[index], self.ends[index]
        pieces = [(s, e) for s, e in ((free_start, begin), (end, free_end)) if s < e]
        self.starts[index : index + 1] = [s for s, _ in pieces]
        self.ends[index : index + 1] = [e for _, e in pieces]
        self.ending[end] = task


class _Calendars(dict[str, _Calendar]):
    """Each resource's calendar, made when first asked for: a big team's plan gives most of its
    people no task (a task goes to the first candidate free on its ready day)."""

    def __init__(self, ready: Mapping[str, int]) -> None:
        super().__init__()
        self.ready = ready

    def __missing__(self, resource: str) -> _Calendar:
        calendar = self[resource] = _Calendar(self.ready[resource])
        return calendar


def schedule(tasks: Sequence[Task], resources: Sequence[Resource]) -> Schedule:
    """Place every task (see the module's docstring for the method); `ScheduleError` if impossible."""
    _check(tasks, resources)
    order = _topological(tasks)
    latest = _latest_finish(tasks, order)
    calendars = _Calendars({resource.id: resource.ready for resource in resources})
    by_id = {task.id: task for task in tasks}
    position = {task.id: index for index, task in enumerate(tasks)}
    waiting = {task.id: len(set(task.after)) for task in tasks}
    followers = _followers(tasks)
    eligible = [(latest[t.id], position[t.id], t.id) for t in tasks if not waiting[t.id]]
    heapq.heapify(eligible)
    slots: dict[str, Slot] = {}
    waits: dict[str, str] = {}
    while eligible:
        task = by_id[heapq.heappop(eligible)[2]]
        slot = _place(task, slots, calendars)
        waits[task.id] = _wait(task, slot, slots, calendars[slot.resource])
        calendars[slot.resource].book(task.id, slot.start, slot.end)
        slots[task.id] = slot
        for follower in followers[task.id]:
            waiting[follower] -= 1
            if not waiting[follower]:
                heapq.heappush(eligible, (latest[follower], position[follower], follower))
    ordered = {task.id: slots[task.id] for task in tasks}
    finish = max((slot.end for slot in slots.values()), default=0)
    return Schedule(
        slots=MappingProxyType(ordered),
        finish=finish,
        critical=_critical_chain(tasks, ordered, waits, finish),
        waits=MappingProxyType({task.id: waits[task.id] for task in tasks}),
    )


def _place(task: Task, slots: Mapping[str, Slot], calendars: Mapping[str, _Calendar]) -> Slot:
    """The slot of `task` on the candidate that can finish it first (ties: the one listed first)."""
    ready = max((slots[before].end for before in task.after), default=0)
    best: Slot | None = None
    for candidate in task.candidates:
        begin = calendars[candidate].earliest(ready, task.duration)
        if best is None or begin < best.start:
            best = Slot(task.id, candidate, begin, begin + task.duration)
            if begin == ready:  # nobody can start sooner, and a tie goes to the first listed
                break
    assert best is not None  # _check refused a task with no candidate
    return best


def _wait(task: Task, slot: Slot, slots: Mapping[str, Slot], calendar: _Calendar) -> str:
    """Why `slot` starts when it does: a prerequisite, the resource's previous task, its ready day."""
    for before in task.after:
        if slots[before].end == slot.start:
            return f"after:{before}"
    if slot.start in calendar.ending:
        return f"resource:{calendar.ending[slot.start]}"
    if slot.start and slot.start == calendar.ready:
        return f"ready:{slot.resource}"
    return "start"


def _critical_chain(
    tasks: Sequence[Task], slots: Mapping[str, Slot], waits: Mapping[str, str], finish: int
) -> tuple[str, ...]:
    """From the first task (in input order) ending at `finish`, back along its waits."""
    last = next((task.id for task in tasks if slots[task.id].end == finish), None)
    chain: list[str] = []
    while last is not None:
        chain.append(last)
        kind, _, link = waits[last].partition(":")
        last = link if kind in ("after", "resource") else None
    return tuple(reversed(chain))


def _check(tasks: Sequence[Task], resources: Sequence[Resource]) -> None:
    """Refuse what cannot be scheduled, with one message naming what is wrong."""
    known_resources = {resource.id for resource in resources}
    if len(known_resources) != len(resources):
        raise ScheduleError(tr("A resource is given twice: {id}.", id=_twice(resources)))
    if len({task.id for task in tasks}) != len(tasks):
        raise ScheduleError(tr("A task is given twice: {id}.", id=_twice(tasks)))
    known_tasks = {task.id for task in tasks}
    for task in tasks:
        if task.duration < 1:
            raise ScheduleError(
                tr("Task {task} lasts {days} days: at least 1.", task=task.id, days=task.duration)
            )
        if not task.candidates:
            raise ScheduleError(tr("Nobody can do task {task}.", task=task.id))
        for before in task.after:
            if before not in known_tasks:
                raise ScheduleError(
                    tr(
                        "Task {task} comes after {other}, which is not a task.",
                        task=task.id,
                        other=before,
                    )
                )
        for candidate in task.candidates:
            if candidate not in known_resources:
                raise ScheduleError(
                    tr(
                        "Task {task} names {resource}, who is not a resource.",
                        task=task.id,
                        resource=candidate,
                    )
                )


def _twice(items: Sequence[Task] | Sequence[Resource]) -> str:
    """The first id given twice."""
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            return item.id
        seen.add(item.id)
    return ""


def _topological(tasks: Sequence[Task]) -> list[str]:
    """Task ids, prerequisites first (Kahn's algorithm); `ScheduleError` naming a cycle."""
    waiting = {task.id: len(set(task.after)) for task in tasks}
    followers = _followers(tasks)
    order = [task.id for task in tasks if not waiting[task.id]]
    for current in order:  # grows while it is read
        for follower in followers[current]:
            waiting[follower] -= 1
            if not waiting[follower]:
                order.append(follower)
    if len(order) < len(tasks):
        raise ScheduleError(
            tr("Tasks wait for each other in a cycle: {cycle}.", cycle=_cycle(tasks, set(order)))
        )
    return order


def _followers(tasks: Sequence[Task]) -> Mapping[str, list[str]]:
    """For each task, the tasks that wait for it (each once, in input order)."""
    followers: dict[str, list[str]] = {task.id: [] for task in tasks}
    for task in tasks:
        for before in dict.fromkeys(task.after):
            followers[before].append(task.id)
    return followers


def _cycle(tasks: Sequence[Task], done: set[str]) -> str:
    """A cycle among the tasks not `done`, as ``a → b → a`` (first task given first)."""
    after = {
        task.id: [b for b in task.after if b not in done] for task in tasks if task.id not in done
    }
    current = next(iter(after))
    path: list[str] = []
    while current not in path:
        path.append(current)
        current = after[current][0]  # every task left waits for one also left
    loop = path[path.index(current) :]
    loop.reverse()  # prerequisite first, the way work flows
    return " → ".join([*loop, loop[0]])


def _latest_finish(tasks: Sequence[Task], order: Sequence[str]) -> Mapping[str, int]:
    """Each task's latest finish with durations only: the backward pass from the longest path."""
    duration = {task.id: task.duration for task in tasks}
    after = {task.id: task.after for task in tasks}
    earliest_end: dict[str, int] = {}
    for task_id in order:
        earliest_end[task_id] = duration[task_id] + max(
            (earliest_end[before] for before in after[task_id]), default=0
        )
    horizon = max(earliest_end.values(), default=0)
    latest = dict.fromkeys(order, horizon)
    for task_id in reversed(order):
        start = latest[task_id] - duration[task_id]
        for before in after[task_id]:
            latest[before] = min(latest[before], start)
    return latest
