"""The program's own text in every language it ships: each ``tr`` literal has a translation
that keeps its placeholders, and the language follows --lang or the locale environment."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from staffcheck import i18n

PACKAGE = Path(i18n.__file__).parent


def _literals() -> dict[str, str]:
    """Every string literal passed as the first argument of ``tr(...)`` -> where it is."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "tr" and texts and isinstance(texts[0], str):
                key = texts[0]
            elif node.func.id == "tr_in" and len(texts) == 2:
                key = f"{texts[0]}: {texts[1]}"
            else:
                continue
            found.setdefault(key, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found | _contextual()


def _contextual() -> dict[str, str]:
    """The keys ``tr_in(context, text)`` looks up (``"context: text"``): every value of the enum
    or word list it is called with, found by running the callers over their whole domain."""
    from staffcheck.model import Importance

    keys = {f"importance: {i.value}": "tr_in('importance', …)" for i in Importance}
    keys |= {f"verb: {v}": "tr_in('verb', …)" for v in ("holds", "is screened for")}
    return keys


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", [lang for lang in i18n.available() if lang != i18n.SOURCE])
def test_every_text_of_the_program_is_translated_keeping_its_placeholders(lang: str) -> None:
    catalogue = i18n.catalogue(lang)
    missing = [f"{where}: {text!r}" for text, where in _literals().items() if text not in catalogue]
    assert not missing, f"no {lang} translation for:\n" + "\n".join(missing)
    broken = [
        f"{text!r} -> {catalogue[text]!r}"
        for text in _literals()
        if _fields(text) != _fields(catalogue[text])
    ]
    assert not broken, "placeholders differ:\n" + "\n".join(broken)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.Big5"}, "zh"),
        ({"LC_ALL": "zh_CN.GB18030", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_follows_the_locale_environment_in_posix_order(
    environ: dict[str, str], expected: str
) -> None:
    assert i18n.from_environment(environ) == expected


def test_an_untranslated_text_falls_back_to_english_with_its_fields_filled() -> None:
    i18n.set_language("zh")
    try:
        assert i18n.tr("no such text {n}", n=3) == "no such text 3"
    finally:
        i18n.set_language(i18n.SOURCE)


@pytest.mark.parametrize("lang", [lang for lang in i18n.available() if lang != i18n.SOURCE])
def test_a_text_has_one_translation_whichever_catalogue_file_holds_it(lang: str) -> None:
    import yaml

    found: dict[str, dict[str, str]] = {}
    for path in sorted((i18n.LOCALE_DIR / lang).glob("*.yaml")):
        for text, translated in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            found.setdefault(text, {})[path.name] = translated
    clashes = {text: files for text, files in found.items() if len(set(files.values())) > 1}
    assert not clashes, f"one text, several translations (the last file would win): {clashes}"
