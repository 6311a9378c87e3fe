"""The one user-facing error type: a problem with a place (file, line, column) and a hint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import UnionType

from staffcheck.i18n import tr
from staffcheck.model import Location


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the user's input, printable as ``path:line:col: message (hint)``."""

    message: str
    location: Location | None = None
    hint: str | None = None

    def __str__(self) -> str:
        place = "" if self.location is None else f"{self.location}: "
        text = f"{place}{self.message}"
        if self.hint:
            text = tr("{message} ({hint})", message=text, hint=self.hint)
        return text


class StaffcheckError(Exception):
    """Input the tool cannot use. Carries every problem found; prints as the first of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("StaffcheckError needs at least one problem")
        super().__init__(str(self.problems[0]))

    @property
    def location(self) -> Location | None:
        """Where the first problem is (file or ``<dict>``, line, column when known)."""
        return self.problems[0].location

    @property
    def hint(self) -> str | None:
        """How to fix the first problem."""
        return self.problems[0].hint

    @classmethod
    def at(
        cls,
        message: str,
        path: Location | str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> StaffcheckError:
        """Build an error with a single problem, placed by a `Location` or by path, line, column."""
        if isinstance(path, Location):
            if line is not None or column is not None:
                raise TypeError("give a Location or a path with its line and column, not both")
            location: Location | None = path
        else:
            location = None if path is None else Location(str(path), line, column)
        return cls([Problem(message, location, hint)])

    def lines(self, cap: int = 20, more_text: str = "… and {more} more") -> list[str]:
        """Every problem, one per line, in file and line order, up to `cap` of them; then how many
        more there are, in `more_text` (the caller's language: errors cannot translate)."""
        ordered = sorted(self.problems, key=_place_key)  # stable: unplaced ones first, as found
        shown = [str(problem) for problem in ordered[:cap]]
        more = len(self.problems) - len(shown)
        return shown + ([more_text.format(more=more)] if more else [])


def _place_key(problem: Problem) -> tuple[bool, str, int, int]:
    where = problem.location
    if where is None:
        return (False, "", 0, 0)
    return (True, where.path, where.line or 0, where.column or 0)


def check_argument(
    function: str, name: str, value: object, kind: type | UnionType | tuple[type, ...]
) -> None:
    """Refuse an API argument of the wrong type (None, the default, is always allowed)."""
    if value is None or isinstance(value, kind):
        return
    wanted = tr("text") if kind is str else tr("text or a path")
    raise wrong_type(name, wanted, value, Location(f"{function}()"))


def wrong_type(name: str, wanted: str, value: object, where: Location | str) -> StaffcheckError:
    """An API argument or field that is not what it must be, placed at the call or the object."""
    return StaffcheckError.at(
        tr("{name} must be {wanted}, not {type}", name=name, wanted=wanted,
           type=type(value).__name__),
        where,
        hint=tr("see docs/api.md"),
    )  # fmt: skip
