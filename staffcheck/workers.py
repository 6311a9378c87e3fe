"""Engine runs in parallel processes: the pool that `batch` screens with, and a large team's
member runs shared between this process and the pool.

Workers are spawned (never forked: rich may run a refresh thread), build the engine once each, and
leave Ctrl-C to the parent. Results are merged in input order, so they never depend on the number
of processes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from staffcheck.engine import PEOPLE_PER_RUN, Assignment, Conclusions, InferenceEngine
from staffcheck.i18n import language, set_language
from staffcheck.model import Strategy

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["PARALLEL_FROM", "assess_shared", "default_jobs", "pool", "sigint_held"]

#: Members from which a team's own runs are shared with a worker process: below, starting one
#: (about half a second to import and build the engine) costs more than it saves (bench/plan.py).
PARALLEL_FROM = 24

#: A worker's engine, and the pickled knowledge base it was built from.
_engine: InferenceEngine | None = None
_pack = b""


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def init_worker(lang: str, state: Callable[..., None] | None = None, *args: Any) -> None:
    """A worker's start: the parent's language, Ctrl-C ignored, then `state(*args)` if given."""
    set_language(lang)  # a spawned worker starts in English: findings speak the parent's language
    # Ctrl-C reaches the whole process group; the parent alone answers it, once. The worker
    # was started with SIGINT blocked (`sigint_held`): ignoring it now also drops one pending.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if state is not None:
        state(*args)


@contextlib.contextmanager
def sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers may be started; it is delivered to us when this ends.

    A worker inherits the signal mask, so one started here cannot be interrupted before its
    initializer ignores SIGINT (it would print a KeyboardInterrupt traceback of its own);
    CPython starts its resource tracker the same way.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def pool(jobs: int, state: Callable[..., None] | None = None, *args: Any) -> ProcessPoolExecutor:
    """`jobs` spawned workers, each set up by `init_worker` (then `state(*args)`)."""
    # Imported here: a command that never starts a worker does not pay for them.
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # no fork under rich's refresh thread
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=init_worker,
        initargs=(language(), state, *args),
    )


def _run_group(
    pack: bytes, group: Sequence[Assignment], strategy: Strategy | None, weigh_all_posts: bool
) -> Conclusions:
    """One group's run in a worker, on the engine of `pack` (a pickled knowledge base), which
    the worker builds once."""
    global _engine, _pack
    if _engine is None or pack != _pack:
        _engine, _pack = InferenceEngine(pickle.loads(pack)), pack
    return _engine.assess(group, strategy, weigh_all_posts=weigh_all_posts)


def assess_shared(
    engine: InferenceEngine,
    assignments: Sequence[Assignment],
    strategy: Strategy | None,
    *,
    weigh_all_posts: bool = False,
    jobs: int = 1,
) -> Conclusions:
    """`engine.assess`, with the groups of a large team shared between this process and
    ``jobs - 1`` workers: this process takes groups from the front while the workers start and
    take them from the back. Each group's run depends only on its members, so the merged
    conclusions are those of `engine.assess`, whoever ran which group.
    """
    if jobs <= 1 or len(assignments) < PARALLEL_FROM:
        return engine.assess(assignments, strategy, weigh_all_posts=weigh_all_posts)
    groups = [
        assignments[start : start + PEOPLE_PER_RUN]
        for start in range(0, len(assignments), PEOPLE_PER_RUN)
    ]
    done: list[Conclusions | None] = [None] * len(groups)
    # The pack goes with each task, pickled once, not to the initializer: a spawned worker reads
    # its initializer's arguments before its imports finish, and a write bigger than the pipe
    # would hold this process back until then (about a second).
    pack = pickle.dumps(engine.kb)
    workers = pool(jobs - 1)
    try:
        with sigint_held():  # submit starts the workers
            futures: dict[int, Future[Conclusions]] = {
                index: workers.submit(_run_group, pack, groups[index], strategy, weigh_all_posts)
                for index in reversed(range(len(groups)))
            }
        for index, group in enumerate(groups):
            if futures[index].cancel():  # no worker has taken it yet: run it here
                done[index] = engine.assess(group, strategy, weigh_all_posts=weigh_all_posts)
        for index, future in futures.items():
            if done[index] is None:
                done[index] = future.result()
    except BaseException:
        # Ctrl-C or an error: drop the queued work instead of finishing it.
        workers.shutdown(wait=False, cancel_futures=True)
        raise
    workers.shutdown()
    return Conclusions.merge([part for part in done if part is not None])
