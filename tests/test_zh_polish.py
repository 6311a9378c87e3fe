"""Reports read as written by a person, in English and in Chinese: derivations and explanation
trees name posts, skills, modules, channels and the strategy (never their ids), Chinese puts no
space between two Chinese words around a filled name (a Latin name keeps its spaces, and no name
is ever altered), lists are joined with 、 in Chinese, and Chinese lines never start with closing
punctuation nor end with opening punctuation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from staffcheck.diagnose import fill
from staffcheck.i18n import set_language
from staffcheck.kinds._text import tr as spaced_tr
from staffcheck.model import KnowledgeBase
from staffcheck.reporters.console import NO_LINE_END, NO_LINE_START, wrap

from .conftest import EXAMPLES, Run

SPRING = EXAMPLES / "spring-launch.yaml"
Cli = Callable[..., Run]


def _strings(data: Any, key: str) -> Iterator[str]:
    """Every string under `key` anywhere in a JSON document (lists of them included)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key and isinstance(v, str):
                yield v
            elif k == key and isinstance(v, list):
                yield from (s for s in v if isinstance(s, str))
            else:
                yield from _strings(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item, key)


def _pack_ids(kb: KnowledgeBase) -> set[str]:
    """The ids a reader should never meet in words: hyphenated post, skill, module and
    strategy ids (rule ids stay: the reader looks them up)."""
    ids = {*kb.roles, *kb.skills, *kb.modules, *kb.strategies}
    return {i for i in ids if "-" in i} - set(kb.rules)


def _ids_in(lines: list[str], kb: KnowledgeBase) -> list[tuple[str, str]]:
    # Rule ids stay (the reader looks them up), and a name may contain an id as a word
    # ("In-platform paid-traffic specialist"): neither counts.
    names = [e.name for table in (kb.roles, kb.skills, kb.modules, kb.channels, kb.strategies)
             for e in table.values()]  # fmt: skip
    spared = sorted([*kb.rules, *names], key=len, reverse=True)
    found = []
    for line in lines:
        bare = line
        for text in spared:
            bare = bare.replace(text, "")
        found += [(i, line) for i in _pack_ids(kb) if re.search(rf"(?<![\w-]){i}(?![\w-])", bare)]
    return found


# --- derivations name what they speak of ---------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_team_derivations_name_posts_skills_channels_and_the_strategy(
    cli: Cli, kb: KnowledgeBase, lang: str
) -> None:
    run = cli("--lang", lang, "team", SPRING, "--format", "json")
    assert run.code in (0, 1), run.err
    because = list(_strings(run.json(), "because"))
    assert because
    assert _ids_in(because, kb) == []
    expected = {
        "en": [
            "Taobao store needs the Taobao store operator post for store operations, "
            "merchandise management (critical)",
            "Sun Li holds the Taobao store operator post",
            "Taobao store runs on Taobao, Tmall",
            "fits better: SEO specialist (fit 100)",
        ],
        "zh": [
            "淘宝店的店铺运营、商品管理需要淘宝运营岗位（关键）",
            "Sun Li 担任淘宝运营岗位",
            "淘宝店在淘宝、天猫上运作",
            "更合适：SEO专员（匹配度 100）",
            "淘宝运营岗位要求淘宝/天猫店铺运营 ≥ 3",
        ],
    }[lang]
    for line in expected:
        assert line in because


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explanation_trees_name_what_they_speak_of(cli: Cli, kb: KnowledgeBase, lang: str) -> None:
    run = cli("--lang", lang, "explain", SPRING, "--format", "json")
    assert run.code in (0, 1), run.err
    labels = list(_strings(run.json(), "label"))
    assert _ids_in(labels, kb) == []
    expected = {
        "en": "the rule's pattern: Search engine optimisation ≥ 3, Taobao/Tmall store "
        "operations ≤ 1, never on Taobao or Tmall",
        "zh": "规则的判断条件：搜索引擎优化（SEO） ≥ 3、淘宝/天猫店铺运营 ≤ 1、从没做过淘宝或天猫",
    }[lang]
    assert expected in labels


def test_a_rule_line_is_left_out_of_a_chinese_tree_step(cli: Cli) -> None:
    """The derivation's last line, the rule's own, is drawn as the rule node, not twice."""
    run = cli("--lang", "zh", "explain", SPRING, "--format", "json")
    steps = [node["label"] for node in _nodes(run.json()) if node.get("kind") == "evidence"]
    assert steps
    assert not [label for label in steps if label.startswith("规则 ")]


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every tree node of an explanation's JSON."""
    if isinstance(data, dict):
        if "label" in data and "kind" in data:
            yield data
        for value in data.values():
            yield from _nodes(value)
    elif isinstance(data, list):
        for item in data:
            yield from _nodes(item)


# --- Chinese spacing around filled values ----------------------------------------------------


@pytest.mark.parametrize(
    ("template", "values", "filled"),
    [
        ("没有人负责 {role} 岗位", {"role": "淘宝运营"}, "没有人负责淘宝运营岗位"),
        (
            "只有 {person} 在 {role} 岗位上（{importance}）",
            {"person": "Ma Jun", "role": "网络营销项目经理", "importance": "关键"},
            "只有 Ma Jun 在网络营销项目经理岗位上（关键）",
        ),
        ("{a} {b}", {"a": "淘宝", "b": "天猫"}, "淘宝天猫"),
        ("{a} {b}", {"a": "Baidu", "b": "天猫"}, "Baidu 天猫"),
        ("更合适的岗位：{role}", {"role": "SEO专员"}, "更合适的岗位：SEO专员"),
        ("nobody covers the {role} post", {"role": "淘宝运营"}, "nobody covers the 淘宝运营 post"),
        ("{person} 的 {skill}", {"person": "孙丽"}, "孙丽的 {skill}"),
    ],
)
def test_a_space_goes_only_between_two_chinese_characters(
    template: str, values: dict[str, str], filled: str
) -> None:
    assert fill(template, values) == filled


@given(
    name=st.lists(
        st.sampled_from([*"张三李四 　\t[]*<>&`_", "Ma", "Jun", "（", "）", "、", "{role}"]),
        min_size=1,
        max_size=12,
    ).map("".join)
)
@settings(max_examples=200, deadline=None)
def test_a_filled_value_is_never_altered(name: str) -> None:
    filled = fill("只有 {person} 在 {role} 岗位上", {"person": name, "role": "淘宝运营"})
    assert name in filled
    assert filled.startswith("只有") and filled.endswith("岗位上")


def test_the_kinds_fill_their_own_chinese_templates_the_same_way() -> None:
    set_language("zh")
    assert spaced_tr("{person} has worked on {channels}", person="孙丽", channels="淘宝、天猫") == (
        "孙丽做过淘宝、天猫"
    )
    assert spaced_tr("{person} has worked on {channels}", person="Sun Li", channels="百度") == (
        "Sun Li 做过百度"
    )


def test_a_chinese_name_reads_without_spaces_and_a_hostile_one_is_kept(
    cli: Cli, tmp_path: Path
) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(
        "team: 春季\nstrategy: taobao-store\nmembers:\n"
        "  - {role: taobao-operator, id: a-1, name: 孙丽,"
        " skills: {seo: 4, keyword-research: 4}, channels: [baidu]}\n"
        "  - {role: project-manager, id: a-2, name: '张 三 [b]x[/b] *y*',"
        " skills: {strategy-planning: 4, project-management: 4, team-building: 3,"
        " marketing: 4}}\n",
        encoding="utf-8",
    )
    run = cli("--lang", "zh", "team", team, "--format", "json")
    assert run.code in (0, 1), run.err
    texts = [*_strings(run.json(), "message"), *_strings(run.json(), "because")]
    assert "孙丽 担任" not in " ".join(texts)
    assert "孙丽担任淘宝运营岗位" in texts
    # The name ends in a Latin letter: the space after it stays, and the name is whole.
    assert any(text.startswith("张 三 [b]x[/b] *y* 将作为网络营销项目经理牵头") for text in texts)


# --- lists in the reader's language ----------------------------------------------------------


def test_lists_are_joined_with_the_chinese_enumeration_comma(cli: Cli) -> None:
    run = cli("--lang", "zh", "team", SPRING)
    assert "淘宝店的店铺运营、商品管理需要淘宝运营岗位" in run.out
    assert "Sun Li 做过百度搜索、自建网站或网店" in run.out
    assert ", " not in "".join(line for line in run.out.splitlines() if "←" in line)


# --- Chinese line breaking -------------------------------------------------------------------

_CHINESE = st.sampled_from([*"淘宝运营岗位需要它关键店铺商品"])
_LATIN = st.sampled_from(["Sun", "Li", "SEO", "taobao", "fit"])
_CLOSE = st.sampled_from([*"、。，）」：；！？”"])
_OPEN = st.sampled_from([*"（「“"])


@st.composite
def _text(draw: st.DrawFn) -> str:
    """Text as reports write it: words and characters, punctuation after them (at most two
    marks together), an opening mark before a word."""
    out = []
    for _ in range(draw(st.integers(1, 50))):
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(_OPEN))
        out.append(draw(st.one_of(_CHINESE, _CHINESE, _CHINESE, _LATIN)))
        if draw(st.integers(0, 3)) == 0:
            out.append("".join(draw(st.lists(_CLOSE, min_size=1, max_size=2))))
        if draw(st.integers(0, 8)) == 0:
            out.append(" ")
    return "".join(out)


@given(text=_text(), width=st.integers(20, 80))
@settings(max_examples=400, deadline=None)
def test_no_chinese_line_starts_with_closing_or_ends_with_opening_punctuation(
    text: str, width: int
) -> None:
    assume(not text.isascii())
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert all(line[:1] not in NO_LINE_START for line in lines[1:]), lines
    assert all(line[-1:] not in NO_LINE_END for line in lines[:-1]), lines
    assert "".join(text.split()) == "".join("".join(lines).split())  # nothing lost or added


def test_punctuation_takes_its_neighbour_across_the_break() -> None:
    text = "没有人负责淘宝运营岗位，而淘宝店的店铺运营、商品管理需要它（关键）"
    # 32 characters fit in 64 cells: "）" would start the second line, "键" goes with it.
    assert wrap(text, 64) == [text[:31], text[31:]]
    # 30 fit in 60: "（" would end the first line, it goes to the second.
    assert wrap(text, 60) == [text[:29], text[29:]]


def test_a_person_with_no_channel_and_a_module_with_an_acronym_read_naturally(cli: Cli) -> None:
    """ "has worked on no channel" is its own sentence (not "做过没有任何渠道"), and a module's
    name keeps its acronym (SEO日常优化, not seo日常优化)."""
    campaign = cli("--lang", "zh", "team", EXAMPLES / "campaign-team.yaml", "--format", "json")
    because = list(_strings(campaign.json(), "because"))
    assert "Fu Lin 没有做过任何渠道" in because
    assert not [line for line in because if "做过没有" in line]
    analytics = cli("--lang", "zh", "team", EXAMPLES / "analytics-team.yaml", "--format", "json")
    texts = [*_strings(analytics.json(), "because"), *_strings(analytics.json(), "message")]
    assert any("SEO日常优化" in text for text in texts)
    assert not any("seo日常优化" in text for text in texts)


def test_a_template_filled_again_and_again_reads_right_each_time() -> None:
    """A template is split once and kept (a drive fills a few dozen thousands of times): every
    fill still puts its own values in, spaced for them, however many templates come and go."""
    from staffcheck import spacing

    template = "{person} 的 {skill}"
    assert fill(template, {"person": "孙丽", "skill": "SEO"}) == "孙丽的 SEO"
    assert fill(template, {"person": "Sun Li", "skill": "搜索"}) == "Sun Li 的搜索"
    for number in range(spacing._SPLITS_KEPT + 5):  # more templates than are kept
        assert fill(f"{{person}} #{number}", {"person": "Ma"}) == f"Ma #{number}"
    assert len(spacing._splits) <= spacing._SPLITS_KEPT
    assert fill(template, {"person": "周敏", "skill": "文案"}) == "周敏的文案"
