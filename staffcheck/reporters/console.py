"""A rich console that renders to text: the same settings for every terminal-style output."""

from __future__ import annotations

import io
import re

from rich.console import Console

_TRAILING_BLANKS = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$")


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
