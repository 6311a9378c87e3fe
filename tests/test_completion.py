"""Shell completion: the installed ``staffcheck`` answers the shell's TAB (argcomplete's protocol)
with commands, options, formats and the ids of the pack in use; ``staffcheck completion SHELL``
prints code each shell accepts; a normal run never loads argcomplete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from staffcheck.cli import main
from staffcheck.model import KnowledgeBase

from .conftest import EXAMPLES, ROOT

LIVE_PACK = ROOT / "docs" / "examples" / "live-stream-pack"
SPRING = EXAMPLES / "spring-launch.yaml"
SCRIPT = Path(sys.executable).parent / "staffcheck"
#: The installed console script, as a shell runs it; else the same entry point through -m.
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "staffcheck"]


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARC", "COMP_"))}
    env.pop("STAFFCHECK_RULES", None)
    return env | extra


def _complete(
    line: str, tmp_path: Path, *, shell: str = "bash", **extra: str
) -> tuple[list[str], str]:
    """What ``staffcheck`` offers for the TAB at the end of `line`, and its standard error."""
    answer = tmp_path / "completions"
    env = _environment(
        _ARGCOMPLETE="1",
        _ARGCOMPLETE_SHELL=shell,
        _ARGCOMPLETE_IFS="\n",
        _ARGCOMPLETE_SUPPRESS_SPACE="1",
        _ARGCOMPLETE_STDOUT_FILENAME=str(answer),
        COMP_LINE=line,
        COMP_POINT=str(len(line)),
        **extra,
    )
    run = subprocess.run(
        COMMAND, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    text = answer.read_text(encoding="utf-8")
    return (text.split("\n") if text else []), run.stderr


def _offered(line: str, tmp_path: Path, **extra: str) -> list[str]:
    candidates, err = _complete(line, tmp_path, **extra)
    assert err == ""
    return candidates


def test_commands_complete_from_their_first_letters(tmp_path: Path) -> None:
    assert _offered("staffcheck te", tmp_path) == ["team", "template"]
    assert "completion" in _offered("staffcheck ", tmp_path)


def test_a_post_completes_under_either_spelling_of_the_option(tmp_path: Path) -> None:
    assert _offered("staffcheck screen drive.csv --role tao", tmp_path) == ["taobao-operator"]
    assert _offered("staffcheck template --post seo", tmp_path) == ["seo-specialist"]
    assert _offered(f"staffcheck explain {SPRING} --why-not --post sem", tmp_path) == [
        "sem-specialist"
    ]


def test_a_post_completes_from_its_name_in_another_language(tmp_path: Path) -> None:
    assert _offered("staffcheck screen drive.csv --post 淘宝", tmp_path) == ["淘宝运营"]


def test_a_person_completes_from_the_file_on_the_line(tmp_path: Path) -> None:
    team = f"staffcheck explain {SPRING} --person "
    assert {"e-1", "e-3", "c-1042"} <= set(_offered(team, tmp_path))
    assert _offered(team + "Gu", tmp_path) == ["Guo\\ Ping"]  # escaped for bash
    assert _offered(team + "e-3", tmp_path, shell="zsh") == ["e-3:Guo Ping"]
    drive = EXAMPLES / "exports" / "taobao-drive.csv"
    assert "t-101" in _offered(f"staffcheck ask {drive} -p t-1", tmp_path)
    assert _offered("staffcheck ask missing.yaml --person ", tmp_path) == []


def test_control_characters_in_a_name_reach_the_terminal_inert(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text('id: c-9\nname: "\\e[31mEvil\\nName"\nskills: {seo: 3}\n', encoding="utf-8")
    line = f"staffcheck ask {profile} --person "
    assert _offered(line, tmp_path, shell="zsh") == ["c-9:\\x1b[31mEvil Name"]
    assert _offered(line + "\x1b", tmp_path) == []  # the name itself is never typed in


def test_strategy_ids_are_the_bundled_packs(tmp_path: Path, kb: KnowledgeBase) -> None:
    assert _offered("staffcheck plan --strategy ", tmp_path) == list(kb.strategies)


def test_a_strategy_file_completes_where_no_id_matches(tmp_path: Path) -> None:
    (tmp_path / "our-strategy.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert _offered("staffcheck plan --strategy our", tmp_path) == ["our-strategy.yaml"]


def test_rules_on_the_line_choose_the_pack_the_ids_come_from(tmp_path: Path) -> None:
    custom = f"--rules {LIVE_PACK}"
    assert _offered("staffcheck plan --strategy live-s", tmp_path) == []
    assert _offered(f"staffcheck plan {custom} --strategy live-s", tmp_path) == [
        "live-stream-selling"
    ]
    # before the command, too; and `rules show` takes any id of that pack
    assert "live-host" not in _offered("staffcheck rules show live-h", tmp_path)
    assert "live-host" in _offered(f"staffcheck {custom} rules show live-h", tmp_path)
    # the pack switches a rule off: explain --rule no longer offers it
    rule = "operator-without-channel-experience"
    assert _offered(f"staffcheck explain {SPRING} --rule operator-w", tmp_path) == [rule]
    assert _offered(f"staffcheck explain {SPRING} {custom} --rule operator-w", tmp_path) == []


def test_the_environments_pack_is_used_when_the_line_names_none(tmp_path: Path) -> None:
    line = "staffcheck rules show live-h"
    assert "live-host" in _offered(line, tmp_path, STAFFCHECK_RULES=str(LIVE_PACK))


def test_a_pack_that_does_not_load_offers_nothing_and_says_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("roles: [\n", encoding="utf-8")
    candidates, err = _complete(f"staffcheck screen x.csv --rules {broken} --post ", tmp_path)
    assert (candidates, err) == ([], "")


def test_format_choices_are_each_commands_own(tmp_path: Path) -> None:
    assert _offered("staffcheck template --post seo-specialist --format ", tmp_path) == [
        "csv",
        "xlsx",
    ]
    team = _offered(f"staffcheck team {SPRING} --format ", tmp_path)
    assert {"table", "json", "markdown", "html"} <= set(team) and "xlsx" not in team


def test_zsh_and_fish_see_the_packs_names_in_the_language_asked_for(tmp_path: Path) -> None:
    english = _offered("staffcheck screen x.csv --post taob", tmp_path, shell="zsh")
    assert english == ["taobao-operator:Taobao store operator"]
    chinese = _offered("staffcheck --lang zh screen x.csv --post taob", tmp_path, shell="zsh")
    assert chinese == ["taobao-operator:淘宝运营"]
    fish = _offered("staffcheck te", tmp_path, shell="fish", _ARGCOMPLETE_DFS="\t")
    assert [line.split("\t")[0] for line in fish] == ["team", "template"]
    assert all("\t" in line and line.split("\t")[1] for line in fish)  # with their summaries


def test_languages_and_shells_complete(tmp_path: Path) -> None:
    assert {"en", "zh"} <= set(_offered("staffcheck --lang ", tmp_path))
    assert _offered("staffcheck completion ", tmp_path) == ["bash", "zsh", "fish"]
    assert set(_offered("staffcheck completion --", tmp_path)) == {
        "--help",
        "--lang",
        "--config",
        "--no-config",
    }


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_through_the_printed_code(tmp_path: Path) -> None:
    """The whole path: bash evaluates `staffcheck completion bash`, then its function runs the
    installed command and fills COMPREPLY, as a TAB would."""
    script = """
        eval "$(staffcheck completion bash)"
        COMP_LINE="staffcheck screen drive.csv --post tao"; COMP_POINT=${#COMP_LINE}
        COMP_WORDS=($COMP_LINE); COMP_CWORD=4
        _python_argcomplete staffcheck
        printf '%s\\n' "${COMPREPLY[@]}"
    """
    if COMMAND[0] != str(SCRIPT):
        pytest.skip("no installed staffcheck command to put on PATH")
    path = f"{SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    run = subprocess.run(
        ["bash", "-c", script], env=_environment(PATH=path), cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.stdout.strip() == "taobao-operator", run.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_through_the_printed_code_with_names_beside_ids(tmp_path: Path) -> None:
    if COMMAND[0] != str(SCRIPT):
        pytest.skip("no installed staffcheck command to put on PATH")
    script = 'staffcheck completion fish | source; complete -C "staffcheck screen x --post taob"'
    path = f"{SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    # fish makes its config and data folders at start: in a home of the test's, not the user's.
    home = tmp_path / "home"
    env = _environment(
        PATH=path, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"), XDG_CACHE_HOME=str(home / ".cache"),
    )  # fmt: skip
    run = subprocess.run(
        ["fish", "--no-config", "-c", script], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.stdout == "taobao-operator\tTaobao store operator\n", run.stderr


@pytest.mark.parametrize(
    ("shell", "check"),
    [("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])],
)
def test_the_printed_code_is_valid_in_its_shell(
    cli, tmp_path: Path, shell: str, check: list[str]
) -> None:
    run = cli("completion", shell)
    assert run.code == 0 and "staffcheck" in run.out
    if shutil.which(check[0]) is None:
        pytest.skip(f"{shell} is not installed")
    code = tmp_path / f"staffcheck.{shell}"
    code.write_text(run.out, encoding="utf-8")
    parsed = subprocess.run([*check, str(code)], capture_output=True, text=True, check=False)
    assert parsed.returncode == 0, parsed.stderr


def test_the_shell_may_be_named_as_SHELL_names_it(cli) -> None:
    assert cli("completion", "/usr/bin/zsh").out == cli("completion", "zsh").out


@pytest.mark.parametrize(
    ("shell", "hint"), [("bsh", "did you mean 'bash'?"), ("tcsh", "use one of: bash, zsh, fish")]
)
def test_an_unknown_shell_is_one_line_with_a_hint(cli, shell: str, hint: str) -> None:
    run = cli("completion", shell)
    assert run.code == 2 and run.out == ""
    assert run.err == f"staffcheck: error: no completion for the shell {shell!r} ({hint})\n"


@pytest.mark.parametrize(("lang", "heading"), [("en", "where it goes:"), ("zh", "放在哪里：")])
def test_the_help_says_where_the_code_goes_in_each_shell(
    capsys: pytest.CaptureFixture[str], lang: str, heading: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", lang, "completion", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and heading in out
    for place in (
        "~/.bashrc",
        "~/.local/share/bash-completion/completions/staffcheck",
        "~/.zshrc",
        "$fpath",
        "~/.config/fish/completions/staffcheck.fish",
    ):
        assert place in out


def test_a_normal_run_never_loads_argcomplete() -> None:
    probe = (
        "import contextlib, io, sys\n"
        "from staffcheck.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['team', {str(SPRING)!r}, '--format', 'json'])\n"
        "loaded = [m for m in sys.modules if m.startswith(('argcomplete', 'staffcheck.cli.completers'))]\n"
        "print(code, loaded)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], env=_environment(), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert run.stdout.strip() == "0 []", run.stderr


def test_a_project_configuration_chooses_the_pack_whose_ids_are_offered(tmp_path: Path) -> None:
    (tmp_path / "staffcheck.yaml").write_text(f"rules: {LIVE_PACK}\n", encoding="utf-8")
    found = _offered("staffcheck screen x.csv --post live", tmp_path, STAFFCHECK_NO_CONFIG="")
    assert "live-host" in found
    ignored = "staffcheck --no-config screen x.csv --post live"
    assert "live-host" not in _offered(ignored, tmp_path, STAFFCHECK_NO_CONFIG="")


@pytest.mark.parametrize("point", ["abc", "", "1.5"])
def test_a_cursor_position_that_is_not_a_number_gets_no_answer_and_no_error(
    tmp_path: Path, point: str
) -> None:
    # Real shells always send a number; a hand-set variable must not print a traceback.
    answer = tmp_path / "completions"
    env = _environment(
        _ARGCOMPLETE="1",
        _ARGCOMPLETE_STDOUT_FILENAME=str(answer),
        COMP_LINE="staffcheck sc",
        COMP_POINT=point,
    )
    run = subprocess.run(
        COMMAND, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert not answer.exists() or answer.read_text(encoding="utf-8") == ""


def test_the_pack_whose_ids_are_offered_is_looked_for_in_the_documented_order(
    tmp_path: Path,
) -> None:
    # --rules on the line, else STAFFCHECK_RULES, else the project configuration, else bundled:
    # what docs/editor-support.md and `completion --help` say.
    (tmp_path / "staffcheck.yaml").write_text(f"rules: {LIVE_PACK}\n", encoding="utf-8")
    line = "staffcheck screen x.csv --post live"
    assert "live-host" in _offered(line, tmp_path, STAFFCHECK_NO_CONFIG="")
    bundled = str(ROOT / "rules")
    assert "live-host" not in _offered(
        line, tmp_path, STAFFCHECK_NO_CONFIG="", STAFFCHECK_RULES=bundled
    )
    on_the_line = f"staffcheck screen x.csv --rules {bundled} --post live"
    assert "live-host" not in _offered(on_the_line, tmp_path, STAFFCHECK_NO_CONFIG="")
    said = " ".join((ROOT / "docs" / "editor-support.md").read_text(encoding="utf-8").split())
    assert (
        "`--rules DIR` when it is on the line (before or after the command), else "
        "`STAFFCHECK_RULES`, else the `rules:` of the project configuration" in said
    )
    from staffcheck.cli.completion import DESCRIPTION

    assert (
        "else STAFFCHECK_RULES's, else the project configuration's, else the bundled"
        in " ".join(DESCRIPTION.split())
    )
