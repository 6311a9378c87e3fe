"""A progress count on standard error for long screenings, shown only once they take a while."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, TypeVar

from staffcheck.i18n import tr

T = TypeVar("T")

#: The progress bar appears only for work that has already taken this long.
PROGRESS_AFTER_SECONDS = 1.0


class Ticker:
    """Counts screened applicants on stderr once the work has taken over a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.done = 0
        self.progress: Any = None  # rich.progress.Progress, imported only when shown
        self.task: Any = None

    def __enter__(self) -> Ticker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.stop()

    def count(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, ticking once for each."""
        for item in items:
            self.tick()
            yield item

    def tick(self) -> None:
        """One more done; start showing the count once the work has taken long enough."""
        self.done += 1
        if not self.enabled:
            return
        if self.progress is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_SECONDS:
                return
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                SpinnerColumn(),
                TextColumn(tr("screening: {task.completed:,} applicants")),
                TimeElapsedColumn(),
                console=Console(stderr=True, markup=False, highlight=False),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("screen", total=None)
        self.progress.update(self.task, completed=self.done)
