"""Making untrusted text inert: control characters shown, never obeyed; Markdown syntax escaped."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (ESC-less CSI 0x9b among them), and the
# Unicode bidi overrides that can make text read differently from what it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Callers never start a line with escaped text (it always follows "- ", "| ", "### " or a label),
# so block syntax (#, -, +, 1.) cannot trigger; what remains is inline syntax and raw HTML.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def inert(text: str, *, single_line: bool = True) -> str:
    """Text with every control character replaced by a visible escape such as ``\\x1b``."""
    cleaned = _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}"
        ),
        text,
    )
    if single_line:
        cleaned = cleaned.replace("\t", " ").replace("\n", " ")
    return cleaned


def escape_markdown(text: str) -> str:
    """Untrusted text as inert Markdown: no links, emphasis, HTML or table breaks."""
    escaped = inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)
