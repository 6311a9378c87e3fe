"""A rich console that renders to text: the same settings for every terminal-style output."""

from __future__ import annotations

import io

from rich.console import Console


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
        """What was printed, without the blanks rich pads wrapped lines and tables with."""
        return "\n".join(line.rstrip() for line in self.buffer.getvalue().splitlines()) + "\n"
