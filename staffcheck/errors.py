"""The one user-facing error type: a problem with a place (file, line, column) and a hint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the user's input, printable as ``path:line:col: message (hint)``."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        place = ""
        if self.path is not None:
            place = self.path
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            place += ": "
        text = f"{place}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class StaffcheckError(Exception):
    """Input the tool cannot use. Carries every problem found; prints as the first of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("StaffcheckError needs at least one problem")
        super().__init__(str(self.problems[0]))

    @classmethod
    def at(
        cls,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> StaffcheckError:
        """Build an error with a single problem."""
        return cls([Problem(message, None if path is None else str(path), line, column, hint)])

    def lines(self, cap: int = 20) -> list[str]:
        """Every problem, one per line, up to `cap` of them; then how many more there are."""
        shown = [str(problem) for problem in self.problems[:cap]]
        more = len(self.problems) - len(shown)
        return shown + ([f"… and {more} more"] if more else [])
