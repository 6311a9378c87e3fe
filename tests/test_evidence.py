"""Evidence before verdicts: a skill nobody stated is unknown, not zero; titles and channels are
evidence; the verdict carries its confidence and the questions that would settle it."""

from __future__ import annotations

from typing import Any

import pytest

from staffcheck.actions import advise
from staffcheck.diagnose import screen
from staffcheck.errors import StaffcheckError
from staffcheck.evidence import weigh
from staffcheck.fitting import FitModel, distinctiveness
from staffcheck.knowledge import load_knowledge
from staffcheck.model import (
    Basis,
    CandidateResult,
    Confidence,
    KnowledgeBase,
    Location,
    Profile,
    Severity,
    Verdict,
    frozen_map,
)
from staffcheck.profiles import load_profiles

from .conftest import ROOT


def _person(
    skills: dict[str, int] | None = None,
    *,
    titles: tuple[str, ...] = (),
    channels: tuple[str, ...] = (),
    years: float | None = None,
) -> Profile:
    return Profile(
        "p-1",
        "Test Person",
        frozen_map(skills or {}),
        Location("<test>"),
        channels=channels,
        experience_years=years,
        titles=titles,
    )


def _screen(kb: KnowledgeBase, profile: Profile, post: str, strategy: str | None = None) -> Any:
    chosen = kb.strategies[strategy] if strategy else None
    [result] = screen(kb, [profile], chosen, role=post).candidates
    return result


def _all_rules(result: CandidateResult) -> set[str]:
    return {g.rule for f in result.findings for g in (f, *f.explains)}


def test_a_writer_is_asked_about_creativity_not_told_they_have_none(kb: KnowledgeBase) -> None:
    writer = _person({"copywriting": 4, "marketing": 4})
    result = _screen(kb, writer, "marketing-copywriter")
    assert result.verdict is Verdict.PARTIAL and result.confidence is Confidence.LOW
    assert not any("at all" in f.message for f in result.findings)
    [finding] = result.findings
    assert finding.rule == "essential-skill-not-shown" and finding.skill == "creativity"
    assert finding.basis is Basis.UNKNOWN and finding.severity is Severity.MEDIUM
    assert [q.skill for q in result.questions] == ["creativity"]
    assert result.questions[0].text == kb.skills["creativity"].question


def test_an_explicit_zero_is_a_statement(kb: KnowledgeBase) -> None:
    writer = _person({"copywriting": 4, "marketing": 4, "creativity": 0})
    result = _screen(kb, writer, "marketing-copywriter")
    assert result.verdict is Verdict.MISMATCH and result.confidence is Confidence.HIGH
    assert "essential-skill-missing" in _all_rules(result)
    assert result.questions == ()


def test_a_senior_front_end_developer_fits_the_web_developer_post(kb: KnowledgeBase) -> None:
    developer = _person({"web-development": 5}, titles=("Senior front-end developer",), years=9)
    result = _screen(kb, developer, "web-developer", "search-centred")
    assert result.verdict is Verdict.FIT
    assert [f.rule for f in result.findings] == ["minor-skill-not-shown"]
    assert [q.skill for q in result.questions] == ["seo"]
    assert result.fit >= 70
    # Only a minor requirement is open: worth a question, not a doubt about the verdict.
    assert result.confidence is Confidence.MEDIUM


def test_a_tmall_service_lead_is_not_told_to_find_someone_else(kb: KnowledgeBase) -> None:
    lead = _person(
        {"customer-service": 5}, titles=("Tmall customer service team lead",), channels=("tmall",)
    )
    result = _screen(kb, lead, "customer-service-rep", "taobao-store")
    assert result.verdict is Verdict.FIT
    assert not any(f.severity.blocks for f in result.findings)
    assert "merchandise-operations" in [q.skill for q in result.questions]


def test_a_job_title_is_evidence_a_stated_level_wins(kb: KnowledgeBase) -> None:
    titled = weigh(kb, _person(titles=("SEO专员",)))
    assert titled.level("seo") == 3 and titled.basis("seo") is Basis.INFERRED
    assert 0 < titled.certainty("seo") < 1
    stated = weigh(kb, _person({"seo": 1}, titles=("SEO specialist",)))
    assert stated.level("seo") == 1 and stated.basis("seo") is Basis.STATED
    assert "seo" in stated.signalled
    silent = weigh(kb, _person())
    assert silent.basis("seo") is Basis.UNKNOWN and silent.level("seo") < 0


@pytest.mark.parametrize(
    ("title", "inferred"),
    [
        ("SEO专员", True),
        ("Senior SEO specialist", True),
        ("seo", True),
        ("Head of search engine optimisation", True),
        ("Seoul office manager", False),
        ("Museo curator", False),
    ],
)
def test_title_words_match_as_words(kb: KnowledgeBase, title: str, inferred: bool) -> None:
    shown = weigh(kb, _person(titles=(title,)))
    assert (shown.basis("seo") is Basis.INFERRED) is inferred


def test_an_acronym_is_not_found_inside_another_word(kb: KnowledgeBase) -> None:
    assert weigh(kb, _person(titles=("Seminar organiser",))).basis("sem-bidding") is Basis.UNKNOWN
    assert weigh(kb, _person(titles=("SEM专员",))).basis("sem-bidding") is Basis.INFERRED


def test_years_on_a_marketplace_count_as_hands_on_evidence(kb: KnowledgeBase) -> None:
    veteran = weigh(kb, _person(channels=("taobao",), years=3))
    assert veteran.basis("taobao-operations") is Basis.INFERRED
    newcomer = weigh(kb, _person(channels=("taobao",), years=1))
    assert newcomer.basis("taobao-operations") is Basis.UNKNOWN


def test_a_title_only_profile_is_screened_on_inferred_levels(kb: KnowledgeBase) -> None:
    result = _screen(kb, _person(titles=("SEO specialist",)), "seo-specialist")
    # seo and keyword research come from the title, site planning is unknown: a question.
    assert dict(result.evidence)["seo"] is Basis.INFERRED
    assert dict(result.evidence)["site-planning"] is Basis.UNKNOWN
    assert "seo-job-title" in {f.rule for f in result.findings}
    assert result.inferred and result.inferred[0].rule == "seo-job-title"
    assert result.questions[0].skill == "site-planning"  # unknown before inferred


def test_one_root_cause_one_finding(kb: KnowledgeBase) -> None:
    seo = _person({"seo": 4, "keyword-research": 4}, channels=("baidu",))
    result = _screen(kb, seo, "taobao-operator", "taobao-store")
    blocking = [f for f in result.findings if f.severity.blocks]
    assert [f.rule for f in blocking] == ["seo-specialist-in-taobao-post"]
    assert {f.skill for f in blocking[0].explains} == {
        "taobao-operations",
        "merchandise-operations",
        "customer-service",
    }
    # Never working on Taobao or Tmall (stated channels) backs "no store skill shown".
    assert blocking[0].basis is Basis.INFERRED
    assert result.confidence is Confidence.MEDIUM and result.questions == ()
    assert result.better_roles[0].role == "seo-specialist"


def test_stated_evidence_settles_a_mismatch_without_questions(kb: KnowledgeBase) -> None:
    result = _screen(kb, _person({"seo": 1, "keyword-research": 1}), "seo-specialist")
    assert result.verdict is Verdict.MISMATCH
    assert result.questions == ()  # site-planning is unknown, but cannot change the verdict
    assert result.confidence is Confidence.HIGH


def test_fit_weighs_requirements_by_importance_and_distinctiveness(kb: KnowledgeBase) -> None:
    model = FitModel.of(kb)
    # The web developer post rests on building sites, far more than on SEO awareness.
    assert model.core["web-developer"] == "web-development"
    weights = model.weights["web-developer"]
    assert weights["web-development"] > 2 * weights["seo"]
    assert distinctiveness(1, 18) == 2.0 and distinctiveness(18, 18) == 1.0
    rows = [("web-development", 3, 5), ("seo", 1, -1)]
    assert 70 <= model.fit("web-developer", rows) < 100
    assert model.fit("web-developer", [("web-development", 3, -1), ("seo", 1, 1)]) < 30


def test_an_easy_post_anyone_meets_is_not_a_better_post(kb: KnowledgeBase) -> None:
    # A writer who also answers customers well: the chat seat is not where they fit better.
    writer = _person(
        {"copywriting": 4, "marketing": 4, "customer-service": 3, "creativity": 1},
        titles=("Copywriter",),
    )
    result = _screen(kb, writer, "marketing-copywriter")
    assert result.verdict is Verdict.MISMATCH  # creativity stated two levels short
    assert "customer-service-rep" not in [r.role for r in result.better_roles]


def test_importance_must_name_an_essential_skill(tmp_path: Any) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    for name in ("skills.yaml", "strategies.yaml", "modules.yaml", "rules.yaml", "pack.yaml"):
        (pack / name).write_text((ROOT / "rules" / name).read_text(encoding="utf-8"))
    roles = (ROOT / "rules" / "roles.yaml").read_text(encoding="utf-8")
    (pack / "roles.yaml").write_text(
        roles.replace("importance: {web-development: 4.12, seo: 2}", "importance: {seo: 7}"),
        encoding="utf-8",
    )
    with pytest.raises(StaffcheckError) as caught:
        load_knowledge(pack)
    [problem] = caught.value.problems
    assert "importance 7 is not a number from 1 to 5" in problem.message
    assert problem.location is not None and problem.location.path.endswith("roles.yaml")


@pytest.mark.parametrize(
    ("rule", "severity"),
    [
        ("essential-skill-not-shown", "high"),
        ("seo-job-title", "critical"),
        ("seo-job-title", "medium"),
    ],
)
def test_an_override_cannot_make_silence_or_a_title_decide(
    tmp_path: Any, rule: str, severity: str
) -> None:
    (tmp_path / "pack.yaml").write_text(
        "pack: {name: over, extends: bundled}\n"
        f"overrides:\n  rules:\n    {rule}: {{severity: {severity}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(StaffcheckError) as caught:
        load_knowledge(tmp_path)
    [problem] = caught.value.problems
    assert "rule can be at most" in problem.message and severity in problem.message
    assert problem.location is not None and problem.location.line == 4


def test_an_inferred_level_under_the_need_is_a_question_not_a_gap(kb: KnowledgeBase) -> None:
    # "SEO lead" implies keyword research ≥ 2 (a lower bound); the post needs 3.
    lead = _person({"seo": 5, "site-planning": 3}, titles=("SEO lead",))
    result = _screen(kb, lead, "seo-specialist")
    [finding] = [f for f in result.findings if f.skill == "keyword-research"]
    assert finding.rule == "essential-skill-not-shown" and "(only ≥ 2, inferred)" in finding.message
    assert "essential-skill-below-level" not in _all_rules(result)
    assert result.questions[0].skill == "keyword-research"
    assert result.confidence is Confidence.LOW
    advice = advise(kb, screen(kb, [lead], None, role="seo-specialist")).advice
    assert not any(line.startswith("Train") for line in advice)


def test_a_mismatch_that_rests_on_open_questions_is_asked_before_redeploying(
    kb: KnowledgeBase,
) -> None:
    promoter = _person({"portal-promotion": 4, "ad-placement": 3, "marketing": 2})
    report = advise(kb, screen(kb, [promoter], None, role="merchandise-operator"))
    [candidate] = report.candidates
    assert candidate.verdict is Verdict.MISMATCH and candidate.confidence is Confidence.LOW
    [line] = report.advice
    skill, post = kb.skills["merchandise-operations"].name, kb.roles["portal-promoter"].name
    assert line.startswith(f"Ask Test Person about {skill}") and "before rejecting" in line
    assert f"consider them for {post} (fit" in line


def test_a_title_is_kept_short(kb: KnowledgeBase, tmp_path: Any) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"id: p-1\nname: P\ntitles: [{'x' * 201}]\n", encoding="utf-8")
    with pytest.raises(StaffcheckError) as caught:
        load_profiles(path, kb)
    [problem] = caught.value.problems
    assert "a title is 201 characters long" in problem.message


@pytest.mark.parametrize(
    ("words", "title"),
    [
        (("SEO", "搜索引擎优化"), "高级SEO专员"),
        (("SEO",), "Seoul office"),
        (("search engine optimi",), "Head of Search Engine Optimisation"),
        (("iOS",), "İOS Geliştirici"),  # İ lowers to two characters
        (("SEO",), "SEOıl"),  # dotless ı: a word character to the regex's folding
        (("Marketing",), "Dijital Marketİng"),
        (("SEM",), "ſEM"),  # long s folds to s
        (("Développeur",), "DÉVELOPPEUR web"),
        (("PPC",), "PPC专员"),
    ],
)
def test_title_words_match_as_the_case_insensitive_pattern_does(
    words: tuple[str, ...], title: str
) -> None:
    # str.find serves ASCII and Chinese titles; other cased letters go to the regex itself, so
    # both ways agree on every title (the regex is what the words mean).
    from staffcheck.kinds.skill_evidence import _title_pattern, _TitleWords

    expected = _title_pattern(words).search(title) is not None
    assert _TitleWords.of(words).search(title) is expected
