"""The project configuration: staffcheck.yaml or [tool.staffcheck], found from the current
directory up; STAFFCHECK_RULES and STAFFCHECK_LANG; flags above the environment above the file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import CANDIDATES, EXAMPLES, ROOT, Run

CLI = Callable[..., Run]
PACK = ROOT / "docs" / "examples" / "live-stream-pack"
PROFILE = CANDIDATES / "he-min.yaml"
TEAM = EXAMPLES / "spring-launch.yaml"  # its own strategy: taobao-store


@pytest.fixture(autouse=True)
def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own repository (the search stops at its .git), with the
    configuration search on, as a user has it."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    for name in ("STAFFCHECK_NO_CONFIG", "STAFFCHECK_RULES", "STAFFCHECK_LANG"):
        monkeypatch.delenv(name, raising=False)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _strategy(cli: CLI, *args: str | Path) -> str | None:
    """The strategy `screen` used for He Min."""
    run = cli("screen", PROFILE, "--format", "json", *args)
    assert run.code == 0, run.err
    strategy = run.json()["strategy"]
    return None if strategy is None else str(strategy["id"])


def _pack_root(cli: CLI, *args: str | Path) -> Path:
    """The pack `rules list` read."""
    run = cli("rules", "list", "--format", "json", *args)
    assert run.code == 0, run.err
    return Path(run.json()["root"]).resolve()


def _copy_pack(destination: Path) -> Path:
    return Path(shutil.copytree(PACK, destination))


def _exit(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    """A run that argparse ends (``--help``, ``--show-config``), or that ends before the parser
    (a lone ``--version``)."""
    from staffcheck.cli import main

    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def _one_error(run: Run) -> str:
    """The run failed with exit 2 and one error line, no traceback; that line."""
    assert run.code == 2, (run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("staffcheck: error: "), run.err
    assert "Traceback" not in run.err
    return lines[0]


# -- where the configuration is found ----------------------------------------------------------


def test_a_configuration_in_a_parent_directory_is_found_from_a_subdirectory(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    assert _strategy(cli) == "taobao-store"
    (tmp_path / "hr" / "spring").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "hr" / "spring")
    assert _strategy(cli) == "taobao-store"


def test_the_nearest_configuration_wins(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    _write(tmp_path / "content" / ".staffcheck.yaml", "strategy: content-marketing\n")
    monkeypatch.chdir(tmp_path / "content")
    assert _strategy(cli) == "content-marketing"


def test_pyproject_tool_table_is_read_and_one_without_it_is_passed_over(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.staffcheck]\nstrategy = "content-marketing"\n')
    _write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "app"\n\n[tool.ruff]\n')
    monkeypatch.chdir(tmp_path / "app")
    assert _strategy(cli) == "content-marketing"


def test_in_one_directory_staffcheck_yaml_beats_pyproject(cli: CLI, tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.staffcheck]\nstrategy = "content-marketing"\n')
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    assert _strategy(cli) == "taobao-store"


def test_the_search_stops_at_the_repository_root(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    (tmp_path / "vendored" / "tool" / ".git").mkdir(parents=True)  # another repository inside
    monkeypatch.chdir(tmp_path / "vendored" / "tool")
    assert _strategy(cli) is None


def test_no_config_and_its_variable_ignore_the_file(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    assert _strategy(cli, "--no-config") is None
    monkeypatch.setenv("STAFFCHECK_NO_CONFIG", "1")
    assert _strategy(cli) is None


def test_config_names_a_file_anywhere(cli: CLI, tmp_path: Path) -> None:
    named = _write(tmp_path / "elsewhere" / "ci.yaml", "strategy: content-marketing\n")
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    assert _strategy(cli, "--config", named) == "content-marketing"
    assert _strategy(cli, f"--config={named}") == "content-marketing"


def test_a_configuration_of_comments_only_sets_nothing(cli: CLI, tmp_path: Path) -> None:
    _write(tmp_path / "staffcheck.yaml", "# strategy: taobao-store\n")
    assert _strategy(cli) is None


# -- what it sets, and what wins -------------------------------------------------------------


def test_relative_rules_are_read_from_the_configuration_files_directory(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = _copy_pack(tmp_path / "packs" / "live")
    _write(tmp_path / "staffcheck.yaml", "rules: packs/live\n")
    (tmp_path / "drives").mkdir()
    monkeypatch.chdir(tmp_path / "drives")
    assert _pack_root(cli) == pack.resolve()
    assert cli("rules", "validate").code == 0
    assert cli("plan", "--strategy", "live-stream-selling").code == 0  # only that pack has it


def test_rules_flag_beats_the_variable_beats_the_file(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_file, in_env, in_flag = (_copy_pack(tmp_path / name) for name in ("a", "b", "c"))
    _write(tmp_path / "staffcheck.yaml", "rules: a\n")
    assert _pack_root(cli) == in_file.resolve()
    monkeypatch.setenv("STAFFCHECK_RULES", str(in_env))
    assert _pack_root(cli) == in_env.resolve()
    assert _pack_root(cli, "--rules", in_flag) == in_flag.resolve()


def test_an_empty_staffcheck_rules_counts_as_unset(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_file = _copy_pack(tmp_path / "a")
    _write(tmp_path / "staffcheck.yaml", "rules: a\n")
    monkeypatch.setenv("STAFFCHECK_RULES", "")
    assert _pack_root(cli) == in_file.resolve()


def test_staffcheck_rules_alone_chooses_the_pack(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = _copy_pack(tmp_path / "ours")
    monkeypatch.setenv("STAFFCHECK_RULES", "ours")  # relative to the current directory
    assert _pack_root(cli) == pack.resolve()
    assert cli("plan", "--strategy", "live-stream-selling").code == 0


def test_strategy_flag_beats_the_file(cli: CLI, tmp_path: Path) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    assert _strategy(cli, "--strategy", "content-marketing") == "content-marketing"


def test_plan_takes_its_strategy_from_the_configuration(cli: CLI, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):  # no strategy anywhere: --strategy is required
        cli("plan")
    _write(tmp_path / "staffcheck.yaml", "strategy: content-marketing\n")
    run = cli("plan", "--format", "json")
    assert run.code == 0, run.err
    assert run.json()["strategy"]["id"] == "content-marketing"


def test_a_strategy_file_is_read_from_the_configuration_files_directory(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    strategy = (
        "id: lean-store\nname: Lean store\nmodules:\n"
        "  - module: store-operations\n    roles: {merchandise-operator: critical}\n"
    )
    _write(tmp_path / "strategies" / "lean.yaml", strategy)
    _write(tmp_path / "staffcheck.yaml", "strategy: strategies/lean.yaml\n")
    (tmp_path / "drives").mkdir()
    monkeypatch.chdir(tmp_path / "drives")
    run = cli("screen", PROFILE, "--format", "json")
    assert run.code == 0, run.err
    assert run.json()["strategy"]["id"] == "lean-store"


def test_a_team_files_own_strategy_beats_the_configured_one(cli: CLI, tmp_path: Path) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: content-marketing\n")
    run = cli("explain", TEAM, "--format", "json")
    assert run.code == 0, run.err
    assert run.json()["strategy"]["id"] == "taobao-store"  # as `team` says
    flagged = cli("explain", TEAM, "--format", "json", "--strategy", "search-centred")
    assert flagged.json()["strategy"]["id"] == "search-centred"


def test_fail_on_from_the_file_in_both_spellings(cli: CLI, tmp_path: Path) -> None:
    team = EXAMPLES / "campaign-team.yaml"  # low and medium findings
    assert cli("team", team).code == 0
    _write(tmp_path / "staffcheck.yaml", "fail-on: info\n")
    assert cli("team", team).code == 1
    _write(tmp_path / "staffcheck.yaml", "fail_on: MEDIUM\n")
    assert cli("team", team).code == 1
    assert cli("team", team, "--fail-on", "high").code == 0  # the flag wins


def test_lang_flag_beats_the_variable_beats_the_file(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.staffcheck]\nlang = "zh"\n')
    assert "策略" in cli("team", TEAM).out  # the file beats the locale (LC_ALL=C.UTF-8)
    assert "用法" in _exit(capsys, "team", "--help").out  # help too
    monkeypatch.setenv("STAFFCHECK_LANG", "en")
    assert "strategy Taobao store" in cli("team", TEAM).out
    assert "策略" in cli("team", TEAM, "--lang", "zh").out


def test_other_commands_accept_the_configuration_they_have_no_use_for(
    cli: CLI, tmp_path: Path
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\nfail-on: high\n")
    assert cli("rules", "list").code == 0
    run = cli("template", "--post", "taobao-operator", "--format", "csv")
    assert run.code == 0 and run.out.startswith("id,"), run.err


def test_show_config_says_where_each_setting_comes_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _copy_pack(tmp_path / "packs" / "live")
    _write(tmp_path / "staffcheck.yaml", "rules: packs/live\n\nfail-on: high\n")
    monkeypatch.setenv("STAFFCHECK_LANG", "en")
    run = _exit(capsys, "--show-config")
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == "configuration file: staffcheck.yaml"
    assert "(from staffcheck.yaml:1)" in lines[1] and lines[1].startswith("rules: ")
    assert lines[2] == "strategy: none (default: each command's own)"
    assert lines[3] == "lang: en (from STAFFCHECK_LANG)"
    assert lines[4] == "fail-on: high (from staffcheck.yaml:3)"


# -- bad input: one clear line, exit 2 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("strategy: taobao-store\nrule: packs\n",
         "staffcheck.yaml:2:1: unknown key 'rule' (did you mean 'rules'?)"),
        ("fail-on: hihg\n",
         "staffcheck.yaml:1:10: fail-on 'hihg' is not a severity (did you mean 'high'?)"),
        ("lang: chinese\n",
         "staffcheck.yaml:1:7: lang 'chinese' is not a language code (use a code such as zh or en)"),
        ("format: json\n",
         "staffcheck.yaml:1:1: 'format' cannot be set here (the format is chosen per run: "
         "--format, or the --output file's suffix)"),
        ("fail-on: high\nfail_on: high\n",
         "staffcheck.yaml:2:1: fail-on is set twice (fail-on and fail_on) (keep one)"),
        ("strategy: [taobao-store]\n",
         "staffcheck.yaml:1:11: strategy must be text, not a list"),
        ("- rules\n", "staffcheck.yaml:1:1: document must be a mapping, not a list"),
        ("rules: ./\n  bad: [\n", "staffcheck.yaml:"),
    ],
)  # fmt: skip
def test_a_bad_yaml_configuration_is_one_located_line(
    cli: CLI, tmp_path: Path, text: str, expected: str
) -> None:
    _write(tmp_path / "staffcheck.yaml", text)
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: " + expected), line


def test_a_missing_rules_directory_names_the_file_that_named_it(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "staffcheck.yaml", "rules: packs/ours\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    line = _one_error(cli("team", TEAM))
    missing = (tmp_path / "packs" / "ours").absolute()
    assert line == (
        f"staffcheck: error: ../staffcheck.yaml:1:8: rules: no knowledge-pack directory at "
        f"{missing} (a relative path is read from ../staffcheck.yaml's directory)"
    )


def test_an_unknown_configured_strategy_is_placed_in_the_file(cli: CLI, tmp_path: Path) -> None:
    _write(tmp_path / "staffcheck.yaml", "# ours\nstrategy: taobao-stor\n")
    line = _one_error(cli("screen", PROFILE))
    assert line.startswith(
        "staffcheck: error: staffcheck.yaml:2:11: unknown strategy 'taobao-stor'"
    )
    assert "taobao-store" in line


def test_a_language_neither_program_nor_pack_speaks_is_placed_in_the_file(
    cli: CLI, tmp_path: Path
) -> None:
    _write(tmp_path / "staffcheck.yaml", "lang: fr\n")
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: staffcheck.yaml:1:7: ")
    assert "'fr'" in line


def test_a_toml_syntax_error_is_one_line_with_file_and_line(cli: CLI, tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.staffcheck]\nlang = \n')
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: pyproject.toml:5:"), line
    assert "invalid TOML" in line and "--no-config" in line


def test_a_bad_key_in_pyproject_is_placed_on_its_line(cli: CLI, tmp_path: Path) -> None:
    text = (
        '[project]\nname = "x"\n\n[tool.staffcheck]\nstrategy = "taobao-store"\nfailon = "high"\n'
    )
    _write(tmp_path / "pyproject.toml", text)
    line = _one_error(cli("team", TEAM))
    assert line == (
        "staffcheck: error: pyproject.toml:6:1: unknown key 'failon' (did you mean 'fail_on'?)"
    )


def test_another_tools_broken_pyproject_is_not_ours_to_judge(cli: CLI, tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff\n')
    assert cli("team", TEAM).code == 0


def test_config_naming_a_missing_file_or_a_pyproject_without_the_table(
    cli: CLI, tmp_path: Path
) -> None:
    line = _one_error(cli("team", TEAM, "--config", "nowhere.yaml"))
    assert line == "staffcheck: error: nowhere.yaml: no such file (check the path)"
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    line = _one_error(cli("--config", "pyproject.toml", "team", TEAM))
    assert line == (
        "staffcheck: error: pyproject.toml: has no [tool.staffcheck] table "
        "(add one, or name a staffcheck.yaml)"
    )


def test_bad_environment_variables_are_named(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFFCHECK_RULES", str(tmp_path / "nope"))
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: STAFFCHECK_RULES: no knowledge-pack directory at ")
    monkeypatch.delenv("STAFFCHECK_RULES")
    monkeypatch.setenv("STAFFCHECK_LANG", "zh_CN.UTF-8")
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: STAFFCHECK_LANG: 'zh_cn.utf-8' is not a language")


def test_help_and_version_still_work_beside_a_broken_configuration(
    cli: CLI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "staffcheck.yaml", "colour: red\n")
    assert _exit(capsys, "--version").out.startswith("staffcheck ")
    assert _exit(capsys, "team", "--help").out.startswith("usage: ")
    assert "unknown key 'colour'" in _one_error(cli("team", TEAM))
    assert cli("team", TEAM, "--no-config").code == 0


def test_errors_in_the_configuration_are_in_the_language_asked_for(
    cli: CLI, tmp_path: Path
) -> None:
    _write(tmp_path / "staffcheck.yaml", "fail-on: hihg\n")
    line = _one_error(cli("team", TEAM, "--lang", "zh"))
    assert "不是严重程度" in line


# -- directories that cannot be searched, files that cannot be used (red team 12) ---------------


def test_a_directory_that_cannot_be_searched_ends_the_search_quietly(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a service account run from /root: looking for ./staffcheck.yaml gives EACCES."""
    import os

    real_lstat = os.lstat
    (tmp_path / "locked").mkdir()
    _write(tmp_path / "staffcheck.yaml", "fail-on: hihg\n")  # above the locked directory

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(str(tmp_path / "locked") + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.chdir(tmp_path / "locked")
    assert _exit(capsys, "--version").out.startswith("staffcheck ")
    assert cli("team", TEAM).code == 0, "the search ended: the broken file above is not read"


def test_a_current_directory_deeper_than_path_max_is_not_an_internal_error(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its absolute path is too long to stat (ENAMETOOLONG): the search ends quietly."""
    import os

    monkeypatch.chdir(tmp_path)
    for _ in range(24):  # 24 × 200 characters: past Linux's 4096
        Path("d" * 200).mkdir()
        os.chdir("d" * 200)
    run = cli("team", TEAM)
    assert run.code == 0, run.err


@pytest.mark.parametrize("kind", ["directory", "dangling link", "looping link", "fifo"])
def test_a_staffcheck_yaml_that_cannot_be_used_is_an_error_naming_it(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import os

    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")  # must not be used instead
    sub = tmp_path / "sub"
    sub.mkdir()
    target = sub / "staffcheck.yaml"
    if kind == "directory":
        target.mkdir()
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "nowhere.yaml")
    elif kind == "looping link":
        target.symlink_to(target)
    else:
        os.mkfifo(target)
    monkeypatch.chdir(sub)
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: staffcheck.yaml: "), line


@pytest.mark.parametrize("kind", ["directory", "dangling link", "fifo"])
def test_a_pyproject_that_cannot_be_read_is_an_error_naming_it(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """It might hold [tool.staffcheck]: passing over it would silently use a parent's."""
    import os

    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    target = sub / "pyproject.toml"
    if kind == "directory":
        target.mkdir()
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "nowhere.toml")
    else:
        os.mkfifo(target)
    monkeypatch.chdir(sub)
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: pyproject.toml: "), line
    assert "--no-config" in line
    assert cli("team", TEAM, "--no-config").code == 0


def _staffcheck(cwd: Path, *args: str, limit: int | None = None) -> Run:
    """staffcheck in a process of its own, in `cwd`, under an address-space `limit` (bytes)."""
    import resource
    import subprocess
    import sys

    def capped() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "staffcheck", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, preexec_fn=capped, check=False,
    )  # fmt: skip
    return Run(done.returncode, done.stdout, done.stderr)


def test_a_pyproject_fifo_does_not_hang_even_version(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pyproject.toml")  # nobody writes to it: reading it blocks forever
    run = _staffcheck(tmp_path, "--version")
    assert run.code == 0 and run.out.startswith("staffcheck "), run.err
    run = _staffcheck(tmp_path, "rules", "list")
    assert run.code == 2 and "pyproject.toml: is not a regular file" in run.err, run.err


def test_a_pyproject_linked_to_dev_zero_is_refused_without_eating_memory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").symlink_to("/dev/zero")
    run = _staffcheck(tmp_path, "rules", "list", limit=1_500_000_000)
    assert run.code == 2, run.err
    assert run.err.startswith("staffcheck: error: pyproject.toml: is not a regular file"), run.err
    assert "internal error" not in run.err and "MemoryError" not in run.err


# -- what the command line does with a broken configuration ------------------------------------


def test_show_config_honours_config_and_no_config_given_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "staffcheck.yaml", "fail-on: low\n")
    _write(tmp_path / "ci.yaml", "fail-on: high\n")
    run = _exit(capsys, "--show-config", "--config", "ci.yaml")
    assert "configuration file: ci.yaml" in run.out and "high (from ci.yaml:1)" in run.out
    run = _exit(capsys, "--show-config", "--no-config")
    assert "configuration file: none found" in run.out, run.out


def test_plan_tells_the_configurations_problem_not_that_strategy_is_required(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\nfail-on: hihg\n")
    assert "fail-on 'hihg' is not a severity" in _one_error(cli("plan"))
    _write(tmp_path / "staffcheck.yaml", "# nothing yet\n")
    monkeypatch.setenv("STAFFCHECK_RULES", str(tmp_path / "nope"))
    assert "STAFFCHECK_RULES: no knowledge-pack directory" in _one_error(cli("plan"))


def test_plan_still_requires_a_strategy_when_the_problem_is_overridden(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFFCHECK_LANG", "xx-yy")
    with pytest.raises(SystemExit) as exit_:
        cli("--lang", "en", "plan")
    assert exit_.value.code == 2


def test_a_bad_value_a_flag_overrides_is_no_error(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = _copy_pack(tmp_path / "ours")
    monkeypatch.setenv("STAFFCHECK_RULES", str(tmp_path / "nope"))
    assert _pack_root(cli, "--rules", pack) == pack.resolve()
    monkeypatch.delenv("STAFFCHECK_RULES")
    monkeypatch.setenv("STAFFCHECK_LANG", "xx-yy")
    assert cli("--lang", "en", "plan", "--strategy", "taobao-store").code == 0
    monkeypatch.delenv("STAFFCHECK_LANG")
    _write(tmp_path / "staffcheck.yaml", "fail-on: hihg\nlang: chinese\n")
    run = cli("team", TEAM, "--fail-on", "high", "--lang", "en")
    assert run.code in (0, 1) and run.err == "", run.err  # 1: a high finding, as asked
    assert "hihg" in _one_error(cli("team", TEAM, "--lang", "en"))  # not overridden: still told


def test_a_good_variable_overrides_the_files_bad_value(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "staffcheck.yaml", "lang: chinese\n")
    monkeypatch.setenv("STAFFCHECK_LANG", "en")
    assert cli("team", TEAM).code == 0


def test_completion_and_examples_work_beside_a_broken_configuration(
    cli: CLI, tmp_path: Path
) -> None:
    _write(tmp_path / "staffcheck.yaml", "colour: red\nfail-on: hihg\n")
    run = cli("completion", "bash")
    assert run.code == 0 and run.err == "" and "complete" in run.out
    run = cli("examples")
    assert run.code == 0 and run.err == "", run.err
    run = cli("rules", "list")  # a command that uses the settings still tells every problem
    assert run.code == 2 and "unknown key 'colour'" in run.err and "'hihg'" in run.err


def test_every_problem_the_pack_finds_in_the_configuration_is_told(
    cli: CLI, tmp_path: Path
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-stor\nlang: fr\n")
    run = cli("screen", PROFILE)
    assert run.code == 2
    lines = run.err.strip().splitlines()
    assert len(lines) == 2, run.err
    assert any("staffcheck.yaml:1:11: unknown strategy 'taobao-stor'" in line for line in lines)
    assert any("staffcheck.yaml:2:7: " in line and "'fr'" in line for line in lines)


def test_config_and_no_config_together_are_a_usage_error(cli: CLI, tmp_path: Path) -> None:
    named = _write(tmp_path / "ci.yaml", "strategy: content-marketing\n")
    with pytest.raises(SystemExit) as exit_:
        cli("screen", PROFILE, "--config", named, "--no-config")
    assert exit_.value.code == 2


def test_an_empty_config_path_is_refused_clearly(
    cli: CLI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    run = _exit(capsys, "screen", PROFILE, "--config=")
    assert run.code == 2 and "empty path" in run.err and "directory" not in run.err, run.err
    assert "--config: an empty path names no file" in _one_error(cli("--show-config", "--config="))


@pytest.mark.parametrize(
    ("value", "off"),
    [("1", True), ("true", True), ("YES", True), ("on", True),
     ("0", False), ("false", False), ("no", False), ("off", False), ("", False)],
)  # fmt: skip
def test_staffcheck_no_config_turns_the_file_off_only_when_it_says_so(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, off: bool
) -> None:
    _write(tmp_path / "staffcheck.yaml", "strategy: taobao-store\n")
    monkeypatch.setenv("STAFFCHECK_NO_CONFIG", value)
    assert _strategy(cli) == (None if off else "taobao-store")


def test_a_staffcheck_no_config_that_is_neither_on_nor_off_is_named(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFFCHECK_NO_CONFIG", "maybe")
    line = _one_error(cli("team", TEAM))
    assert line.startswith("staffcheck: error: STAFFCHECK_NO_CONFIG: 'maybe' is neither on nor off")


def test_fail_on_none_turns_a_configured_fail_on_off_for_one_run(cli: CLI, tmp_path: Path) -> None:
    team = EXAMPLES / "campaign-team.yaml"  # low and medium findings
    _write(tmp_path / "staffcheck.yaml", "fail-on: info\n")
    assert cli("team", team).code == 1
    assert cli("team", team, "--fail-on", "none").code == 0
    assert cli("screen", PROFILE, "--fail-on", "none").code == 0
