"""The library behind ``explain`` and ``--strategy``, called directly (not through the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from staffcheck.actions import ActionPlan, explain_subject
from staffcheck.errors import StaffcheckError
from staffcheck.explain import Explanation, strategy_and_team
from staffcheck.knowledge import resolve_strategy, strategy_files
from staffcheck.model import KnowledgeBase
from staffcheck.reporters import render
from staffcheck.sources import held_post, load_subject
from staffcheck.why_not import answer_why_not
from tests.conftest import CANDIDATES, EXAMPLES

SPRING = str(EXAMPLES / "spring-launch.yaml")
SUN_LI = str(CANDIDATES / "sun-li.yaml")
LIVE_STREAM = (
    "id: live-stream-selling\nname: Live-stream selling\nmodules:\n"
    "  - module: store-operations\n    roles: {taobao-operator: critical}\n"
)


def test_resolve_strategy_takes_an_id_a_file_or_nothing(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "live-stream.yaml"
    path.write_text(LIVE_STREAM, encoding="utf-8")
    assert resolve_strategy(kb, None) is None
    assert resolve_strategy(kb, "taobao-store") is kb.strategies["taobao-store"]
    from_file = resolve_strategy(kb, str(path))
    assert from_file is not None and from_file.id == "live-stream-selling"
    assert strategy_files(str(path)) == [path]
    assert strategy_files("taobao-store") == strategy_files(None) == []
    with pytest.raises(StaffcheckError, match="did you mean 'taobao-store'"):
        resolve_strategy(kb, "taobao-stor")


def test_a_team_is_judged_by_its_own_strategy_unless_one_is_given(kb: KnowledgeBase) -> None:
    subject = load_subject([SPRING], kb)
    assert subject.team is not None
    own, team = strategy_and_team(subject, kb)
    assert own is not None and team is not None and team.strategy == own.id
    other = next(s for s in kb.strategies.values() if s.id != own.id)
    given, team = strategy_and_team(subject, kb, other)
    assert given is other and team is not None and team.strategy == other.id
    assert strategy_and_team(load_subject([SUN_LI], kb), kb) == (None, None)


def test_held_post_is_the_team_post_else_the_one_applied_for(kb: KnowledgeBase) -> None:
    team = load_subject([SPRING], kb)
    member = team.team.members[0] if team.team else None
    assert member is not None and held_post(team, member.profile) == member.role
    alone = load_subject([SUN_LI], kb)
    assert held_post(alone, alone.profiles[0]) == alone.profiles[0].applying_for


def test_explain_subject_gives_a_team_its_plan_and_the_plan_its_trees(kb: KnowledgeBase) -> None:
    subject = load_subject([SPRING], kb)
    explanation = explain_subject(kb, subject)
    assert isinstance(explanation, Explanation) and explanation.actions is not None
    plan = explain_subject(kb, subject, actions=True)
    assert isinstance(plan, ActionPlan) and plan.explanation is not None
    # one staffcheck.explain/1 document, whichever question was asked
    assert render(plan, "json") == render(explanation, "json")


def test_explain_subject_refuses_what_profiles_cannot_answer(kb: KnowledgeBase) -> None:
    subject = load_subject([SUN_LI], kb)
    explanation = explain_subject(kb, subject, kb.strategies["taobao-store"])
    assert isinstance(explanation, Explanation) and explanation.actions is None
    with pytest.raises(StaffcheckError, match="--actions needs a team file"):
        explain_subject(kb, subject, actions=True)
    with pytest.raises(StaffcheckError, match="--post needs --why-not"):
        explain_subject(kb, load_subject([SPRING], kb), post="seo-specialist")


def test_answer_why_not_finds_the_person_and_their_post(kb: KnowledgeBase) -> None:
    subject = load_subject([SPRING], kb)
    answer = answer_why_not(kb, subject, "c-1042", "seo-specialist")
    member = (
        next(m for m in subject.team.members if m.profile.id == "c-1042") if subject.team else None
    )
    assert answer.person_id == "c-1042" and member is not None and answer.holds == member.role
    assert answer.strategy is not None and subject.team is not None
    assert answer.strategy.id == subject.team.strategy
    with pytest.raises(StaffcheckError, match="unknown person"):
        answer_why_not(kb, subject, "c-9999", "seo-specialist")


def test_an_action_plan_without_trees_is_still_an_explain_document(kb: KnowledgeBase) -> None:
    plan = explain_subject(kb, load_subject([SPRING], kb), actions=True)
    assert isinstance(plan, ActionPlan)
    bare = render(
        ActionPlan(plan.actions, plan.before, plan.after, plan.team, plan.strategy), "json"
    )
    assert '"kind": "explanation"' in bare and '"people": []' in bare


def test_explain_and_plan_take_a_strategy_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "live-stream.yaml"
    path.write_text(LIVE_STREAM, encoding="utf-8")
    plan = cli("plan", "--strategy", path, "--format", "json").json()
    assert plan["strategy"]["id"] == "live-stream-selling"
    explained = cli("explain", SUN_LI, "--strategy", path, "--format", "json").json()
    assert explained["strategy"]["id"] == "live-stream-selling"
