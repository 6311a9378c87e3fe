"""Looking things up as a user names them: an entry of a knowledge pack by id, whatever it is
(``staffcheck rules show``), and a person by id or by name (``--person``)."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.model import KnowledgeBase, Profile
from staffcheck.schema import did_you_mean

#: Which table of the pack an id was found in; a skill, module or channel is vocabulary.
EntryKind = Literal["rule", "role", "strategy", "vocabulary"]


@dataclass(frozen=True, slots=True)
class PackEntry:
    """An id of the pack and what it names; the pack comes along for cross-references."""

    kb: KnowledgeBase
    ident: str
    kind: EntryKind


def find_entry(kb: KnowledgeBase, ident: str) -> PackEntry:
    """The rule, role, strategy, skill, module or channel with this id, or a did-you-mean error."""
    tables: tuple[tuple[EntryKind, Container[str]], ...] = (
        ("rule", kb.rules),
        ("role", kb.roles),
        ("strategy", kb.strategies),
        ("vocabulary", {**kb.skills, **kb.modules, **kb.channels}),
    )
    for kind, table in tables:
        if ident in table:
            return PackEntry(kb, ident, kind)
    known = [*kb.rules, *kb.roles, *kb.strategies, *kb.skills, *kb.modules, *kb.channels]
    raise StaffcheckError.at(
        tr("no rule, role, strategy, skill, module or channel {ident}", ident=repr(ident)),
        hint=did_you_mean(ident, known) or tr("run 'staffcheck rules list'"),
    )


# --- people ------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """A name as typed, made comparable: full-width forms folded (NFKC), case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def shared_names(people: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The names two or more of these (id, name) pairs share: those people get their id beside it."""
    seen: dict[str, set[str]] = {}
    for ident, name in people:
        seen.setdefault(name, set()).add(ident)
    return frozenset(name for name, ids in seen.items() if len(ids) > 1)


def who(name: str, ident: str, shared: Container[str] = frozenset()) -> str:
    """A person by name; ``name (id)`` only when someone else has the same name (or it is blank).
    Every report and every line of advice names people this way."""
    return f"{name} ({ident})" if name in shared or not name.strip() else name


def find_person(
    profiles: Sequence[Profile], wanted: str, where: str | None = None, option: str = "--person"
) -> Profile:
    """The person `wanted` names: an exact id first, then a name (``Guo Ping``, ``guo  ping``,
    ``郭平``), then an id in another case. A name two people share, or nothing close, is an error
    (placed at `where`, the file read) that lists the ids to choose from, for `option`, or the
    closest match."""
    for profile in profiles:
        if profile.id == wanted:
            return profile
    key = name_key(wanted)
    named = [p for p in profiles if name_key(p.name) == key]
    if len(named) == 1:
        return named[0]
    if named:
        listed = ", ".join(f"{p.id} ({p.name})" for p in named)
        raise StaffcheckError.at(
            tr("{count} people are called {name}: {listed}", count=len(named), name=repr(wanted),
               listed=listed),
            where,
            hint=tr("give the id, e.g. --person {id}", id=named[0].id) if option == "--person"
            else tr("give the id, e.g. {option} {id}", option=option, id=named[0].id),
        )  # fmt: skip
    by_id = [p for p in profiles if name_key(p.id) == key]
    if len(by_id) == 1:
        return by_id[0]
    raise StaffcheckError.at(
        tr("unknown person {person}", person=repr(wanted)), where, hint=_suggest(profiles, key)
    )


def _suggest(profiles: Sequence[Profile], key: str) -> str:
    """The closest name or id (with the other beside it: every id when several people share the
    name), else the first few people there are."""
    known: dict[str, tuple[str, list[str]]] = {}
    for p in profiles:  # a name: every namesake's id; an id: its person's name
        known.setdefault(name_key(p.name), (p.name, []))[1].append(p.id)
    for p in profiles:  # an id wins over a name that reads the same
        known[name_key(p.id)] = (p.id, [p.name])
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        match, others = known[close[0]]
        return tr("did you mean {match} ({other})?", match=repr(match), other=tr(", ").join(others))
    shown = ", ".join(f"{p.name} ({p.id})" for p in profiles[:6])
    more = ", ..." if len(profiles) > 6 else ""
    return tr("the people there: {people}", people=shown + more)
