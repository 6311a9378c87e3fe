"""People named as HR names them (``--person "Guo Ping"``), reports that speak in names rather
than ids, and the explanation, plan, action plan and consultation in Chinese (``--lang zh``)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from .conftest import EXAMPLES

SPRING = EXAMPLES / "spring-launch.yaml"


@pytest.fixture
def twins(tmp_path: Path) -> Path:
    """A team in which two people share a name (a common one: 王芳)."""
    path = tmp_path / "twins.yaml"
    path.write_text(
        "team: Twins\nstrategy: taobao-store\nmembers:\n"
        "  - {role: merchandise-operator, id: w-1, name: 王芳,"
        " skills: {merchandise-operations: 4, marketing: 2, customer-service: 3}}\n"
        "  - {role: customer-service-rep, id: w-2, name: 王芳,"
        " skills: {customer-service: 1}}\n"
        "  - {role: taobao-operator, id: z-1, name: Zhang Wei,"
        " skills: {taobao-operations: 4, merchandise-operations: 3, customer-service: 2}}\n",
        encoding="utf-8",
    )
    return path


# --- --person: a name or an id ---------------------------------------------------------------


@pytest.mark.parametrize(
    "person", ["Guo Ping", "e-3", "guo  ping", "ＧＵＯ Ｐｉｎｇ", " Guo Ping "]
)
def test_person_by_name_or_id_explains_that_person(cli, person: str) -> None:
    run = cli("explain", SPRING, "--person", person)
    assert run.code == 0, run.err
    assert "Guo Ping on post Merchandise operator · fit 100 · fit" in run.out
    assert "Sun Li" not in run.out and "Ma Jun" not in run.out


def test_why_not_takes_a_name(cli) -> None:
    run = cli("explain", SPRING, "--why-not", "--person", "Sun Li", "--post", "seo-specialist")
    assert run.code == 0, run.err
    assert run.out.startswith("Why (not): Sun Li on the SEO specialist post")


@pytest.fixture
def writers(tmp_path: Path) -> Path:
    """Two applicants for the copywriter post in one file, each silent on creativity."""
    path = tmp_path / "writers.yaml"
    path.write_text(
        "- {id: a-1, name: Ann Lee, applying_for: marketing-copywriter,"
        " skills: {copywriting: 4, marketing: 4}}\n"
        "- {id: b-2, name: 李博, applying_for: marketing-copywriter,"
        " skills: {copywriting: 4, marketing: 4}}\n",
        encoding="utf-8",
    )
    return path


def test_ask_takes_a_name(cli, kb, writers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from staffcheck.profiles import load_profiles

    monkeypatch.setattr(sys, "stdin", io.StringIO("3\n"))
    run = cli("ask", writers, "--person", "李博")
    assert run.code == 0, run.err
    assert "Question 1 · Creative ideas · the Marketing copywriter post needs level 3" in run.err
    people = {p.id: p for p in load_profiles(writers, kb)}
    assert people["b-2"].skills.get("creativity") == 3 and "creativity" not in people["a-1"].skills


def test_a_shared_name_lists_the_ids_to_choose_from(cli, twins: Path) -> None:
    run = cli("explain", twins, "--person", "王芳")
    assert run.code == 2 and run.out == ""
    assert len(run.err.strip().splitlines()) == 1
    assert "2 people are called '王芳': w-1 (王芳), w-2 (王芳)" in run.err
    assert "give the id, e.g. --person w-1" in run.err
    # the id settles it
    chosen = cli("explain", twins, "--person", "w-2")
    assert chosen.code == 0 and "王芳 (w-2) on post" in chosen.out


def test_an_unknown_name_suggests_the_closest_person(cli) -> None:
    run = cli("explain", SPRING, "--person", "Guo Pign")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert "unknown person 'Guo Pign'" in run.err
    assert "did you mean 'Guo Ping' (e-3)?" in run.err


def test_a_misspelt_shared_name_suggests_every_person_of_that_name(cli, tmp_path: Path) -> None:
    path = tmp_path / "drive.csv"
    path.write_text(
        "id,name,applying_for,seo,keyword-research\n"
        "d1,Wang Fang,seo-specialist,4,3\nd2,Wang Fang,seo-specialist,2,1\n"
        "d3,Li Na,seo-specialist,3,3\n",
        encoding="utf-8",
    )
    run = cli("explain", path, "--person", "wang fan")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert "did you mean 'Wang Fang' (d1, d2)?" in run.err, run.err


def test_nothing_close_lists_the_people_there(cli) -> None:
    run = cli("explain", SPRING, "--why-not", "--person", "Nobody", "--post", "seo-specialist")
    assert run.code == 2
    assert "the people there: Ma Jun (e-1), Sun Li (c-1042)" in run.err


# --- names, not ids ----------------------------------------------------------------------------


def test_the_explanation_names_people_posts_modules_and_skills(cli) -> None:
    out = cli("explain", SPRING, "--person", "c-1042").out
    assert "Sun Li on post Taobao store operator · fit 0 · mismatch" in out
    assert "post Taobao store operator" in out
    assert "needs Taobao/Tmall store operations ≥ 3" in out
    assert "store operations module (critical)" in out
    assert "(c-1042)" not in out and "post taobao-operator" not in out


def test_two_people_of_one_name_get_their_ids(cli, twins: Path) -> None:
    out = cli("explain", twins).out
    assert "王芳 (w-1) on post Merchandise operator" in out
    assert "王芳 (w-2) on post Online customer service representative" in out
    assert "Zhang Wei on post Taobao store operator" in out  # nobody shares his name


def test_the_action_plan_names_people_and_posts(cli) -> None:
    text = " ".join(cli("explain", SPRING, "--actions").out.split())
    assert "reassign Sun Li from Taobao store operator to SEO specialist (fit 100)" in text
    assert "taobao-operator" not in text and "c-1042" not in text


def _staffing(strategy: str, lang: str = "en") -> str:
    """The staffing plan (the plan's stage 2) as the terminal shows it, in `lang`."""
    from staffcheck.i18n import speaking
    from staffcheck.knowledge import load_knowledge
    from staffcheck.planning import plan_staffing
    from staffcheck.reporters import RenderOptions, render

    from .conftest import RULES

    kb = load_knowledge(RULES, lang)
    with speaking(lang):
        return render(plan_staffing(kb, kb.strategies[strategy]), "table", RenderOptions(width=80))


def test_the_staffing_plan_names_posts_modules_and_skills() -> None:
    out = _staffing("taobao-store")
    assert "Store operations" in out and "Taobao store operator (critical)" in out
    assert "Merchandise operations ≥ 3" in out
    assert "taobao-operator" not in out and "merchandise-operations" not in out


# --- Chinese -----------------------------------------------------------------------------------


def test_explain_in_chinese(cli) -> None:
    run = cli("--lang", "zh", "explain", SPRING)
    assert run.code == 0, run.err
    assert run.out.startswith("推理说明 · 团队：Spring launch · 策略：")
    for heading in ("每个问题是如何得出的", "每个空缺岗位是如何形成的", "推导规则（系统内置）"):
        assert heading in run.out
    assert "Sun Li 担任“淘宝运营” · 匹配度 0 · 不匹配" in run.out
    assert "依据：" in run.out and "why:" not in run.out
    assert max(cell_len(line) for line in run.out.splitlines()) <= 80


def test_why_not_and_actions_in_chinese(cli) -> None:
    why = cli(
        "--lang", "zh", "explain", SPRING, "--why-not", "-p", "Sun Li", "--post", "seo-specialist"
    )
    assert why.out.startswith("能否胜任：Sun Li 担任“SEO专员”岗位")
    assert "结论：能胜任" in why.out and "核心技能" in why.out
    plan = cli("--lang", "zh", "explain", SPRING, "--actions")
    assert plan.out.startswith("行动计划 · 团队：Spring launch")
    assert "空缺岗位2→0，人岗不匹配1→0" in "".join(plan.out.split())
    assert "调岗 将 Sun Li 从“淘宝运营”调岗至“SEO专员”" in plan.out


def test_the_staffing_plan_in_chinese_lines_up() -> None:
    out = _staffing("taobao-store", "zh")
    assert out.startswith("人员配置方案 · 策略：淘宝店（taobao-store）\n9 个岗位，11 人")
    assert "岗位（关键岗位在前）" in out and "编制：每个岗位 1 人" in out
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    # The people column is right-aligned under its heading, in terminal cells (a Chinese
    # character takes two): each count ends where the heading 人数 ends.
    header = next(line for line in lines if "人数" in line)
    end = cell_len(header[: header.index("人数") + 2])
    rows = [line for line in lines if re.match(r" (关键|重要|一般|次要) ", line)]
    assert len(rows) == 9  # the taobao-store strategy's posts
    for row in rows:
        count = re.search(r"\s(\d)\s{2,}", row)
        assert count is not None, row
        assert cell_len(row[: count.end(1)]) == end, row


def test_rules_output_in_chinese(cli) -> None:
    validate = cli("--lang", "zh", "rules", "validate")
    assert validate.code == 0 and "：通过 — 9 个策略、" in validate.out
    test = cli("--lang", "zh", "rules", "test")
    assert test.out.splitlines()[-1].endswith("个通过，0 个失败")
    shown = cli("--lang", "zh", "rules", "show", "seo-specialist-in-taobao-post").out
    assert "严重程度" in shown and "依据" in shown and "处理办法" in shown


def test_the_consultation_in_chinese(cli, writers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("x\n３\n"))
    run = cli("--lang", "zh", "ask", writers, "--person", "Ann Lee")
    assert run.code == 0, run.err
    assert "问题 1 · 创意能力 · “文案策划”岗位要求 3 级" in run.err
    assert "等级 0–5，回车跳过，q 结束：" in run.err
    assert "“x”不是有效回答：请输入等级 0–5" in run.err
    assert run.out.startswith(
        "回答 1 个问题后结论已确定：部分匹配（可信度低） → 匹配（可信度高）。"
    )
    assert run.out.rstrip().endswith("技能新增 creativity 3")


@pytest.mark.parametrize("reply", ["３", "跳过", "退出"])
def test_replies_typed_on_a_chinese_keyboard(reply: str) -> None:
    from staffcheck.consult import SKIP, STOP, parse_reply

    assert parse_reply(reply) == {"３": 3, "跳过": SKIP, "退出": STOP}[reply]


def test_a_post_is_named_by_its_id_or_its_name_in_any_language(cli, tmp_path: Path) -> None:
    drive = EXAMPLES / "exports" / "taobao-drive.csv"
    by_id = cli("screen", drive, "--post", "taobao-operator", "--format", "json").json()
    for name in ("淘宝运营", "Taobao store operator", "taobao  STORE operator"):
        by_name = cli("screen", drive, "--post", name, "--format", "json").json()
        assert by_name["candidates"] == by_id["candidates"], name
    why = cli("explain", SPRING, "--why-not", "--person", "Sun Li", "--post", "SEO专员")
    assert why.code == 0 and why.out.startswith("Why (not): Sun Li on the SEO specialist post")
    unknown = cli("--lang", "zh", "screen", drive, "--post", "nosuch")
    assert unknown.code == 2
    assert unknown.err == (
        "staffcheck: error: 未知岗位 'nosuch'（运行 'staffcheck rules list' 查看所有岗位）\n"
    )
