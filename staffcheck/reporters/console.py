"""A rich console that renders to text, and the styles every terminal-style output shares."""

from __future__ import annotations

import io
import re
import textwrap

from rich.cells import cell_len
from rich.console import Console
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


class TextConsole(Console):
    """Renders into a buffer; untrusted text is never read as markup, emoji or highlights."""

    def __init__(self, width: int = 80, color: bool = False) -> None:
        self.buffer = io.StringIO()
        super().__init__(
            file=self.buffer,
            width=width,
            color_system="standard" if color else None,
            force_terminal=color,
            highlight=False,
            emoji=False,
            markup=False,
            soft_wrap=False,
        )

    def text(self) -> str:
        """What was printed, without the blanks rich pads wrapped lines and tables with
        (also where a colour code follows them)."""
        lines = self.buffer.getvalue().splitlines()
        return "\n".join(_TRAILING_BLANKS.sub(r"\1", line) for line in lines) + "\n"


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
    keep their width — and no line starts with closing punctuation (、。）…) or ends with opening
    punctuation (（「…): the characters around such a break move to the next line together.
    """
    if text.isascii():
        return textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    lines: list[str] = []
    line: list[tuple[int, str]] = []  # (the space before it, piece)
    used, space = 0, False
    for token in _tokens(text):
        if token.isspace():
            space = bool(line)
            continue
        for piece in _fold(token, width) if cell_len(token) > width else [token]:
            gap, size = (1 if space else 0), cell_len(piece)
            if line and used + gap + size > width:
                carried = _carry(line, piece, width)
                lines.append(_join(line))
                line, used = carried, _width(carried)
                gap = 1 if line and gap else 0
            line.append((gap, piece))
            used += gap + size
            space = False
    return [*lines, _join(line)] if line or not lines else lines


def _carry(line: list[tuple[int, str]], incoming: str, width: int) -> list[tuple[int, str]]:
    """The end of a full `line` that must go to the next one with `incoming` (kinsoku): what
    closing punctuation would start the next line with, or opening punctuation end this one.
    `line` keeps at least one piece; what is carried fits in `width` with `incoming`, or stays."""
    carried: list[tuple[int, str]] = []
    first = incoming
    while first[:1] in NO_LINE_START or line[-1][1][-1:] in NO_LINE_END:
        if len(line) == 1 and len(line[0][1]) < 2:
            break
        gap, piece = line.pop()
        if not line or (
            len(piece) > 1 and cell_len(piece) + _width(carried) + cell_len(incoming) + 1 > width
        ):
            line.append((gap, piece[:-1]))  # a long word gives up its last character only
            gap, piece = 0, piece[-1]
        carried.insert(0, (gap, piece))
        first = piece
    if carried:
        carried[0] = (0, carried[0][1])
    if _width(carried) + 1 + cell_len(incoming) > width:  # only a word as wide as a line
        line += carried
        return []
    return carried


def _width(pieces: list[tuple[int, str]]) -> int:
    return sum(gap + cell_len(piece) for gap, piece in pieces)


def _join(pieces: list[tuple[int, str]]) -> str:
    return "".join(" " * gap + piece for gap, piece in pieces)


def _tokens(text: str) -> list[str]:
    """Runs of spaces, single wide characters, and runs of other characters (words)."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isspace() or cell_len(char) > 1:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _fold(token: str, width: int) -> list[str]:
    """A word wider than a line, cut into line-wide pieces."""
    pieces, piece = [], ""
    for char in token:
        if piece and cell_len(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]
