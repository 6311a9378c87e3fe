"""Chinese terminal output breaks lines as Chinese is set: the explanation trees, the team's
advice and `rules show` keep every line within the terminal's width, no line starts with
closing punctuation (，。）…) nor ends with opening punctuation (（「…); advice ends with 。;
a Latin name keeps its space before 的 and a Chinese one does not; `rules show` names the
skills, posts and channels a rule uses (keeping the ids one writes rules with)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from staffcheck.cli.wrapping import wrap as help_wrap
from staffcheck.reporters.console import NO_LINE_END, NO_LINE_START
from staffcheck.reporters.console import wrap as console_wrap

from .conftest import EXAMPLES, Run

SPRING = EXAMPLES / "spring-launch.yaml"
Cli = Callable[..., Run]
#: The tree guides rich draws before a label: not text, so not punctuation to check.
GUIDES = "│├└─ "


def _badly_broken(out: str, width: int = 80) -> list[str]:
    """The lines of `out` too wide, starting with closing or ending with opening punctuation."""
    bad = []
    for line in out.splitlines():
        text = line.lstrip(GUIDES).rstrip()
        if cell_len(line) > width or (
            text and (text[0] in NO_LINE_START or text[-1] in NO_LINE_END)
        ):
            bad.append(line)
    return bad


def test_the_chinese_explanation_tree_breaks_lines_as_chinese_is_set(cli: Cli) -> None:
    run = cli("--lang", "zh", "explain", SPRING)
    assert run.code in (0, 1), run.err
    assert "SEO专员放在了淘宝店铺岗" in run.out  # rich used to break inside the title
    assert _badly_broken(run.out) == []


def test_the_english_explanation_tree_is_wrapped_as_before(cli: Cli) -> None:
    run = cli("explain", SPRING)
    assert "│           └── [HIGH] Sun Li looks like an SEO specialist, not a Taobao" in run.out
    assert [line for line in run.out.splitlines() if cell_len(line) > 80] == []


def test_the_chinese_team_advice_breaks_lines_as_chinese_is_set(cli: Cli) -> None:
    run = cli("--lang", "zh", "team", SPRING)
    assert run.code in (0, 1), run.err
    advice = run.out.split("优先处理事项\n", 1)[1]
    assert _badly_broken(advice) == []
    assert "（匹配度\n" not in advice and "（匹配度 86）" in advice
    steps: list[str] = []
    for line in advice.splitlines():
        if re.match(r"  \d+\. ", line):
            steps.append(line.strip())
        elif line.startswith("     ") and steps:  # a step's next line
            steps[-1] += line.strip()
    assert len(steps) >= 2
    assert all(step.endswith("。") for step in steps), steps


def test_english_advice_ends_with_a_full_stop(cli: Cli) -> None:
    run = cli("team", SPRING, "--format", "json")
    advice = run.json()["team"]["advice"]
    assert advice and all(step.endswith(".") and not step.endswith("。") for step in advice)


@pytest.fixture
def mixed_team(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(
        "team: 春季上新\n"
        "strategy: taobao-store\n"
        "members:\n"
        "  - {role: project-manager, id: e-1, name: 周敏, channels: [taobao],\n"
        "     skills: {strategy-planning: 4, project-management: 4, team-building: 3,"
        " marketing: 4}}\n"
        "  - {role: merchandise-operator, id: e-2, name: Ma Jun, channels: [taobao],\n"
        "     skills: {merchandise-operations: 4, marketing: 2}}\n",
        encoding="utf-8",
    )
    return path


def test_a_latin_name_keeps_its_space_before_chinese_and_a_chinese_name_does_not(
    cli: Cli, mixed_team: Path
) -> None:
    run = cli("--lang", "zh", "explain", mixed_team)
    assert run.code in (0, 1), run.err
    assert "周敏的营销策略规划为 4 级：达标" in run.out
    assert "Ma Jun 的商品运营为 4 级：达标" in run.out
    assert "Ma Jun 的简历未体现客户服务" in run.out
    assert "Ma Jun的" not in run.out and "周敏 的" not in run.out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Search engine optimisation (seo) ≥ 3", "Taobao (taobao), Tmall (tmall)"]),
        (
            "zh",
            ["搜索引擎优化（SEO）（seo） ≥ 3、淘宝/天猫店铺运营", "淘宝（taobao）、天猫（tmall）"],
        ),
    ],
)
def test_rules_show_names_the_skills_channels_and_posts_of_a_rule(
    cli: Cli, lang: str, expected: list[str]
) -> None:
    run = cli("--lang", lang, "rules", "show", "seo-specialist-in-taobao-post")
    assert run.code == 0, run.err
    for text in expected:
        assert text in run.out
    assert _badly_broken(run.out) == []


def test_help_breaks_chinese_as_the_reports_do() -> None:
    text = "按此岗位筛选所有人并排名，最匹配的在前（默认：applying_for）。" * 3
    for width in (12, 20, 33):
        assert help_wrap(text, width, "  ") == [
            "  " + line for line in console_wrap(text, width - 2)
        ]


def test_a_word_as_wide_as_a_line_gives_closing_punctuation_its_last_character() -> None:
    lines = console_wrap("在前（默认：applying_for）", 12)
    assert "".join(lines) == "在前（默认：applying_for）"
    assert not [line for line in lines if line[0] in NO_LINE_START or line[-1] in NO_LINE_END]
    assert all(cell_len(line) <= 12 for line in lines)
