"""The seed's four classic mismatches, sound hires, and a team with an uncovered post."""

from __future__ import annotations

import pytest

from staffcheck.diagnose import assess_team, screen
from staffcheck.model import KnowledgeBase, Severity, Verdict
from staffcheck.profiles import load_profiles, load_team

from .conftest import CANDIDATES, EXAMPLES

CLASSIC = [
    # (file, strategy, post they are staffed on, the rule that names the pattern, the post they fit)
    (
        "liu-yang.yaml",
        "network-retail",
        "merchandise-operator",
        "portal-promoter-in-merchandise-post",
        "portal-promoter",
    ),
    (
        "sun-li.yaml",
        "taobao-store",
        "taobao-operator",
        "seo-specialist-in-taobao-post",
        "seo-specialist",
    ),
    (
        "chen-jing.yaml",
        "content-marketing",
        "marketing-copywriter",
        "news-editor-in-copywriter-post",
        "information-editor",
    ),
    (
        "zhang-wei.yaml",
        "content-marketing",
        "writing-editor",
        "link-spammer-in-writing-editor-post",
        "link-promoter",
    ),
]


@pytest.mark.parametrize(
    ("file", "strategy", "post", "rule", "better"), CLASSIC, ids=[c[3] for c in CLASSIC]
)
def test_classic_mismatch(
    kb: KnowledgeBase, file: str, strategy: str, post: str, rule: str, better: str
) -> None:
    [profile] = load_profiles(CANDIDATES / file, kb)
    [result] = screen(kb, [profile], kb.strategies[strategy]).candidates
    assert result.role == post
    assert result.verdict is Verdict.MISMATCH
    pattern = [f for f in result.findings if f.rule == rule]
    assert pattern, f"{rule} did not fire: {[f.rule for f in result.findings]}"
    assert pattern[0].severity.weight >= Severity.HIGH.weight
    assert result.better_roles[0].role == better
    assert result.better_roles[0].fit > result.fit


@pytest.mark.parametrize(
    ("file", "strategy"), [("huang-lei.yaml", "taobao-store"), ("lin-na.yaml", "content-marketing")]
)
def test_sound_hire_is_fit(kb: KnowledgeBase, file: str, strategy: str) -> None:
    [profile] = load_profiles(CANDIDATES / file, kb)
    [result] = screen(kb, [profile], kb.strategies[strategy]).candidates
    assert result.verdict is Verdict.FIT
    assert result.findings == ()
    assert result.fit == 100
    assert result.better_roles == ()


def test_finding_explains_its_derivation(kb: KnowledgeBase) -> None:
    [profile] = load_profiles(CANDIDATES / "sun-li.yaml", kb)
    [result] = screen(kb, [profile], kb.strategies["taobao-store"]).candidates
    root = next(f for f in result.findings if f.rule == "seo-specialist-in-taobao-post")
    # The store skill her profile never mentions is a question inside the root cause, not a
    # second HIGH finding beside it, and never "has taobao-operations 0".
    gap = next(f for f in root.explains if f.skill == "taobao-operations")
    assert gap.rule == "essential-skill-not-shown"
    assert gap.because[0].startswith("Taobao store needs store operations")
    assert "the Taobao store operator post needs Taobao/Tmall store operations ≥ 3" in gap.because
    assert any("does not" in step or "neither states" in step for step in gap.because)
    assert not any("taobao-operations 0" in step for step in gap.because)
    assert "store-operations" in gap.modules
    assert any(m.startswith("Requirement(role=taobao-operator") for m in gap.matched)
    assert [f.rule for f in result.findings].count("seo-specialist-in-taobao-post") == 1
    assert all(f.skill is None for f in result.findings), "every skill gap is inside the root cause"


def test_team_with_uncovered_posts(kb: KnowledgeBase) -> None:
    team = load_team(EXAMPLES / "spring-launch.yaml", kb)
    report = assess_team(kb, team)
    assert report.team is not None
    gaps = {g.role: g for g in report.team.gaps}
    # Nobody holds the data-analyst post; the taobao-operator post is held by a mismatch.
    assert set(gaps) == {"data-analyst", "taobao-operator"}
    assert gaps["taobao-operator"].severity is Severity.CRITICAL
    assert "held by Sun Li" in " ".join(gaps["taobao-operator"].because)
    assert gaps["data-analyst"].because[1] == "no member holds it"


def test_sound_team_has_no_gaps(kb: KnowledgeBase) -> None:
    report = assess_team(kb, load_team(EXAMPLES / "search-team.yaml", kb))
    assert report.team is not None
    assert report.team.gaps == ()
    assert all(c.verdict is not Verdict.MISMATCH for c in report.candidates)


def test_screen_without_strategy_judges_the_post_alone(kb: KnowledgeBase) -> None:
    [profile] = load_profiles(CANDIDATES / "huang-lei.yaml", kb)
    report = screen(kb, [profile])
    assert report.strategy is None
    assert report.candidates[0].verdict is Verdict.FIT


def test_post_outside_strategy_is_reported(kb: KnowledgeBase) -> None:
    [profile] = load_profiles(CANDIDATES / "huang-lei.yaml", kb)
    [result] = screen(kb, [profile], kb.strategies["search-centred"]).candidates
    assert [f.rule for f in result.findings] == ["post-outside-strategy"]
    assert result.verdict is Verdict.PARTIAL


def test_role_override_screens_everyone_for_one_post(kb: KnowledgeBase) -> None:
    profiles = load_profiles(CANDIDATES / "drive-2026-spring.yaml", kb)
    report = screen(kb, profiles, kb.strategies["taobao-store"], role="taobao-operator")
    assert {c.role for c in report.candidates} == {"taobao-operator"}
    assert [c.id for c in report.candidates] == [p.id for p in profiles]
