"""The explanation facility: how each finding was reached, why someone does (not) cover a post, what to do.

Everything here is built from the results of `diagnose.screen` and `diagnose.assess_team` and from
the knowledge base, as frozen values; ``staffcheck.explain_cli`` renders them. Names and other
profile text in labels are untrusted: every renderer makes them inert.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from frozendict import frozendict

from staffcheck.diagnose import GOOD_FIT, MemberMemo, assess_team, check_role, fit_score, screen
from staffcheck.errors import StaffcheckError
from staffcheck.kinds import post_outside_strategy, requirement_gap
from staffcheck.kinds.confusable_role import ConfusableSpec
from staffcheck.model import (
    Action,
    CandidateResult,
    Finding,
    Gap,
    KnowledgeBase,
    Member,
    Profile,
    Report,
    RoleFit,
    Severity,
    Source,
    Strategy,
    StrategyRef,
    Team,
    Verdict,
    WaiverNote,
    frozen_map,
)
from staffcheck.schema import did_you_mean

#: The engine's own derivations (``staffcheck.engine``), which every pack shares, and why.
CORE_RULES: Mapping[str, str] = {
    "derive-posts": (
        "A strategy is carried out through work modules, and each module names the posts that "
        "carry it, with how much it needs them (essay 001: decompose the implementation down to "
        "posts)."
    ),
    "derive-requirements": (
        "A post the strategy needs derives its requirements: the essential skills it cannot do "
        "without, each with a minimum level (calibrated on O*NET and ESCO)."
    ),
    "derive-requirements-outside-strategy": (
        "A post the strategy does not derive (or any post, when there is no strategy) still has "
        "its requirements; whoever holds it, or is screened for it, is checked against them."
    ),
    "covers-post": (
        "A member covers the post they hold unless a finding of severity high or worse says "
        "they cannot carry it."
    ),
    "consider-every-needed-post": (
        "Every member is weighed against every post the strategy needs, so that a post nobody "
        "covers can be covered from inside the team."
    ),
    "explore-other-posts": (
        "A finding of severity high or worse makes the engine weigh the person against every "
        "other post; those they fit better are suggested."
    ),
}

_BLOCKING = Severity.HIGH.weight
#: Members tried for a vacated or uncovered post, and better posts tried per mismatch: each
#: trial re-runs the whole team.
_MAX_TRIALS = 3


class NodeKind(enum.StrEnum):
    """What a node of an explanation tree stands for."""

    STRATEGY = "strategy"
    MODULE = "module"
    POST = "post"
    REQUIREMENT = "requirement"
    CONDITION = "condition"
    """The pattern a rule looks for in a profile (confusable roles)."""
    EVIDENCE = "evidence"
    """What the person's profile, or the team, shows."""
    RULE = "rule"
    FINDING = "finding"
    HOLDERS = "holders"
    EXAMPLE = "example"
    OPTION = "option"
    """A way out: a better post, a member who could cover."""
    WAIVER = "waiver"
    """A team's waiver that accepts the finding (or has expired)."""


@dataclass(frozen=True, slots=True)
class ExplanationNode:
    """One step of a derivation, the rule that licensed it (if any) and why that rule holds."""

    label: str
    kind: NodeKind
    rule: str | None = None
    rationale: str | None = None
    children: tuple[ExplanationNode, ...] = ()
    severity: Severity | None = None

    def walk(self) -> Iterator[ExplanationNode]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def paths(self) -> Iterator[tuple[ExplanationNode, ...]]:
        """Every path from this node down to a leaf."""
        if not self.children:
            yield (self,)
            return
        for child in self.children:
            for rest in child.paths():
                yield (self, *rest)


@dataclass(frozen=True, slots=True)
class PersonExplanation:
    """How one person's findings on their post were reached."""

    id: str
    name: str
    role: str
    fit: int
    verdict: Verdict
    tree: ExplanationNode


@dataclass(frozen=True, slots=True)
class GapExplanation:
    """How a post of the strategy came to be uncovered."""

    role: str
    severity: Severity
    tree: ExplanationNode


@dataclass(frozen=True, slots=True)
class Explanation:
    """The derivation trees of one report, filtered to a person or a rule if asked."""

    strategy: StrategyRef | None
    team: str | None
    people: tuple[PersonExplanation, ...]
    gaps: tuple[GapExplanation, ...] = ()
    team_findings: tuple[ExplanationNode, ...] = ()

    def nodes(self) -> Iterator[ExplanationNode]:
        """Every node of every tree."""
        for person in self.people:
            yield from person.tree.walk()
        for gap in self.gaps:
            yield from gap.tree.walk()
        for tree in self.team_findings:
            yield from tree.walk()


# --- looking things up -----------------------------------------------------------------------


def find_person(profiles: Sequence[Profile], person_id: str) -> Profile:
    """The profile with this id, or an error that suggests the closest id."""
    by_id = {p.id: p for p in profiles}
    if person_id in by_id:
        return by_id[person_id]
    shown = ", ".join(list(by_id)[:8]) + (", ..." if len(by_id) > 8 else "")
    hint = did_you_mean(person_id, by_id) or f"known: {shown}"
    raise StaffcheckError.at(f"unknown person {person_id!r}", hint=hint)


def check_rule(kb: KnowledgeBase, rule_id: str) -> str:
    """The rule id if the pack knows it, else an error that suggests the closest one."""
    if rule_id not in kb.rules:
        hint = did_you_mean(rule_id, kb.rules) or "run 'staffcheck rules list' for the rules"
        raise StaffcheckError.at(f"unknown rule {rule_id!r}", hint=hint)
    return rule_id


def role_fit(kb: KnowledgeBase, profile: Profile, role: str) -> int:
    """0–100: how fully `profile` meets the essential skills of `role` (as the engine scores it)."""
    return fit_score(
        (skill, need, profile.level(skill)) for skill, need in kb.roles[role].essential.items()
    )


def _clause(text: str) -> str:
    """A title as a clause after a colon: first letter lowered unless it starts an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


# --- derivation trees ------------------------------------------------------------------------


def explain(
    kb: KnowledgeBase,
    report: Report,
    profiles: Iterable[Profile],
    *,
    person: str | None = None,
    rule: str | None = None,
) -> Explanation:
    """The derivation tree of every person's findings and of every uncovered post of `report`.

    `profiles` are the people the report is about (for the levels they have). `person` keeps one
    person (and the uncovered posts they hold); `rule` keeps the findings of one rule.
    """
    by_id = {p.id: p for p in profiles}
    if person is not None:
        find_person(list(by_id.values()), person)
    if rule is not None:
        check_rule(kb, rule)
    strategy = kb.strategies.get(report.strategy.id) if report.strategy else None
    builder = _TreeBuilder(kb, strategy, rule)
    people = []
    for c in report.candidates:
        if person is not None and c.id != person:
            continue
        profile = by_id.get(c.id)
        tree = builder.person(c, profile) if profile is not None else None
        if tree is not None:
            people.append(PersonExplanation(c.id, c.name, c.role, c.fit, c.verdict, tree))
    gaps: list[GapExplanation] = []
    team_findings: list[ExplanationNode] = []
    if report.team is not None:
        for gap in report.team.gaps:
            holders = [c for c in report.candidates if c.role == gap.role]
            if person is not None and person not in {c.id for c in holders}:
                continue
            if rule is not None and gap.rule != rule:
                continue
            gaps.append(GapExplanation(gap.role, gap.severity, builder.gap(gap, holders)))
        if person is None:
            team_findings = [
                builder.team_finding(f)
                for f in report.team.findings
                if rule is None or f.rule == rule
            ]
    return Explanation(
        report.strategy,
        None if report.team is None else report.team.name,
        tuple(people),
        tuple(gaps),
        tuple(team_findings),
    )


def _waiver_node(waiver: WaiverNote) -> ExplanationNode:
    """The team's waiver of a finding: accepted until a date, or expired (and counting again)."""
    who = f"approved by {waiver.approved_by}"
    if waiver.expired:
        label = f"waiver expired on {waiver.expires} ({who}: {waiver.reason}); it counts again"
    else:
        label = f"waived until {waiver.expires}, {who}: {waiver.reason}"
    return ExplanationNode(label, NodeKind.WAIVER)


def _core(
    label: str, kind: NodeKind, rule: str, children: Iterable[ExplanationNode] = ()
) -> ExplanationNode:
    return ExplanationNode(label, kind, rule, CORE_RULES[rule], tuple(children))


class _TreeBuilder:
    """Builds the trees of one report: strategy → module(s) → post → ... → rule → finding."""

    def __init__(self, kb: KnowledgeBase, strategy: Strategy | None, rule: str | None) -> None:
        self.kb = kb
        self.strategy = strategy
        self.only = rule
        self.needed = strategy.posts() if strategy is not None else {}

    def keep(self, finding: Finding) -> bool:
        return self.only is None or finding.rule == self.only

    def kind(self, rule_id: str) -> str | None:
        rule = self.kb.rules.get(rule_id)
        return None if rule is None else rule.kind

    def rationale(self, rule_id: str) -> str | None:
        rule = self.kb.rules.get(rule_id)
        return None if rule is None else " ".join(rule.rationale.split())

    # -- the top of every tree ---------------------------------------------------------------

    def above_post(self, role: str, post: ExplanationNode) -> ExplanationNode:
        """strategy → module(s) → `post`; the post alone when there is no strategy."""
        if self.strategy is None:
            return post
        s = self.strategy
        if role in self.needed:
            label = ", ".join(
                f"{self.module_name(need.module)} module ({importance.value})"
                for need in s.modules
                for r, importance in need.roles
                if r == role
            )
        else:
            label = f"no module of {s.id} needs the {role} post"
        module = ExplanationNode(label, NodeKind.MODULE, children=(post,))
        return ExplanationNode(f"strategy {s.id} ({s.name})", NodeKind.STRATEGY, children=(module,))

    def module_name(self, module: str) -> str:
        known = self.kb.modules.get(module)
        return known.name.lower() if known is not None else module

    def post(self, role: str, children: Iterable[ExplanationNode]) -> ExplanationNode:
        """The post: derived from the strategy, or simply the one the person holds."""
        known = self.kb.roles.get(role)
        label = f"post {role}" + (f" ({known.name})" if known is not None else "")
        if role in self.needed:
            return _core(label, NodeKind.POST, "derive-posts", children)
        return ExplanationNode(label, NodeKind.POST, children=tuple(children))

    def requirements_rule(self, role: str) -> str:
        return (
            "derive-requirements" if role in self.needed else "derive-requirements-outside-strategy"
        )

    # -- a rule and what it concluded ----------------------------------------------------------

    def rule_node(
        self, finding: Finding, below: Iterable[ExplanationNode] = (), *, label: str | None = None
    ) -> ExplanationNode:
        """rule → finding, the finding carrying `below` (better posts, examples, ...)."""
        rationale = self.rationale(finding.rule)
        if finding.waiver is not None:
            below = (*below, _waiver_node(finding.waiver))
        title = finding.title or (
            self.kb.rules[finding.rule].title if finding.rule in self.kb.rules else ""
        )
        concluded = ExplanationNode(
            label or finding.message,
            NodeKind.FINDING,
            finding.rule,
            rationale,
            tuple(below),
            finding.severity,
        )
        return ExplanationNode(
            f"rule {finding.rule}" + (f": {title}" if title else ""),
            NodeKind.RULE,
            finding.rule,
            rationale,
            (concluded,),
        )

    # -- one person on their post --------------------------------------------------------------

    def person(self, c: CandidateResult, profile: Profile) -> ExplanationNode | None:
        findings = [f for f in c.findings if self.keep(f)]
        if self.only is not None and not findings:
            return None
        essential = self.kb.roles[c.role].essential if c.role in self.kb.roles else {}
        by_skill: dict[str, list[Finding]] = {}
        others: list[Finding] = []
        for f in findings:
            if (
                self.kind(f.rule) == requirement_gap.NAME
                and f.skill is not None
                and f.skill in essential
            ):
                by_skill.setdefault(f.skill, []).append(f)
            else:
                others.append(f)
        branches: list[tuple[int, ExplanationNode]] = []
        for f in others:
            branches.append((f.severity.weight, self.other_branch(f, c, profile)))
        for skill, need in essential.items():
            fired = by_skill.get(skill, [])
            if self.only is not None and not fired:
                continue
            have = profile.level(skill)
            shows = f"{profile.name} has {skill} {have}" + ("" if fired else ": met")
            evidence = ExplanationNode(
                shows, NodeKind.EVIDENCE, children=tuple(self.rule_node(f) for f in fired)
            )
            requirement = _core(
                f"needs {skill} ≥ {need}",
                NodeKind.REQUIREMENT,
                self.requirements_rule(c.role),
                [evidence],
            )
            worst = max((f.severity.weight for f in fired), default=-1)
            branches.append((worst, requirement))
        # Heaviest first; the engine's order (confusable roles before gaps) among equals.
        branches.sort(key=lambda pair: -pair[0])
        return self.above_post(c.role, self.post(c.role, (node for _, node in branches)))

    def other_branch(self, f: Finding, c: CandidateResult, profile: Profile) -> ExplanationNode:
        rule = self.kb.rules.get(f.rule)
        if rule is not None and isinstance(rule.spec, ConfusableSpec):
            return self.confusable_branch(f, c, profile, rule.spec)
        if rule is not None and rule.kind == post_outside_strategy.NAME and self.strategy:
            posts = ", ".join(sorted(self.needed))
            evidence = ExplanationNode(
                f"{profile.name} holds {c.role}; {self.strategy.id} needs {posts}",
                NodeKind.EVIDENCE,
                children=(self.rule_node(f),),
            )
            return evidence
        return self.chain(f)

    def confusable_branch(
        self, f: Finding, c: CandidateResult, profile: Profile, spec: ConfusableSpec
    ) -> ExplanationNode:
        rule = self.kb.rules[f.rule]
        pattern = [f"{skill} {rng}" for skill, rng in spec.skills]
        shown = [f"{skill} {profile.level(skill)}" for skill, _ in spec.skills]
        if spec.channels_any:
            pattern.append(f"worked on {' or '.join(spec.channels_any)}")
        if spec.channels_none:
            pattern.append(f"never on {' or '.join(spec.channels_none)}")
        if spec.channels_any or spec.channels_none:
            shown.append(f"worked on {', '.join(profile.channels) or 'no channel'}")
        fits = {r.role: r.fit for r in c.better_roles}
        options = tuple(
            _core(
                f"fits better: {role} (fit {fits.get(role, role_fit(self.kb, profile, role))})",
                NodeKind.OPTION,
                "explore-other-posts",
            )
            for role in spec.better_roles
        )
        example = ExplanationNode(
            f"looks like {_clause(rule.example.looks_like.rstrip('.'))}; "
            f"actually is {_clause(rule.example.actually_is.rstrip('.'))}",
            NodeKind.EXAMPLE,
            f.rule,
        )
        evidence = ExplanationNode(
            f"{profile.name} has {', '.join(shown)}",
            NodeKind.EVIDENCE,
            children=(self.rule_node(f, (example, *options)),),
        )
        return ExplanationNode(
            f"the pattern of {rule.id}: {', '.join(pattern)}",
            NodeKind.CONDITION,
            rule.id,
            self.rationale(rule.id),
            (evidence,),
        )

    def chain(self, f: Finding) -> ExplanationNode:
        """A finding of a kind without its own shape: its derivation in words, then the rule."""
        steps = [line for line in f.because if not line.startswith(f"rule {f.rule}")]
        node = self.rule_node(f)
        for line in reversed(steps):
            node = ExplanationNode(line, NodeKind.EVIDENCE, children=(node,))
        return node

    # -- the team ------------------------------------------------------------------------------

    def gap(self, gap: Gap, holders: Sequence[CandidateResult]) -> ExplanationNode:
        """strategy → module(s) → post → holders (and why they do not cover it) → rule → gap."""
        below: list[ExplanationNode] = [
            _core(
                f"could be covered by {option.person_name} ({option.person_id}), fit {option.fit}",
                NodeKind.OPTION,
                "consider-every-needed-post",
            )
            for option in gap.could_cover
        ]
        if not below:
            below.append(
                _core(
                    f"nobody else in the team fits it (fit {GOOD_FIT} or more)",
                    NodeKind.OPTION,
                    "consider-every-needed-post",
                )
            )
        concluded = self.rule_node(
            Finding(gap.rule, gap.severity, gap.message, gap.because, waiver=gap.waiver), below
        )
        reasons = []
        for c in holders:
            blocking = [f for f in c.findings if f.severity.weight >= _BLOCKING]
            reasons.append(
                ExplanationNode(
                    f"{c.name} ({c.id}): fit {c.fit}, {c.verdict.value}",
                    NodeKind.EVIDENCE,
                    children=tuple(
                        ExplanationNode(
                            f.message,
                            NodeKind.FINDING,
                            f.rule,
                            self.rationale(f.rule),
                            severity=f.severity,
                        )
                        for f in blocking
                    ),
                )
            )
        if not holders:
            label = "no member holds it"
        elif len(holders) == 1:
            label = f"held by {holders[0].name} ({holders[0].id}), who cannot carry it"
        else:
            names = ", ".join(f"{c.name} ({c.id})" for c in holders)
            label = f"held by {names}, none of whom can carry it"
        held = _core(label, NodeKind.HOLDERS, "covers-post", [*reasons, concluded])
        return self.above_post(gap.role, self.post(gap.role, [held]))

    def team_finding(self, f: Finding) -> ExplanationNode:
        node = self.chain(f)
        if self.strategy is None:
            return node
        s = self.strategy
        return ExplanationNode(f"strategy {s.id} ({s.name})", NodeKind.STRATEGY, children=(node,))


# --- why (not) -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkillCheck:
    """An essential skill of a post: what it needs and what the person has."""

    skill: str
    need: int
    have: int

    @property
    def met(self) -> bool:
        return self.have >= self.need


@dataclass(frozen=True, slots=True)
class WhyNot:
    """Why one person does or does not cover one post (which they may or may not hold)."""

    person_id: str
    person_name: str
    role: str
    role_name: str
    strategy: StrategyRef | None
    holds: str | None
    fit: int
    verdict: Verdict
    essential: tuple[SkillCheck, ...]
    #: optional skills of the post the person has (level above 0)
    optional: tuple[tuple[str, int], ...]
    #: the rules that fire with the person on the post, heaviest first
    findings: tuple[Finding, ...]
    better_roles: tuple[RoleFit, ...] = ()
    #: rule id -> the rule's rationale, for the findings
    rationales: Mapping[str, str] = field(default_factory=frozendict)

    @property
    def covers(self) -> bool:
        """No finding of severity high or worse: the engine would count the post as covered."""
        return all(f.severity.weight < _BLOCKING for f in self.findings)

    @property
    def reason(self) -> str | None:
        """The main reason, in a few words: the heaviest finding."""
        if not self.findings:
            return None
        first = self.findings[0]
        text = _clause(first.title) if first.title else first.rule
        check = next((s for s in self.essential if s.skill == first.skill), None)
        if check is not None:
            text += f" ({check.skill} {check.have}, needs {check.need})"
        more = len(self.findings) - 1
        if more:
            text += f" (+{more} more finding{'s' if more > 1 else ''})"
        return text

    @property
    def verdict_line(self) -> str:
        """``covers it``, ``covers it, with reservations: ...`` or ``does not cover it: ...``."""
        if self.covers:
            return (
                "covers it" if not self.findings else f"covers it, with reservations: {self.reason}"
            )
        return f"does not cover it: {self.reason}"


def why_not(
    kb: KnowledgeBase,
    profile: Profile,
    role: str,
    strategy: Strategy | None = None,
    *,
    holds: str | None = None,
) -> WhyNot:
    """Why `profile` does or does not cover `role`: screen them as if they held it."""
    check_role(kb, role)
    candidate = screen(kb, [profile], strategy, role=role).candidates[0]
    post = kb.roles[role]
    essential = tuple(
        SkillCheck(skill, need, profile.level(skill)) for skill, need in post.essential.items()
    )
    optional = tuple(
        (skill, profile.level(skill)) for skill in post.optional if profile.level(skill) > 0
    )
    rationales = {f.rule: " ".join(kb.rules[f.rule].rationale.split()) for f in candidate.findings}
    return WhyNot(
        person_id=profile.id,
        person_name=profile.name,
        role=role,
        role_name=post.name,
        strategy=None if strategy is None else StrategyRef(strategy.id, strategy.name),
        holds=holds,
        fit=candidate.fit,
        verdict=candidate.verdict,
        essential=essential,
        optional=optional,
        findings=candidate.findings,
        better_roles=candidate.better_roles,
        rationales=frozendict(rationales),
    )


# --- what to do ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """What a team report counts: posts nobody covers, people who cannot carry their post."""

    uncovered: tuple[str, ...]
    mismatches: tuple[str, ...]
    #: (person id, verdict) for every member
    verdicts: tuple[tuple[str, Verdict], ...] = ()

    @classmethod
    def of(cls, report: Report) -> Tally:
        gaps = report.team.gaps if report.team is not None else ()
        return cls(
            tuple(g.role for g in gaps if g.counts),
            tuple(c.id for c in report.candidates if c.verdict is Verdict.MISMATCH),
            tuple((c.id, c.verdict) for c in report.candidates),
        )

    @property
    def key(self) -> tuple[int, int]:
        """Fewer uncovered posts first, then fewer mismatches."""
        return (len(self.uncovered), len(self.mismatches))


@dataclass(frozen=True, slots=True)
class Move:
    """A person put on a post: a member moved (`from_role` set) or a new hire (`hire`)."""

    person_id: str
    person_name: str
    from_role: str | None
    to_role: str
    fit: int
    hire: bool = False


@dataclass(frozen=True, slots=True)
class Training:
    """A member trained one level up to what their post needs."""

    person_id: str
    person_name: str
    skill: str
    have: int
    need: int


@dataclass(frozen=True, slots=True)
class PlannedAction:
    """One step of the plan, and its effect measured by re-assessing the team after it.

    Steps are cumulative: each one's `before` is the team with the steps above it done.
    """

    action: Action
    summary: str
    before: Tally
    after: Tally
    moves: tuple[Move, ...] = ()
    training: tuple[Training, ...] = ()
    notes: tuple[str, ...] = ()
    #: the verdicts of the people moved or trained that changed, e.g. "Sun Li mismatch → partial"
    changes: tuple[str, ...] = ()

    @property
    def covers(self) -> tuple[str, ...]:
        return tuple(r for r in self.before.uncovered if r not in self.after.uncovered)

    @property
    def uncovers(self) -> tuple[str, ...]:
        return tuple(r for r in self.after.uncovered if r not in self.before.uncovered)

    @property
    def effect(self) -> str:
        """``covers taobao-operator: uncovered posts 2 → 1``, with mismatches when they change."""
        parts = []
        if self.covers:
            parts.append(f"covers {', '.join(self.covers)}")
        if self.uncovers:
            parts.append(f"uncovers {', '.join(self.uncovers)}")
        parts += self.changes
        counts = f"uncovered posts {len(self.before.uncovered)} → {len(self.after.uncovered)}"
        if len(self.before.mismatches) != len(self.after.mismatches):
            counts += f", mismatches {len(self.before.mismatches)} → {len(self.after.mismatches)}"
        return f"{'; '.join(parts)}: {counts}" if parts else counts


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """What to do, in order, and where the team ends if every step is taken."""

    actions: tuple[PlannedAction, ...]
    before: Tally
    after: Tally

    @property
    def effect(self) -> str:
        text = f"uncovered posts {len(self.before.uncovered)} → {len(self.after.uncovered)}"
        return text + f", mismatches {len(self.before.mismatches)} → {len(self.after.mismatches)}"


def plan_actions(kb: KnowledgeBase, team: Team, report: Report | None = None) -> ActionPlan:
    """Turn a team's diagnosis into ordered actions, each with its measured effect on coverage.

    In order: reassign each mismatched member to the post they fit (with a member to take their
    post when that helps), move members who fit an uncovered post onto it, train one-level gaps
    on essential skills, and hire for the posts still uncovered. Every candidate step is tried
    by re-running `assess_team` on the changed team; only steps that improve it are kept.
    """
    planner = _Planner(kb, team, report if report is not None else assess_team(kb, team))
    start = planner.tally
    planner.reassign_mismatches()
    planner.cover_gaps()
    planner.train_small_gaps()
    planner.hire_for_gaps()
    return ActionPlan(tuple(planner.actions), start, planner.tally)


@dataclass(frozen=True, slots=True)
class _Trial:
    moves: tuple[Move, ...]
    team: Team
    report: Report
    tally: Tally


def _with_role(team: Team, person_id: str, role: str) -> Team:
    members = tuple(replace(m, role=role) if m.profile.id == person_id else m for m in team.members)
    return replace(team, members=members)


def _who(name: str, person_id: str) -> str:
    return f"{name} ({person_id})"


class _Planner:
    """The team as the plan changes it, step by step."""

    def __init__(self, kb: KnowledgeBase, team: Team, report: Report) -> None:
        self.kb = kb
        self.team = team
        self.report = report
        self.tally = Tally.of(report)
        self.actions: list[PlannedAction] = []
        self.hired: set[str] = set()
        self.gap_notes: dict[str, list[str]] = {}
        self.memo: MemberMemo = {}  # members' own runs, shared by every variant tried
        self.strategy = kb.strategies[team.strategy]

    # -- trying changes ------------------------------------------------------------------------

    def trial(self, moves: Sequence[Move], team: Team) -> _Trial:
        report = assess_team(self.kb, team, memo=self.memo)
        return _Trial(tuple(moves), team, report, Tally.of(report))

    def best(self, trials: Sequence[_Trial]) -> _Trial:
        """Fewest uncovered posts, then mismatches, then moves; the first tried among equals."""
        return min(trials, key=lambda t: (*t.tally.key, len(t.moves), -sum(m.fit for m in t.moves)))

    def fillers(self, role: str, exclude: Iterable[str] = ()) -> list[tuple[Member, int]]:
        """Members on another post who fit `role`, best first."""
        skip = set(exclude) | self.hired
        found = [
            (m, role_fit(self.kb, m.profile, role))
            for m in self.team.members
            if m.role != role and m.profile.id not in skip
        ]
        found = [(m, fit) for m, fit in found if fit >= GOOD_FIT]
        found.sort(key=lambda pair: (-pair[1], pair[0].profile.id))
        return found[:_MAX_TRIALS]

    def commit(
        self,
        action: Action,
        summary: str,
        trial: _Trial,
        *,
        training: Sequence[Training] = (),
        notes: Sequence[str] = (),
    ) -> None:
        before = dict(self.tally.verdicts)
        after = dict(trial.tally.verdicts)
        names = {m.profile.id: m.profile.name for m in trial.team.members}
        people = [m.person_id for m in trial.moves if not m.hire] + [t.person_id for t in training]
        changes = tuple(
            f"{names[pid]} {before[pid].value} → {after[pid].value}"
            for pid in dict.fromkeys(people)
            if pid in before and pid in after and before[pid] is not after[pid]
        )
        self.actions.append(
            PlannedAction(
                action,
                summary,
                self.tally,
                trial.tally,
                trial.moves,
                tuple(training),
                tuple(notes),
                changes,
            )
        )
        self.team, self.report, self.tally = trial.team, trial.report, trial.tally

    def current(self, person_id: str) -> CandidateResult | None:
        return next((c for c in self.report.candidates if c.id == person_id), None)

    def rejected(self, trial: _Trial, role: str) -> str:
        """Why moving a member onto `role` was not kept."""
        move = trial.moves[-1]
        opened = [r for r in trial.tally.uncovered if r not in self.tally.uncovered]
        why = (
            f"that would leave {', '.join(opened)} uncovered"
            if opened
            else "that would not reduce the uncovered posts"
        )
        return f"{move.person_name} (fit {move.fit}) could take {role}, but {why}"

    # -- the steps -----------------------------------------------------------------------------

    def reassign_mismatches(self) -> None:
        for original in self.report.candidates:
            c = self.current(original.id)
            if c is None or c.verdict is not Verdict.MISMATCH:
                continue
            options = [r for r in c.better_roles if r.fit >= GOOD_FIT][:_MAX_TRIALS]
            if not options:
                continue
            trials = []
            fillers = self.fillers(c.role, exclude=[c.id])
            for option in options:
                first = Move(c.id, c.name, c.role, option.role, option.fit)
                moved = _with_role(self.team, c.id, option.role)
                trials.append(self.trial([first], moved))
                for member, fit in fillers:
                    second = Move(member.profile.id, member.profile.name, member.role, c.role, fit)
                    trials.append(
                        self.trial([first, second], _with_role(moved, member.profile.id, c.role))
                    )
            chosen = self.best(trials)
            if chosen.tally.key >= self.tally.key:
                continue
            target = chosen.moves[0]
            summary = (
                f"Reassign {_who(c.name, c.id)} from {c.role} to {target.to_role} "
                f"(fit {target.fit})"
            )
            notes = []
            if target.to_role not in self.strategy.posts():
                notes.append(f"{target.to_role} is not a post {self.strategy.id} needs")
            if len(chosen.moves) > 1:
                filler = chosen.moves[1]
                summary += (
                    f"; move {_who(filler.person_name, filler.person_id)} from "
                    f"{filler.from_role} to {c.role} (fit {filler.fit})"
                )
            elif c.role in chosen.tally.uncovered:
                tried = [
                    t for t in trials if len(t.moves) > 1 and t.moves[0].to_role == target.to_role
                ]
                vacated = [self.rejected(t, c.role) for t in tried] or [
                    f"nobody else in the team fits {c.role}"
                ]
                # Said once, at the step that deals with the post left open.
                known = self.gap_notes.setdefault(c.role, [])
                known.extend(note for note in vacated if note not in known)
            self.commit(Action.REASSIGN, summary, chosen, notes=notes)

    def cover_gaps(self) -> None:
        for role in list(self.tally.uncovered):
            if role not in self.tally.uncovered:
                continue
            trials = [
                self.trial(
                    [Move(m.profile.id, m.profile.name, m.role, role, fit)],
                    _with_role(self.team, m.profile.id, role),
                )
                for m, fit in self.fillers(role)
            ]
            if not trials:
                continue
            chosen = self.best(trials)
            if len(chosen.tally.uncovered) >= len(self.tally.uncovered):
                notes = [self.rejected(t, role) for t in trials]
                known = self.gap_notes.setdefault(role, [])
                known.extend(n for n in notes if n not in known)
                continue
            move = chosen.moves[0]
            self.commit(
                Action.REASSIGN,
                f"Move {_who(move.person_name, move.person_id)} from {move.from_role} to {role} "
                f"(fit {move.fit})",
                chosen,
            )

    def train_small_gaps(self) -> None:
        for c in list(self.report.candidates):
            if c.verdict is Verdict.MISMATCH or c.id in self.hired or c.role not in self.kb.roles:
                continue
            member = next(m for m in self.team.members if m.profile.id == c.id)
            essential = self.kb.roles[c.role].essential
            training = [
                Training(c.id, c.name, skill, member.profile.level(skill), essential[skill])
                for skill in dict.fromkeys(f.skill for f in c.findings if f.skill and f.counts)
                if skill in essential and essential[skill] - member.profile.level(skill) == 1
            ]
            if not training:
                continue
            skills = dict(member.profile.skills)
            skills.update({t.skill: t.need for t in training})
            trained = replace(member.profile, skills=frozen_map(skills))
            team = replace(
                self.team,
                members=tuple(
                    replace(m, profile=trained) if m.profile.id == c.id else m
                    for m in self.team.members
                ),
            )
            what = ", ".join(f"{t.skill} ({t.have} → {t.need})" for t in training)
            self.commit(
                Action.TRAIN,
                f"Train {_who(c.name, c.id)} in {what}",
                self.trial([], team),
                training=training,
            )

    def hire_for_gaps(self) -> None:
        for role in list(self.tally.uncovered):
            if role not in self.tally.uncovered or role not in self.kb.roles:
                continue
            post = self.kb.roles[role]
            ids = {m.profile.id for m in self.team.members}
            person_id, n = f"hire-{role}", 2
            while person_id in ids:
                person_id, n = f"hire-{role}-{n}", n + 1
            hire = Profile(
                id=person_id,
                name=f"a new {role}",
                skills=frozen_map(dict(post.essential)),
                source=Source("(planned hire)"),
                applying_for=role,
                channels=post.channels,
            )
            self.hired.add(person_id)
            team = replace(self.team, members=(*self.team.members, Member(role, hire)))
            holders = [c for c in self.report.candidates if c.role == role]
            notes = list(self.gap_notes.get(role, ()))
            if holders:
                held = ", ".join(_who(c.name, c.id) for c in holders)
                notes.insert(0, f"{held} cannot carry it")
            elif not notes:
                notes.append("nobody in the team fits it")
            self.commit(
                Action.HIRE,
                f"Hire for {role} ({post.name})",
                self.trial([Move(person_id, hire.name, None, role, 100, hire=True)], team),
                notes=notes,
            )
