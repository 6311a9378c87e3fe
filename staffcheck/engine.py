"""The inference engine: the knowledge base compiled into experta rules, and forward chaining over facts.

This is the only module that imports experta. It wraps three of its traps:

* ``import experta`` calls ``logging.basicConfig()``; the handler it adds is removed again so that
  nothing stray reaches stderr.
* experta's default ``DepthStrategy`` removes a cancelled activation by bisecting on a key that
  ties for activations with the same salience and fact set, and only looks one slot either side;
  a rule whose NOT condition no longer holds can then still fire, depending on ``PYTHONHASHSEED``.
  `StableDepthStrategy` gives every activation a total, content-based key and is installed through
  the documented ``__strategy__`` hook.
* Identical facts are merged, so every fact about a person carries the person's id (``cid``).

The chain, by salience (higher fires first)::

    ActiveStrategy + StrategyPost              -> PostNeeded        (100, the strategy derives its posts)
    Holding + PostNeeded + RoleProfile + Person -> Requirement      (90, posts derive requirements)
    WeighAllPosts + Holding + PostNeeded       -> Consider          (80, the team heatmap)
    Consider + RoleProfile + Person            -> Evidence          (70, what the person brings)
    Requirement | Holding + Person             -> Finding, Blocking (50, the pack's rules)
    Blocking + Person                          -> Alternatives      (40, weigh every other post)
    TeamMode + Holding, not Blocking           -> Covers            (0)
    TeamMode + PostNeeded, not Covers          -> Gap               (-10, the pack's rules)

Facts are kept few and wide, because experta's joins scan their memories: a person is one
`Person` fact carrying every skill level as a field (``skill:seo``), so a confusable-role rule is a
pair of single-fact tests, and a requirement gap is a test on one `Requirement` fact.

Building the Rete network costs a noticeable fraction of a second, so a compiled engine is built
once per knowledge base and process and reused with ``reset()`` (it is not thread-safe: use
processes for parallel work).
"""

from __future__ import annotations

import bisect
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

_root = logging.getLogger()
_handlers_before = list(_root.handlers)
import experta  # noqa: E402  (must follow the handler snapshot)
from experta import AS, MATCH, NOT, TEST, Fact, KnowledgeEngine, P  # noqa: E402
from experta.strategies import Strategy as _ExpertaStrategy  # noqa: E402

for _handler in list(_root.handlers):
    if _handler not in _handlers_before:
        _root.removeHandler(_handler)
del _handler

from staffcheck.model import (  # noqa: E402
    BreadthSpec,
    ConfusableSpec,
    GapSpec,
    HandsOnSpec,
    KnowledgeBase,
    ModuleSpec,
    OverstaffedSpec,
    Profile,
    Rule,
    SingleHolderSpec,
    Strategy,
    TeamSkillSpec,
    UncoveredSpec,
)

SALIENCE_POSTS = 100
SALIENCE_REQUIREMENTS = 90
SALIENCE_CONSIDER = 80
SALIENCE_EVIDENCE = 70
SALIENCE_FINDINGS = 50
SALIENCE_EXPLORE = 40
SALIENCE_COVERS = 0
SALIENCE_MODULES = -5
SALIENCE_GAPS = -10
#: The `cid` of findings about the team as a whole.
TEAM = "*team*"

BLOCKING_WEIGHT = 3
#: People per engine run: amortises the knowledge facts; joins scan memories, so not more (bench/).
PEOPLE_PER_RUN = 12  # high or worse: the person cannot carry the post


# --- facts -----------------------------------------------------------------------------------


class ActiveStrategy(Fact):
    """The strategy being assessed."""


class StrategyPost(Fact):
    """Knowledge: a strategy needs a post for some modules, with an importance."""


class RoleProfile(Fact):
    """Knowledge: a post and its essential skills, as ((skill, minimum level), ...)."""


class TeamMode(Fact):
    """Present in the team run: enables the coverage and gap rules."""


class WeighAllPosts(Fact):
    """Present when a member is weighed against every post the strategy needs (the heatmap)."""


class Person(Fact):
    """A person: id, channels, and one ``skill:<id>`` field per skill of the pack (0 if absent)."""


class Holding(Fact):
    """A person holds (or is screened for) a post."""


class PostNeeded(Fact):
    """Derived: the active strategy needs this post for these modules."""


class Requirement(Fact):
    """Derived: what a person's post requires of them, and which modules it serves."""


class Consider(Fact):
    """Derived: evaluate this person against this post."""


class Evidence(Fact):
    """Derived: what the person brings to a considered post, as ((skill, need, have), ...)."""


class StrategyChannels(Fact):
    """Knowledge: the channels a strategy runs on."""


class ModuleRole(Fact):
    """Knowledge (team run): a module of the active strategy and one post that carries it."""


class Member(Fact):
    """A team member in the team run: id and ``skill:<id>`` levels, for team-level rules."""


class PostHolders(Fact):
    """Team run: how many members hold a post, and the first of them (counting is not a join:
    pairing holders in the network would cost the square of the team's size)."""


class ModuleCovered(Fact):
    """Derived (team run): some post carrying the module is covered."""


class Alternatives(Fact):
    """Derived: what a blocked person brings to every post, as ((role, rows), ...)."""


class Finding(Fact):
    """Derived: a rule of the pack fired for a person."""


class Blocking(Fact):
    """Derived: a finding of severity high or worse for this person on their post."""


class Covers(Fact):
    """Derived: a member carries their post adequately."""


class Gap(Fact):
    """Derived: a needed post nobody carries adequately."""


def describe(fact: Fact) -> str:
    """``Requirement(role=taobao-operator, skill=taobao-operations, level=3)``, without ids."""
    fields = ", ".join(
        f"{key}={_plain(value)}"
        for key, value in fact.items()
        if isinstance(key, str) and not key.startswith("__") and key != "cid"
    )
    return f"{type(fact).__name__}({fields})"


def _plain(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


# --- agenda ----------------------------------------------------------------------------------


class StableDepthStrategy(_ExpertaStrategy):
    """Depth-first like experta's default, with a total key so removal always finds its activation.

    Key: salience, then newest facts first, then rule name and bindings, so the order of the
    agenda depends only on content, never on hashing.
    """

    @staticmethod
    def key(activation: Any) -> tuple[Any, ...]:
        facts = tuple(sorted((f["__factid__"] for f in activation.facts), reverse=True))
        context = repr(sorted(activation.context.items(), key=itemgetter(0)))
        return (activation.rule.salience, facts, activation.rule.__name__, context)

    def _update_agenda(self, agenda: Any, added: Iterable[Any], removed: Iterable[Any]) -> None:
        activations = agenda.activations
        for act in removed:
            act.key = self.key(act)
            index = bisect.bisect_left(activations, act)
            if index < len(activations) and activations[index] == act:
                del activations[index]
        for act in added:
            act.key = self.key(act)
            bisect.insort(activations, act)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fired:
    """One rule firing: the rule, the person and post, what it bound, and the facts it matched."""

    rule: str
    cid: str
    role: str
    bindings: Mapping[str, Any]
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FiredGap:
    rule: str
    role: str
    modules: tuple[str, ...]
    importance: str
    severity: str


@dataclass(frozen=True, slots=True)
class Conclusions:
    """Everything the engine derived in one run."""

    findings: tuple[Fired, ...]
    gaps: tuple[FiredGap, ...]
    #: (cid, role) -> ((skill, need, have), ...) for every post considered for that person
    evidence: Mapping[tuple[str, str], tuple[tuple[str, int, int], ...]]
    #: post -> (modules, importance) for the active strategy
    posts: Mapping[str, tuple[tuple[str, ...], str]]
    rules_fired: int
    #: people with a finding of severity high or worse: they cannot carry their post
    blocking: frozenset[str] = frozenset()

    @staticmethod
    def merge(parts: Sequence[Conclusions]) -> Conclusions:
        """The conclusions of several runs (one per person) as if they were one."""
        evidence: dict[tuple[str, str], tuple[tuple[str, int, int], ...]] = {}
        posts: dict[str, tuple[tuple[str, ...], str]] = {}
        for part in parts:
            evidence.update(part.evidence)
            posts.update(part.posts)
        return Conclusions(
            findings=tuple(f for part in parts for f in part.findings),
            gaps=tuple(g for part in parts for g in part.gaps),
            evidence=evidence,
            posts=posts,
            rules_fired=sum(part.rules_fired for part in parts),
            blocking=frozenset().union(*(part.blocking for part in parts)),
        )


# --- compilation -----------------------------------------------------------------------------

RuleBody = Callable[..., None]


def _rule(name: str, salience: int, *patterns: Any) -> Callable[[RuleBody], Any]:
    """experta's ``Rule`` decorator, naming the function so agenda keys and traces are readable."""

    def wrap(body: RuleBody) -> Any:
        body.__name__ = name
        body.__qualname__ = name
        return experta.Rule(*patterns, salience=salience)(body)

    return wrap


def _core_rules(kb: KnowledgeBase) -> dict[str, Any]:
    """The fixed inference structure: derivations that every pack shares."""
    all_requirements = {role.id: tuple(role.essential.items()) for role in kb.roles.values()}
    rules: dict[str, Any] = {}

    @_rule(
        "derive-posts",
        SALIENCE_POSTS,
        ActiveStrategy(strategy=MATCH.strategy),
        StrategyPost(
            strategy=MATCH.strategy,
            role=MATCH.role,
            modules=MATCH.modules,
            importance=MATCH.importance,
        ),
    )
    def derive_posts(engine: Any, role: str, modules: tuple[str, ...], importance: str) -> None:
        engine.declare(PostNeeded(role=role, modules=modules, importance=importance))

    @_rule(
        "derive-requirements",
        SALIENCE_REQUIREMENTS,
        Holding(cid=MATCH.cid, role=MATCH.role),
        PostNeeded(role=MATCH.role, modules=MATCH.modules, importance=MATCH.importance),
        RoleProfile(role=MATCH.role, requirements=MATCH.requirements),
        AS.person << Person(cid=MATCH.cid),
    )
    def derive_requirements(
        engine: Any,
        cid: str,
        role: str,
        modules: tuple[str, ...],
        importance: str,
        requirements: tuple[tuple[str, int], ...],
        person: Fact,
    ) -> None:
        _declare_requirements(engine, cid, role, requirements, person, modules, importance)

    @_rule(
        "derive-requirements-outside-strategy",
        SALIENCE_REQUIREMENTS,
        Holding(cid=MATCH.cid, role=MATCH.role),
        NOT(PostNeeded(role=MATCH.role)),
        RoleProfile(role=MATCH.role, requirements=MATCH.requirements),
        AS.person << Person(cid=MATCH.cid),
    )
    def derive_outside(
        engine: Any,
        cid: str,
        role: str,
        requirements: tuple[tuple[str, int], ...],
        person: Fact,
    ) -> None:
        _declare_requirements(engine, cid, role, requirements, person, (), "medium")

    @_rule(
        "weigh-evidence",
        SALIENCE_EVIDENCE,
        Consider(cid=MATCH.cid, role=MATCH.role),
        RoleProfile(role=MATCH.role, requirements=MATCH.requirements),
        AS.person << Person(cid=MATCH.cid),
    )
    def weigh_evidence(
        engine: Any, cid: str, role: str, requirements: tuple[tuple[str, int], ...], person: Fact
    ) -> None:
        rows = _evidence_rows(requirements, person)
        engine.declare(Evidence(cid=cid, role=role, rows=rows))

    @_rule(
        "explore-other-posts",
        SALIENCE_EXPLORE,
        Blocking(cid=MATCH.cid),
        AS.person << Person(cid=MATCH.cid),
    )
    def explore(engine: Any, cid: str, person: Fact) -> None:
        # Weighing every post is the hottest path for a mismatch: one action and one fact,
        # instead of a Consider and an Evidence fact per post, keeps it out of the network.
        table = tuple(
            (role, _evidence_rows(requirements, person))
            for role, requirements in all_requirements.items()
        )
        engine.declare(Alternatives(cid=cid, table=table))

    @_rule(
        "covers-post",
        SALIENCE_COVERS,
        TeamMode(),
        Holding(cid=MATCH.cid, role=MATCH.role),
        NOT(Blocking(cid=MATCH.cid)),
    )
    def covers(engine: Any, cid: str, role: str) -> None:
        engine.declare(Covers(role=role, cid=cid))

    @_rule(
        "module-covered",
        SALIENCE_MODULES,
        TeamMode(),
        Covers(role=MATCH.role),
        ModuleRole(module=MATCH.module, role=MATCH.role),
    )
    def module_covered(engine: Any, module: str) -> None:
        engine.declare(ModuleCovered(module=module))

    @_rule(
        "consider-every-needed-post",
        SALIENCE_CONSIDER,
        WeighAllPosts(),
        Holding(cid=MATCH.cid),
        PostNeeded(role=MATCH.role),
    )
    def team_posts(engine: Any, cid: str, role: str) -> None:
        engine.declare(Consider(cid=cid, role=role))

    for body in (
        derive_posts,
        derive_requirements,
        derive_outside,
        weigh_evidence,
        explore,
        covers,
        team_posts,
        module_covered,
    ):
        rules[f"core_{body.__name__.replace('-', '_')}"] = body
    return rules


def skill_field(skill: str) -> str:
    """The field of a `Person` fact that holds the level of `skill`."""
    return f"skill:{skill}"


def _evidence_rows(
    requirements: tuple[tuple[str, int], ...], person: Fact
) -> tuple[tuple[str, int, int], ...]:
    """(skill, need, have) for each essential skill of a post: what the person brings to it."""
    return tuple((skill, need, person[skill_field(skill)]) for skill, need in requirements)


def _declare_requirements(
    engine: Any,
    cid: str,
    role: str,
    requirements: tuple[tuple[str, int], ...],
    person: Fact,
    modules: tuple[str, ...],
    importance: str,
) -> None:
    for skill, need in requirements:
        engine.declare(
            Requirement(
                cid=cid,
                role=role,
                skill=skill,
                need=need,
                have=person[skill_field(skill)],
                modules=modules,
                importance=importance,
            )
        )


def _finding(
    engine: Any,
    rule: Rule,
    cid: str,
    role: str,
    blocking: bool,
    matched: Sequence[Fact],
    **bindings: Any,
) -> None:
    engine.declare(
        Finding(
            cid=cid,
            rule=rule.id,
            role=role,
            bindings=tuple(sorted(bindings.items())),
            matched=tuple(describe(f) for f in matched),
        )
    )
    if blocking:
        engine.declare(Blocking(cid=cid))


def _team_finding(engine: Any, rule: Rule, role: str, **bindings: Any) -> None:
    """A finding about the team as a whole (identical ones merge: one per rule, post, binding)."""
    engine.declare(
        Finding(
            cid=TEAM,
            rule=rule.id,
            role=role,
            bindings=tuple(sorted(bindings.items())),
            matched=(),
        )
    )


def _compile_rule(rule: Rule, kb: KnowledgeBase) -> Any:
    """One pack rule as an experta rule. Each kind has one compiler; nothing is ever eval-ed."""
    blocking = rule.severity.weight >= BLOCKING_WEIGHT
    name = f"rule:{rule.id}"
    strategies = kb.strategies
    role_skills = {role.id: tuple(role.essential) for role in kb.roles.values()}
    spec = rule.spec

    if isinstance(spec, GapSpec):
        have_range, short_range = spec.have, spec.shortfall

        def shortfall_matches(need: int, have: int) -> bool:
            return have < need and have_range.contains(have) and short_range.contains(need - have)

        @_rule(
            name,
            SALIENCE_FINDINGS,
            AS.requirement
            << Requirement(
                cid=MATCH.cid,
                role=MATCH.role,
                skill=MATCH.skill,
                need=MATCH.need,
                have=MATCH.have,
                modules=MATCH.modules,
            ),
            TEST(shortfall_matches),
        )
        def gap(
            engine: Any,
            requirement: Fact,
            cid: str,
            role: str,
            skill: str,
            need: int,
            have: int,
            modules: tuple[str, ...],
        ) -> None:
            _finding(
                engine,
                rule,
                cid,
                role,
                blocking,
                (requirement,),
                skill=skill,
                need=need,
                have=have,
                shortfall=need - have,
                modules=modules,
            )

        return gap

    if isinstance(spec, ConfusableSpec):
        posts = frozenset(spec.posts)
        any_channels, no_channels = frozenset(spec.channels_any), frozenset(spec.channels_none)
        conditions: dict[str, Any] = {
            skill_field(skill): P(rng.contains) for skill, rng in spec.skills
        }
        if any_channels or no_channels:
            conditions["channels"] = P(
                lambda chs: (
                    (not any_channels or bool(any_channels & set(chs)))
                    and not (no_channels & set(chs))
                )
            )
        skills = tuple(skill for skill, _ in spec.skills)
        better = spec.better_roles

        @_rule(
            name,
            SALIENCE_FINDINGS,
            AS.holding << Holding(cid=MATCH.cid, role=MATCH.role & P(lambda r: r in posts)),
            AS.person << Person(cid=MATCH.cid, **conditions),
        )
        def confusable(engine: Any, cid: str, role: str, holding: Fact, person: Fact) -> None:
            evidence = tuple((skill, person[skill_field(skill)]) for skill in skills)
            _finding(
                engine,
                rule,
                cid,
                role,
                blocking,
                (holding,),
                better_roles=better,
                evidence=evidence,
            )
            for other in better:
                engine.declare(Consider(cid=cid, role=other))

        return confusable

    if isinstance(spec, UncoveredSpec):
        by_importance = {imp.value: sev.value for imp, sev in spec.severity_by_importance.items()}

        @_rule(
            name,
            SALIENCE_GAPS,
            TeamMode(),
            AS.needed
            << PostNeeded(role=MATCH.role, modules=MATCH.modules, importance=MATCH.importance),
            NOT(Covers(role=MATCH.role)),
        )
        def uncovered(
            engine: Any, needed: Fact, role: str, modules: tuple[str, ...], importance: str
        ) -> None:
            engine.declare(
                Gap(
                    rule=rule.id,
                    role=role,
                    modules=modules,
                    importance=importance,
                    severity=by_importance.get(importance, rule.severity.value),
                )
            )

        return uncovered

    if isinstance(spec, BreadthSpec):
        owner_posts, level = frozenset(spec.posts), spec.level

        def blind_modules(strategy: str, person: Fact) -> tuple[str, ...]:
            """Modules of the strategy none of whose posts' essential skills the person has."""
            blind = []
            for need in strategies[strategy].modules:
                skills = {s for role, _ in need.roles for s in role_skills.get(role, ())}
                if not any(person[skill_field(s)] >= level for s in skills):
                    blind.append(need.module)
            return tuple(blind)

        @_rule(
            name,
            SALIENCE_FINDINGS,
            AS.active << ActiveStrategy(strategy=MATCH.strategy),
            AS.holding << Holding(cid=MATCH.cid, role=MATCH.role & P(lambda r: r in owner_posts)),
            AS.person << Person(cid=MATCH.cid),
            TEST(lambda strategy, person: bool(blind_modules(strategy, person))),
        )
        def breadth(
            engine: Any,
            active: Fact,
            holding: Fact,
            person: Fact,
            cid: str,
            role: str,
            strategy: str,
        ) -> None:
            _finding(
                engine, rule, cid, role, blocking, (active, holding),
                strategy=strategy, modules=blind_modules(strategy, person), level=level,
            )  # fmt: skip

        return breadth

    if isinstance(spec, HandsOnSpec):
        hands_on_posts = frozenset(spec.posts)

        def worked_on_none(strategy_channels: tuple[str, ...], channels: tuple[str, ...]) -> bool:
            return bool(strategy_channels) and not set(strategy_channels) & set(channels)

        @_rule(
            name,
            SALIENCE_FINDINGS,
            AS.active << ActiveStrategy(strategy=MATCH.strategy),
            StrategyChannels(strategy=MATCH.strategy, channels=MATCH.strategy_channels),
            AS.holding
            << Holding(cid=MATCH.cid, role=MATCH.role & P(lambda r: r in hands_on_posts)),
            PostNeeded(role=MATCH.role),  # a post outside the strategy has its own finding
            Person(cid=MATCH.cid, channels=MATCH.channels),
            TEST(worked_on_none),
        )
        def hands_on(
            engine: Any,
            active: Fact,
            holding: Fact,
            cid: str,
            role: str,
            strategy: str,
            strategy_channels: tuple[str, ...],
        ) -> None:
            _finding(
                engine, rule, cid, role, blocking, (active, holding),
                strategy=strategy, channels=strategy_channels,
            )  # fmt: skip

        return hands_on

    if isinstance(spec, TeamSkillSpec):
        field, level = skill_field(spec.skill), spec.level

        @_rule(
            name,
            SALIENCE_GAPS,
            TeamMode(),
            ActiveStrategy(strategy=MATCH.strategy),
            NOT(Member(**{field: P(lambda have: have >= level)})),
        )
        def team_skill(engine: Any, strategy: str) -> None:
            _team_finding(engine, rule, "", skill=spec.skill, level=level, strategy=strategy)

        return team_skill

    if isinstance(spec, SingleHolderSpec):
        importances = frozenset(i.value for i in spec.importance)

        @_rule(
            name,
            SALIENCE_GAPS,
            TeamMode(),
            ActiveStrategy(strategy=MATCH.strategy),
            PostNeeded(
                role=MATCH.role, importance=MATCH.importance & P(lambda i: i in importances)
            ),
            PostHolders(role=MATCH.role, count=1, first=MATCH.cid),
            NOT(Blocking(cid=MATCH.cid)),  # a holder who cannot carry it is a gap, not a risk
        )
        def single(engine: Any, strategy: str, role: str, importance: str, cid: str) -> None:
            _team_finding(engine, rule, role, person=cid, importance=importance, strategy=strategy)

        return single

    if isinstance(spec, OverstaffedSpec):

        @_rule(
            name,
            SALIENCE_GAPS,
            TeamMode(),
            ActiveStrategy(strategy=MATCH.strategy),
            PostHolders(role=MATCH.role, count=P(lambda count: count >= 2)),
            PostNeeded(role=MATCH.role),
            PostNeeded(role=MATCH.empty_role),
            NOT(PostHolders(role=MATCH.empty_role)),
        )
        def overstaffed(engine: Any, strategy: str, role: str, empty_role: str) -> None:
            _team_finding(engine, rule, role, empty_role=empty_role, strategy=strategy)

        return overstaffed

    if isinstance(spec, ModuleSpec):
        watched = frozenset(spec.modules)

        @_rule(
            name,
            SALIENCE_GAPS,
            TeamMode(),
            ActiveStrategy(strategy=MATCH.strategy),
            ModuleRole(module=MATCH.module & P(lambda m: not watched or m in watched)),
            NOT(ModuleCovered(module=MATCH.module)),
        )
        def uncovered_module(engine: Any, strategy: str, module: str) -> None:
            _team_finding(engine, rule, "", module=module, strategy=strategy)

        return uncovered_module

    # post-outside-strategy
    @_rule(
        name,
        SALIENCE_FINDINGS,
        AS.active << ActiveStrategy(strategy=MATCH.strategy),
        AS.holding << Holding(cid=MATCH.cid, role=MATCH.role),
        NOT(PostNeeded(role=MATCH.role)),
    )
    def outside(
        engine: Any, active: Fact, holding: Fact, cid: str, role: str, strategy: str
    ) -> None:
        _finding(engine, rule, cid, role, blocking, (active, holding), strategy=strategy)

    return outside


def _engine_class(kb: KnowledgeBase) -> type[KnowledgeEngine]:
    body: dict[str, Any] = {"__strategy__": StableDepthStrategy, **_core_rules(kb)}
    for index, rule in enumerate(kb.active_rules()):
        body[f"pack_{index:04d}"] = _compile_rule(rule, kb)
    return type("StaffcheckEngine", (KnowledgeEngine,), body)


# --- running ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """A person and the post they hold or are screened for."""

    profile: Profile
    role: str


class InferenceEngine:
    """A knowledge base compiled once into an experta engine, reused across runs with reset()."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._engine = _engine_class(kb)()
        self._role_facts = {
            role.id: RoleProfile(role=role.id, requirements=tuple(role.essential.items()))
            for role in kb.roles.values()
        }
        self._suggested: dict[str, set[str]] = {}
        for rule in kb.active_rules():
            if isinstance(rule.spec, ConfusableSpec):
                for post in rule.spec.posts:
                    self._suggested.setdefault(post, set()).update(rule.spec.better_roles)

    @staticmethod
    def _strategy_facts(strategy: Strategy | None) -> list[Fact]:
        if strategy is None:
            return []
        return [
            ActiveStrategy(strategy=strategy.id),
            StrategyChannels(strategy=strategy.id, channels=tuple(strategy.channels)),
            *(
                StrategyPost(
                    strategy=strategy.id, role=role, modules=modules, importance=importance.value
                )
                for role, (modules, importance) in strategy.posts().items()
            ),
        ]

    def facts(
        self,
        assignments: Sequence[Assignment],
        strategy: Strategy | None,
        *,
        team: bool = False,
        weigh_all_posts: bool = False,
    ) -> list[Fact]:
        """The working memory for one run: knowledge, the strategy, and every person's facts."""
        # Only the posts this run can reach: held posts, the posts the pack's confusable-role
        # rules may suggest for them, and the strategy's posts; fewer facts, cheaper joins.
        reachable = {a.role for a in assignments}
        reachable |= {r for a in assignments for r in self._suggested.get(a.role, ())}
        if strategy is not None:
            reachable |= set(strategy.posts())
        facts: list[Fact] = [self._role_facts[role] for role in self.kb.roles if role in reachable]
        facts += self._strategy_facts(strategy)
        if team:
            facts.append(TeamMode())
        if weigh_all_posts or team:
            facts.append(WeighAllPosts())
        for assignment in assignments:
            person = assignment.profile
            levels = {skill_field(skill): person.level(skill) for skill in self.kb.skills}
            facts.append(Person(cid=person.id, channels=tuple(person.channels), **levels))
            facts.append(Holding(cid=person.id, role=assignment.role))
        return facts

    def run(
        self, assignments: Sequence[Assignment], strategy: Strategy | None, *, team: bool = False
    ) -> Conclusions:
        """Forward-chain over several people in one run (ids must be unique).

        experta's join nodes scan every fact, so one run over N people costs O(N²): callers
        screen people one run each (`assess`) and run `coverage` for the team as a whole.
        """
        return self.infer(self.facts(assignments, strategy, team=team))

    def assess(
        self,
        assignments: Sequence[Assignment],
        strategy: Strategy | None,
        *,
        weigh_all_posts: bool = False,
    ) -> Conclusions:
        """People on their posts: findings, evidence, better posts; linear in the number of people.

        People run in small groups: the knowledge facts are declared once per group, and a group
        is small enough that experta's scanning joins stay cheap.
        """
        return Conclusions.merge(
            [
                self.infer(
                    self.facts(
                        assignments[start : start + PEOPLE_PER_RUN],
                        strategy,
                        weigh_all_posts=weigh_all_posts,
                    )
                )
                for start in range(0, len(assignments), PEOPLE_PER_RUN)
            ]
        )

    def coverage(
        self, assignments: Sequence[Assignment], blocking: frozenset[str], strategy: Strategy
    ) -> Conclusions:
        """The team run: posts and modules nobody carries, and the team-level rules.

        Members are `Member` facts here, not `Person` facts, so that the per-person rules
        (already run by `assess`) do not fire a second time.
        """
        facts: list[Fact] = [*self._strategy_facts(strategy), TeamMode()]
        facts += [
            ModuleRole(module=need.module, role=role)
            for need in strategy.modules
            for role, _ in need.roles
        ]
        holders: dict[str, list[str]] = {}
        for assignment in assignments:
            holders.setdefault(assignment.role, []).append(assignment.profile.id)
        facts += [
            PostHolders(role=role, count=len(ids), first=ids[0]) for role, ids in holders.items()
        ]
        for assignment in assignments:
            person = assignment.profile
            levels = {skill_field(skill): person.level(skill) for skill in self.kb.skills}
            facts.append(Member(cid=person.id, **levels))
            facts.append(Holding(cid=person.id, role=assignment.role))
            if person.id in blocking:
                facts.append(Blocking(cid=person.id))
        return self.infer(facts)

    def infer(self, facts: Sequence[Fact], *, one_at_a_time: bool = False) -> Conclusions:
        """Reset, declare `facts` (all at once, or one by one as a streaming caller would), run."""
        engine = self._engine
        engine.reset()
        if one_at_a_time:
            for fact in facts:
                engine.declare(fact)
        else:
            engine.declare(*facts)
        before = len(engine.facts)
        engine.run()
        return self._collect(engine, len(engine.facts) - before)

    @staticmethod
    def _collect(engine: Any, derived: int) -> Conclusions:
        findings: list[Fired] = []
        gaps: list[FiredGap] = []
        evidence: dict[tuple[str, str], tuple[tuple[str, int, int], ...]] = {}
        held: dict[tuple[str, str], list[tuple[str, int, int]]] = defaultdict(list)
        posts: dict[str, tuple[tuple[str, ...], str]] = {}
        blocking: set[str] = set()
        for fact in engine.facts.values():
            if isinstance(fact, Blocking):
                blocking.add(fact["cid"])
            elif isinstance(fact, Finding):
                findings.append(
                    Fired(
                        fact["rule"],
                        fact["cid"],
                        fact["role"],
                        dict(fact["bindings"]),
                        tuple(fact["matched"]),
                    )
                )
            elif isinstance(fact, Evidence):
                # The same (person, post) may be weighed twice; the rows are the same either way.
                evidence[(fact["cid"], fact["role"])] = tuple(fact["rows"])
            elif isinstance(fact, Requirement):
                held[(fact["cid"], fact["role"])].append(
                    (fact["skill"], fact["need"], fact["have"])
                )
            elif isinstance(fact, Alternatives):
                for role, rows in fact["table"]:
                    evidence[(fact["cid"], role)] = tuple(rows)
            elif isinstance(fact, Gap):
                gaps.append(
                    FiredGap(
                        fact["rule"],
                        fact["role"],
                        tuple(fact["modules"]),
                        fact["importance"],
                        fact["severity"],
                    )
                )
            elif isinstance(fact, PostNeeded):
                posts[fact["role"]] = (tuple(fact["modules"]), fact["importance"])
        # A held post is weighed by its Requirement facts, one per essential skill.
        evidence.update({key: tuple(rows) for key, rows in held.items()})
        return Conclusions(
            findings=tuple(findings),
            gaps=tuple(gaps),
            evidence={key: tuple(sorted(rows)) for key, rows in evidence.items()},
            posts=posts,
            rules_fired=derived,
            blocking=frozenset(blocking),
        )
