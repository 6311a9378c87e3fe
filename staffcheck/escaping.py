"""Making untrusted text inert: control characters shown, never obeyed; Markdown syntax escaped."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (ESC-less CSI 0x9b among them), the
# Unicode bidi overrides and marks that can make text read differently from what it is, and the
# invisible characters that make two names look alike (zero-width space, word joiner, BOM).
# Zero-width (non-)joiners stay: scripts and emoji need them.
_CONTROL_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
# Line and paragraph separators end a line in some viewers (and a Markdown table row with it).
_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})

# Callers never start a line with escaped text (it always follows "- ", "| ", "### " or a label),
# so block syntax (#, -, +, 1.) cannot trigger; what remains is inline syntax and raw HTML.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# GitHub-flavoured Markdown turns bare URLs (``https://…``, ``www.…``) and e-mail addresses
# (``a@b.example``, ``mailto:``/``xmpp:`` ones) into live links, with no brackets to escape.
# A backslash before the ``:`` of ``://`` or the ``.`` of ``www.`` stops the first two (the text
# still reads the same); GFM matches addresses after undoing escapes and entities, so only an
# invisible zero-width space after the ``@`` breaks them (checked against cmark-gfm).
_URL_SCHEME = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_WWW = re.compile(r"(?i)(?<![A-Za-z0-9])(www)\.")
_AT = re.compile(r"@(?=[A-Za-z0-9_.+-])")


def inert(text: str, *, single_line: bool = True) -> str:
    """Text with every control character replaced by a visible escape such as ``\\x1b``, line
    separators made newlines, and (`single_line`) tabs and newlines made spaces."""
    if text.isprintable():
        # Nearly all text: every character this changes (controls, tabs and newlines, line
        # separators, bidi and invisible marks) is one `str.isprintable` rejects.
        return text
    cleaned = _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}"
        ),
        text.translate(_SEPARATORS),
    )
    if single_line:
        cleaned = cleaned.replace("\t", " ").replace("\n", " ")
    return cleaned


# What `json.dumps(ensure_ascii=False)` leaves raw that a terminal would obey or a reader misread:
# C1 controls, bidi marks and invisibles (C0 ones it escapes itself), and the line separators.
_JSON_RAW = re.compile(f"[{_CONTROL_CHARS}\u2028\u2029]")


def inert_json(document: str) -> str:
    """A JSON document with every control, bidi and invisible character written as a ``\\uXXXX``
    escape: the same data, but nothing in it acts on the terminal it is printed to. (Outside
    strings a JSON document is ASCII, so every such character is inside a string.)"""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", document)


def escape_markdown(text: str) -> str:
    """Untrusted text as inert Markdown: no links (autolinks neither), emphasis, HTML or table
    breaks."""
    escaped = inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _MD_SPECIAL.sub(r"\\\1", escaped)
    return _unlinked(escaped)


def _unlinked(escaped: str) -> str:
    """Escaped Markdown in which no bare URL, ``www.`` host or e-mail address becomes a link."""
    escaped = _URL_SCHEME.sub(r"\\:", escaped)
    escaped = _WWW.sub(r"\1\\.", escaped)
    return _AT.sub("@&#8203;", escaped)
