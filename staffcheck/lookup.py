"""One entry of a knowledge pack looked up by id, whatever it is (``staffcheck rules show``)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

from staffcheck.errors import StaffcheckError
from staffcheck.model import KnowledgeBase
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
        f"no rule, role, strategy, skill, module or channel {ident!r}",
        hint=did_you_mean(ident, known) or "run 'staffcheck rules list'",
    )
