"""The inference engine: the knowledge base compiled into experta rules, and forward chaining over facts.

With `staffcheck.facts` (which wraps experta's import) and the rule kinds' compilers
(`staffcheck.kinds`), this is the only code that touches experta. It wraps two of its traps:

* experta's default ``DepthStrategy`` removes a cancelled activation by bisecting on a key that
  ties for activations with the same salience and fact set, and only looks one slot either side;
  a rule whose NOT condition no longer holds can then still fire, depending on ``PYTHONHASHSEED``.
  `StableDepthStrategy` gives every activation a total, content-based key and is installed through
  the documented ``__strategy__`` hook.
* Identical facts are merged, so every fact about a person carries the person's id (``cid``).

The chain, by salience (higher fires first)::

    ActiveStrategy + StrategyPost              -> PostNeeded        (100, the strategy derives its posts)
    Holding + PostNeeded + RoleProfile + Person -> Requirement      (90, posts derive requirements)
    WeighAllPosts + Holding + Person           -> Alternatives      (80, the team heatmap)
    Consider + RoleProfile + Person            -> Evidence          (70, what the person brings)
    Requirement | Holding + Person             -> FindingFact, Blocking (50, the pack's rules)
    Reserved + Person                          -> Alternatives      (40, weigh every other post)
    TeamMode + Holding, not Blocking           -> Covers            (0)
    TeamMode + PostNeeded, not Covers          -> GapFact           (-10, the pack's rules)

Each rule of the pack is compiled by its kind's module, found by the rule's `kind` in the one
table of `staffcheck.kinds`; the core rules below are the same for every pack.

Facts are kept few and wide, because experta's joins scan their memories: a person is one
`Person` fact carrying every skill level as a field (``skill:seo``), so a confusable-role rule is a
pair of single-fact tests, and a requirement gap is a test on one `Requirement` fact.

Building the Rete network costs a noticeable fraction of a second, so a compiled engine is built
once per knowledge base and process and reused with ``reset()`` (it is not thread-safe: use
processes for parallel work).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from typing import Any

from staffcheck.collector import collector_paused
from staffcheck.evidence import PersonEvidence, weigh
from staffcheck.facts import (
    AS,
    MATCH,
    NOT,
    SALIENCE_CONSIDER,
    SALIENCE_COVERS,
    SALIENCE_EVIDENCE,
    SALIENCE_EXPLORE,
    SALIENCE_MODULES,
    SALIENCE_POSTS,
    SALIENCE_REQUIREMENTS,
    TEAM,
    ActiveStrategy,
    Alternatives,
    Blocking,
    Consider,
    Covers,
    Evidence,
    ExpertaStrategy,
    Fact,
    FindingFact,
    GapFact,
    Holding,
    Inferred,
    LeanKnowledgeEngine,
    MemberFact,
    ModuleCovered,
    ModuleRole,
    Person,
    PostHolders,
    PostNeeded,
    Requirement,
    Reserved,
    RoleProfile,
    Snapshot,
    StrategyChannels,
    StrategyPost,
    TeamMode,
    TeamSize,
    WeighAllPosts,
    capture,
    content_key,
    restore,
    rule,
    skill_field,
    streamline,
)
from staffcheck.headcount import planned_team_size
from staffcheck.kinds import compile_rule, fires_for, suggested_posts
from staffcheck.model import NOT_SHOWN, KnowledgeBase, Profile, Role, Rule, Strategy

__all__ = ["TEAM", "Assignment", "Conclusions", "Fired", "FiredGap", "InferenceEngine"]

#: People per engine run: amortises the knowledge facts; joins scan memories, so not more (bench/).
PEOPLE_PER_RUN = 12
#: Knowledge snapshots kept (one per post engine, strategy and mode in use): a strategy has a
#: dozen posts, and a run visits each in turn, so fewer would miss at every visit.
SNAPSHOTS_KEPT = 64


# --- agenda ----------------------------------------------------------------------------------


class StableDepthStrategy(ExpertaStrategy):
    """Depth-first like experta's default, with a total key so removal always finds its activation.

    Key: salience, then newest facts first, then rule name and bindings, so the order of the
    agenda depends only on content, never on hashing.
    """

    @staticmethod
    def key(activation: Any) -> tuple[Any, ...]:
        facts = tuple(sorted((f["__factid__"] for f in activation.facts), reverse=True))
        context = _Bindings(activation.context)
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


class _Bindings:
    """An activation's bindings as the last part of its agenda key: compared as the text of the
    sorted bindings, which is made only when two keys tie on everything before it (rarely: the
    same rule on the same facts). The text of a `Person` fact, in nearly every binding, is long."""

    __slots__ = ("_context", "_text")

    def __init__(self, context: Mapping[str, Any]) -> None:
        self._context = context
        self._text: str | None = None

    def text(self) -> str:
        if self._text is None:
            self._text = repr(sorted(self._context.items(), key=itemgetter(0)))
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Bindings) and self.text() == other.text()

    def __lt__(self, other: _Bindings) -> bool:
        return self.text() < other.text()

    __hash__ = None  # type: ignore[assignment]


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
    """A needed post nobody covers: the rule, the post, its modules, importance and severity."""

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

    def for_person(self, cid: str) -> Conclusions:
        """What a run over several people concluded about one of them, as if run alone.

        A person's conclusions never depend on who else is in the run (every fact and join
        carries the person's id), so a group run can fill a per-person memo.
        """
        return Conclusions(
            findings=tuple(f for f in self.findings if f.cid == cid),
            gaps=(),
            evidence={key: rows for key, rows in self.evidence.items() if key[0] == cid},
            posts=self.posts,
            rules_fired=0,  # counted once, by the run as a whole
            blocking=self.blocking & {cid},
        )


# --- compilation -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rulebook:
    """Every rule compiled once; each engine class takes the rules its runs need."""

    #: the core rules of every run; the heatmap's (every member weighed on every post the
    #: strategy needs: member runs of a team); and those of the team run itself
    core: Mapping[str, Any]
    heatmap: Mapping[str, Any]
    team: Mapping[str, Any]
    #: (name, the pack's rule, its experta rule) in the pack's order
    pack: tuple[tuple[str, Rule, Any], ...]

    @staticmethod
    def of(kb: KnowledgeBase) -> _Rulebook:
        return _Rulebook(
            core=_named(*_derivation_rules(), *_evidence_rules(kb)),
            heatmap=_named(_heatmap_rule(kb)),
            team=_named(*_team_rules()),
            pack=tuple(
                (f"pack_{index:04d}", rule, compile_rule(rule, kb))
                for index, rule in enumerate(kb.active_rules())
            ),
        )


def _named(*bodies: Any) -> dict[str, Any]:
    return {f"core_{body.__name__.replace('-', '_')}": body for body in bodies}


def _derivation_rules() -> tuple[Any, ...]:
    """The posts the strategy needs, and what a person's post requires of them."""

    @rule(
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

    @rule(
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

    @rule(
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

    return derive_posts, derive_requirements, derive_outside


def _evidence_rules(kb: KnowledgeBase) -> tuple[Any, ...]:
    """What a person brings to a post considered for them, or to every post when blocked."""
    all_requirements = _requirement_fields(kb)

    @rule(
        "weigh-evidence",
        SALIENCE_EVIDENCE,
        Consider(cid=MATCH.cid, role=MATCH.role),
        RoleProfile(role=MATCH.role, requirements=MATCH.requirements),
        AS.person << Person(cid=MATCH.cid),
    )
    def weigh_evidence(engine: Any, cid: str, role: str, person: Fact) -> None:
        # The post's RoleProfile matched: its requirements, with their fields looked up once.
        rows = _evidence_rows(all_requirements[role], person)
        engine.declare(Evidence(cid=cid, role=role, rows=rows))

    @rule(
        "explore-other-posts",
        SALIENCE_EXPLORE,
        Reserved(cid=MATCH.cid),
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

    return weigh_evidence, explore


def _team_rules() -> tuple[Any, ...]:
    """The team run: which posts and modules members cover (only a team run declares
    `TeamMode`: a member's run has none of these rules)."""

    @rule(
        "covers-post",
        SALIENCE_COVERS,
        TeamMode(),
        Holding(cid=MATCH.cid, role=MATCH.role),
        NOT(Blocking(cid=MATCH.cid)),
    )
    def covers(engine: Any, cid: str, role: str) -> None:
        engine.declare(Covers(role=role, cid=cid))

    @rule(
        "module-covered",
        SALIENCE_MODULES,
        TeamMode(),
        Covers(role=MATCH.role),
        ModuleRole(module=MATCH.module, role=MATCH.role),
    )
    def module_covered(engine: Any, module: str) -> None:
        engine.declare(ModuleCovered(module=module))

    return covers, module_covered


def _heatmap_rule(kb: KnowledgeBase) -> Any:
    """Every member weighed on every post the strategy needs (`WeighAllPosts`): the heatmap."""
    all_requirements = _requirement_fields(kb)

    @rule(
        "consider-every-needed-post",
        SALIENCE_CONSIDER,
        WeighAllPosts(posts=MATCH.posts),
        Holding(cid=MATCH.cid),
        AS.person << Person(cid=MATCH.cid),
    )
    def team_posts(engine: Any, cid: str, posts: tuple[str, ...], person: Fact) -> None:
        # Like `explore`: one action and one fact per member for every post the strategy needs,
        # not a Consider and an Evidence fact per member and post (the team's heatmap).
        if posts:
            table = tuple((role, _evidence_rows(all_requirements[role], person)) for role in posts)
            engine.declare(Alternatives(cid=cid, table=table))

    return team_posts


@dataclass(frozen=True, slots=True)
class RequirementFields:
    """A post's essential skills, the levels they need, and how to read a `Person` fact's levels
    of them in one call (weighing every post is the hottest action of a mismatch)."""

    skills: tuple[str, ...]
    needs: tuple[int, ...]
    levels: Callable[[Fact], tuple[int, ...]]
    #: the rows of each combination of levels met so far: applicants share them
    rows: dict[tuple[int, ...], tuple[tuple[str, int, int], ...]] = field(default_factory=dict)


def _requirement_fields(kb: KnowledgeBase) -> dict[str, RequirementFields]:
    weighed = {}
    for role in kb.roles.values():
        skills = tuple(role.essential)
        fields = tuple(skill_field(skill) for skill in skills)
        # `itemgetter` of one field returns the value, not a tuple of one (and of none, fails)
        levels = itemgetter(*fields) if len(fields) > 1 else _few_levels(fields)
        weighed[role.id] = RequirementFields(skills, tuple(role.essential.values()), levels)
    return weighed


def _few_levels(fields: tuple[str, ...]) -> Callable[[Fact], tuple[int, ...]]:
    return lambda person: tuple(person[field] for field in fields)


def _evidence_rows(
    requirements: RequirementFields, person: Fact
) -> tuple[tuple[str, int, int], ...]:
    """(skill, need, have) for each essential skill of a post: what the person brings to it."""
    levels = requirements.levels(person)
    rows = requirements.rows.get(levels)
    if rows is None:  # sorted, as `Conclusions.evidence` keeps them
        rows = requirements.rows[levels] = tuple(
            sorted(zip(requirements.skills, requirements.needs, levels, strict=True))
        )
    return rows


def _declare_requirements(
    engine: Any,
    cid: str,
    role: str,
    requirements: tuple[tuple[str, int], ...],
    person: Fact,
    modules: tuple[str, ...],
    importance: str,
) -> None:
    inferred = person["inferred"]
    for skill, need in requirements:
        engine.declare(
            Requirement(
                cid=cid,
                role=role,
                skill=skill,
                need=need,
                have=person[skill_field(skill)],
                inferred=skill in inferred,
                modules=modules,
                importance=importance,
            )
        )


def _inferred_facts(cid: str, shown: PersonEvidence) -> list[Fact]:
    """One `Inferred` fact per evidence rule that set a level, for the rule to fire on."""
    by_rule: dict[str, list[tuple[str, int]]] = defaultdict(list)
    evidence: dict[str, str] = {}
    for skill, found in sorted(shown.inferred.items()):
        by_rule[found.rule].append((skill, found.level))
        evidence[found.rule] = found.evidence
    return [
        Inferred(cid=cid, rule=rule_id, levels=tuple(levels), evidence=evidence[rule_id])
        for rule_id, levels in by_rule.items()
    ]


def _engine_class(
    book: _Rulebook, role: Role | None = None, *, heatmap: bool = True
) -> type[LeanKnowledgeEngine]:
    """An engine of every rule (the team run's); with `role`, of the rules that can fire in a run
    of people on that post (`kinds.fires_for`; the heatmap's if `heatmap`, never the team run's
    own): a network a fraction of the whole, so each person's facts meet fewer tests and joins.
    A rule keeps its name in every engine (the agenda orders ties by it), and `facts` prepares
    each for experta's network once."""
    body: dict[str, Any] = {"__strategy__": StableDepthStrategy, **book.core}
    if heatmap:
        body.update(book.heatmap)
    if role is None:
        body.update(book.team)
    body.update(
        (name, compiled)
        for name, rule, compiled in book.pack
        if role is None or fires_for(rule, role)
    )
    return type("StaffcheckEngine", (LeanKnowledgeEngine,), body)


# --- running ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """A person and the post they hold or are screened for, with what their profile shows when
    the caller has already weighed it (else the engine weighs it)."""

    profile: Profile
    role: str
    shown: PersonEvidence | None = None

    def evidence(self, kb: KnowledgeBase) -> PersonEvidence:
        return self.shown if self.shown is not None else weigh(kb, self.profile)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A post engine's working memory after its knowledge ran alone, and the posts it derived."""

    snapshot: Snapshot
    posts: Mapping[str, tuple[tuple[str, ...], str]]


class InferenceEngine:
    """A knowledge base compiled once into an experta engine, reused across runs with reset()."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._rulebook = _Rulebook.of(kb)
        self._whole: LeanKnowledgeEngine | None = None  # built when a team run needs it
        self._role_facts = {
            role.id: RoleProfile(role=role.id, requirements=tuple(role.essential.items()))
            for role in kb.roles.values()
        }
        #: per post and mode, the engine of `assess` (`_engine_class`), built when first needed
        self._post_engines: dict[tuple[str, bool], Any] = {}
        #: knowledge snapshots, per post engine and knowledge
        self._snapshots: dict[tuple[tuple[str, bool], tuple[frozenset[Any], ...]], _Prepared] = {}
        self._field_of = {skill: skill_field(skill) for skill in kb.skills}
        #: every skill field at `NOT_SHOWN`, in the pack's order: a `Person` fact's start
        self._unshown = dict.fromkeys(self._field_of.values(), NOT_SHOWN)
        self._suggested: dict[str, set[str]] = {}
        for pack_rule in kb.active_rules():
            for post, others in suggested_posts(pack_rule).items():
                self._suggested.setdefault(post, set()).update(others)

    @property
    def _engine(self) -> Any:
        """The engine of every rule, for team runs and `infer`."""
        if self._whole is None:
            self._whole = _engine_class(self._rulebook)()
            streamline(self._whole)
        return self._whole

    @_engine.setter
    def _engine(self, engine: Any) -> None:
        self._whole = engine

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
        # Only the posts this run can reach: held posts, the posts the pack's rules may suggest
        # for them (a confusable role's better posts), and the strategy's posts; fewer facts, cheaper joins.
        reachable = {a.role for a in assignments}
        reachable |= {r for a in assignments for r in self._suggested.get(a.role, ())}
        if strategy is not None:
            reachable |= set(strategy.posts())
        roles = [role for role in self.kb.roles if role in reachable]
        knowledge = self._knowledge(roles, strategy, team=team, weigh_all_posts=weigh_all_posts)
        return [*knowledge, *self._people(assignments)]

    def _knowledge(
        self, roles: Iterable[str], strategy: Strategy | None, *, team: bool, weigh_all_posts: bool
    ) -> list[Fact]:
        """The facts of a run that are not about its people: posts, the strategy, the run's mode."""
        facts: list[Fact] = [self._role_facts[role] for role in roles]
        facts += self._strategy_facts(strategy)
        if team:
            facts.append(TeamMode())
        if weigh_all_posts or team:
            posts = tuple(strategy.posts()) if strategy is not None else ()
            facts.append(WeighAllPosts(posts=posts))
        return facts

    def _people(self, assignments: Sequence[Assignment]) -> list[Fact]:
        facts: list[Fact] = []
        for assignment in assignments:
            person = assignment.profile
            shown = assignment.evidence(self.kb)
            facts.append(
                Person(
                    cid=person.id,
                    channels=tuple(person.channels),
                    inferred=tuple(sorted(shown.inferred)),
                    **self._levels(shown),
                )
            )
            facts.append(Holding(cid=person.id, role=assignment.role))
            facts += _inferred_facts(person.id, shown)
        return facts

    def _levels(self, shown: PersonEvidence) -> dict[str, int]:
        """A `Person` fact's skill fields: stated, else inferred, else `NOT_SHOWN`."""
        # As `PersonEvidence.level` of every skill, without a call per skill of the pack.
        levels, field_of = dict(self._unshown), self._field_of
        for skill, level in shown.known().items():
            if skill in field_of:
                levels[field_of[skill]] = level
        return levels

    def assess(
        self,
        assignments: Sequence[Assignment],
        strategy: Strategy | None,
        *,
        weigh_all_posts: bool = False,
    ) -> Conclusions:
        """People on their posts: findings, evidence, better posts; linear in the number of people.

        People run grouped by post, each post in an engine of the rules that can fire for it
        (`_engine_class`), and in small groups, small enough that experta's scanning joins
        stay cheap. Every group of a post starts from the same knowledge — the posts its rules
        may reach, the strategy — declared once and kept as a snapshot of the working memory
        (`lean_rete.Snapshot`), restored for each group. A person's conclusions never depend on
        who else is in a run, so the grouping changes nothing but the cost.
        """
        by_post: dict[str, list[Assignment]] = {}
        for assignment in assignments:
            by_post.setdefault(assignment.role, []).append(assignment)
        parts: list[Conclusions] = []
        for role, people in by_post.items():
            engine = (role, weigh_all_posts)
            knowledge = self._knowledge(
                self._reachable(role), strategy, team=False, weigh_all_posts=weigh_all_posts
            )
            parts += [
                self._infer_from(
                    engine, knowledge, self._people(people[start : start + PEOPLE_PER_RUN])
                )
                for start in range(0, len(people), PEOPLE_PER_RUN)
            ]
        return Conclusions.merge(parts)

    def _reachable(self, role: str) -> list[str]:
        """The posts a run of people on `role` may weigh them on: theirs, and those the pack's
        rules may suggest instead (a confusable role's better posts), in the pack's order."""
        suggested = self._suggested.get(role, set())
        return [post for post in self.kb.roles if post == role or post in suggested]

    def _post_engine(self, key: tuple[str, bool]) -> Any:
        engine = self._post_engines.get(key)
        if engine is None:
            role, weigh_all_posts = key
            engine = self._post_engines[key] = _engine_class(
                self._rulebook, self.kb.roles[role], heatmap=weigh_all_posts
            )()
            streamline(engine)
        return engine

    def coverage(
        self, assignments: Sequence[Assignment], blocking: frozenset[str], strategy: Strategy
    ) -> Conclusions:
        """The team run: posts and modules nobody carries, and the team-level rules.

        The team is declared as what those rules read of it (`diagnose._team_key`), not member
        by member: one `MemberFact` of the team's best level of each skill (the rules ask only
        whether nobody has a skill at a level), and for each post held its holder count
        (`PostHolders`) and one `Holding` - of a holder who carries it, else of its first holder,
        then `Blocking` (the rules ask whether anyone covers a post, and whether its single
        holder is blocked). A thousand members are some thirty facts, not three thousand. There
        are no `Person` facts here, so the per-person rules (already run by `assess`) do not
        fire a second time.
        """
        facts: list[Fact] = [*self._strategy_facts(strategy), TeamMode()]
        facts += [
            ModuleRole(module=need.module, role=role)
            for need in strategy.modules
            for role, _ in need.roles
        ]
        holders: dict[str, list[str]] = {}
        best: dict[str, int] = {}
        for assignment in assignments:
            holders.setdefault(assignment.role, []).append(assignment.profile.id)
            for skill, level in self._levels(assignment.evidence(self.kb)).items():
                if level > best.get(skill, level - 1):
                    best[skill] = level
        facts += [
            PostHolders(role=role, count=len(ids), first=ids[0]) for role, ids in holders.items()
        ]
        facts.append(TeamSize(members=len(assignments), planned=planned_team_size(strategy)))
        if assignments:
            facts.append(MemberFact(cid=TEAM, **best))
        for role, ids in holders.items():
            carrier = next((cid for cid in ids if cid not in blocking), None)
            facts.append(Holding(cid=carrier or ids[0], role=role))
            if carrier is None:
                facts.append(Blocking(cid=ids[0]))
        return self.infer(facts)

    @collector_paused
    def infer(self, facts: Sequence[Fact], *, one_at_a_time: bool = False) -> Conclusions:
        """Reset, declare `facts` (all at once, or one by one as a streaming caller would), run."""
        engine = self._engine
        engine.reset()
        if one_at_a_time:
            for fact in facts:
                engine.declare(fact)
        else:
            engine.declare(*facts)
        return self._run()

    @collector_paused
    def _infer_from(
        self, which: tuple[str, bool], knowledge: Sequence[Fact], people: Sequence[Fact]
    ) -> Conclusions:
        """`infer` on `knowledge` then `people` in the post engine `which`, the knowledge and what
        it derives alone (the posts the strategy needs) restored from a snapshot."""
        engine = self._post_engine(which)
        # By content: the facts of a past run were declared, which changed them (`content_key`).
        key = (which, content_key(knowledge))
        prepared = self._snapshots.pop(key, None)
        if prepared is None:
            engine.reset()
            engine.declare(*knowledge)
            engine.run()
            prepared = _Prepared(capture(engine), self._collect(engine, 0).posts)
        else:
            restore(engine, prepared.snapshot)
        self._snapshots[key] = prepared  # the most recently used last
        while len(self._snapshots) > SNAPSHOTS_KEPT:
            del self._snapshots[next(iter(self._snapshots))]
        engine.declare(*people)
        before = len(engine.facts)
        engine.run()
        # Only the facts of this run's people: the knowledge's conclusions are known.
        known = len(prepared.snapshot.facts)
        return self._collect(engine, len(engine.facts) - before, known, prepared.posts)

    def _run(self) -> Conclusions:
        engine = self._engine
        before = len(engine.facts)
        engine.run()
        return self._collect(engine, len(engine.facts) - before)

    @staticmethod
    def _collect(
        engine: Any,
        derived: int,
        start: int = 0,
        posts: Mapping[str, tuple[tuple[str, ...], str]] | None = None,
    ) -> Conclusions:
        """The conclusions in `engine`'s facts from the `start`-th on (those before it, if any,
        derived the strategy's `posts`)."""
        findings: list[Fired] = []
        gaps: list[FiredGap] = []
        evidence: dict[tuple[str, str], tuple[tuple[str, int, int], ...]] = {}
        held: dict[tuple[str, str], list[tuple[str, int, int]]] = defaultdict(list)
        needed: dict[str, tuple[tuple[str, ...], str]] = dict(posts or {})
        blocking: set[str] = set()
        for fact in islice(engine.facts.values(), start, None):
            kind = type(fact)  # the fact classes have no subclasses: `is`, not isinstance
            if kind is Requirement:
                held[(fact["cid"], fact["role"])].append(
                    (fact["skill"], fact["need"], fact["have"])
                )
            elif kind is FindingFact:
                findings.append(
                    Fired(
                        fact["rule"],
                        fact["cid"],
                        fact["role"],
                        dict(fact["bindings"]),
                        tuple(fact["matched"]),
                    )
                )
            elif kind is Blocking:
                blocking.add(fact["cid"])
            elif kind is Alternatives:  # rows sorted by `_evidence_rows`
                for role, rows in fact["table"]:
                    evidence[(fact["cid"], role)] = rows
            elif kind is Evidence:
                # The same (person, post) may be weighed twice; the rows are the same either way.
                evidence[(fact["cid"], fact["role"])] = fact["rows"]
            elif kind is GapFact:
                gaps.append(
                    FiredGap(
                        fact["rule"],
                        fact["role"],
                        tuple(fact["modules"]),
                        fact["importance"],
                        fact["severity"],
                    )
                )
            elif kind is PostNeeded:
                needed[fact["role"]] = (tuple(fact["modules"]), fact["importance"])
        # A held post is weighed by its Requirement facts, one per essential skill.
        evidence.update({key: tuple(sorted(rows)) for key, rows in held.items()})
        return Conclusions(
            findings=tuple(findings),
            gaps=tuple(gaps),
            evidence=evidence,
            posts=needed,
            rules_fired=derived,
            blocking=frozenset(blocking),
        )
