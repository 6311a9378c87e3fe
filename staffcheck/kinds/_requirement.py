"""What the two kinds that fire on a post's requirements share: the fact they match, the first
links of their derivation, and where their findings hang in an explanation tree."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from staffcheck.facts import AS, MATCH, Requirement
from staffcheck.kinds._base import Firing
from staffcheck.kinds._text import tr
from staffcheck.kinds._tree import Branch, Place, derivation


def requirement_pattern() -> Any:
    """Each `Requirement` fact (bound as ``requirement``): person, post, skill, need, have."""
    return AS.requirement << Requirement(
        cid=MATCH.cid,
        role=MATCH.role,
        skill=MATCH.skill,
        need=MATCH.need,
        have=MATCH.have,
        inferred=MATCH.inferred,
        modules=MATCH.modules,
    )


def requirement_chain(firing: Firing) -> list[str]:
    """The module that needs the post, and the level the post needs."""
    b, situation = firing.bindings, firing.situation
    labels = situation.labels
    chain = []
    if situation.strategy is not None and b.get("modules"):
        names = situation.module_names(b["modules"])
        chain.append(
            tr("{strategy} needs {modules}", strategy=situation.strategy_name(), modules=names)
        )
    chain.append(
        tr(
            "the {role} post needs {skill} ≥ {need}",
            role=labels.post(firing.role),
            skill=labels.skill(b["skill"]),
            need=b["need"],
        )
    )
    return chain


def under_requirement(spec: Any, place: Place) -> Branch:
    """Under the post's requirement of the skill (its derivation when the post has none)."""
    return replace(derivation(place.finding), requirement=place.finding.skill)
