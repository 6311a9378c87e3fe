"""The scheduler: hand-checked examples, invariants on random projects, refusals, speed."""

from __future__ import annotations

import itertools
import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffcheck.scheduling import Resource, Schedule, ScheduleError, Task, schedule


def task(id: str, duration: int, on: str | tuple[str, ...], after: tuple[str, ...] = ()) -> Task:
    return Task(id, duration, after, (on,) if isinstance(on, str) else on)


def spans(result: Schedule) -> dict[str, tuple[str, int, int]]:
    return {key: (slot.resource, slot.start, slot.end) for key, slot in result.slots.items()}


# --- hand examples -----------------------------------------------------------------------------


def test_a_chain_runs_end_to_end_on_one_person() -> None:
    result = schedule(
        [task("a", 2, "p"), task("b", 3, "p", ("a",)), task("c", 1, "p", ("b",))], [Resource("p")]
    )
    assert spans(result) == {"a": ("p", 0, 2), "b": ("p", 2, 5), "c": ("p", 5, 6)}
    assert result.finish == 6
    assert result.critical == ("a", "b", "c")
    assert dict(result.waits) == {"a": "start", "b": "after:a", "c": "after:b"}


def test_a_diamond_joins_on_its_longer_branch() -> None:
    tasks = [
        task("a", 2, "p"),
        task("b", 3, "p", ("a",)),
        task("c", 1, "q", ("a",)),
        task("d", 2, "p", ("b", "c")),
    ]
    result = schedule(tasks, [Resource("p"), Resource("q")])
    assert spans(result) == {
        "a": ("p", 0, 2),
        "b": ("p", 2, 5),
        "c": ("q", 2, 3),
        "d": ("p", 5, 7),
    }
    assert result.critical == ("a", "b", "d")


def test_two_tasks_on_one_person_never_overlap_and_the_first_given_goes_first() -> None:
    people = [Resource("p")]
    first = schedule([task("x", 3, "p"), task("y", 2, "p")], people)
    assert spans(first) == {"x": ("p", 0, 3), "y": ("p", 3, 5)}
    assert first.waits["y"] == "resource:x"
    assert first.critical == ("x", "y")
    swapped = schedule([task("y", 2, "p"), task("x", 3, "p")], people)
    assert spans(swapped) == {"y": ("p", 0, 2), "x": ("p", 2, 5)}


def test_the_most_urgent_task_goes_first_whatever_the_input_order() -> None:
    # b leads a long chain (b -> c), so its latest finish (2) is earlier than that of a (7).
    tasks = [task("a", 1, "p"), task("b", 2, "p"), task("c", 5, "q", ("b",))]
    result = schedule(tasks, [Resource("p"), Resource("q")])
    assert spans(result) == {"a": ("p", 2, 3), "b": ("p", 0, 2), "c": ("q", 2, 7)}
    assert result.critical == ("b", "c")


def test_a_person_ready_late_starts_on_the_day_they_are_ready() -> None:
    result = schedule([task("t", 3, "hire")], [Resource("hire", ready=10)])
    assert spans(result) == {"t": ("hire", 10, 13)}
    assert result.waits["t"] == "ready:hire"
    assert result.critical == ("t",)
    assert result.finish == 13


def test_a_gap_left_earlier_is_filled_by_a_task_that_fits_it() -> None:
    tasks = [task("a", 2, "q"), task("b", 2, "p", ("a",)), task("c", 2, "p")]
    result = schedule(tasks, [Resource("p"), Resource("q")])
    assert spans(result)["b"] == ("p", 2, 4)
    assert spans(result)["c"] == ("p", 0, 2)  # before b, though b was placed first


def test_a_gap_too_short_is_left_alone() -> None:
    tasks = [task("a", 2, "q"), task("b", 2, "p", ("a",)), task("c", 3, "p")]
    result = schedule(tasks, [Resource("p"), Resource("q")])
    assert spans(result)["c"] == ("p", 4, 7)
    assert result.waits["c"] == "resource:b"


def test_the_candidate_who_finishes_first_wins_even_if_listed_second() -> None:
    tasks = [task("busy", 5, "p"), task("t", 2, ("p", "q"), ())]
    result = schedule(tasks, [Resource("p"), Resource("q")])
    assert spans(result)["t"] == ("q", 0, 2)
    late = schedule([task("t", 2, ("q", "p"))], [Resource("p"), Resource("q", ready=4)])
    assert spans(late)["t"] == ("p", 0, 2)


def test_between_equal_candidates_the_one_listed_first_wins() -> None:
    people = [Resource("q"), Resource("p")]
    assert schedule([task("t", 2, ("p", "q"))], people).slots["t"].resource == "p"
    assert schedule([task("t", 2, ("q", "p"))], people).slots["t"].resource == "q"


def test_the_critical_chain_runs_through_a_prerequisite_and_a_person() -> None:
    tasks = [task("z", 1, "q"), task("x", 3, "p", ("z",)), task("y", 4, "p")]
    result = schedule(tasks, [Resource("p"), Resource("q")])
    assert spans(result) == {"z": ("q", 0, 1), "x": ("p", 1, 4), "y": ("p", 4, 8)}
    assert result.critical == ("z", "x", "y")
    assert [result.waits[key] for key in result.critical] == ["start", "after:z", "resource:x"]


def test_the_critical_chain_begins_at_a_ready_time_that_held_work_back() -> None:
    tasks = [task("brief", 2, "p"), task("build", 3, "hire", ("brief",))]
    result = schedule(tasks, [Resource("p"), Resource("hire", ready=5)])
    assert spans(result)["build"] == ("hire", 5, 8)
    assert result.waits["build"] == "ready:hire"
    assert result.critical == ("build",)


def test_nothing_to_schedule_finishes_on_day_zero() -> None:
    result = schedule([], [Resource("p")])
    assert (dict(result.slots), result.finish, result.critical) == ({}, 0, ())


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tasks", "resources", "names"),
    [
        (
            [task("a", 1, "p", ("c",)), task("b", 1, "p", ("a",)), task("c", 1, "p", ("b",))],
            [Resource("p")],
            ["cycle", "a", "b", "c"],
        ),
        ([task("a", 1, "p", ("a",))], [Resource("p")], ["cycle", "a → a"]),
        ([task("a", 1, "p", ("ghost",))], [Resource("p")], ["a", "ghost", "not a task"]),
        ([task("a", 1, "nobody")], [Resource("p")], ["a", "nobody", "not a resource"]),
        ([Task("a", 1, (), ())], [Resource("p")], ["Nobody", "a"]),
        ([task("a", 0, "p")], [Resource("p")], ["a", "0 days"]),
        ([task("a", -2, "p")], [Resource("p")], ["a", "-2 days"]),
        ([task("a", 1, "p"), task("a", 2, "p")], [Resource("p")], ["twice", "a"]),
        ([task("a", 1, "p")], [Resource("p"), Resource("p", 3)], ["twice", "p"]),
    ],
    ids=[
        "cycle",
        "self-cycle",
        "unknown-prerequisite",
        "unknown-resource",
        "no-candidate",
        "zero-days",
        "negative-days",
        "task-twice",
        "resource-twice",
    ],
)
def test_an_impossible_schedule_is_refused_with_one_clear_message(
    tasks: list[Task], resources: list[Resource], names: list[str]
) -> None:
    with pytest.raises(ScheduleError) as refused:
        schedule(tasks, resources)
    message = str(refused.value)
    assert "\n" not in message
    for name in names:
        assert name in message


def test_a_cycle_is_named_in_the_order_work_would_flow() -> None:
    tasks = [task("ok", 1, "p"), task("b", 1, "p", ("a", "ok")), task("a", 1, "p", ("b",))]
    with pytest.raises(ScheduleError, match="a → b → a"):
        schedule(tasks, [Resource("p")])


# --- invariants on random projects -------------------------------------------------------------


@st.composite
def projects(draw: st.DrawFn) -> tuple[list[Task], list[Resource]]:
    """A random DAG of tasks (prerequisites among earlier ones), shuffled; people, some ready late."""
    readies = draw(st.lists(st.integers(0, 12), min_size=1, max_size=6))
    people = [Resource(f"r{index}", ready) for index, ready in enumerate(readies)]
    count = draw(st.integers(0, 25))
    tasks = []
    for index in range(count):
        after = draw(st.lists(st.sampled_from(range(index)), max_size=3)) if index else []
        who = draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique=True))
        tasks.append(
            Task(
                f"t{index}",
                draw(st.integers(1, 6)),
                tuple(f"t{before}" for before in after),
                tuple(person.id for person in who),
            )
        )
    return draw(st.permutations(tasks)), people


@given(projects())
@settings(max_examples=150, deadline=None)
def test_every_schedule_keeps_the_rules(project: tuple[list[Task], list[Resource]]) -> None:
    tasks, people = project
    result = schedule(tasks, people)
    ready = {person.id: person.ready for person in people}
    assert list(result.slots) == [t.id for t in tasks]
    for t in tasks:
        slot = result.slots[t.id]
        assert slot.resource in t.candidates
        assert slot.end - slot.start == t.duration
        assert slot.start >= ready[slot.resource]
        assert all(slot.start >= result.slots[before].end for before in t.after)
    by_person: dict[str, list[tuple[int, int]]] = {}
    for slot in result.slots.values():
        by_person.setdefault(slot.resource, []).append((slot.start, slot.end))
    for busy in by_person.values():
        busy.sort()
        assert all(one[1] <= two[0] for one, two in pairwise(busy))
    assert result.finish == max((slot.end for slot in result.slots.values()), default=0)


@given(projects())
@settings(max_examples=150, deadline=None)
def test_every_wait_is_true(project: tuple[list[Task], list[Resource]]) -> None:
    tasks, people = project
    result = schedule(tasks, people)
    ready = {person.id: person.ready for person in people}
    by_id = {t.id: t for t in tasks}
    for key, wait in result.waits.items():
        slot = result.slots[key]
        kind, _, link = wait.partition(":")
        if kind == "after":
            assert link in by_id[key].after and result.slots[link].end == slot.start
        elif kind == "resource":
            other = result.slots[link]
            assert (other.resource, other.end) == (slot.resource, slot.start)
        elif kind == "ready":
            assert link == slot.resource and ready[link] == slot.start > 0
        else:
            assert (wait, slot.start) == ("start", 0)


@given(projects())
@settings(max_examples=150, deadline=None)
def test_the_critical_chain_is_contiguous_and_ends_at_the_finish(
    project: tuple[list[Task], list[Resource]],
) -> None:
    tasks, people = project
    result = schedule(tasks, people)
    chain = result.critical
    if not tasks:
        assert chain == ()
        return
    assert result.slots[chain[-1]].end == result.finish
    for before, current in pairwise(chain):
        assert result.slots[current].start == result.slots[before].end
        assert result.waits[current] in (f"after:{before}", f"resource:{before}")
    assert result.waits[chain[0]].split(":")[0] in ("start", "ready")
    # No schedule beats the longest chain of prerequisites.
    longest: dict[str, int] = {}
    for key in _prerequisites_first(tasks):
        t = next(x for x in tasks if x.id == key)
        longest[key] = t.duration + max((longest[b] for b in t.after), default=0)
    assert result.finish >= max(longest.values())


def _prerequisites_first(tasks: list[Task]) -> list[str]:
    done: list[str] = []
    while len(done) < len(tasks):
        done += [t.id for t in tasks if t.id not in done and set(t.after) <= set(done)]
    return done


@given(projects(), st.randoms(use_true_random=False))
@settings(max_examples=100, deadline=None)
def test_the_same_input_gives_the_same_schedule_in_any_order_of_people(
    project: tuple[list[Task], list[Resource]], shuffler: random.Random
) -> None:
    tasks, people = project
    first = schedule(tasks, people)
    shuffled = list(people)
    shuffler.shuffle(shuffled)
    again = schedule(list(tasks), shuffled)
    assert spans(again) == spans(first)
    assert (again.critical, dict(again.waits)) == (first.critical, dict(first.waits))


# --- speed -------------------------------------------------------------------------------------


def _large(count: int, people: int, each: int) -> tuple[list[Task], list[Resource]]:
    """`count` tasks, each after up to 3 of the 50 before it, each open to `each` of `people`."""
    rnd = random.Random(13)
    staff = [Resource(f"r{index}", rnd.choice((0, 0, 0, 5, 20))) for index in range(people)]
    names = [person.id for person in staff]
    tasks = []
    for index in range(count):
        window = range(max(0, index - 50), index)
        after = {f"t{rnd.choice(window)}" for _ in range(rnd.randint(0, 3))} if index else set()
        candidates = tuple(rnd.sample(names, each))
        tasks.append(Task(f"t{index}", rnd.randint(1, 20), tuple(sorted(after)), candidates))
    return tasks, staff


def test_a_thousand_tasks_over_five_hundred_people_are_all_placed_without_overlap() -> None:
    # (How fast: bench/plan.py times the scheduler alone; speed is not a unit test's business.)
    tasks, people = _large(1000, 500, 20)
    result = schedule(tasks, people)
    assert set(result.slots) == {task.id for task in tasks}
    by_person: dict[str, list[tuple[int, int]]] = {}
    for task in tasks:
        slot = result.slots[task.id]
        assert slot.resource in task.candidates
        by_person.setdefault(slot.resource, []).append((slot.start, slot.end))
    for spans in by_person.values():
        spans.sort()
        assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))
