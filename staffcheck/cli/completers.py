"""What the shell offers after an option: the ids of the pack in use (posts, strategies, rules,
any entry for ``rules show``), the people of the files on the line, the languages, pack
directories, today's date.

These are argcomplete's completers: called with the word typed so far (``prefix``) and what was
parsed of the line before it (``parsed_args``), they return candidates -> descriptions (zsh and
fish show them beside the candidates; the pack's names, in the language in use). They run only
when the shell asks (``cli.completion.complete``); a normal run never imports this module. They
never raise: a pack that does not load offers nothing, rather than an error in the shell.
"""

from __future__ import annotations

import argparse
import datetime
import os
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path

from staffcheck.cli.completion import SHELLS
from staffcheck.escaping import inert
from staffcheck.i18n import available, tr
from staffcheck.model import KnowledgeBase

#: A completer: keyword arguments (prefix, parsed_args, action, parser) -> candidate -> description.
Completer = Callable[..., Mapping[str, str]]
#: The longest description shown beside a candidate (zsh and fish give each one a line).
DESCRIPTION_WIDTH = 60
#: The most bytes ``--person`` reads to offer the people of the inputs: a TAB must stay quick.
PEOPLE_READ_LIMIT = 1_000_000
#: How each language calls itself, beside its code (``--lang``); another code is shown bare.
ENDONYMS = {
    "en": "English", "zh": "中文", "ja": "日本語", "ko": "한국어", "fr": "Français",
    "de": "Deutsch", "es": "Español", "pt": "Português", "ru": "Русский", "vi": "Tiếng Việt",
}  # fmt: skip


def offer(action: argparse.Action, completer: Completer) -> None:
    """Make `completer` give the candidates of `action`'s value (argcomplete reads the attribute)."""
    action.completer = completer  # type: ignore[attr-defined]


def pack_dir(parsed_args: argparse.Namespace) -> Path | None:
    """The pack the command line would use: ``--rules DIR`` if typed before the cursor, else
    ``STAFFCHECK_RULES`` or the project configuration's (`staffcheck.config`, ``--config`` and
    ``--no-config`` on the line honoured), else None (the bundled pack)."""
    given = getattr(parsed_args, "rules", None)
    if not given:
        given = _configured_rules(parsed_args)
    return None if not given else Path(given).expanduser()


def _configured_rules(parsed_args: argparse.Namespace) -> str | None:
    """The pack directory the environment or the project configuration names, if any; a broken
    configuration names none (a TAB never prints an error)."""
    from staffcheck.config import load_settings

    explicit = getattr(parsed_args, "config", None)
    try:
        settings = load_settings(
            explicit=Path(explicit) if isinstance(explicit, str | Path) else None,
            ignore_files=getattr(parsed_args, "no_config", False) is True,
        )
    except Exception:  # a broken or unreadable configuration: the bundled pack's ids
        return os.environ.get("STAFFCHECK_RULES") or None
    return None if settings.rules is None else settings.rules.value


@cache
def _pack(directory: Path | None) -> KnowledgeBase | None:
    """The pack in `directory` (None: the bundled one), or None if it does not load."""
    from staffcheck.knowledge import load_knowledge

    try:
        return load_knowledge(directory)
    except Exception:  # a broken pack, an unreadable file, a language it does not speak
        return None


def _described(entries: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Candidates with their descriptions on one inert line, cut to `DESCRIPTION_WIDTH`. Pack and
    profile text is untrusted: a name must not move the cursor or colour the terminal, and a
    candidate with a control character (it would be typed into the line) is left out."""
    described = {}
    for candidate, text in entries:
        if inert(candidate) != candidate:
            continue
        line = " ".join(inert(text).split())
        if len(line) > DESCRIPTION_WIDTH:
            line = line[: DESCRIPTION_WIDTH - 1] + "…"
        described[candidate] = line
    return described


def _ids_or_names(
    by_id: Mapping[str, str], names: Iterable[tuple[str, str]], prefix: str
) -> dict[str, str]:
    """Ids with their names beside them; or, when no id begins with `prefix`, the `names`
    (name, id) that do: the commands take a name too (``--post 淘`` → ``淘宝运营``)."""
    if not prefix or any(ident.startswith(prefix) for ident in by_id):
        return _described(by_id.items())
    return _described((name, ident) for name, ident in names if name.startswith(prefix))


def posts(prefix: str, parsed_args: argparse.Namespace, **_: object) -> Mapping[str, str]:
    """Post ids (their names beside them), or post names when the prefix begins one."""
    kb = _pack(pack_dir(parsed_args))
    if kb is None:
        return {}
    names = [
        (labels["name"], ident)
        for ident, role in kb.roles.items()
        for labels in role.translations.values()
        if "name" in labels
    ]
    return _ids_or_names({i: role.name for i, role in kb.roles.items()}, names, prefix)


def strategies(prefix: str, parsed_args: argparse.Namespace, **_: object) -> Mapping[str, str]:
    """Strategy ids; YAML files too when the prefix is a path or no id begins with it
    (``--strategy`` takes a file with one strategy)."""
    kb = _pack(pack_dir(parsed_args))
    ids = {} if kb is None else _described((i, s.name) for i, s in kb.strategies.items())
    if prefix.startswith((".", "/", "~")) or not any(i.startswith(prefix) for i in ids):
        return ids | yaml_files(prefix)
    return ids


def rules(prefix: str, parsed_args: argparse.Namespace, **_: object) -> Mapping[str, str]:
    """The ids of the rules that run (``explain --rule``), their titles beside them."""
    kb = _pack(pack_dir(parsed_args))
    return {} if kb is None else _described((r.id, r.title) for r in kb.active_rules())


def entries(prefix: str, parsed_args: argparse.Namespace, **_: object) -> Mapping[str, str]:
    """Every id ``rules show`` takes: rules, posts, strategies, then skills, modules, channels."""
    kb = _pack(pack_dir(parsed_args))
    if kb is None:
        return {}
    labelled = [(r.id, r.title) for r in kb.rules.values()]
    for table in (kb.roles, kb.strategies, kb.skills, kb.modules, kb.channels):
        labelled += [(ident, entry.name) for ident, entry in table.items()]
    return _described(labelled)


def people(prefix: str, parsed_args: argparse.Namespace, **_: object) -> Mapping[str, str]:
    """``--person``, ``plan --without``: the ids of the people in the files named on the line (names beside them), or
    their names when the prefix begins one. Files only, and small ones: a TAB must be quick."""
    given = getattr(parsed_args, "inputs", None) or [
        getattr(parsed_args, "profile", None) or getattr(parsed_args, "team", None)
    ]
    paths = [Path(p).expanduser() for p in given if p and p != "-"]
    if not paths or not all(p.is_file() for p in paths):
        return {}
    if sum(p.stat().st_size for p in paths) > PEOPLE_READ_LIMIT:
        return {}
    kb = _pack(pack_dir(parsed_args))
    if kb is None:
        return {}
    from staffcheck.sources import load_subject

    try:
        found = load_subject([str(p) for p in paths], kb).profiles
    except Exception:  # not readable, not a profile: nothing to offer
        return {}
    return _ids_or_names({p.id: p.name for p in found}, ((p.name, p.id) for p in found), prefix)


def languages(prefix: str, parsed_args: argparse.Namespace, **_: object) -> Mapping[str, str]:
    """The languages the program speaks, then those only the pack in use declares."""
    kb = _pack(pack_dir(parsed_args))
    codes = dict.fromkeys((*available(), *(() if kb is None else kb.languages)))
    return {code: ENDONYMS.get(code, "") for code in codes}


def today(prefix: str, **_: object) -> Mapping[str, str]:
    """``--as-of``: today's date, the default, as a start to edit."""
    return {datetime.date.today().isoformat(): tr("today")}


def directories(prefix: str, **_: object) -> dict[str, str]:
    """Directories only (``--rules``: a pack is a directory)."""
    from argcomplete.completers import DirectoriesCompleter

    return dict.fromkeys(DirectoriesCompleter()(prefix), "")


def yaml_files(prefix: str, **_: object) -> dict[str, str]:
    """YAML files and the directories that may hold them."""
    from argcomplete.completers import FilesCompleter

    return dict.fromkeys(FilesCompleter(("yaml", "yml"))(prefix), "")


def shells(prefix: str, **_: object) -> Mapping[str, str]:
    """The shells ``staffcheck completion`` writes code for."""
    return dict.fromkeys(SHELLS, "")


#: The completer of each option or argument, by its destination (the same name wherever it is
#: taken: ``--post`` of screen, ask, explain and template alike).
BY_DEST: Mapping[str, Completer] = {
    "post": posts,
    "strategy": strategies,
    "rule": rules,
    "rule_id": entries,
    "person": people,
    "lang": languages,
    "rules": directories,
    "directory": directories,
    "as_of": today,
    "start": today,
    "without": people,
    "hire": posts,
    "shell": shells,
}


def attach(parser: argparse.ArgumentParser) -> None:
    """Give every option and argument of `parser` and its sub-parsers its completer (those with
    choices, such as ``--format``, complete from them; paths complete as files)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                attach(child)
        elif action.dest in BY_DEST and not hasattr(action, "completer"):
            offer(action, BY_DEST[action.dest])
