"""``staffcheck explain``: derivation trees, why (not) a post, and actions with measured effects."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from staffcheck.actions import ActionPlan, plan_actions
from staffcheck.diagnose import assess_team, screen
from staffcheck.errors import StaffcheckError
from staffcheck.explain import CORE_RULES, Explanation, ExplanationNode, NodeKind, explain
from staffcheck.model import Action, KnowledgeBase, Location, Member, Profile, Team, frozen_map
from staffcheck.profiles import load_profiles, load_team
from staffcheck.why_not import why_not

from .conftest import CANDIDATES, EXAMPLES
from .test_hostile_text import HOSTILE

SPRING = EXAMPLES / "spring-launch.yaml"
SUN_LI = "c-1042"


@pytest.fixture(scope="module")
def spring(kb: KnowledgeBase) -> Team:
    return load_team(SPRING, kb)


@pytest.fixture(scope="module")
def explanation(kb: KnowledgeBase, spring: Team) -> Explanation:
    return explain(kb, assess_team(kb, spring), [m.profile for m in spring.members])


@pytest.fixture(scope="module")
def plan(kb: KnowledgeBase, spring: Team) -> ActionPlan:
    return plan_actions(kb, spring)


def _chain(root: ExplanationNode, *steps: str) -> tuple[ExplanationNode, ...]:
    """The first root-to-leaf path whose labels contain `steps` in order (on nodes in a row)."""
    for path in root.paths():
        labels = [node.label for node in path]
        for start in range(len(labels) - len(steps) + 1):
            if all(step in labels[start + i] for i, step in enumerate(steps)):
                return path
    raise AssertionError(f"no path {' → '.join(steps)} in the tree")


def _rationale(kb: KnowledgeBase, rule: str) -> str:
    return " ".join(kb.rules[rule].rationale.split())


# --- the derivation trees --------------------------------------------------------------------


def test_sun_li_tree_goes_from_strategy_to_the_missing_skill(
    kb: KnowledgeBase, explanation: Explanation
) -> None:
    sun = next(p for p in explanation.people if p.id == SUN_LI)
    path = _chain(
        sun.tree,
        "strategy Taobao store",
        "store operations module",
        "post Taobao store operator",
        "needs Taobao/Tmall store operations ≥ 3",
        "Sun Li's profile does not show Taobao/Tmall store operations",
        "rule essential-skill-not-shown",
        "does not show Taobao/Tmall store operations",
    )
    kinds = [node.kind for node in path]
    assert kinds == [
        NodeKind.STRATEGY,
        NodeKind.MODULE,
        NodeKind.POST,
        NodeKind.REQUIREMENT,
        NodeKind.EVIDENCE,
        NodeKind.RULE,
        NodeKind.FINDING,
    ]
    post, requirement, _, rule, finding = path[2:]
    assert (post.rule, post.rationale) == ("derive-posts", CORE_RULES["derive-posts"])
    assert requirement.rule == "derive-requirements"
    assert rule.rule == finding.rule == "essential-skill-not-shown"
    assert rule.rationale == _rationale(kb, "essential-skill-not-shown")
    # Silence is a question (medium), not "has no taobao-operations at all" (high).
    assert finding.severity is not None and finding.severity.value == "medium"


def test_confusable_role_shows_the_pattern_the_evidence_and_the_better_post(
    explanation: Explanation,
) -> None:
    sun = next(p for p in explanation.people if p.id == SUN_LI)
    path = _chain(
        sun.tree,
        "post Taobao store operator",
        "the rule's pattern: Search engine optimisation ≥",
        "Sun Li has Search engine optimisation 4, Taobao/Tmall store operations not shown",
        "rule seo-specialist-in-taobao-post",
        "looks like an SEO specialist",
        "fits better: SEO specialist (fit 100)",
    )
    assert path[-1].rule == "explore-other-posts"


def test_a_fit_member_shows_every_requirement_met(explanation: Explanation) -> None:
    ma = next(p for p in explanation.people if p.id == "e-1")
    assert ma.verdict.value == "fit"
    leaves = [path[-1] for path in ma.tree.paths()]
    assert leaves and all(leaf.label.endswith(": met") for leaf in leaves)
    assert not any(node.kind is NodeKind.RULE for node in ma.tree.walk())


def test_gap_tree_for_the_data_analyst(kb: KnowledgeBase, explanation: Explanation) -> None:
    gap = next(g for g in explanation.gaps if g.role == "data-analyst")
    path = _chain(
        gap.tree,
        "strategy Taobao store",
        "data monitoring and analysis module (high)",
        "post Marketing data analyst",
        "no member holds it",
        "rule uncovered-post",
        "nobody covers the Marketing data analyst post",
        "nobody else in the team fits it",
    )
    holders, rule = path[3], path[4]
    assert holders.kind is NodeKind.HOLDERS and holders.rule == "covers-post"
    assert rule.rule == "uncovered-post" and rule.rationale == _rationale(kb, "uncovered-post")
    assert path[5].severity is not None and path[5].severity.value == "high"


def test_gap_tree_names_the_holder_and_why_they_do_not_cover_it(
    explanation: Explanation,
) -> None:
    gap = next(g for g in explanation.gaps if g.role == "taobao-operator")
    path = _chain(
        gap.tree,
        "post Taobao store operator",
        "held by Sun Li, who cannot carry it",
        "Sun Li: fit 0, mismatch",
        "looks like an SEO specialist",
    )
    assert path[-1].rule == "seo-specialist-in-taobao-post"
    _chain(gap.tree, "rule uncovered-post", "nobody covers", "could be covered by Guo Ping, fit ")


def test_person_and_rule_filters(kb: KnowledgeBase, spring: Team) -> None:
    report = assess_team(kb, spring)
    profiles = [m.profile for m in spring.members]
    only_sun = explain(kb, report, profiles, person=SUN_LI)
    assert [p.id for p in only_sun.people] == [SUN_LI]
    assert [g.role for g in only_sun.gaps] == ["taobao-operator"]
    only_gaps = explain(kb, report, profiles, rule="uncovered-post")
    assert not only_gaps.people and {g.role for g in only_gaps.gaps} == {
        "taobao-operator",
        "data-analyst",
    }
    missing = explain(kb, report, profiles, rule="essential-skill-not-shown")
    assert [p.id for p in missing.people] == [SUN_LI]
    rules = {n.rule for n in missing.nodes() if n.kind in (NodeKind.RULE, NodeKind.FINDING)}
    assert rules == {"essential-skill-not-shown"}


def test_without_a_strategy_the_tree_starts_at_the_post(kb: KnowledgeBase) -> None:
    profiles = load_profiles(CANDIDATES / "sun-li.yaml", kb)
    tree = explain(kb, screen(kb, profiles), profiles).people[0].tree
    assert tree.kind is NodeKind.POST and tree.label == "post Taobao store operator"
    _chain(
        tree,
        "needs Taobao/Tmall store operations ≥ 3",
        "does not show Taobao/Tmall store operations",
        "rule essential-",
    )


# --- why (not) -------------------------------------------------------------------------------


def test_why_not_sun_li_covers_the_seo_post(kb: KnowledgeBase, spring: Team) -> None:
    sun = next(m.profile for m in spring.members if m.profile.id == SUN_LI)
    answer = why_not(kb, sun, "seo-specialist", kb.strategies["taobao-store"])
    assert answer.covers and answer.fit == 100
    assert answer.verdict_line.startswith("covers it")
    assert all(check.met for check in answer.essential)
    assert ("link-building", 3) in answer.optional


def test_why_not_sun_li_on_the_taobao_post_lists_the_unmet_skills(
    kb: KnowledgeBase, spring: Team
) -> None:
    sun = next(m.profile for m in spring.members if m.profile.id == SUN_LI)
    answer = why_not(kb, sun, "taobao-operator", kb.strategies["taobao-store"])
    assert not answer.covers
    assert answer.verdict_line.startswith("does not cover it: ")
    unmet = {(c.skill, c.need, c.shown) for c in answer.essential if not c.met}
    assert unmet == {
        ("taobao-operations", 3, "not shown"),
        ("merchandise-operations", 3, "not shown"),
        ("customer-service", 2, "not shown"),
    }
    assert "seo-specialist-in-taobao-post" in {f.rule for f in answer.findings}
    root = _rationale(kb, "seo-specialist-in-taobao-post")
    assert answer.rationales["seo-specialist-in-taobao-post"] == root


def test_why_not_in_the_terminal(cli) -> None:
    covers = cli("explain", SPRING, "--why-not", "--person", SUN_LI, "--post", "seo-specialist")
    assert covers.code == 0 and covers.err == ""
    assert "Verdict: covers it" in covers.out
    assert "SEO specialist post is not one the Taobao store strategy uses" in " ".join(
        covers.out.split()
    )
    does_not = cli("explain", SPRING, "--why-not", "-p", SUN_LI, "--post", "taobao-operator")
    assert "Verdict: does not cover it: SEO specialist staffed on a Taobao store post" in (
        " ".join(does_not.out.split())
    )
    # Her profile is silent on the store skills: each is a question ("ask"), not "not met".
    for skill in ("Taobao/Tmall store operations", "Merchandise operations", "Customer service"):
        assert any(
            skill in line and "not shown" in line and "ask" in line
            for line in does_not.out.splitlines()
        )
    assert max(len(line) for line in does_not.out.splitlines()) <= 80


def test_why_not_json_and_markdown(cli) -> None:
    args = ("explain", SPRING, "--why-not", "--person", "e-3", "--post", "taobao-operator")
    data = cli(*args, "--format", "json").json()
    assert data["schema"] == "staffcheck.explain/1" and data["kind"] == "why-not"
    answer = data["why_not"]
    assert answer["person"] == {"id": "e-3", "name": "Guo Ping"}
    assert answer["holds"] == "merchandise-operator" and answer["covers"] is True
    assert {
        "skill": "taobao-operations",
        "need": 3,
        "have": 2,
        "basis": "stated",
        "met": False,
    } in answer["essential"]
    assert answer["findings"][0]["rule"] == "essential-skill-below-level"
    md = cli(*args, "--format", "markdown").out
    assert md.startswith("# Why (not): Guo Ping on the Taobao store operator post")
    assert "| Taobao/Tmall store operations | 3 | 2 | **not met** |" in md


# --- actions ---------------------------------------------------------------------------------


def _apply(kb: KnowledgeBase, team: Team, plan: ActionPlan) -> Team:
    """The plan's moves, training and hires applied by hand, to check its effects independently."""
    members = list(team.members)
    for action in plan.actions:
        for move in action.moves:
            if move.hire:
                post = kb.roles[move.to_role]
                hire = Profile(
                    move.person_id,
                    move.person_name,
                    frozen_map(dict(post.essential)),
                    Location("test"),
                    channels=post.channels,
                )
                members.append(Member(move.to_role, hire))
            else:
                members = [
                    replace(m, role=move.to_role) if m.profile.id == move.person_id else m
                    for m in members
                ]
        for t in action.training:
            members = [
                replace(
                    m,
                    profile=replace(
                        m.profile, skills=frozen_map({**m.profile.skills, t.skill: t.need})
                    ),
                )
                if m.profile.id == t.person_id
                else m
                for m in members
            ]
    return replace(team, members=tuple(members))


def test_actions_for_spring_launch(kb: KnowledgeBase, spring: Team, plan: ActionPlan) -> None:
    # the critical post first: nobody in the team can take the store, so a hire
    first = plan.actions[0]
    assert first.action is Action.HIRE and first.covers == ("taobao-operator",)
    assert "Sun Li cannot carry it" in first.notes
    sun = next(a for a in plan.actions if a.action is Action.REASSIGN)
    assert sun.moves[0].person_id == SUN_LI and sun.moves[0].from_role == "taobao-operator"
    assert sun.moves[0].to_role == "seo-specialist"
    assert len(sun.after.mismatches) < len(sun.before.mismatches)
    # covering posts before a move that only ends a mismatch
    assert plan.actions.index(sun) == len(plan.actions) - 1
    analyst = next(a for a in plan.actions if "data-analyst" in a.covers)
    assert analyst.action in (Action.HIRE, Action.REASSIGN)
    assert len(analyst.after.uncovered) < len(analyst.before.uncovered)
    assert "data-analyst" in analyst.before.uncovered
    assert "data-analyst" not in analyst.after.uncovered
    assert "covers data-analyst: uncovered posts" in analyst.effect
    # each step starts where the one before it ended, and the plan ends with every post covered
    for earlier, later in zip(plan.actions, plan.actions[1:], strict=False):
        assert later.before == earlier.after
    assert plan.before.uncovered == ("taobao-operator", "data-analyst")
    assert plan.after.uncovered == () and plan.after.mismatches == ()
    # the effects are real: the steps applied by hand leave no post uncovered
    done = assess_team(kb, _apply(kb, spring, plan)).team
    assert done is not None and done.gaps == ()


def test_a_member_who_fits_an_uncovered_post_is_moved_onto_it(
    kb: KnowledgeBase, spring: Team
) -> None:
    analyst = Profile(
        "e-8",
        "Qian Yu",
        frozen_map({"data-analysis": 4, "marketing": 2}),
        Location("test"),
        channels=("taobao",),
    )
    team = replace(spring, members=(*spring.members, Member("seo-specialist", analyst)))
    plan = plan_actions(kb, team)
    move = next(a for a in plan.actions if "data-analyst" in a.covers)
    assert move.action is Action.REASSIGN
    assert [(m.person_id, m.from_role, m.to_role) for m in move.moves] == [
        ("e-8", "seo-specialist", "data-analyst")
    ]
    assert len(move.before.uncovered) - len(move.after.uncovered) == 1
    assert not any(a.action is Action.HIRE and "data-analyst" in a.covers for a in plan.actions)


def test_a_one_level_gap_is_trained_not_hired(kb: KnowledgeBase, spring: Team) -> None:
    guo = next(m for m in spring.members if m.profile.id == "e-3")
    team = replace(
        spring,
        members=(
            *(m for m in spring.members if m.profile.id != SUN_LI),
            Member("taobao-operator", replace(guo.profile, id="e-9", name="Guo Ling")),
        ),
    )
    plan = plan_actions(kb, team)
    train = next(a for a in plan.actions if a.action is Action.TRAIN)
    assert [(t.person_id, t.skill, t.have, t.need) for t in train.training] == [
        ("e-9", "taobao-operations", 2, 3)
    ]
    assert "Guo Ling partial → fit" in train.effect
    assert not any(a.action is Action.HIRE and "taobao-operator" in a.covers for a in plan.actions)


def test_actions_in_the_terminal_and_markdown(cli) -> None:
    run = cli("explain", SPRING, "--actions")
    assert run.code == 0 and run.err == ""
    text = " ".join(run.out.split())
    assert "1. hire for Taobao store operator" in text
    assert "3. reassign Sun Li from Taobao store operator to SEO specialist (fit 100)" in text
    assert "covers Taobao store operator: uncovered posts 2 → 1" in text
    assert "covers Marketing data analyst: uncovered posts 1 → 0" in text
    assert "If every step is taken: uncovered posts 2 → 0, mismatches 1 → 0" in text
    assert max(len(line) for line in run.out.splitlines()) <= 80
    md = cli("explain", SPRING, "--actions", "--format", "markdown").out
    assert "1. **hire**: for Taobao store operator" in md
    assert "3. **reassign**: Sun Li from Taobao store operator" in md
    assert "   - effect: covers Marketing data analyst: uncovered posts 1 → 0" in md


# --- the command line ------------------------------------------------------------------------


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node["children"]:
        yield from _nodes(child)


def test_explain_json_follows_its_schema(cli, kb: KnowledgeBase) -> None:
    data = cli("explain", SPRING, "--format", "json").json()
    assert data["schema"] == "staffcheck.explain/1" and data["kind"] == "explanation"
    assert data["strategy"] == {"id": "taobao-store", "name": "Taobao store"}
    assert data["team"] == "Spring launch"
    assert [p["id"] for p in data["people"]] == [
        "e-1",
        SUN_LI,
        "e-3",
        "e-4",
        "c-1047",
        "e-5",
        "e-6",
        "e-7",
    ]
    trees = [p["tree"] for p in data["people"]] + [g["tree"] for g in data["gaps"]]
    for tree in trees:
        for node in _nodes(tree):
            assert set(node) == {"label", "kind", "rule", "rationale", "severity", "children"}
            assert node["kind"] in {k.value for k in NodeKind}
            if node["kind"] == "rule":
                assert node["rationale"] == _rationale(kb, node["rule"])
            elif node["rule"] in CORE_RULES:
                assert node["rationale"] == CORE_RULES[node["rule"]]
    assert {g["role"] for g in data["gaps"]} == {"taobao-operator", "data-analyst"}
    actions = data["actions"]
    assert actions["before"]["uncovered"] == ["taobao-operator", "data-analyst"]
    assert actions["after"] == {"uncovered": [], "mismatches": []}
    step = actions["steps"][-1]
    assert step["action"] == "reassign" and step["moves"][0]["id"] == SUN_LI
    assert set(step) >= {"summary", "effect", "covers", "uncovered_before", "uncovered_after"}
    assert set(data["derivation_rules"]) <= set(CORE_RULES)


def test_explain_table_and_markdown(cli) -> None:
    run = cli("explain", SPRING)
    assert run.code == 0 and run.err == ""
    assert "Sun Li on post Taobao store operator · fit 0 · mismatch" in run.out
    assert "└── rule uncovered-post: Post the strategy needs is not covered" in run.out
    assert "why: Essay 000" in run.out
    assert max(len(line) for line in run.out.splitlines()) <= 80
    md = cli("explain", SPRING, "--format", "markdown", "--person", SUN_LI).out
    assert md.startswith("# Explanation, team Spring launch, strategy Taobao store")
    assert "      - needs Taobao/Tmall store operations ≥ 3 · rule `derive-requirements`" in md
    assert "Ma Jun" not in md


def test_explain_profiles_with_a_strategy_and_an_output_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "explain.md"
    run = cli(
        "explain", CANDIDATES / "sun-li.yaml", "--strategy", "taobao-store",
        "--format", "markdown", "--output", target,
    )  # fmt: skip
    assert run.code == 0 and run.out == ""
    assert "store operations module (critical)" in target.read_text(encoding="utf-8")


def test_nothing_to_explain_is_said_plainly(cli) -> None:
    run = cli("explain", SPRING, "--person", "e-1", "--rule", "essential-skill-missing")
    assert run.code == 0
    assert "Nothing to explain for this selection." in run.out


@pytest.fixture
def hostile_team(tmp_path: Path) -> Path:
    path = tmp_path / "hostile-team.yaml"
    name = json.dumps(HOSTILE)  # a JSON string is a valid YAML double-quoted scalar
    path.write_text(
        "team: Hostile\nstrategy: taobao-store\nmembers:\n"
        f"  - role: taobao-operator\n    id: c-666\n    name: {name}\n    skills: {{seo: 4}}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "extra",
    [(), ("--actions",), ("--why-not", "--person", "c-666", "--post", "seo-specialist")],
)
def test_hostile_names_are_inert(cli, hostile_team: Path, extra: Sequence[str]) -> None:
    table = cli("explain", hostile_team, *extra)
    assert table.code == 0
    assert "\x1b" not in table.out and "\\x1b[31mRED" in table.out
    assert "[bold red]Boss[/bold red]" in table.out
    md = cli("explain", hostile_team, *extra, "--format", "markdown").out
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "[x](http://e.vil)" not in md and "\x1b" not in md
    data = cli("explain", hostile_team, *extra, "--format", "json").json()
    assert any(HOSTILE in text for text in _strings(data)), "JSON keeps the name exactly"


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_a_name_that_looks_like_markdown_blocks_stays_text(cli, tmp_path: Path) -> None:
    path = tmp_path / "heading.yaml"
    path.write_text(
        'id: c-7\nname: "# 1. Boss"\napplying_for: taobao-operator\nskills: {seo: 4}\n',
        encoding="utf-8",
    )
    md = cli("explain", path, "--format", "markdown").out
    assert "- \\# 1. Boss's profile does not show Taobao/Tmall store operations" in md


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--person", "c-104"), "unknown person 'c-104' (did you mean"),
        (("--why-not", "--person", "c-1043", "--post", "seo-specialist"), "did you mean"),
        (
            ("--why-not", "--person", SUN_LI, "--post", "taobao-operatr"),
            "unknown post 'taobao-operatr' (did you mean 'taobao-operator'?)",
        ),
        (("--rule", "essential-skill-mising"), "(did you mean 'essential-skill-missing'?)"),
        (("--strategy", "taobao-stor"), "(did you mean 'taobao-store'?)"),
        (("--why-not", "--person", SUN_LI), "--why-not needs --person ID|NAME and --post POST"),
        (("--actions", "--person", SUN_LI), "--actions plans for the whole team"),
        (("--post", "seo-specialist"), "--post needs --why-not with a team file"),
    ],
)
def test_bad_usage_gives_one_line_and_exit_2(cli, args: Sequence[str], expected: str) -> None:
    run = cli("explain", SPRING, *args)
    assert run.code == 2 and run.out == ""
    assert len(run.err.strip().splitlines()) == 1
    assert run.err.startswith("staffcheck: error: ") and expected in run.err


def test_a_format_before_the_command_that_explain_lacks(cli) -> None:
    run = cli("--format", "html", "explain", SPRING)
    assert run.code == 2 and run.out == ""
    assert run.err.strip() == (
        "staffcheck: error: explain has no 'html' format (use one of: table, json, markdown)"
    )


def test_actions_need_a_team_file(cli) -> None:
    run = cli("explain", CANDIDATES / "sun-li.yaml", "--actions")
    assert run.code == 2 and "--actions needs a team file" in run.err


def test_find_person_suggests_the_closest_id(kb: KnowledgeBase, spring: Team) -> None:
    report = assess_team(kb, spring)
    with pytest.raises(StaffcheckError, match="did you mean 'e-3'"):
        explain(kb, report, [m.profile for m in spring.members], person="e-33")


@pytest.mark.parametrize(
    "command",
    [["screen"], ["team"], ["plan"], ["explain"], ["rules"], ["rules", "list"], ["rules", "docs"]],
)
def test_every_command_has_help_with_examples(
    cli, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli(*command, "--help")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: staffcheck {command[0]}")
    assert "examples:" in out
    if command == ["explain"]:
        for option in ("--why-not", "--post", "--actions", "--person", "--rule", "--format"):
            assert option in out


def test_actions_for_a_large_messy_team_finish_and_say_each_note_once(cli, tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    roles = ["taobao-operator", "marketing-copywriter", "data-analyst", "seo-specialist"]
    skills = ["seo", "taobao-operations", "merchandise-operations", "customer-service",
              "copywriting", "marketing", "data-analysis", "editing"]  # fmt: skip
    lines = ["team: Big", "strategy: taobao-store", "members:"]
    for i in range(60):
        levels = ", ".join(f"{s}: {rng.randint(0, 5)}" for s in rng.sample(skills, 4))
        lines += [f"  - role: {rng.choice(roles)}", f"    id: p-{i}", f"    name: Person {i}",
                  f"    skills: {{{levels}}}"]  # fmt: skip
    team = tmp_path / "big.yaml"
    team.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("explain", team, "--actions", "--format", "json")
    assert run.code == 0, run.err
    for action in run.json()["actions"]["steps"]:
        assert len(action["notes"]) == len(set(action["notes"]))
