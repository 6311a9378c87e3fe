"""The e-commerce trade posts (美工, 直通车, 主播, 仓管): typical holders fit them, and each
look-alike the pack names is caught the way a recruiter would catch it, and only then.

Profiles are built mechanically from the pack: a post's typical holder has every essential skill
of the post at its level, worked on the post's first channel and carries the trade's Chinese job
title. A look-alike is the typical holder of one post applying for another.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from staffcheck.diagnose import assess_team, screen
from staffcheck.model import CandidateResult, KnowledgeBase, Severity, Verdict
from staffcheck.profiles import load_profiles, load_team

from .conftest import CANDIDATES

#: post -> (a strategy that needs it, the trade's job title in Chinese job ads)
TRADE_POSTS = {
    "visual-designer": ("taobao-store", "淘宝美工"),
    "paid-traffic-specialist": ("taobao-store", "直通车推广专员"),
    "live-stream-host": ("live-commerce", "带货主播"),
    "fulfilment-coordinator": ("taobao-store", "电商仓管"),
}
#: the core skill each title implies
TRADE_SKILL = {
    "visual-designer": "visual-design",
    "paid-traffic-specialist": "paid-traffic",
    "live-stream-host": "live-selling",
    "fulfilment-coordinator": "fulfilment",
}
NEW_RULES = (
    "visual-designer-in-copywriter-post",
    "copywriter-in-visual-designer-post",
    "paid-traffic-specialist-in-seo-post",
    "seo-specialist-in-paid-traffic-post",
    "live-host-in-customer-service-post",
    "live-host-in-store-operator-post",
    "fulfilment-coordinator-in-store-operator-post",
    "visual-designer-title",
    "paid-traffic-title",
    "live-host-title",
    "fulfilment-title",
)


def _typical(kb: KnowledgeBase, post: str, **extra: Any) -> dict[str, Any]:
    """The post's typical holder: every essential skill at the post's level, on its channel."""
    role = kb.roles[post]
    profile: dict[str, Any] = {
        "id": f"x-{post}",
        "name": f"Typical {post}",
        "skills": dict(role.essential),
        "channels": list(role.channels[:1]),
    }
    skills = extra.pop("skills", {})
    profile["skills"].update(skills)
    profile.update(extra)
    return profile


def _screen(
    kb: KnowledgeBase, tmp_path: Path, profile: dict[str, Any], post: str, strategy: str
) -> CandidateResult:
    path = tmp_path / f"{profile['id']}-{post}.yaml"
    path.write_text(yaml.safe_dump({**profile, "applying_for": post}, allow_unicode=True))
    [loaded] = load_profiles(path, kb)
    [result] = screen(kb, [loaded], kb.strategies[strategy]).candidates
    return result


def _rules(result: CandidateResult) -> set[str]:
    return {f.rule for f in result.findings}


# --- the posts and where the strategies put them -----------------------------------------------


@pytest.mark.parametrize("post", TRADE_POSTS)
def test_the_typical_holder_fits_the_post(kb: KnowledgeBase, tmp_path: Path, post: str) -> None:
    strategy, _ = TRADE_POSTS[post]
    result = _screen(kb, tmp_path, _typical(kb, post), post, strategy)
    assert result.verdict is Verdict.FIT, [f.message for f in result.findings]
    assert result.fit == 100
    assert result.better_roles == ()


@pytest.mark.parametrize("post", TRADE_POSTS)
def test_the_trade_title_alone_suggests_the_core_skill_and_no_mismatch(
    kb: KnowledgeBase, tmp_path: Path, post: str
) -> None:
    strategy, title = TRADE_POSTS[post]
    profile = {"id": "x-title", "name": "Title only", "titles": [title]}
    result = _screen(kb, tmp_path, profile, post, strategy)
    inferred = {i.skill: i.level for i in result.inferred}
    assert inferred.get(TRADE_SKILL[post]) == 3
    assert result.verdict is not Verdict.MISMATCH
    assert not _rules(result) & set(NEW_RULES[:7])


def test_a_promoter_title_that_says_paid_is_read_as_paid_traffic(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    profile = {"id": "x-paid", "name": "Paid promoter", "titles": ["推广专员（付费）"]}
    result = _screen(kb, tmp_path, profile, "paid-traffic-specialist", "taobao-store")
    assert {i.skill: i.level for i in result.inferred}.get("paid-traffic") == 3


def test_a_bare_promoter_title_is_not_read_as_paid_traffic(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # 推广专员 is also the portal or forum promoter's title: it must stay a question.
    profile = {"id": "x-promoter", "name": "Promoter", "titles": ["推广专员"]}
    result = _screen(kb, tmp_path, profile, "paid-traffic-specialist", "taobao-store")
    assert "paid-traffic" not in {i.skill for i in result.inferred}
    assert "paid-traffic" in {q.skill for q in result.questions}


def test_the_store_strategies_need_the_trade_posts(kb: KnowledgeBase) -> None:
    taobao = kb.strategies["taobao-store"].posts()
    assert {"visual-designer", "paid-traffic-specialist", "fulfilment-coordinator"} <= set(taobao)
    retail = kb.strategies["network-retail"].posts()
    assert {"visual-designer", "fulfilment-coordinator"} <= set(retail)
    live = kb.strategies["live-commerce"].posts()
    assert live["live-stream-host"][1].value == "critical"
    assert {"paid-traffic-specialist", "fulfilment-coordinator", "customer-service-rep"} <= set(
        live
    )


# --- the look-alikes ---------------------------------------------------------------------------

#: (rule, strategy, post staffed, the look-alike's own post, the look-alike's extra facts,
#:  the skill of the look-alike that a genuine holder of the post may also have)
CONFUSABLE = [
    (
        "visual-designer-in-copywriter-post",
        "content-marketing",
        "marketing-copywriter",
        "visual-designer",
        {},
        {"visual-design": 3},
    ),
    (
        "copywriter-in-visual-designer-post",
        "taobao-store",
        "visual-designer",
        "marketing-copywriter",
        {},
        {"copywriting": 3},
    ),
    (
        "paid-traffic-specialist-in-seo-post",
        "search-centred",
        "seo-specialist",
        "paid-traffic-specialist",
        {},
        {"paid-traffic": 3},
    ),
    (
        "seo-specialist-in-paid-traffic-post",
        "taobao-store",
        "paid-traffic-specialist",
        "seo-specialist",
        {},
        {"seo": 3},
    ),
    (
        "live-host-in-customer-service-post",
        "taobao-store",
        "customer-service-rep",
        "live-stream-host",
        {},
        {"live-selling": 3},
    ),
    # Three years in a Taobao live room or warehouse: the years suggest some store work
    # (taobao-operations 2), which must not hide what the person is.
    (
        "live-host-in-store-operator-post",
        "taobao-store",
        "taobao-operator",
        "live-stream-host",
        {"channels": ["taobao"], "experience_years": 3},
        {"live-selling": 3},
    ),
    (
        "fulfilment-coordinator-in-store-operator-post",
        "taobao-store",
        "taobao-operator",
        "fulfilment-coordinator",
        {"channels": ["taobao"], "experience_years": 3},
        {"fulfilment": 3},
    ),
    (
        "fulfilment-coordinator-in-store-operator-post",
        "network-retail",
        "merchandise-operator",
        "fulfilment-coordinator",
        {},
        {"fulfilment": 3},
    ),
]
CASE_IDS = [f"{c[0]}@{c[2]}" for c in CONFUSABLE]


@pytest.mark.parametrize(
    ("rule", "strategy", "post", "own", "facts", "sideline"), CONFUSABLE, ids=CASE_IDS
)
def test_the_look_alike_is_a_mismatch_pointed_to_their_own_post(
    kb: KnowledgeBase,
    tmp_path: Path,
    rule: str,
    strategy: str,
    post: str,
    own: str,
    facts: dict[str, Any],
    sideline: dict[str, int],
) -> None:
    result = _screen(kb, tmp_path, _typical(kb, own, **facts), post, strategy)
    assert result.verdict is Verdict.MISMATCH
    fired = [f for f in result.findings if f.rule == rule]
    assert fired, f"{rule} did not fire: {sorted(_rules(result))}"
    assert fired[0].severity is Severity.HIGH
    assert result.better_roles[0].role == own
    assert result.better_roles[0].fit > result.fit


@pytest.mark.parametrize(
    ("rule", "strategy", "post", "own", "facts", "sideline"), CONFUSABLE, ids=CASE_IDS
)
def test_a_genuine_holder_with_the_look_alike_skill_as_a_sideline_fits(
    kb: KnowledgeBase,
    tmp_path: Path,
    rule: str,
    strategy: str,
    post: str,
    own: str,
    facts: dict[str, Any],
    sideline: dict[str, int],
) -> None:
    result = _screen(kb, tmp_path, _typical(kb, post, skills=sideline, **facts), post, strategy)
    assert rule not in _rules(result)
    assert result.verdict is Verdict.FIT, [f.message for f in result.findings]


def test_paid_and_organic_search_are_told_apart_both_ways(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # Someone really strong at both trades fits either post: no look-alike finding either way.
    both = _typical(kb, "seo-specialist", skills={"paid-traffic": 4, "data-analysis": 3})
    for post, strategy in (
        ("seo-specialist", "search-centred"),
        ("paid-traffic-specialist", "taobao-store"),
    ):
        result = _screen(kb, tmp_path, both, post, strategy)
        assert result.verdict is Verdict.FIT, (post, [f.message for f in result.findings])
        assert not _rules(result) & {
            "paid-traffic-specialist-in-seo-post",
            "seo-specialist-in-paid-traffic-post",
        }


# --- the bundled example candidates ---------------------------------------------------------

EXAMPLES = [
    ("xia-lan.yaml", "content-marketing", "visual-designer-in-copywriter-post", "visual-designer"),
    (
        "song-kai.yaml",
        "search-centred",
        "paid-traffic-specialist-in-seo-post",
        "paid-traffic-specialist",
    ),
    ("he-min.yaml", "taobao-store", "live-host-in-customer-service-post", "live-stream-host"),
    (
        "tang-jun.yaml",
        "taobao-store",
        "fulfilment-coordinator-in-store-operator-post",
        "fulfilment-coordinator",
    ),
]


@pytest.mark.parametrize(
    ("file", "strategy", "rule", "better"), EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_example_candidate(
    kb: KnowledgeBase, file: str, strategy: str, rule: str, better: str
) -> None:
    [profile] = load_profiles(CANDIDATES / file, kb)
    [result] = screen(kb, [profile], kb.strategies[strategy]).candidates
    assert result.verdict is Verdict.MISMATCH
    assert rule in _rules(result)
    assert result.better_roles[0].role == better


# --- every new entry speaks Chinese -----------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("rule", NEW_RULES)
def test_new_rules_carry_a_chinese_translation_with_the_same_placeholders(
    kb: KnowledgeBase, rule: str
) -> None:
    entry = kb.rules[rule]
    zh = entry.translations["zh"]
    assert {"title", "message", "rationale", "remediation", "looks_like", "actually_is"} <= set(zh)
    assert set(PLACEHOLDER.findall(zh["message"])) == set(PLACEHOLDER.findall(entry.message))
    assert re.search(r"[\u4e00-\u9fff]", zh["title"])


def test_new_posts_skills_modules_and_strategy_carry_chinese_names(kb: KnowledgeBase) -> None:
    entries = [
        *(kb.roles[p] for p in TRADE_POSTS),
        *(kb.skills[s] for s in TRADE_SKILL.values()),
        *(
            kb.modules[m]
            for m in (
                "store-visuals",
                "in-platform-advertising",
                "live-commerce",
                "order-fulfilment",
            )
        ),
        kb.strategies["live-commerce"],
        kb.channels["douyin"],
    ]
    for entry in entries:
        name = entry.translations["zh"]["name"]
        assert re.search(r"[\u4e00-\u9fff]", name), entry.id


# --- a live-commerce team ----------------------------------------------------------------------


def _live_team(kb: KnowledgeBase, tmp_path: Path, service_seat: str) -> Any:
    """Every post of the live-commerce plan held by its typical holder; the service seat by
    the typical holder of `service_seat`."""
    members = []
    for post in kb.strategies["live-commerce"].posts():
        holder = _typical(kb, service_seat if post == "customer-service-rep" else post)
        holder["channels"] = ["douyin"]  # everyone has worked on the strategy's channel
        holder["id"] = f"m-{post}"
        members.append({"role": post, **holder})
    path = tmp_path / f"live-team-{service_seat}.yaml"
    doc = {"team": "Live room", "strategy": "live-commerce", "members": members}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return assess_team(kb, load_team(path, kb))


def test_a_live_commerce_team_of_typical_holders_covers_every_post(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    report = _live_team(kb, tmp_path, "customer-service-rep")
    assert report.team is not None and report.team.gaps == ()
    assert all(c.verdict is not Verdict.MISMATCH for c in report.candidates)


def test_a_host_in_the_service_chat_leaves_the_service_post_uncovered(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    report = _live_team(kb, tmp_path, "live-stream-host")
    assert report.team is not None
    assert {g.role for g in report.team.gaps} == {"customer-service-rep"}
    seat = next(c for c in report.candidates if c.role == "customer-service-rep")
    assert seat.verdict is Verdict.MISMATCH
    assert "live-host-in-customer-service-post" in _rules(seat)
