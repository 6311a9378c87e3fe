"""A pack in another language: every label swapped for its translation, ids unchanged.

`knowledge.load_knowledge` calls `localise` once per pack and language; every layer above works
on the result without asking which language it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from staffcheck.i18n import SOURCE
from staffcheck.model import (
    Channel,
    Example,
    Goal,
    KnowledgeBase,
    Kpi,
    Module,
    Role,
    Rule,
    Skill,
    Step,
    Strategy,
    TrainingItem,
    frozen_map,
)


def localise(kb: KnowledgeBase, lang: str) -> KnowledgeBase:
    """`kb` with every label in `lang`, field by field, English where it has no translation.

    Each entry keeps its translations, plus ``en``: its English labels, for whoever needs them.
    """
    if lang == SOURCE:
        return kb
    return replace(
        kb,
        skills=_each(kb.skills, lang),
        channels=_each(kb.channels, lang),
        modules=_each(kb.modules, lang),
        roles=_each(kb.roles, lang),
        strategies=_each(kb.strategies, lang),
        rules=_each(kb.rules, lang),
    )


_Labelled = TypeVar("_Labelled", Skill, Channel, Module, Role, Strategy, Rule)


def _each(entries: Mapping[str, _Labelled], lang: str) -> Mapping[str, _Labelled]:
    """Each entry with its `lang` labels swapped in (and its English ones kept as ``en``)."""
    return frozen_map({ident: localised(entry, lang) for ident, entry in entries.items()})


def localised(entry: _Labelled, lang: str) -> _Labelled:
    """One entry with its `lang` labels swapped in, its English ones kept as ``en``."""
    english = _english_labels(entry)
    text = {**english, **entry.translations.get(lang, {})}
    kept = frozen_map({**entry.translations, SOURCE: frozen_map(english)})
    if isinstance(entry, Rule):
        return replace(
            entry,
            title=text["title"],
            message=text["message"],
            rationale=text["rationale"],
            remediation=replace(entry.remediation, text=text["remediation"]),
            example=Example(text["looks_like"], text["actually_is"]),
            translations=kept,
        )
    if isinstance(entry, Channel):
        return replace(entry, name=text["name"], translations=kept)
    if isinstance(entry, Skill):
        return replace(
            entry,
            name=text["name"],
            description=text["description"],
            question=text["question"],
            translations=kept,
        )
    if isinstance(entry, Module):
        entry = replace(entry, steps=tuple(_part(step, lang) for step in entry.steps))
    elif isinstance(entry, Role):
        entry = replace(
            entry,
            kpis=tuple(_part(kpi, lang) for kpi in entry.kpis),
            training=tuple(_part(item, lang) for item in entry.training),
        )
    elif isinstance(entry, Strategy):
        entry = replace(entry, goals=tuple(_part(goal, lang) for goal in entry.goals))
    return replace(entry, name=text["name"], description=text["description"], translations=kept)


_Part = TypeVar("_Part", Step, Goal, Kpi, TrainingItem)


def _part(part: _Part, lang: str) -> _Part:
    """A step, goal, KPI or training item with its `lang` labels swapped in (English kept)."""
    english = {"name": part.name, **({"kpi": part.kpi} if isinstance(part, Goal) else {})}
    text = {**english, **part.translations.get(lang, {})}
    kept = frozen_map({**part.translations, SOURCE: frozen_map(english)})
    if isinstance(part, Goal):
        return replace(part, name=text["name"], kpi=text["kpi"], translations=kept)
    return replace(part, name=text["name"], translations=kept)


def _english_labels(entry: Skill | Channel | Module | Role | Strategy | Rule) -> dict[str, str]:
    """The entry's labels as the pack writes them, by their `TRANSLATABLE` names."""
    if isinstance(entry, Rule):
        return {
            "title": entry.title,
            "message": entry.message,
            "rationale": entry.rationale,
            "remediation": entry.remediation.text,
            "looks_like": entry.example.looks_like,
            "actually_is": entry.example.actually_is,
        }
    labels = {"name": entry.name}
    if not isinstance(entry, Channel):
        labels["description"] = entry.description
    if isinstance(entry, Skill):
        labels["question"] = entry.question
    return labels
