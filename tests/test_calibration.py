"""Calibration suite: profiles built mechanically from O*NET ratings, screened on chosen posts.

Each case of ``tests/calibration/cases.yaml`` screens the profile that ``tests/calibration/
build.py`` makes of one O*NET occupation (``onet.yaml`` through ``mapping.yaml``) for one post,
and checks the verdict, the better post, the posts that must not be offered and the questions
the candidate must carry. The expectations were written before the cases were first run; see
docs/calibration.md. Data: O*NET 30.x Database by USDOL/ETA, used under CC BY 4.0.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from staffcheck.model import KnowledgeBase

from .calibration.build import (
    Case,
    load_cases,
    load_mapping,
    load_occupations,
    profile,
    write_profile,
)
from .calibration.check import failures
from .conftest import Run

CASES = load_cases()
OCCUPATIONS = {occupation.id: occupation for occupation in load_occupations()}
MAPPING = load_mapping()


def test_every_occupation_is_screened_on_its_own_and_another_post(kb: KnowledgeBase) -> None:
    posts: dict[str, set[str]] = {}
    for case in CASES:
        posts.setdefault(case.occupation, set()).add(case.post)
    assert set(posts) == set(OCCUPATIONS)
    assert all(len(p) >= 2 for p in posts.values()), posts
    for occupation, screened in posts.items():
        own = {
            r.id
            for r in kb.roles.values()
            if r.onet and r.onet.code == OCCUPATIONS[occupation].code
        }
        assert not own or own & screened, f"{occupation} is not screened on its own post {own}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_calibration_case(case: Case, cli: Callable[..., Run], tmp_path: Path) -> None:
    path = write_profile(profile(OCCUPATIONS[case.occupation], MAPPING, case.post), tmp_path)
    strategy = ("--strategy", case.strategy) if case.strategy else ()
    run = cli("screen", path, "--post", case.post, *strategy, "--format", "json", "--jobs", "1")
    assert run.code == 0, run.err
    [candidate] = run.json()["candidates"]
    wrong = failures(case.expect, candidate)
    assert not wrong, "; ".join(wrong) + f"\n(expected because: {case.why})"


def test_the_mapping_decides_every_skill_of_the_pack(kb: KnowledgeBase) -> None:
    # A skill added to the pack must be mapped (or declared without counterpart) on purpose.
    assert set(MAPPING) == set(kb.skills)
