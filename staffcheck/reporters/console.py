"""A rich console that renders to text, and the styles every terminal-style output shares."""

from __future__ import annotations

import functools
import io
import re
import textwrap
from collections.abc import Iterable
from typing import Protocol, Self

from rich.cells import cell_len
from rich.console import Console
from rich.control import strip_control_codes
from rich.text import Text

from staffcheck.escaping import inert
from staffcheck.model import Severity, Verdict

_TRAILING_BLANKS = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$")

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
VERDICT_STYLE = {
    Verdict.FIT: "bold green",
    Verdict.PARTIAL: "bold yellow",
    Verdict.MISMATCH: "bold red",
}


def plain(text: str, style: str = "") -> Text:
    """Untrusted text as a rich Text: never parsed as markup, control characters made visible."""
    return Text(inert(text), style=style)


def wrapped(text: str, width: int) -> Text:
    """`plain` text broken into lines of at most `width` cells by `wrap`, for a table cell that
    wide: rich would fold a Chinese label anywhere, even before its closing bracket."""
    lines = [line for part in text.split("\n") for line in wrap(inert(part), width)]
    return Text("\n".join(lines))


def cell(text: str, width: int) -> Text:
    """A table cell's text: rich wraps English between words well enough; text with Chinese
    goes through `wrapped` at about the column's width, so that Chinese rules hold."""
    return plain(text) if text.isascii() else wrapped(text, width)


class Styled(Protocol):
    """What a report pre-wrapped by hand builds of rich's `Text`: a rich `Text` when it is
    printed in colour, a `PlainText` when it is not."""

    def append(self, text: str, style: str = ...) -> object: ...

    def append_text(self, text: Self) -> object: ...

    def split(self, separator: str) -> Iterable[Self]: ...

    @property
    def plain(self) -> str: ...


class PlainText:
    """rich's `Text` as a report pre-wrapped by hand uses it (`Styled`), without the styles: a
    report without colour writes only the text, and a team of thousands needs no spans. It
    keeps what `Text` does to the text: control codes stripped, a final empty line not split."""

    __slots__ = ("parts",)

    def __init__(self, text: str = "") -> None:
        self.parts = [text] if text else []

    def append(self, text: str, style: str = "") -> PlainText:
        self.parts.append(strip_control_codes(text))
        return self

    def append_text(self, text: PlainText) -> PlainText:
        self.parts += text.parts
        return self

    def split(self, separator: str) -> list[PlainText]:
        text = self.plain
        lines = text.split(separator)
        if len(lines) > 1 and text.endswith(separator):
            lines.pop()
        return [PlainText(line) for line in lines]

    @property
    def plain(self) -> str:
        return "".join(self.parts)


class TextConsole(Console):
    """Renders into a buffer; untrusted text is never read as markup, emoji or highlights."""

    def __init__(self, width: int = 80, color: bool = False) -> None:
        self.buffer = io.StringIO()
        self._drained = False
        self._columns = width  # rich's `width` asks the environment each time
        super().__init__(
            file=self.buffer,
            width=width,
            # A fixed height too: without one rich asks the terminal for its size at every
            # measurement (three system calls); nothing staffcheck prints reads the height.
            height=25,
            color_system="standard" if color else None,
            force_terminal=color,
            highlight=False,
            emoji=False,
            markup=False,
            soft_wrap=False,
        )

    def print_laid_out(self, text: Text) -> None:
        """Print `text` as `print` does (folding what is too long): without colour, a text
        whose every line fits is written as it is, without rich measuring and wrapping each
        line again (a plan's chart for a team of 200 is hundreds of lines laid out already).
        Its styles write nothing without colour (rich renders a style as its text alone)."""
        plain = text.plain
        lines = plain.split("\n")
        measure = len if plain.isascii() else cell_len  # an ASCII character is one cell or none
        if (
            self.color_system is not None
            or "\t" in plain
            or any(measure(line) > self._columns for line in lines)
        ):
            self.print(text, overflow="fold")
            return
        self.buffer.write(plain + "\n")

    def write_laid_out(self, text: str) -> None:
        """Write `text`, laid out already: no styles, no control code rich would drop, no line
        wider than the terminal (a plan's tables, `plan_text._Grid.plain`): what `print` would
        write of it, without rich measuring every line again."""
        self.buffer.write(text + "\n")

    def text(self) -> str:
        """What was printed, without the blanks rich pads wrapped lines and tables with
        (also where a colour code follows them)."""
        lines = self.buffer.getvalue().splitlines()
        if self._drained and not lines:
            return ""
        return "\n".join(_without_trailing_blanks(line) for line in lines) + "\n"

    def drain(self) -> str:
        """The whole lines printed since the last `drain`, as `text` gives them, forgotten here:
        a long report is handed on as it is printed. The drained parts and then `text` make
        what `text` alone would have (`text` of nothing but drained lines is "")."""
        printed = self.buffer.getvalue()
        end = printed.rfind("\n") + 1
        self.buffer.seek(0)
        self.buffer.truncate()
        self.buffer.write(printed[end:])
        self._drained = self._drained or end > 0
        return "".join(_without_trailing_blanks(line) + "\n" for line in printed[:end].splitlines())


def _without_trailing_blanks(line: str) -> str:
    # The pattern retries at every space of a line, which a wide plan's table has many of;
    # without a colour code in the line it can only strip the spaces at the end.
    return _TRAILING_BLANKS.sub(r"\1", line) if "\x1b" in line else line.rstrip(" ")


#: Chinese line breaking (kinsoku): no line starts with these ...
NO_LINE_START = frozenset("、。，．,.）)」』】〉》〕］｝”’：；！？…‥・％")
#: ... and none ends with these: the character moves to the next line with its neighbour.
NO_LINE_END = frozenset("（(「『【〈《〔［｛“‘")


def columns(text: str) -> int:
    """How many terminal cells `text` takes (a Chinese character two)."""
    return cell_len(text)


def wrap(text: str, width: int) -> list[str]:
    """`text` broken into lines at most `width` terminal cells wide, between words where it can.

    ASCII goes through `textwrap` (fast, for thousands of findings); other text is measured in
    cells, so Chinese (two cells a character, no spaces) breaks between characters and lines
    keep their width. A break is allowed at a space or next to a wide character, but never
    before closing punctuation (、。）…) nor after opening punctuation (（「…): the characters
    around it form one unbreakable unit (kinsoku). Only a unit wider than a line is cut, where
    it breaks the fewest of those rules.
    """
    return list(_wrap(text, width))


@functools.lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    # A team's findings repeat their chains (the rule, its requirement) from person to person.
    return tuple(_wrap_once(text, width))


def _wrap_once(text: str, width: int) -> list[str]:
    if text.isascii():
        return textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    lines: list[str] = []
    line = ""
    for spaced, unit in _units(text):
        gap = " " if spaced and line else ""
        if line and cell_len(line + gap + unit) > width:
            lines.append(line)
            line, gap = "", ""
        if cell_len(unit) > width:  # alone on its lines: cut it
            *full, unit = _cut(unit, width)
            lines += full
        line += gap + unit
    return [*lines, line] if line or not lines else lines


def _units(text: str) -> list[tuple[bool, str]]:
    """The unbreakable runs of `text`, each with whether a space came before it."""
    units: list[tuple[bool, str]] = []
    unit, spaced, pending_space = "", False, False
    for char in text:
        if char.isspace():
            pending_space = bool(unit)
            continue
        if unit and _breakable(unit[-1], char, pending_space):
            units.append((spaced, unit))
            unit, spaced = "", pending_space
        elif pending_space:
            unit += " "
        unit += char
        pending_space = False
    if unit:
        units.append((spaced, unit))
    return units


def _breakable(before: str, after: str, space: bool) -> bool:
    """May a line end between these two characters (with or without a space between)?"""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return space or cell_len(before) > 1 or cell_len(after) > 1


def _cut(unit: str, width: int) -> list[str]:
    """A unit wider than a line, in line-wide pieces: each cut is the longest prefix that does
    not leave closing punctuation first or opening punctuation last, if there is one."""
    pieces: list[str] = []
    while cell_len(unit) > width:
        fitting, used = [], 0
        for i, char in enumerate(unit[:-1], start=1):
            used += cell_len(char)
            if used > width:
                break
            fitting.append(i)
        good = [
            i for i in fitting if unit[i] not in NO_LINE_START and unit[i - 1] not in NO_LINE_END
        ]
        cut = (good or fitting or [1])[-1]
        pieces.append(unit[:cut].rstrip())
        unit = unit[cut:].lstrip()
    return [*pieces, unit]


def clip(text: str, cells: int) -> str:
    """At most `cells` terminal cells of `text` (a CJK character is two), with … if cut; in
    HTML and SVG, clip before escaping, so that no entity is cut."""
    if cell_len(text) <= cells:
        return text
    used, end = 0, 0
    while used + cell_len(text[end]) <= cells - 1:  # one pass: a long name costs its length
        used += cell_len(text[end])
        end += 1
    return text[:end] + "…"
