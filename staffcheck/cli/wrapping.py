"""Help text wrapped by the columns it takes on a terminal: a Chinese character takes two, and a
line of Chinese has no spaces to break at (``textwrap`` counts characters and breaks at spaces).

Text with no wide character is left to ``textwrap``, so English help is unchanged.
"""

from __future__ import annotations

import re
import unicodedata

#: A run of narrow non-space characters (a word, an option, a path), one wide character, or spaces.
_TOKEN = re.compile(
    r"\s+|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+|."
)
#: Punctuation that never begins a line, and that never ends one.
_CLOSING = frozenset("，。、；：？！）》」』】〕…·”’")
_OPENING = frozenset("（《「『【〔“‘")


def columns(text: str) -> int:
    """How many terminal columns `text` takes."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def is_wide(text: str) -> bool:
    """Whether `text` holds a character that takes two columns (and so needs `wrap`)."""
    return columns(text) != len(text)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` (whitespace collapsed) in lines of at most `width` columns, each after `indent`;
    breaks between wide characters and at spaces, never before closing punctuation nor after
    opening punctuation. A word wider than a line gets a line of its own."""
    lines: list[str] = []
    line, space = "", False
    for token in _tokens(" ".join(text.split())):
        if token.isspace():
            space = bool(line)
            continue
        joined = line + (" " if space else "") + token
        if line and columns(indent + joined) > width:
            lines.append(indent + line)
            joined = token
        line, space = joined, False
    if line:
        lines.append(indent + line)
    return lines


def _tokens(text: str) -> list[str]:
    """The unbreakable pieces of `text`: punctuation is glued to the token it belongs with."""
    tokens: list[str] = []
    glue_next = False
    for token in _TOKEN.findall(text):
        if tokens and not token.isspace() and (glue_next or token[0] in _CLOSING):
            tokens[-1] += token
        else:
            tokens.append(token)
        glue_next = token[-1] in _OPENING
    return tokens
