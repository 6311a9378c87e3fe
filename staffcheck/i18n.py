"""Human-readable text in the reader's language: ``tr("English text", field=value)``.

The English text is the key. A catalogue per language lives in ``staffcheck/locale/<lang>/``:
YAML files (one per area of the code, so they can be kept apart) that map the English text to
its translation. Text with no translation falls back to English, so a missing entry never loses
a message; ``tests/test_i18n.py`` checks that every ``tr`` literal of the code has one.

Labels from the knowledge pack (skills, posts, rule messages) are translated by the pack itself
(``translations:`` beside each English label) and swapped in when the pack is loaded.

The language is chosen once per process (``set_language``), by ``--lang`` or from the locale
environment (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in POSIX order); the default is English.
Ids and JSON keys never change with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from staffcheck.spacing import fill

#: The source language of every text: what ``tr`` returns when a catalogue has no entry.
SOURCE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"

_language = SOURCE


def available() -> tuple[str, ...]:
    """The languages the program's own text is translated into (English first)."""
    found = sorted(
        p.name for p in LOCALE_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")
    )
    return (SOURCE, *(lang for lang in found if lang != SOURCE))


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale environment asks for, if we have it; else English.

    ``zh_CN.UTF-8``, ``zh_TW``, ``zh`` → ``zh``; ``C``, ``POSIX`` or unset → ``en``. The first of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set decides, as for any POSIX program.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].lower()
            return code if code in available() else SOURCE
    return SOURCE


def set_language(lang: str) -> None:
    """Use `lang` for every text from now on in this process (and workers it passes it to)."""
    global _language
    _language = lang


def language() -> str:
    """The language in use."""
    return _language


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """`lang` for every text made inside, and the language in use before put back after, even
    on an error (the Python API's calls leave the process as they found it)."""
    before = _language
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """English text -> its `lang` translation, from every file of the language's directory."""
    entries: dict[str, str] = {}
    folder = LOCALE_DIR / lang
    if lang == SOURCE or not folder.is_dir():
        return entries
    import yaml  # only here: English, and `staffcheck --version`, need no catalogue

    # The catalogues ship with staffcheck: libyaml's safe loader, where PyYAML has it, reads
    # them several times faster than the pure-Python one, at every start in another language.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        entries.update({str(k): str(v) for k, v in data.items()})
    return entries


def tr_in(context: str, text: str, /) -> str:
    """`text` in the language in use where the same English word means different things
    ("critical" severity 严重, "critical" importance 关键): the catalogue key is
    ``"context: text"``; English is `text` itself."""
    if _language == SOURCE:
        return text
    return catalogue(_language).get(f"{context}: {text}", text)


def tr(text: str, /, **fields: object) -> str:
    """`text` in the language in use, its ``{field}`` placeholders filled from `fields`.

    Callers escape untrusted field values for their medium (rich markup, Markdown, HTML) before
    passing them: a translation is trusted text, what fills it is not.
    """
    if _language == SOURCE:
        return text.format(**fields) if fields else text
    translated = catalogue(_language).get(text, text)
    # Chinese puts no space between words: a template's space next to a filled value goes
    # where both touching characters are CJK ("{person} 担任" reads "Sun Li 担任", "孙丽担任").
    return fill(translated, fields) if fields else translated
