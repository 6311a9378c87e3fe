"""A rich console that renders to text, and the styles every terminal-style output shares."""

from __future__ import annotations

import io
import re

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
