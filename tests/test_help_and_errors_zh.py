"""`--lang zh` (or a Chinese locale) reaches the help of every command, argparse's own words and
usage errors, and the one-line errors about a bad profile; English stays as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from staffcheck import i18n
from staffcheck.cli import main
from staffcheck.cli.argwords import language_of
from staffcheck.cli.parser import COMMANDS
from staffcheck.cli.wrapping import columns, is_wide, wrap

from .conftest import EXAMPLES

INTAKE = Path(__file__).resolve().parent / "data" / "intake"
SPRING = EXAMPLES / "spring-launch.yaml"
HAN = re.compile("[\u4e00-\u9fff]")
COMMAND_LINES = [
    ["screen"], ["ask"], ["team"], ["plan"], ["explain"], ["template"], ["examples"],
    ["rules"], ["rules", "list"], ["rules", "show"], ["rules", "validate"], ["rules", "test"],
    ["rules", "docs"],
]  # fmt: skip


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 0
    return capsys.readouterr().out


def _usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "zh", "screen", "--help"],
        ["screen", "--help", "--lang", "zh"],
        ["screen", "--lang=zh", "--help"],
    ],
)
def test_help_in_chinese_wherever_lang_is_given(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    out = _help(capsys, *argv)
    assert out.startswith("用法：staffcheck screen")
    for heading in ("位置参数", "选项", "示例：", "退出状态："):
        assert heading in out
    assert "按此岗位筛选所有人并排名" in out  # --post's help
    assert "options:" not in out and "examples:" not in out


def test_help_in_chinese_from_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    out = _help(capsys, "--help")
    assert out.startswith("用法：staffcheck")
    assert "按岗位筛选候选人" in out  # screen's one-line summary
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert _help(capsys, "--help").startswith("usage: staffcheck")
    assert _help(capsys, "--lang", "en", "--help").startswith("usage: staffcheck")


@pytest.mark.parametrize("command", COMMAND_LINES, ids=" ".join)
def test_every_commands_help_is_chinese_throughout(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    english = _help(capsys, *command, "--help")
    chinese = _help(capsys, "--lang", "zh", *command, "--help")
    assert HAN.search(chinese)
    # No line of English help text survives (option names, metavars, examples are not prose).
    prose = [
        line.split("  ")[-1].strip()
        for line in english.splitlines()
        if re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", line) and "staffcheck " not in line
    ]
    assert prose, english
    left = [text for text in prose if text in chinese]
    assert not left, left


def test_the_help_texts_of_every_command_have_a_translation() -> None:
    catalogue = i18n.catalogue("zh")
    for command in COMMANDS:
        heading = command.EXAMPLES.partition("\n")[0]
        texts = [command.HELP, command.DESCRIPTION, heading, command.EXIT_ONE or "examples:"]
        assert [t for t in texts if t not in catalogue] == [], command.NAME


@pytest.mark.parametrize(
    ("argv", "chinese"),
    [
        (["team", str(SPRING), "--format", "xml"], "参数 --format：无效的选择：'xml'（可选："),
        (["screen", str(SPRING), "--bogus"], "无法识别的参数：--bogus"),
        (["plan"], "需要 --strategy 或 --team"),
        (["screen", "x.yaml", "--top", "0"], "参数 --top：0 小于 1"),
        (["screen", "x.yaml", "--top"], "参数 --top：需要一个值"),
    ],
)
def test_usage_errors_in_chinese_keep_the_prefix_scripts_grep(
    capsys: pytest.CaptureFixture[str], argv: list[str], chinese: str
) -> None:
    err = _usage_error(capsys, "--lang", "zh", *argv)
    assert len(err.splitlines()) == 1
    assert err.startswith("staffcheck: error: ")
    assert chinese in err
    assert "（参见 'staffcheck" in err


@pytest.mark.parametrize(
    ("profile", "place", "message", "hint"),
    [
        (
            "id: c-1\nname: Sun Li\nskills:\n  keyword-reserch: 3\n",
            ":4:3: ",
            "未知技能 'keyword-reserch'",
            "您是不是要写 'keyword-research'？",
        ),
        (
            "id: c-1\nname: Sun Li\nskills:\n  seo: 9\n",
            ":4:8: ",
            "skills.seo 为 9，超出 0..5 范围",
            "请填写 0 到 5 的技能等级",
        ),
        ("id: c-1\nskills:\n  seo: 3\n", ":1:1: ", "缺少必填字段 'name'", "请添加 'name:'"),
    ],
)
def test_a_bad_profile_is_one_chinese_line_with_its_place_and_fix(
    cli, tmp_path: Path, profile: str, place: str, message: str, hint: str
) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(profile, encoding="utf-8")
    for command in (["screen"], ["explain"]):
        run = cli("--lang", "zh", *command, path)
        assert run.code == 2
        [line] = run.err.splitlines()
        assert line.startswith(f"staffcheck: error: {path}{place}{message}"), line
        assert hint in line


def test_a_bad_team_member_is_said_in_chinese(cli, tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(
        "team: t\nstrategy: taobao-store\nmembers:\n  - id: a\n    name: A\n", encoding="utf-8"
    )
    run = cli("--lang", "zh", "team", path)
    assert run.code == 2
    assert run.err.startswith(f"staffcheck: error: {path}:4:5: 缺少必填字段 'role'")
    assert "请填写该成员的现任岗位" in run.err


def test_english_errors_are_unchanged(cli, tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("id: c-1\nname: Sun Li\nskills:\n  seo: 9\n", encoding="utf-8")
    run = cli("screen", path)
    assert run.err == (
        f"staffcheck: error: {path}:4:8: skills.seo is 9, outside 0..5 "
        "(use a skill level from 0 to 5)\n"
    )


@pytest.mark.parametrize("command", [["explain"], ["ask", "--person", "g-1", "-o", "x.yaml"]])
def test_explain_and_ask_print_the_readers_notes(
    cli, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", _NoAnswers())
    path = INTAKE / "gbk.csv"
    name, *rest = command
    run = cli("--lang", "zh", name, path, *rest)
    notes = [line for line in run.err.splitlines() if line.startswith("staffcheck: note: ")]
    assert len(notes) == 1, run.err
    assert notes[0].startswith(f"staffcheck: note: {path}: ")
    assert HAN.search(notes[0].split(": ", 3)[-1])


class _NoAnswers:
    """Standard input at its end: ``ask`` stops at the first question."""

    def readline(self) -> str:
        return ""

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["--lang", "zh", "screen"], {}, "zh"),
        (["screen", "--lang=zh"], {"LANG": "en_US.UTF-8"}, "zh"),
        (["screen", "--lang", "en"], {"LANG": "zh_CN.UTF-8"}, "en"),
        (["screen"], {"LANG": "zh_CN.UTF-8"}, "zh"),
        (["screen", "--lang", "fr"], {}, "en"),  # no French catalogue: English words
        (["screen", "--", "--lang", "zh"], {}, "en"),  # after --, a file's name
        (["screen", "--lang"], {}, "en"),
        (["--lan", "zh", "screen"], {}, "zh"),
        (["--la=zh", "screen"], {}, "zh"),
        (["--lime", "zh", "screen"], {}, "en"),
    ],
)
def test_the_language_is_found_before_the_parser_is_built(
    argv: list[str], environ: dict[str, str], expected: str
) -> None:
    assert language_of(argv, environ) == expected


@pytest.mark.parametrize("command", COMMAND_LINES, ids=" ".join)
def test_chinese_help_fits_the_terminal_but_for_the_examples(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _help(capsys, "--lang", "zh", *command, "--help")
    too_wide = [
        line for line in out.splitlines() if columns(line) > 80 and "  staffcheck " not in line
    ]
    assert not too_wide
    # The usage's continuation lines line up under the first option, after the wide "用法："
    usage = out.split("\n\n")[0].splitlines()
    first_option = columns(" ".join(["用法：staffcheck", *command]) + " ")
    assert {len(line) - len(line.lstrip()) for line in usage[1:]} <= {first_option}


def test_wide_text_breaks_between_characters_not_before_closing_punctuation() -> None:
    text = "按此岗位筛选所有人并排名，最匹配的在前（默认：applying_for）"
    lines = wrap(text, 12)
    assert "".join(lines) == text
    assert lines[:3] == ["按此岗位筛选", "所有人并排", "名，最匹配的"]
    assert all(columns(line) <= 12 for line in lines[:-1])
    assert not [line for line in lines if line[0] in "，）：" or line[-1] == "（"]
    assert not is_wide("plain English") and is_wide("简历 YAML")
