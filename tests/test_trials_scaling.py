"""The what-if trials of a team's plan cost the people they change, not the whole team (issue 15).

``explain --actions`` measures dozens of variants of one team. A variant re-reads only the
people it changes (their engine run, their findings in words) and makes the team run again
only when what the team rules read of the team changes (`diagnose._team_key`): the work is
counted here, never timed. What the memo gives must be what a fresh assessment gives: every
variant a plan measures, and random variants (moves on and off the strategy's posts, training,
hires, leavers), are held to a fresh assessment of the same team, and the planner's estimates
to `Tally.estimate` counted from scratch.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from staffcheck import diagnose, trials
from staffcheck.actions import plan_actions
from staffcheck.diagnose import TeamMemo, assess_team
from staffcheck.engine import InferenceEngine
from staffcheck.model import KnowledgeBase, Location, Member, Profile, Report, Team, frozen_map
from staffcheck.profiles import load_team
from staffcheck.reporters import render

from .conftest import EXAMPLES

STRATEGY = "taobao-store"


def generated_team(kb: KnowledgeBase, members: int, seed: int = 15) -> Team:
    """A team on the strategy's posts, as bench/team.py makes them: most members like their post
    give or take a level (training), some like another post (moves), a few weak; the least
    important post held by one person at most (cover, hires)."""
    rng = random.Random(seed)
    posts = kb.strategies[STRATEGY].posts()
    scarce = min(posts, key=lambda role: (posts[role][1].weight, role))
    held = [role for role in posts if role != scarce]
    roles = [scarce, *rng.choices(held, k=members - 1)]
    others = list(kb.roles)
    people = []
    for index, role in enumerate(roles):
        shape = rng.choices(("own", "other", "weak"), (0.7, 0.2, 0.1))[0]
        like = kb.roles[rng.choice(others) if shape == "other" else role]
        shift = (-2, -1) if shape == "weak" else (-1, 0, 0, 1)
        levels = {s: max(0, min(5, n + rng.choice(shift))) for s, n in like.essential.items()}
        profile = Profile(
            id=f"m-{index}",
            name=f"Member {index}",
            skills=frozen_map(levels),
            source=Location(f"generated member {index}"),
        )
        people.append(Member(role, profile))
    return Team(f"Generated team of {members}", STRATEGY, tuple(people), Location("generated team"))


@dataclass
class Work:
    """What the engine and the diagnosis did: people run, people put in words, team runs."""

    runs: int = 0
    interpreted: int = 0
    team_runs: int = 0


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    """Counts every person the engine runs, every member put in words, every team run."""
    counted = Work()
    assess, coverage = InferenceEngine.assess, InferenceEngine.coverage
    candidate = diagnose._Interpreter.candidate

    def counting_assess(self, assignments, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted.runs += len(assignments)
        return assess(self, assignments, *args, **kwargs)

    def counting_coverage(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted.team_runs += 1
        return coverage(self, *args, **kwargs)

    def counting_candidate(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted.interpreted += 1
        return candidate(self, *args, **kwargs)

    monkeypatch.setattr(InferenceEngine, "assess", counting_assess)
    monkeypatch.setattr(InferenceEngine, "coverage", counting_coverage)
    monkeypatch.setattr(diagnose._Interpreter, "candidate", counting_candidate)
    yield counted


def _planned(kb: KnowledgeBase, team: Team) -> trials.Planner:
    memo = TeamMemo()
    planner = trials.Planner(kb, team, assess_team(kb, team, memo=memo), None, None, memo)
    planner.run()
    return planner


@pytest.mark.parametrize("members", [16, 24])
def test_a_plan_re_reads_only_the_people_its_trials_change(
    kb: KnowledgeBase, work: Work, members: int
) -> None:
    team = generated_team(kb, members)  # moves, training and hires: see the asserts below
    planner = _planned(kb, team)
    tried = set(planner.estimated) | set(planner.measured)
    assert len(planner.measured) >= 12 and {a.action.value for a in planner.actions} >= {
        "reassign",
        "train",
    }
    # Each trial changes one person (moved, trained or hired): the team's members once, then
    # one person per step tried; a whole team per trial would be members × trials.
    assert work.runs <= members + len(tried)
    assert work.interpreted <= members + len(tried)
    # The team run is made again only when a trial changes what the team rules read (a post
    # covered or left, a first holder): far fewer than the trials measured.
    assert work.team_runs <= 1 + len(planner.measured) // 2


def test_training_trials_share_the_team_run(kb: KnowledgeBase, work: Work) -> None:
    # Training a member one level up changes nothing the team rules read where others have
    # those skills higher already: such trials reuse the team's run.
    team = generated_team(kb, 24, seed=3)
    memo = TeamMemo()
    report = assess_team(kb, team, memo=memo)
    before = work.team_runs
    planner = trials.Planner(kb, team, report, None, None, memo)
    steps = [step for step in planner.steps() if step.action.value == "train"]
    assert len(steps) >= 10
    for step in steps:
        planner.measure(step)
    assert work.team_runs - before <= 2


def _fresh(kb: KnowledgeBase, team: Team, memo: TeamMemo) -> Report:
    """`team` assessed afresh: only the members' own engine runs are shared (they are each
    person's alone); their words and the team run are made again."""
    return assess_team(kb, team, memo=TeamMemo(memo.members))


def _same(kb: KnowledgeBase, team: Team, memo: TeamMemo) -> None:
    assert render(assess_team(kb, team, memo=memo), "json") == render(
        _fresh(kb, team, memo), "json"
    ), f"memoised report differs for {[(m.profile.id, m.role) for m in team.members]}"


@pytest.mark.parametrize("name", ["spring-launch", "retail-team", "generated"])
def test_every_variant_a_plan_measures_is_reported_as_afresh(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    team = (
        generated_team(kb, 14, seed=7)
        if name == "generated"
        else load_team(EXAMPLES / f"{name}.yaml", kb)
    )
    memo = TeamMemo()
    checked = []
    measure = trials.Planner.measure

    def checking(planner: trials.Planner, step: trials._Step) -> trials._Trial:
        trial = measure(planner, step)
        if step.ident not in checked:
            checked.append(step.ident)
            assert render(trial.report, "json") == render(
                _fresh(kb, trial.team, planner.memo), "json"
            ), step.ident
        return trial

    monkeypatch.setattr(trials.Planner, "measure", checking)
    plan = plan_actions(kb, team, memo=memo)
    assert checked and (plan.actions or name != "generated")


def _variants(kb: KnowledgeBase, team: Team, rng: random.Random) -> Iterator[Team]:
    """Random changes, one after another: moves to any post (the strategy's or not), a skill
    set to any level, a member who shows nothing (blocked on their post), a hire, a leaver."""
    roles, skills = list(kb.roles), list(kb.skills)
    for index in range(16):
        members = list(team.members)
        pick = rng.randrange(len(members))
        member, profile = members[pick], members[pick].profile
        change = rng.randrange(5)
        if change == 0:
            members[pick] = replace(member, role=rng.choice(roles))
        elif change in (1, 2):
            levels = {**profile.skills, rng.choice(skills): rng.randint(0, 5)}
            if change == 2:
                levels = dict.fromkeys(profile.skills, 0)
            members[pick] = replace(member, profile=replace(profile, skills=frozen_map(levels)))
        elif change == 3:
            hire = Profile(
                id=f"hire-{index}",
                name=f"Hire {index}",
                skills=frozen_map(dict(kb.roles[member.role].essential)),
                source=Location("(planned hire)"),
            )
            members.insert(rng.randrange(len(members) + 1), Member(member.role, hire))
        elif len(members) > 2:
            del members[pick]
        team = replace(team, members=tuple(members))
        yield team


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_variants_are_reported_as_afresh(kb: KnowledgeBase, seed: int) -> None:
    team = generated_team(kb, 6, seed=seed)
    memo = TeamMemo()
    assess_team(kb, team, memo=memo)
    for variant in _variants(kb, team, random.Random(seed)):
        _same(kb, variant, memo)


def _member(kb: KnowledgeBase, role: str, pid: str, **extra: int) -> Member:
    """Someone with exactly the essentials of `role`, and the `extra` skill levels."""
    skills = frozen_map(
        {**kb.roles[role].essential, **{k.replace("_", "-"): v for k, v in extra.items()}}
    )
    return Member(role, Profile(id=pid, name=pid.upper(), skills=skills, source=Location(pid)))


def _twins(kb: KnowledgeBase) -> dict[str, tuple[Team, Team]]:
    """Teams one thing apart of what the team rules read, each thing on its own: the team's
    size, one holder or two, the first holder, the best level of a skill, whether a post with
    several holders has one who is not blocked. 10 members where the plan takes 11; nobody on
    three of the posts needed (so posts with several holders are overstaffed)."""
    m = _member
    base = [
        m(kb, "project-manager", "pm-1"),
        m(kb, "taobao-operator", "to-1"),
        *(m(kb, "merchandise-operator", f"mo-{n}") for n in (1, 2, 3)),
        *(m(kb, "customer-service-rep", f"cs-{n}") for n in (1, 2, 3)),
        m(kb, "data-analyst", "da-1", creativity=3),  # the team's only creative
        m(kb, "paid-traffic-specialist", "pt-1"),
    ]
    team = Team("Twins", STRATEGY, tuple(base), Location("twins"))

    def changed(pick: str, member: Member | None) -> Team:
        members = [member if x.profile.id == pick else x for x in base]
        return replace(team, members=tuple(x for x in members if x is not None))

    nobody = frozen_map(dict.fromkeys(kb.roles["merchandise-operator"].essential, 0))

    def blocked(member: Member) -> Member:
        return replace(member, profile=replace(member.profile, skills=nobody))

    first_blocked = changed("mo-1", blocked(base[2]))
    return {
        # 11 members: the plan's size, so a sole holder needs a second person, not a deputy
        "size": (team, replace(team, members=(*base, m(kb, "merchandise-operator", "mo-4")))),
        "holders": (team, changed("mo-3", replace(base[4], role="taobao-operator"))),
        "first holder": (team, changed("to-1", m(kb, "taobao-operator", "to-2"))),
        "best level": (team, changed("da-1", m(kb, "data-analyst", "da-1", creativity=2))),
        "covered": (
            first_blocked,
            replace(
                first_blocked,
                members=tuple(
                    blocked(x) if x.profile.id in ("mo-2", "mo-3") else x
                    for x in first_blocked.members
                ),
            ),
        ),
    }


@pytest.mark.parametrize("thing", ["size", "holders", "first holder", "best level", "covered"])
def test_the_team_run_is_made_again_when_what_its_rules_read_changes(
    kb: KnowledgeBase, thing: str
) -> None:
    before, after = _twins(kb)[thing]
    memo = TeamMemo()
    assert render(_fresh(kb, before, memo), "json") != render(_fresh(kb, after, memo), "json")
    assess_team(kb, before, memo=memo)
    _same(kb, after, memo)


def test_the_planners_estimates_are_tally_estimate(kb: KnowledgeBase) -> None:
    # The planner counts an estimate from the one member a step changes; counted from scratch
    # (`Tally.estimate`, every member's own run), it is the same.
    team = generated_team(kb, 16)
    memo = TeamMemo()
    planner = trials.Planner(kb, team, assess_team(kb, team, memo=memo), None, None, memo)
    steps = list(planner.steps())
    assert {step.action.value for step in steps} >= {"reassign", "train", "hire"}
    for step in steps:
        changed = planner.apply(step)[0]
        runs = memo.member_runs(kb, changed)
        counted = trials.Tally.estimate(kb, changed, runs, planner.importance)
        assert planner.estimate(step)[0] == trials._potential(counted, planner.importance)


@pytest.mark.parametrize("members", [24, 60])
def test_a_plan_counted_from_the_changes_is_the_plan_counted_afresh(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, members: int
) -> None:
    # The planner reads the steps of the results a step changed, not of the whole report
    # again, and counts a variant from the last: the plan must be the one it makes reading
    # every result at every step.
    team = generated_team(kb, members, seed=11)
    planner = _planned(kb, team)
    read = planner.actions
    # Each variant's tally is counted from the last one's: it is the tally of its report.
    assert all(t.tally == trials.Tally.of(t.report) for _, t in planner.measured.values())
    with monkeypatch.context() as patched:
        patched.setattr(trials.Planner, "changed_results", lambda self: self.report.candidates)
        every = _planned(kb, team).actions
    assert len(read) >= 10 and read == every
