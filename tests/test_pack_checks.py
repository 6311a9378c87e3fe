"""``rules validate`` and ``rules test`` as library results (`PackCheck`, `FixtureRun`), their JSON,
and the ``--format`` of every ``rules`` action."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from staffcheck.cli.rules import RESULTS
from staffcheck.errors import StaffcheckError
from staffcheck.fixtures import run_fixtures
from staffcheck.knowledge import check_pack, load_knowledge
from staffcheck.lookup import find_entry
from staffcheck.reporters import formats_for, render

from .conftest import RULES
from .test_bad_input import _broken_pack


def test_check_pack_counts_what_a_sound_pack_holds() -> None:
    check = check_pack(RULES)
    kb = load_knowledge(RULES)
    assert check.ok and check.problems == () and check.warnings == ()
    assert check.counts == {
        "strategies": len(kb.strategies),
        "roles": len(kb.roles),
        "skills": len(kb.skills),
        "rules": len(kb.rules),
    }


def test_check_pack_collects_every_problem(tmp_path: Path) -> None:
    pack = _broken_pack(tmp_path, "roles.yaml", "taobao-operations: 3", "taobao-operation: 3")
    check = check_pack(pack)
    assert not check.ok and check.counts is None
    assert any("unknown skill 'taobao-operation'" in str(p) for p in check.problems)
    data = json.loads(render(check, "json"))
    assert data["kind"] == "pack-check" and data["ok"] is False and data["counts"] is None
    assert data["problems"] == [str(p) for p in check.problems]
    assert render(check, "table") == ""  # the problems go to standard error


def test_check_pack_of_no_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StaffcheckError, match="no such knowledge-pack directory"):
        check_pack(tmp_path / "nope")


def test_run_fixtures_passes_on_the_bundled_pack() -> None:
    run = run_fixtures(load_knowledge(RULES), RULES)
    assert run.ok and run.failed == 0 and run.passed == len(run.outcomes) > 0
    assert run.broken == () and run.untested == ()


def test_run_fixtures_counts_failures_broken_files_and_gaps(tmp_path: Path) -> None:
    pack = _broken_pack(
        tmp_path,
        "fixtures/sound-taobao-operator.yaml",
        "fires: []",
        "fires: [link-promoter-in-seo-post]",
    )
    (pack / "fixtures" / "broken.yaml").write_text("not: a fixture\n", encoding="utf-8")
    run = run_fixtures(load_knowledge(pack), pack)
    assert not run.ok and len(run.broken) == 1
    failing = [o for o in run.outcomes if not o.passed]
    assert [o.fixture.name for o in failing] == ["sound-taobao-operator.yaml"]
    assert run.failed == 2 + len(run.untested)
    data = json.loads(render(run, "json"))
    assert data["passed"] == run.passed and data["failed"] == run.failed
    assert data["errors"] and data["untested"] == list(run.untested)
    wrong = next(f for f in data["fixtures"] if not f["passed"])
    assert wrong["missing"] == ["link-promoter-in-seo-post"] and wrong["unexpected"] == []


def test_every_rules_action_offers_the_formats_of_its_result(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from staffcheck.cli import main

    for action, result in RESULTS.items():
        assert formats_for(result) == ("table", "json"), action
        with pytest.raises(SystemExit):
            main(["rules", action, "--help"])
        assert "--format {table,json}" in capsys.readouterr().out, action


def test_a_format_the_action_lacks_is_refused(cli) -> None:
    run = cli("--format", "markdown", "rules", "list")
    assert run.code == 2 and "rules list has no 'markdown' format" in run.err
    with pytest.raises(SystemExit, match="2"):  # argparse: not one of its choices
        cli("rules", "list", "--format", "markdown")


def test_rules_show_json_of_every_kind_of_entry() -> None:
    kb = load_knowledge(RULES)
    for ident, entry in (
        ("essential-skill-missing", "rule"),
        ("taobao-operator", "role"),
        ("taobao-store", "strategy"),
        ("seo", "vocabulary"),
    ):
        data = json.loads(render(find_entry(kb, ident), "json"))
        assert (data["schema"], data["kind"]) == ("staffcheck.pack/1", "pack-entry")
        assert (data["id"], data["entry"]) == (ident, entry) and data["name"]


def test_rules_validate_and_test_json_keep_their_exit_codes(cli, tmp_path: Path) -> None:
    pack = _broken_pack(tmp_path, "roles.yaml", "taobao-operations: 3", "taobao-operation: 3")
    run = cli("rules", "validate", pack, "--format", "json")
    assert run.code == 2 and json.loads(run.out)["ok"] is False
    assert "unknown skill 'taobao-operation'" in run.err
    assert cli("rules", "test", "--format", "json").json()["failed"] == 0


def test_the_shipped_pack_reads_the_same_through_the_fast_composer() -> None:
    """The bundled pack is parsed by libyaml's composer (where PyYAML has it) to save start-up
    time: every value, every line mark and every raw scalar must be what the guarded
    pure-Python composer gives, or errors would point at the wrong place."""
    import yaml

    from staffcheck.knowledge import bundled_rules_dir, pack_files
    from staffcheck.yamlio import parse_yaml

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML without libyaml: the shipped pack takes the guarded composer too")
    for path in pack_files(bundled_rules_dir()):
        text = path.read_text(encoding="utf-8")
        fast, guarded = parse_yaml(text, path.name, shipped=True), parse_yaml(text, path.name)
        assert fast.data == guarded.data, path
        assert fast.value_marks == guarded.value_marks, path
        assert fast.key_marks == guarded.key_marks, path
        assert fast.raw_text == guarded.raw_text, path
