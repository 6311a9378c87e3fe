"""Build calibration profiles mechanically from O*NET ratings and the element→skill mapping.

A skill's level is round_half_up(mean LV / 7 × 5) over the mapped O*NET elements that the
occupation has in ``onet.yaml``; a skill none of whose elements it has is left out of the
profile (unknown, not 0). Data: O*NET 30.x Database by USDOL/ETA, used under CC BY 4.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ONET = HERE / "onet.yaml"
MAPPING = HERE / "mapping.yaml"
CASES = HERE / "cases.yaml"


@dataclass(frozen=True)
class Occupation:
    id: str
    code: str
    title: str
    skills: dict[str, Decimal]  # O*NET Skills element -> LV (0-7)
    knowledge: dict[str, Decimal]  # O*NET Knowledge element -> LV (0-7)


@dataclass(frozen=True)
class Elements:
    skills: tuple[str, ...]
    knowledge: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    occupation: str
    post: str
    strategy: str | None
    expect: dict[str, Any]
    why: str

    @property
    def name(self) -> str:
        return f"{self.occupation}@{self.post}" + (f"+{self.strategy}" if self.strategy else "")


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _levels(block: dict[str, dict[str, Any]] | None) -> dict[str, Decimal]:
    # str() first: the YAML floats are the transcribed decimals (4.12 stays 4.12).
    return {name: Decimal(str(value["lv"])) for name, value in (block or {}).items()}


def load_occupations(path: Path = ONET) -> list[Occupation]:
    return [
        Occupation(
            id=item["id"],
            code=item["code"],
            title=item["title"],
            skills=_levels(item.get("skills")),
            knowledge=_levels(item.get("knowledge")),
        )
        for item in _read(path)["occupations"]
    ]


def load_mapping(path: Path = MAPPING) -> dict[str, Elements]:
    return {
        skill: Elements(tuple(entry.get("skills") or ()), tuple(entry.get("knowledge") or ()))
        for skill, entry in _read(path)["skills"].items()
    }


def load_cases(path: Path = CASES) -> list[Case]:
    cases: list[Case] = []
    for block in _read(path)["cases"]:
        for screen in block["screen"]:
            cases.append(
                Case(
                    occupation=block["occupation"],
                    post=screen["post"],
                    strategy=screen.get("strategy"),
                    expect=screen["expect"],
                    why=" ".join(str(screen["why"]).split()),
                )
            )
    return cases


def skill_level(occupation: Occupation, elements: Elements) -> int | None:
    """The 0-5 level of one skill, or None when the occupation has none of its elements."""
    found = [occupation.skills[e] for e in elements.skills if e in occupation.skills]
    found += [occupation.knowledge[e] for e in elements.knowledge if e in occupation.knowledge]
    if not found:
        return None
    mean = sum(found, Decimal(0)) / len(found)
    return int((mean / 7 * 5).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def profile(occupation: Occupation, mapping: dict[str, Elements], post: str) -> dict[str, Any]:
    """A staffcheck profile for the occupation: only skills it has evidence for, its O*NET title."""
    skills = {
        skill: level
        for skill, elements in mapping.items()
        if (level := skill_level(occupation, elements)) is not None
    }
    return {
        "id": f"onet-{occupation.code}",
        "name": f"{occupation.title} (O*NET {occupation.code})",
        "applying_for": post,
        "skills": skills,
        "titles": [occupation.title],
    }


def write_profile(data: dict[str, Any], directory: Path) -> Path:
    path = directory / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


if __name__ == "__main__":
    table = load_mapping()
    for occ in load_occupations():
        print(f"{occ.id:52} {profile(occ, table, '-')['skills']}")
