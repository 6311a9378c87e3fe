"""Python's cyclic garbage collector, paused over a screening or a team's assessment.

Screening a chunk of applicants makes hundreds of thousands of small containers (Rete tokens,
facts, findings, their messages) that live until the chunk is done or are freed by their
reference counts. The collector still starts every 700 allocations, walks what is young, finds
nothing to free and promotes it, so its older generations grow and are walked again: about a
tenth of a screening's time (measured with `gc.callbacks`, bench/README.md). Nothing a screening
makes is left in a cycle (tests/test_engine.py), so pausing the collector frees the same memory,
at the same moments; what a caller's own code leaves in cycles is collected once it resumes.
The collector's switch belongs to the whole process: a thread that turns it off while a
screening runs finds it on again when the screening ends.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["collector_paused"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def collector_paused(work: Callable[_P, _R]) -> Callable[_P, _R]:
    """`work` with the cyclic collector paused while it runs, if it was on; nested calls, or a
    caller that turned the collector off, leave it as it is."""

    @functools.wraps(work)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return work(*args, **kwargs)
        gc.disable()
        try:
            return work(*args, **kwargs)
        finally:
            gc.enable()

    return paused
