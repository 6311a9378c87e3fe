"""A user's own pack extends the bundled one: new strategy and post, a tightened level, a rule off."""

from __future__ import annotations

from pathlib import Path

from staffcheck.knowledge import load_knowledge

from .conftest import CANDIDATES, ROOT

PACK = ROOT / "docs" / "examples" / "live-stream-pack"


def test_extension_adds_to_the_bundled_pack_without_copying_it() -> None:
    bundled, custom = load_knowledge(), load_knowledge(PACK)
    assert "live-stream-selling" in custom.strategies and "live-host" in custom.roles
    assert set(bundled.strategies) < set(custom.strategies)
    assert custom.roles["taobao-operator"].essential["taobao-operations"] == 4
    assert bundled.roles["taobao-operator"].essential["taobao-operations"] == 3
    assert not custom.rules["operator-without-channel-experience"].enabled
    assert custom.rules["single-point-of-failure"].severity.value == "high"


def test_tightened_level_changes_the_diagnosis(cli) -> None:
    # Fang Yu (t-101) has taobao-operations 4: fit either way. Jiang Lan (t-103) has 3:
    # enough for the bundled post, one level short of ours.
    drive = CANDIDATES.parent / "exports" / "taobao-drive.csv"
    bundled = cli("screen", drive, "--role", "taobao-operator", "--format", "json").json()
    ours = cli("screen", drive, "--role", "taobao-operator", "--rules", PACK, "--format", "json")
    before = next(c for c in bundled["candidates"] if c["id"] == "t-103")
    assert not any("Taobao/Tmall store operations" in f["message"] for f in before["findings"])
    jiang = next(c for c in ours.json()["candidates"] if c["id"] == "t-103")
    rules = [f["rule"] for f in jiang["findings"]]
    assert "essential-skill-below-level" in rules
    assert any("Taobao/Tmall store operations" in f["message"] for f in jiang["findings"])


def test_pack_validates_and_its_fixtures_pass(cli) -> None:
    assert cli("rules", "validate", PACK).code == 0
    run = cli("rules", "test", PACK)
    assert run.code == 0 and run.out.strip().endswith("2 passed, 0 failed")


def _pack(root: Path, name: str, body: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "pack.yaml").write_text(body, encoding="utf-8")
    return folder


def test_extends_cycle_is_one_clear_error(cli, tmp_path: Path) -> None:
    _pack(tmp_path, "a", "pack: {name: A, extends: ../b}\n")
    b = _pack(tmp_path, "b", "pack: {name: B, extends: ../a}\n")
    run = cli("rules", "list", "--rules", b)
    assert run.code == 2
    assert "packs extend each other in a cycle" in run.err
    assert len(run.err.splitlines()) == 1


def test_redefining_a_bundled_id_points_to_overrides(cli, tmp_path: Path) -> None:
    pack = _pack(
        tmp_path, "p", "pack: {name: P, extends: bundled}\nskills:\n  - {id: seo, name: SEO}\n"
    )
    run = cli("rules", "validate", pack)
    assert run.code == 2
    assert "skill 'seo' is already defined by the pack this one extends" in run.err
    assert "overrides" in run.err


def test_override_of_an_unknown_rule_suggests_the_name(cli, tmp_path: Path) -> None:
    pack = _pack(
        tmp_path, "p",
        "pack: {name: P, extends: bundled}\noverrides:\n  rules:\n    single-point-of-failur: {enabled: false}\n",
    )  # fmt: skip
    run = cli("rules", "validate", pack)
    assert run.code == 2
    assert "did you mean 'single-point-of-failure'?" in run.err


def test_unused_definitions_are_warned_about_with_file_and_line(cli, tmp_path: Path) -> None:
    pack = _pack(
        tmp_path, "p",
        "pack: {name: P, extends: bundled}\nskills:\n  - {id: unused-skill, name: U}\n"
        "roles:\n  - id: orphan-role\n    name: O\n    essential: {seo: 2}\n",
    )  # fmt: skip
    run = cli("rules", "validate", pack)
    assert run.code == 0 and "2 warnings" in run.out
    assert f"{pack / 'pack.yaml'}:5: warning: role 'orphan-role' is used by no strategy" in run.err
    assert (
        f"{pack / 'pack.yaml'}:3: warning: skill 'unused-skill' is used by no role or rule"
        in run.err
    )
