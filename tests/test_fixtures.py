"""Every rule of the bundled pack fires on its fixtures where it must, and stays quiet where it must."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from staffcheck.fixtures import fixture_files, load_fixture, run_fixture, untested_rules
from staffcheck.model import KnowledgeBase

from .conftest import RULES

FIXTURES = fixture_files(RULES)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(kb: KnowledgeBase, path: Path) -> None:
    outcome = run_fixture(kb, load_fixture(path, kb))
    assert not outcome.missing, f"expected to fire: {sorted(outcome.missing)}"
    assert not outcome.unexpected, f"expected quiet: {sorted(outcome.unexpected)}"


def test_every_rule_has_a_firing_and_a_quiet_fixture(kb: KnowledgeBase) -> None:
    fixtures = [load_fixture(p, kb) for p in FIXTURES]
    assert untested_rules(kb, fixtures) == []


def test_rules_test_command_passes_on_bundled_pack(cli) -> None:
    run = cli("rules", "test")
    assert run.code == 0
    assert run.out.strip().endswith(f"{len(FIXTURES)} passed, 0 failed")


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
