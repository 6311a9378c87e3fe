"""The engine's agenda is deterministic and drops cancelled activations (experta's DepthStrategy does not)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from experta import Fact
from experta.activation import Activation
from experta.agenda import Agenda
from experta.strategies import DepthStrategy

from staffcheck.engine import StableDepthStrategy

PROBE = Path(__file__).with_name("agenda_probe.py")


class _FakeRule:
    """Just what the agenda reads of a rule: its salience and name (hashable, like real rules)."""

    def __init__(self, name: str) -> None:
        self.salience = 0
        self.__name__ = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _FakeRule) and other.__name__ == self.__name__

    def __hash__(self) -> int:
        return hash(self.__name__)


def _activations(count: int) -> list[Activation]:
    """`count` activations of different rules over the same fact, all at the same salience."""
    fact = Fact(cid="c-1")
    fact["__factid__"] = 7
    return [Activation(_FakeRule(f"rule-{i}"), [fact], {"cid": "c-1"}) for i in range(count)]


def _survivors(strategy: DepthStrategy | StableDepthStrategy) -> list[str]:
    agenda = Agenda()
    strategy.update_agenda(agenda, _activations(6), [])
    # The matcher hands back a fresh, equal activation when a NOT condition stops holding.
    cancelled = _activations(6)[3]
    strategy.update_agenda(agenda, [], [cancelled])
    return sorted(a.rule.__name__ for a in agenda.activations)


def test_stable_strategy_removes_a_cancelled_activation_among_ties() -> None:
    assert "rule-3" not in _survivors(StableDepthStrategy())
    assert len(_survivors(StableDepthStrategy())) == 5


def test_experta_default_strategy_keeps_it_which_is_why_we_replace_it() -> None:
    # If experta ever fixes this, the workaround can go: this test will tell.
    assert "rule-3" in _survivors(DepthStrategy())


def _probe(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    proc = subprocess.run(
        [sys.executable, str(PROBE)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return proc.stdout


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_team_run_is_the_same_under_every_hash_seed(seed: int) -> None:
    # Facts declared one at a time, as a streaming caller would; NOT(Covers) gaps must be exact.
    out = _probe(seed)
    assert out == _probe(12345)
    assert '"gaps": ["data-analyst", "taobao-operator"]' in out


def test_a_fact_is_the_same_fact_declared_or_not_and_hashes_with_its_equals() -> None:
    """A plain fact keeps its fact id and hash once made: equal facts hash alike whichever was
    hashed first, a declared fact is still the same fact as a fresh copy (its id aside), and one
    changed after it was built goes back to experta's checks."""
    from experta.factlist import FactList

    from staffcheck.facts import Holding, Person, content_key

    first, again = Holding(cid="a", role="seo-specialist"), Holding(cid="a", role="seo-specialist")
    hash(first)  # hashed before its fact id was made; `again` the other way round
    assert content_key([again]) == content_key([first])
    assert hash(first) == hash(again) and first == again and len({first, again}) == 1
    assert Holding(cid="a", role="sem-specialist") not in {first}
    memory = FactList()
    memory.declare(first)
    assert first["__factid__"] == 0 and first != again  # experta: the id is part of the dict
    assert content_key([first]) == content_key([Holding(cid="a", role="seo-specialist")])
    assert memory.declare(Holding(cid="a", role="seo-specialist")) is None  # a duplicate
    person = Person(cid="p", channels=("taobao",))
    assert person._plain
    person["cid"] = "q"  # changed before it was declared: experta's own checks from now on
    assert not person._plain and content_key([person]) == content_key(
        [Person(cid="q", channels=("taobao",))]
    )


def test_tokens_without_asserts_still_copy_what_experta_copies() -> None:
    from experta.matchers.rete.token import Token

    from staffcheck import facts

    assert Token.__new__ is facts._token_new and Token.copy is facts._token_copy
    fact, other = Fact(a=1), Fact(b=2)
    token = Token.valid(fact, {"x": 1})
    assert token.is_valid() and token.data == {fact} and token.context == {"x": 1}
    assert Token.invalid([fact, other]).data == {fact, other}
    assert Token.valid(fact).context == {}
    copy = token.copy()
    assert copy == token and type(copy) is Token
    copy.data.add(other)
    copy.context["y"] = 2
    assert token.data == {fact} and token.context == {"x": 1}  # the copy is its own


@pytest.mark.parametrize("one_at_a_time", [False, True])
def test_the_streamlined_matcher_concludes_what_experta_s_own_does(kb, one_at_a_time) -> None:
    """`facts.streamline` (facts routed by type, only changed conflict sets read) changes no result."""
    from staffcheck.diagnose import find_strategy
    from staffcheck.engine import Assignment, InferenceEngine
    from staffcheck.profiles import load_team

    team = load_team(
        Path(__file__).resolve().parent.parent / "profiles/examples/spring-launch.yaml", kb
    )
    assignments = [Assignment(m.profile, m.role) for m in team.members]
    strategy = find_strategy(kb, team.strategy)
    fast, plain = InferenceEngine(kb), InferenceEngine(kb)
    plain._engine = type(plain._engine)()  # experta's own matcher, as experta builds it
    assert "add" in vars(fast._engine.matcher.root_node)
    assert "add" not in vars(plain._engine.matcher.root_node)
    for team_run in (False, True):
        found = [
            engine.infer(
                engine.facts(assignments, strategy, team=team_run), one_at_a_time=one_at_a_time
            )
            for engine in (fast, plain)
        ]
        assert found[0] == found[1]


def _network_shape(engine: Any) -> list[tuple[str, ...]]:
    """Every node of an engine's network, in a fixed order: its kind, its test, its rule."""
    from staffcheck.lean_rete import _nodes_under

    return [
        (
            type(node).__name__,
            type(getattr(node, "matcher", None)).__name__,
            str(getattr(getattr(node, "matcher", None), "__dict__", "")),
            getattr(getattr(node, "rule", None), "__name__", ""),
            str(len(node.children)),
        )
        for node in _nodes_under(engine.matcher.root_node)
    ]


def test_experta_wires_every_rule_as_with_functools_own_dispatch(kb, monkeypatch) -> None:
    """`facts._wiring_dispatch` (one method resolution per type, shared by every dispatcher
    ``wire_rule`` makes) builds the very network functools' `singledispatch` builds."""
    import functools

    from experta.matchers.rete import utils as rete_utils

    from staffcheck.engine import InferenceEngine

    engine = InferenceEngine(kb)
    for role in ("seo-specialist", "taobao-operator"):
        ours = engine._post_engine((role, False))
        with monkeypatch.context() as patched:
            patched.setattr(rete_utils, "singledispatch", functools.singledispatch)
            theirs = type(ours)()
        assert _network_shape(ours) == _network_shape(theirs)
    whole = engine._engine
    with monkeypatch.context() as patched:
        patched.setattr(rete_utils, "singledispatch", functools.singledispatch)
        theirs = type(whole)()
    assert _network_shape(type(whole)()) == _network_shape(theirs)


def test_the_wiring_dispatcher_chooses_as_functools_does_for_every_element() -> None:
    """`facts._wiring_dispatch` against `functools.singledispatch`, registered as ``wire_rule``
    registers (stacked decorators included), for every kind of element a rule can hold, and
    subclasses of them: the bundled pack's networks use only a few of these."""
    import functools

    from experta import AND, EXISTS, FORALL, NOT, OR, TEST, Rule
    from experta.fact import InitialFact

    from staffcheck.facts import Person, _wiring_dispatch

    class OwnRule(Rule):
        pass

    elements = [
        Rule(Fact()),
        OwnRule(Fact()),
        AND(Fact()),
        OR(Fact()),
        NOT(Fact()),
        EXISTS(Fact()),
        FORALL(Fact(), Fact()),
        TEST(lambda: True),
        Fact(),
        InitialFact(),
        Person(cid="p"),
        42,
    ]
    chosen = []
    for make in (functools.singledispatch, _wiring_dispatch):
        dispatcher = make(lambda _: "default")
        for kind in (TEST, FORALL, EXISTS, OR, Fact, NOT):
            dispatcher.register(kind)(lambda _, kind=kind: kind.__name__)
        dispatcher.register(Rule)(dispatcher.register(AND)(lambda _: "Rule or AND"))
        chosen.append([dispatcher(element) for element in elements])
    assert chosen[0] == chosen[1]
    assert chosen[1][:3] == ["Rule or AND"] * 3 and chosen[1][-1] == "default"


def _varied_profiles(kb: Any, count: int, seed: int) -> list[Any]:
    """Profiles built around the pack's posts, as the benchmark builds them, but with skills left
    unstated, job titles (for the evidence rules), channels and no post applied for, so that
    every kind of rule and the open-application path all run."""
    import random

    from staffcheck.model import Location, Profile

    rng = random.Random(seed)
    roles, skills, channels = list(kb.roles.values()), list(kb.skills), list(kb.channels)
    titles = [
        "SEO specialist",
        "news editor",
        "Taobao store operator",
        "SEM",
        "copywriter",
        "数据分析",
    ]
    profiles = []
    for index in range(count):
        applies, shape = rng.choice(roles), rng.choice(roles)
        levels = {
            skill: max(0, min(5, need + rng.choice((-2, -1, 0, 1))))
            for skill, need in shape.essential.items()
            if rng.random() < 0.8  # some essentials unstated: unknown, not zero
        }
        for skill in rng.sample(skills, 3):
            levels[skill] = rng.randint(0, 4)
        profiles.append(
            Profile(
                id=f"p-{index}",
                name=f"Person {index}",
                skills=levels,
                source=Location("generated"),
                applying_for=applies.id if rng.random() < 0.85 else None,
                channels=tuple(rng.sample(channels, rng.randint(0, 3))),
                experience_years=rng.choice((None, 0, 2, 8)),
                titles=tuple(rng.sample(titles, rng.randint(0, 2))),
            )
        )
    return profiles


@pytest.mark.parametrize("strategy_id", ["taobao-store", "search-centred", None])
def test_the_lean_network_concludes_what_experta_s_own_does_on_varied_people(
    kb: Any, strategy_id: str | None
) -> None:
    """Lean node activations, routing and reset (`facts.streamline`) against experta's own
    network, run after run on the same engines (memories wiped between runs), fact for fact."""
    from staffcheck.engine import PEOPLE_PER_RUN, Assignment, Conclusions, InferenceEngine

    assert PEOPLE_PER_RUN == 12  # the groups below are the engine's
    strategy = kb.strategies[strategy_id] if strategy_id else None
    fast, plain = InferenceEngine(kb), InferenceEngine(kb)
    plain._engine = type(plain._engine)()
    people = _varied_profiles(kb, 72, seed=len(strategy_id or ""))
    for start in range(0, len(people), 12):
        group = people[start : start + 12]
        assignments = [Assignment(p, p.applying_for or next(iter(kb.roles))) for p in group]
        for weigh_all in (False, True):
            found = [
                engine.infer(engine.facts(assignments, strategy, weigh_all_posts=weigh_all))
                for engine in (fast, plain)
            ]
            assert found[0] == found[1]
            assert found[0].findings  # the runs fire the pack's rules, not only the core's
    # `assess`: people grouped by post, each post in its own engine, every group from the
    # knowledge's snapshot; against a fresh run of the whole engine per group, person by person.
    everyone = [Assignment(p, p.applying_for or next(iter(kb.roles))) for p in people]
    for weigh_all in (False, True, False):
        expected = Conclusions.merge(
            [
                plain.infer(
                    plain.facts(everyone[start : start + 12], strategy, weigh_all_posts=weigh_all)
                )
                for start in range(0, len(everyone), 12)
            ]
        )
        found = fast.assess(everyone, strategy, weigh_all_posts=weigh_all)
        assert (found.posts, found.blocking, found.gaps) == (
            expected.posts,
            expected.blocking,
            expected.gaps,
        )
        for person in everyone:
            # The same conclusions; the order in which a person's findings fired may differ (the
            # strategy's posts are derived before the people now), and the diagnosis sorts them.
            mine, theirs = (
                found.for_person(person.profile.id),
                expected.for_person(person.profile.id),
            )
            assert sorted(map(repr, mine.findings)) == sorted(map(repr, theirs.findings))
            assert (mine.evidence, mine.blocking) == (theirs.evidence, theirs.blocking)
    if strategy is not None:
        team = [Assignment(p, p.applying_for or next(iter(kb.roles))) for p in people[:30]]
        blocking = fast.assess(team, strategy).blocking
        assert fast.coverage(team, blocking, strategy) == plain.coverage(team, blocking, strategy)


def test_a_restored_working_memory_holds_every_fact_in_order(kb: Any) -> None:
    """A snapshot restored is the working memory captured: the same facts, in id order, each
    visible to iteration (FactList is an OrderedDict) and retractable; a run then adds after them."""
    from staffcheck.engine import Assignment, InferenceEngine
    from staffcheck.lean_rete import capture, restore

    engine = InferenceEngine(kb)
    experta = engine._engine
    strategy = kb.strategies["taobao-store"]
    knowledge = engine._knowledge(kb.roles, strategy, team=False, weigh_all_posts=False)
    profile = _varied_profiles(kb, 1, seed=3)[0]
    people = engine._people([Assignment(profile, profile.applying_for or next(iter(kb.roles)))])
    experta.reset()
    experta.declare(*knowledge)
    experta.run()
    snapshot = capture(experta)
    captured = list(experta.facts.items())
    experta.declare(*people)
    restore(experta, snapshot)
    assert list(experta.facts.items()) == captured
    assert list(experta.facts) == sorted(experta.facts)
    first = captured[1][0]
    experta.retract(first)
    assert first not in experta.facts and len(list(experta.facts)) == len(captured) - 1
    restore(experta, snapshot)
    experta.declare(*people)
    experta.run()
    assert list(experta.facts)[: len(captured)] == [key for key, _ in captured]
    assert len(experta.facts) > len(captured)


def test_later_screenings_start_from_the_knowledge_already_run(kb: Any, monkeypatch: Any) -> None:
    """Every chunk of a drive is a new `assess` call with freshly built knowledge facts: each post
    engine's knowledge runs once per process, not once per chunk (declaring a fact marks it with
    an id, so the snapshots are found by the facts' content), and the results stay the same."""
    from staffcheck import engine as engine_module
    from staffcheck.engine import Assignment, InferenceEngine

    captures = []
    capture = engine_module.capture
    monkeypatch.setattr(engine_module, "capture", lambda e: captures.append(1) or capture(e))
    engine = InferenceEngine(kb)
    strategy = kb.strategies["taobao-store"]
    people = _varied_profiles(kb, 48, seed=11)
    everyone = [Assignment(p, p.applying_for or next(iter(kb.roles))) for p in people]
    first = engine.assess(everyone, strategy)
    posts = len({a.role for a in everyone})
    assert len(captures) == posts
    again = engine.assess(everyone, strategy)
    assert len(captures) == posts  # nothing run again
    assert again == first
    engine.assess(everyone, kb.strategies["search-centred"])  # other knowledge: run once more
    assert len(captures) == 2 * posts


def test_experta_s_firing_trace_still_works_when_turned_on(kb: Any, caplog: Any) -> None:
    """The lean run loop skips the trace only while nobody listens (experta's watchers off)."""
    import logging

    from experta import watchers

    from staffcheck.engine import Assignment, InferenceEngine

    profile = _varied_profiles(kb, 1, seed=5)[0]
    engine = InferenceEngine(kb)
    assignments = [Assignment(profile, profile.applying_for or next(iter(kb.roles)))]
    quiet = engine.infer(engine.facts(assignments, None))
    assert not [r for r in caplog.records if "FIRE" in r.getMessage()]
    watchers.RULES.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger=watchers.RULES.name):
            traced = engine.infer(engine.facts(assignments, None))
    finally:
        watchers.RULES.setLevel(logging.NOTSET)
    assert traced == quiet
    assert [r for r in caplog.records if r.getMessage().startswith("FIRE 1 ")]


def test_a_screening_leaves_no_cycles_for_the_collector(kb: Any) -> None:
    """A chunk's interpreter, conclusions and findings are freed as soon as the results are
    dropped, not when the cyclic collector next walks the whole process (a drive makes
    thousands of them; a worker keeps what it holds for good out of the collector's way)."""
    import gc

    from staffcheck.diagnose import screen

    people = _varied_profiles(kb, 24, seed=5)
    screen(kb, people, kb.strategies["taobao-store"])  # engines and snapshots built
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        results = screen(kb, people, kb.strategies["taobao-store"]).candidates
        assert len(results) == len(people)
        del results
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not left & {"_Interpreter", "Conclusions", "Fired", "PersonEvidence", "Situation"}
