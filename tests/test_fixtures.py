"""Every rule of the bundled pack fires on its fixtures where it must, and stays quiet where it must."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from staffcheck.errors import StaffcheckError
from staffcheck.fixtures import (
    example_fixtures,
    fixture_files,
    load_fixture,
    run_fixture,
    untested_rules,
)
from staffcheck.knowledge import load_knowledge
from staffcheck.model import KnowledgeBase

from .conftest import RULES

FIXTURES = fixture_files(RULES)
EXAMPLES = example_fixtures(load_knowledge(RULES))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(kb: KnowledgeBase, path: Path) -> None:
    outcome = run_fixture(kb, load_fixture(path, kb))
    assert not outcome.missing, f"expected to fire: {sorted(outcome.missing)}"
    assert not outcome.unexpected, f"expected quiet: {sorted(outcome.unexpected)}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[f.description for f in EXAMPLES])
def test_rule_example(kb: KnowledgeBase, example) -> None:
    outcome = run_fixture(kb, example)
    assert not outcome.missing, f"{example.path}: expected to fire: {sorted(outcome.missing)}"
    assert not outcome.unexpected, f"{example.path}: expected quiet: {sorted(outcome.unexpected)}"


def test_every_rule_carries_an_example_that_fires_and_one_that_stays_quiet(
    kb: KnowledgeBase,
) -> None:
    for rule in kb.rules.values():
        assert rule.examples.fires, f"{rule.id} has no inline example on which it fires"
        assert rule.examples.quiet, f"{rule.id} has no inline example on which it stays quiet"


def _pack_with_examples(tmp_path: Path, old: str, new: str) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(RULES, pack)
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    return pack


def test_an_example_with_an_unknown_skill_is_a_located_load_error(tmp_path: Path) -> None:
    pack = _pack_with_examples(
        tmp_path, "skills: {seo: 4, keyword-research: 3}, channels: [baidu]", "skills: {seoo: 4}"
    )
    with pytest.raises(StaffcheckError) as caught:
        load_knowledge(pack)
    (problem,) = caught.value.problems
    text = (pack / "rules.yaml").read_text(encoding="utf-8")
    assert (
        problem.location is not None
        and problem.location.line == text[: text.index("seoo")].count("\n") + 1
    )
    assert "unknown skill 'seoo'" in problem.message and problem.hint == "did you mean 'seo'?"


def test_a_team_rule_cannot_be_shown_firing_on_one_profile(tmp_path: Path) -> None:
    old = "        - description: A team of doers: nobody plans strategy at level 3"
    pack = _pack_with_examples(
        tmp_path,
        '        - description: "A team of doers: nobody plans strategy at level 3"',
        "        - description: one person\n"
        "          profile: {id: x-1, name: X, applying_for: project-manager, skills: {seo: 1}}\n"
        "        - description: the old team",
    )
    assert old not in (pack / "rules.yaml").read_text(encoding="utf-8")
    with pytest.raises(StaffcheckError) as caught:
        load_knowledge(pack)
    messages = [p.message for p in caught.value.problems]
    assert messages == ["a team rule fires only on a team"]


def test_every_rule_has_a_firing_and_a_quiet_fixture(kb: KnowledgeBase) -> None:
    # A rule's inline examples are fixtures too: `rules test` runs both.
    fixtures = [load_fixture(p, kb) for p in FIXTURES] + example_fixtures(kb)
    assert untested_rules(kb, fixtures) == []


def test_rules_test_command_passes_on_bundled_pack(cli) -> None:
    run = cli("rules", "test")
    assert run.code == 0
    assert run.out.strip().endswith(f"{len(FIXTURES) + len(EXAMPLES)} passed, 0 failed")


def test_rules_test_command_catches_a_wrong_expectation(cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(RULES, pack)
    fixture = pack / "fixtures" / "sound-taobao-operator.yaml"
    text = fixture.read_text(encoding="utf-8")
    # A sound hire claimed to be a mismatch: the runner must say which rule did not fire.
    fixture.write_text(
        text.replace("fires: []", "fires: [link-promoter-in-seo-post]"), encoding="utf-8"
    )
    assert "fires: [link-promoter-in-seo-post]" in fixture.read_text(encoding="utf-8")
    run = cli("rules", "test", pack)
    assert run.code == 1
    assert "FAIL  sound-taobao-operator.yaml" in run.out
    assert "expected link-promoter-in-seo-post to fire; it did not" in run.out


def test_rules_validate_passes_on_bundled_pack(cli) -> None:
    run = cli("rules", "validate")
    assert run.code == 0
    assert "ok" in run.out
