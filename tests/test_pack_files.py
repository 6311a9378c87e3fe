"""A pack's files as the file system has them: links that lead nowhere, a directory name with
escape sequences, a removed current directory — one located line each, never an internal error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from staffcheck import knowledge
from staffcheck.errors import StaffcheckError

from .conftest import RULES

DANGLING = "a symbolic link to nothing: its target is missing, or the link loops"


def _dangling(link: Path) -> None:
    link.symlink_to(link.parent / "nowhere.yaml")


def _looping(link: Path) -> None:
    link.symlink_to(link.name)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return Path(shutil.copytree(RULES, tmp_path / "pack"))


@pytest.mark.parametrize("make_link", [_dangling, _looping], ids=["dangling", "looping"])
def test_a_yaml_link_to_nothing_in_a_pack_is_one_located_line(cli, pack: Path, make_link) -> None:
    make_link(pack / "x.yaml")
    expected = f"{pack / 'x.yaml'}: {DANGLING} (remove the link, or point it at a YAML file)"
    validate = cli("rules", "validate", pack)
    assert validate.code == 2
    assert validate.err.splitlines() == [expected, f"1 problem in {pack}"]
    listed = cli("rules", "list", "--rules", pack)
    assert listed.code == 2
    assert listed.err.splitlines() == [f"staffcheck: error: {expected}"]
    from staffcheck import load_pack

    with pytest.raises(StaffcheckError, match="symbolic link to nothing"):
        load_pack(pack)


@pytest.mark.parametrize("make_link", [_dangling, _looping], ids=["dangling", "looping"])
def test_a_pack_directory_that_is_a_link_to_nothing_is_one_line(
    cli, tmp_path: Path, make_link
) -> None:
    link = tmp_path / "pack"
    make_link(link)
    for args in (("rules", "validate", link), ("rules", "list", "--rules", link)):
        run = cli(*args)
        assert run.code == 2
        assert run.err.splitlines() == [
            f"staffcheck: error: {link}: {DANGLING} (point --rules at the pack's directory)"
        ]


def test_extending_a_looping_link_is_a_located_error(cli, tmp_path: Path) -> None:
    _looping(tmp_path / "base")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "pack.yaml").write_text("pack:\n  name: mine\n  extends: ../base\n", encoding="utf-8")
    run = cli("rules", "list", "--rules", mine)
    assert run.code == 2
    assert run.err.splitlines() == [
        f"staffcheck: error: {mine / 'pack.yaml'}:3:12: the pack to extend, "
        f"{mine / '../base'}, is not a directory (check the path)"
    ]


def test_rules_validate_shows_escape_sequences_in_the_pack_name_inert(cli, tmp_path: Path) -> None:
    pack = Path(shutil.copytree(RULES, tmp_path / "pa\x1b[31mck"))
    ok = cli("rules", "validate", pack)
    assert ok.code == 0
    assert "\x1b" not in ok.out and "pa\\x1b[31mck: ok" in ok.out
    listed = cli("rules", "list", "--rules", pack)
    assert "\x1b" not in listed.out and "pa\\x1b[31mck)" in listed.out
    _dangling(pack / "x.yaml")
    broken = cli("rules", "validate", pack)
    assert "\x1b" not in broken.err and broken.err.endswith("1 problem in " + str(tmp_path)
                                                            + "/pa\\x1b[31mck\n")  # fmt: skip


def test_the_bundled_pack_loads_after_the_current_directory_was_removed(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    monkeypatch.setattr(knowledge, "_LOADED", {})  # read the files again, naming each
    run = cli("rules", "list")
    assert run.code == 0, run.err
    assert "taobao-store" in run.out
    from staffcheck import load_pack

    monkeypatch.setattr(knowledge, "_LOADED", {})
    assert "taobao-store" in load_pack().strategies


@pytest.mark.parametrize(("field", "plural"), [("strategy", "strategies"), ("role", "roles")])
def test_an_unknown_id_with_no_close_match_names_the_kind_in_the_plural(
    cli, tmp_path: Path, field: str, plural: str
) -> None:
    from .conftest import CANDIDATES, EXAMPLES

    team = (EXAMPLES / "spring-launch.yaml").read_text(encoding="utf-8")
    for candidate in CANDIDATES.iterdir():
        team = team.replace(f"candidates/{candidate.name}", str(candidate))
    lines = team.splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip(" -").startswith(f"{field}:"))
    lines[at] = lines[at].split(":")[0] + ": zzzzqqq"  # no id is close to it: no did-you-mean
    (tmp_path / "team.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("team", tmp_path / "team.yaml")
    assert run.code == 2
    assert f"unknown {field} 'zzzzqqq' (see the {plural} of the knowledge base)" in run.err


@pytest.mark.parametrize("make_link", [_dangling, _looping], ids=["dangling", "looping"])
def test_a_fixtures_folder_that_is_a_link_to_nothing_is_not_taken_for_no_fixtures(
    cli, pack: Path, make_link
) -> None:
    shutil.rmtree(pack / "fixtures")
    make_link(pack / "fixtures")
    run = cli("rules", "test", pack)
    assert run.code == 2
    assert run.err.splitlines() == [
        f"staffcheck: error: {pack / 'fixtures'}: {DANGLING} (remove the link, or point it at "
        "the pack's fixtures)"
    ]
