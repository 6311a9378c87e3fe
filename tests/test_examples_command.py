"""`staffcheck examples` lists and copies the bundled examples, and every command's `--help`
examples work for someone who has only the installed program and that copy."""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from staffcheck.cli.parser import COMMANDS

from .conftest import EXAMPLES

FILES = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*") if p.is_file())


def test_the_listing_names_every_example_once_with_what_it_holds(cli) -> None:
    run = cli("examples")
    assert run.code == 0
    listed = [line.split()[0] for line in run.out.splitlines() if line.startswith("  ")]
    assert sorted(listed) == FILES
    assert "“Spring launch”: strategy taobao-store, 8 members" in run.out
    assert "Sun Li (c-1042), applying for taobao-operator" in run.out
    assert "周敏 (c-1060), an open application: no post named" in run.out
    assert "6 applicants, exported from a hiring system" in run.out  # taobao-drive.csv
    assert "staffcheck examples --copy examples" in run.out


def test_the_listing_in_chinese(cli) -> None:
    run = cli("--lang", "zh", "examples")
    assert run.code == 0
    assert "团队（staffcheck team FILE）：" in run.out
    assert "Sun Li（c-1042），应聘 taobao-operator" in run.out
    assert "“Spring launch”：策略 taobao-store，8 名成员" in run.out


def test_a_copy_is_the_examples_byte_for_byte_and_its_team_file_runs(cli, tmp_path: Path) -> None:
    target = tmp_path / "examples"
    run = cli("examples", "--copy", target)
    assert run.code == 0, run.err
    assert f"Copied {len(FILES)} example files into {target}:" in run.out
    assert f"staffcheck team {target / 'spring-launch.yaml'}" in run.out
    for name in FILES:
        assert (target / name).read_bytes() == (EXAMPLES / name).read_bytes(), name
    # A team file names its members' profiles relative to itself: the copy reports the same.
    copied = cli("team", target / "spring-launch.yaml")
    assert copied.code == 0, copied.err
    assert copied.out == cli("team", EXAMPLES / "spring-launch.yaml").out


def test_a_copy_never_overwrites_a_file_without_force(cli, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    assert cli("examples", "--copy", target).code == 0
    edited = target / "spring-launch.yaml"
    edited.write_text("team: my own edit\n", encoding="utf-8")
    (target / "notes.txt").write_text("not an example\n", encoding="utf-8")

    refused = cli("examples", "--copy", target)
    assert refused.code == 2
    assert refused.err.splitlines() == [
        f"staffcheck: error: {target / 'advertising-team.yaml'}: already exists; {len(FILES)} of "
        "the example files are there already (give --force to overwrite them, or copy into "
        "another directory)"
    ]
    assert edited.read_text(encoding="utf-8") == "team: my own edit\n"

    forced = cli("examples", "--copy", target, "--force")
    assert forced.code == 0, forced.err
    assert f"{len(FILES)} of them replaced files that were there." in forced.out
    assert edited.read_bytes() == (EXAMPLES / "spring-launch.yaml").read_bytes()
    assert (target / "notes.txt").read_text(encoding="utf-8") == "not an example\n"


def test_copying_into_a_file_or_forcing_without_a_copy_is_refused(cli, tmp_path: Path) -> None:
    a_file = tmp_path / "report.txt"
    a_file.write_text("x\n", encoding="utf-8")
    onto_file = cli("examples", "--copy", a_file)
    assert onto_file.code == 2
    assert onto_file.err.startswith(f"staffcheck: error: {a_file}: not a directory (")
    assert a_file.read_text(encoding="utf-8") == "x\n"
    force_alone = cli("examples", "--force")
    assert force_alone.code == 2
    assert "--force only goes with --copy" in force_alone.err


def _example_lines() -> list[str]:
    """Every command line of every command's ``--help`` examples, once each, in order."""
    lines: list[str] = []
    for command in COMMANDS:
        for line in command.EXAMPLES.splitlines()[1:]:
            if line.strip() and line.strip() not in lines:
                lines.append(line.strip())
    return lines


def test_every_help_example_works_after_copying_the_examples(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line as an installed user types it, in a directory holding nothing but what
    `staffcheck examples --copy examples` put there: in a shell if it pipes or redirects,
    else in this process (the same `main`, quicker)."""
    shims = tmp_path / "bin"
    shims.mkdir()
    shim = shims / "staffcheck"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m staffcheck "$@"\n')
    shim.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # `ask` reads answers: none come
    env = {**os.environ, "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}", "HOME": str(home)}
    lines = _example_lines()
    setup = "staffcheck examples --copy examples"
    assert setup in lines
    failed = []
    for line in [setup, *(line for line in lines if line != setup)]:
        if any(sign in line for sign in ("|", ">", "$(")):
            shell = "zsh" if "zsh" in line else "bash"
            if shutil.which(shell) is None:
                continue  # that shell's own line; its script is checked in test_completion
            if ">" in line:  # a completion script goes where the shell looks: that folder exists
                target = Path(line.rsplit(">", 1)[1].strip().replace("~", str(home), 1))
                target.parent.mkdir(parents=True, exist_ok=True)
            if shell == "zsh":  # as in a ~/.zshrc: completion is set up before the line
                line = f"autoload -Uz compinit && compinit -u -D && {line}"
            done = subprocess.run(
                [shell, "-c", line], env=env, stdin=subprocess.DEVNULL,
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            code, err = done.returncode, done.stderr
        else:
            run = cli(*shlex.split(line)[1:])
            code, err = run.code, run.err
        if code not in ({0, 1} if "--fail-on" in line else {0}):
            failed.append(f"{line}\n  exit {code}: {err.strip()[:300]}")
    assert not failed, "\n".join(failed)


USING_FILES = [c for c in COMMANDS if "examples/" in c.EXAMPLES and c.NAME != "examples"]


@pytest.mark.parametrize("command", USING_FILES, ids=[c.NAME for c in USING_FILES])
def test_help_examples_that_need_files_first_say_how_to_get_them(command: Any) -> None:
    assert command.EXAMPLES.splitlines()[1].strip() == "staffcheck examples --copy examples"


def test_a_copy_never_writes_through_a_link_to_a_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "dest"
    target.mkdir()
    outside = tmp_path / "outside.yaml"
    (target / "spring-launch.yaml").symlink_to(outside)  # dangling: the copy would create it
    refused = cli("examples", "--copy", target)
    assert refused.code == 2
    assert refused.err.splitlines() == [
        f"staffcheck: error: {target / 'spring-launch.yaml'}: is a symbolic link; the examples "
        "are never copied through a link (give --force to replace the link by a copy, leaving "
        "what it points to alone, or copy into another directory)"
    ]
    assert not outside.exists()
    assert not (target / "advertising-team.yaml").exists()  # refused before copying anything

    outside.write_text("mine\n", encoding="utf-8")
    forced = cli("examples", "--copy", target, "--force")
    assert forced.code == 0, forced.err
    assert outside.read_text(encoding="utf-8") == "mine\n"
    copy = target / "spring-launch.yaml"
    assert not copy.is_symlink()
    assert copy.read_bytes() == (EXAMPLES / "spring-launch.yaml").read_bytes()


def test_a_copy_never_goes_through_a_linked_folder_even_with_force(cli, tmp_path: Path) -> None:
    target, elsewhere = tmp_path / "dest", tmp_path / "elsewhere"
    target.mkdir()
    elsewhere.mkdir()
    (target / "candidates").symlink_to(elsewhere)
    for force in ((), ("--force",)):
        run = cli("examples", "--copy", target, *force)
        assert run.code == 2
        assert run.err.splitlines() == [
            f"staffcheck: error: {target / 'candidates'}: is a symbolic link; the examples are "
            "never copied through a link (remove the link, or copy into another directory)"
        ]
        assert list(elsewhere.iterdir()) == []


def test_an_empty_copy_directory_is_refused(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("examples", "--copy", "")
    assert run.code == 2
    assert "--copy needs the name of a directory" in run.err
    assert list(tmp_path.iterdir()) == []
