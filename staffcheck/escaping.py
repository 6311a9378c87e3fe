"""Making untrusted text inert: control characters shown, never obeyed; Markdown syntax escaped."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (ESC-less CSI 0x9b among them), the
# Unicode bidi overrides and marks that can make text read differently from what it is, and the
# invisible characters that make two names look alike (zero-width space, word joiner, BOM).
# Zero-width (non-)joiners stay: scripts and emoji need them.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Line and paragraph separators end a line in some viewers (and a Markdown table row with it).
_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})

# Callers never start a line with escaped text (it always follows "- ", "| ", "### " or a label),
# so block syntax (#, -, +, 1.) cannot trigger; what remains is inline syntax and raw HTML.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def inert(text: str, *, single_line: bool = True) -> str:
    """Text with every control character replaced by a visible escape such as ``\\x1b``, line
    separators made newlines, and (`single_line`) tabs and newlines made spaces."""
    cleaned = _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}"
        ),
        text.translate(_SEPARATORS),
    )
    if single_line:
        cleaned = cleaned.replace("\t", " ").replace("\n", " ")
    return cleaned


def escape_markdown(text: str) -> str:
    """Untrusted text as inert Markdown: no links, emphasis, HTML or table breaks."""
    escaped = inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)
