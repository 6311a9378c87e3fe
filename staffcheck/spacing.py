"""Filling a template with values the way the reader's script spaces words.

Chinese puts no space between words, English does: a template written ``"{person} 担任 {role} 岗位"``
reads right around a Latin name (``Sun Li 担任``) and wrong around a Chinese one (``孙丽 担任``). The
filler drops a space between a filled value and the template's text only where the characters on
both sides of it are CJK (ideographs, kana, CJK and full-width punctuation); the values themselves
are never altered — they may be untrusted text from a profile.

`staffcheck.i18n.tr` fills every translated template this way (English text is filled by
`str.format`, unchanged), so a translation may put spaces around its placeholders freely.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any

#: Ideographs (with extensions and compatibility forms), radicals, CJK symbols and punctuation,
#: kana, and full-width forms (，：（）…), as the edges of ranges of code points, each range from
#: an edge at an even index up to (not including) the next. A table, not a character class:
#: compiling a class of these ranges cost 3-5 ms at every start.
_CJK_EDGES = (
    0x2E80, 0x2FE0,  # radicals
    0x3000, 0x3100,  # symbols and punctuation, kana
    0x3400, 0x4DC0,  # extension A
    0x4E00, 0xA000,  # unified ideographs
    0xF900, 0xFB00,  # compatibility ideographs
    0xFE30, 0xFE50,  # compatibility forms
    0xFF00, 0xFFF0,  # full-width forms
    0x20000, 0x31350,  # extensions B to G
)  # fmt: skip


def is_cjk(char: str) -> bool:
    """Whether a character is written without spaces around it in Chinese."""
    return len(char) == 1 and bisect_right(_CJK_EDGES, ord(char)) % 2 == 1


#: One piece of a filled template: its text, and whether it is a value (else template text).
Piece = tuple[str, bool]


def join_spaced(pieces: Sequence[Piece]) -> str:
    """The pieces joined, without the template's spaces between a value and CJK on both sides."""
    joined = "".join([text for text, _ in pieces])
    if joined.isascii():  # no CJK on either side of anything: every space stays
        return joined
    out: list[str] = []
    last = len(pieces) - 1
    for i, (text, value) in enumerate(pieces):
        if value or not text or (text[0] != " " and text[-1] != " "):
            out.append(text)  # a value, or template text with no space at its edges
            continue
        follows_value = i > 0 and pieces[i - 1][1]
        precedes_value = i < last and pieces[i + 1][1]
        core = text.strip(" ")
        if not core:  # only spaces between two neighbours
            if (
                (follows_value or precedes_value)
                and is_cjk(_before(pieces, i))
                and is_cjk(_after(pieces, i))
            ):
                text = ""
            out.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
        # The template's own character first: in an English template it is never CJK.
        if lead and follows_value and is_cjk(core[0]) and is_cjk(_before(pieces, i)):
            lead = ""
        if trail and precedes_value and is_cjk(core[-1]) and is_cjk(_after(pieces, i)):
            trail = ""
        out.append(lead + core + trail)
    return "".join(out)


def _before(pieces: Sequence[Piece], i: int) -> str:
    """The last character of the pieces before the `i`-th ("" if there is none)."""
    for text, _ in reversed(pieces[:i]):
        if text:
            return text[-1]
    return ""


def _after(pieces: Sequence[Piece], i: int) -> str:
    """The first character of the pieces after the `i`-th ("" if there is none)."""
    for text, _ in pieces[i + 1 :]:
        if text:
            return text[0]
    return ""


def fill_pattern(
    template: str, pattern: re.Pattern[str], value: Callable[[re.Match[str]], str]
) -> str:
    """`template` with each match of `pattern` replaced by `value(match)`, spaced for CJK."""
    texts, matches = _split(template, pattern)
    pieces: list[Piece] = []
    for text, match in zip(texts, matches, strict=False):
        pieces += [(text, False), (value(match), True)]
    pieces.append((texts[-1], False))
    return join_spaced(pieces)


#: How many templates `_split` keeps: a pack's messages and the catalogue's phrases.
_SPLITS_KEPT = 1024
_splits: dict[tuple[str, re.Pattern[str]], tuple[list[str], list[re.Match[str]]]] = {}


def _split(template: str, pattern: re.Pattern[str]) -> tuple[list[str], list[re.Match[str]]]:
    """The template's text around each match of `pattern`, and the matches: found once per
    template (every finding of a drive fills one of a few dozen)."""
    found = _splits.get((template, pattern))
    if found is None:
        texts, matches, at = [], [], 0
        for match in pattern.finditer(template):
            texts.append(template[at : match.start()])
            matches.append(match)
            at = match.end()
        texts.append(template[at:])
        if len(_splits) >= _SPLITS_KEPT:
            _splits.clear()
        found = _splits[(template, pattern)] = (texts, matches)
    return found


_FORMATTER = string.Formatter()


def fill(template: str, fields: dict[str, object]) -> str:
    """`template.format(**fields)`, spacing the filled values as the reader's script does.

    The template is a catalogue's (``{field}``, ``{field!r}``, ``{field:g}``, ``{{``); callers
    escape untrusted values for their medium before passing them.
    """
    pieces: list[Piece] = []
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        if literal:
            pieces.append((literal, False))
        if name is not None:
            value: Any = _FORMATTER.get_field(name, (), fields)[0]
            value = _FORMATTER.convert_field(value, conversion)
            pieces.append((_FORMATTER.format_field(value, spec or ""), True))
    return join_spaced(pieces)


def join_spaced_words(separator: str, items: Iterable[str]) -> str:
    """`items` joined by `separator` (a translated word such as `` 或 ``), whose spaces go
    where both touching characters are CJK: ``淘宝或天猫``, ``Baidu 或 Google``."""
    pieces: list[Piece] = []
    for i, item in enumerate(items):
        if i:
            pieces.append((separator, False))
        pieces.append((item, True))
    return join_spaced(pieces)
