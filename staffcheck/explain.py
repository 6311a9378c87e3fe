"""Derivation trees: how each finding of a report was reached, step by step, with the rules that licensed it.

Built from the results of `diagnose.screen` and `diagnose.assess_team` and from the knowledge
base, as frozen values; ``staffcheck.reporters.explanation`` renders them. Names and other profile
text in labels are untrusted: every renderer makes them inert.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from staffcheck.diagnose import GOOD_FIT, fit_score
from staffcheck.errors import StaffcheckError
from staffcheck.evidence import weigh
from staffcheck.i18n import tr
from staffcheck.kinds import Branch, Place, TreeStep, derivation, tree_branch
from staffcheck.knowledge import find_strategy
from staffcheck.lookup import find_person
from staffcheck.lookup import shared_names as shared_names  # re-exported: who is named how
from staffcheck.lookup import who as who
from staffcheck.model import (
    Basis,
    CandidateResult,
    Finding,
    Gap,
    KnowledgeBase,
    Labels,
    Profile,
    Report,
    Severity,
    Strategy,
    StrategyRef,
    Team,
    Verdict,
    WaiverNote,
)
from staffcheck.schema import did_you_mean
from staffcheck.words import importance_word, severity_word, verdict_word

if TYPE_CHECKING:
    from staffcheck.actions import ActionPlan
    from staffcheck.sources import Subject

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


def core_rationale(rule: str) -> str:
    """Why one of the engine's own derivations holds, in the reader's language."""
    return tr(CORE_RULES[rule])


# --- words for the model's values, in the reader's language (ids and JSON keep the values) ---


def severity_tag(severity: Severity) -> str:
    """``[HIGH]`` in English, ``[高]`` in Chinese: the tag before a finding."""
    return "[" + severity_word(severity).upper() + "]"


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
    #: how the person is shown: their name, with the id only when another shares it
    shown: str = ""


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
    #: what to do, for a team (``staffcheck.actions.plan_actions``): its JSON carries both
    actions: ActionPlan | None = None
    #: the names of the pack's posts, modules and skills, for headings
    labels: Labels = field(default_factory=Labels)

    def nodes(self) -> Iterator[ExplanationNode]:
        """Every node of every tree."""
        for person in self.people:
            yield from person.tree.walk()
        for gap in self.gaps:
            yield from gap.tree.walk()
        for tree in self.team_findings:
            yield from tree.walk()


# --- looking things up -----------------------------------------------------------------------


def strategy_and_team(
    subject: Subject, kb: KnowledgeBase, strategy: Strategy | None = None
) -> tuple[Strategy | None, Team | None]:
    """The strategy to judge by (`strategy`, else a team's own) and the team assessed under it."""
    team = subject.team
    if team is not None:
        if strategy is None:
            strategy = find_strategy(kb, team.strategy)
        team = replace(team, strategy=strategy.id)
    return strategy, team


def check_rule(kb: KnowledgeBase, rule_id: str) -> str:
    """The rule id if the pack knows it, else an error that suggests the closest one."""
    if rule_id not in kb.rules:
        hint = did_you_mean(rule_id, kb.rules) or tr("run 'staffcheck rules list' for the rules")
        raise StaffcheckError.at(tr("unknown rule {rule}", rule=repr(rule_id)), hint=hint)
    return rule_id


def _shows(name: str, skill: str, level: int, basis: Basis, fired: Sequence[Finding]) -> str:
    """What the profile shows of an essential skill, and where the level comes from."""
    if basis is Basis.UNKNOWN:
        return tr("{name}'s profile does not show {skill}", name=name, skill=skill)
    if basis is Basis.INFERRED:
        if fired:
            return tr("{name} has {skill} {level} (inferred)", name=name, skill=skill, level=level)
        return tr("{name} has {skill} {level} (inferred): met", name=name, skill=skill, level=level)
    if fired:
        return tr("{name} has {skill} {level}", name=name, skill=skill, level=level)
    return tr("{name} has {skill} {level}: met", name=name, skill=skill, level=level)


def role_fit(kb: KnowledgeBase, profile: Profile, role: str) -> int:
    """0–100: how fully `profile` meets the essential skills of `role` (as the engine scores it)."""
    shown = weigh(kb, profile)
    rows = [(skill, need, shown.level(skill)) for skill, need in kb.roles[role].essential.items()]
    return fit_score(kb, role, rows, shown)


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
    if person is not None:  # a name or an id: the id from here on
        person = find_person(list(by_id.values()), person).id
    if rule is not None:
        check_rule(kb, rule)
    strategy = kb.strategies.get(report.strategy.id) if report.strategy else None
    shared = shared_names((c.id, c.name) for c in report.candidates)
    builder = _TreeBuilder(kb, strategy, rule, shared)
    people = []
    for c in report.candidates:
        if person is not None and c.id != person:
            continue
        profile = by_id.get(c.id)
        tree = builder.person(c, profile) if profile is not None else None
        if tree is not None:
            shown = who(c.name, c.id, shared)
            people.append(PersonExplanation(c.id, c.name, c.role, c.fit, c.verdict, tree, shown))
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
        labels=Labels.of(kb),
    )


def _waiver_node(waiver: WaiverNote) -> ExplanationNode:
    """The team's waiver of a finding: accepted until a date, or expired (and counting again)."""
    fields = {"date": waiver.expires, "approver": waiver.approved_by, "reason": waiver.reason}
    if waiver.expired:
        label = tr(
            "waiver expired on {date} (approved by {approver}: {reason}); it counts again",
            **fields,
        )
    else:
        label = tr("waived until {date}, approved by {approver}: {reason}", **fields)
    return ExplanationNode(label, NodeKind.WAIVER)


def _core(
    label: str, kind: NodeKind, rule: str, children: Iterable[ExplanationNode] = ()
) -> ExplanationNode:
    return ExplanationNode(label, kind, rule, core_rationale(rule), tuple(children))


class _TreeBuilder:
    """Builds the trees of one report: strategy → module(s) → post → ... → rule → finding."""

    def __init__(
        self,
        kb: KnowledgeBase,
        strategy: Strategy | None,
        rule: str | None,
        shared: frozenset[str] = frozenset(),
    ) -> None:
        self.kb = kb
        self.strategy = strategy
        self.only = rule
        self.needed = strategy.posts() if strategy is not None else {}
        self.labels = Labels.of(kb)
        #: names two people of the report share: they are shown with their ids
        self.shared = shared

    def who(self, name: str, ident: str) -> str:
        return who(name, ident, self.shared)

    def keep(self, finding: Finding) -> bool:
        return self.only is None or finding.rule == self.only

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
            label = tr(", ").join(
                tr(
                    "{module} module ({importance})",
                    module=self.module_name(need.module),
                    importance=importance_word(importance),
                )
                for need in s.modules
                for r, importance in need.roles
                if r == role
            )
        else:
            label = tr(
                "no module of {strategy} needs the {post} post",
                strategy=s.name,
                post=self.labels.post(role),
            )
        module = ExplanationNode(label, NodeKind.MODULE, children=(post,))
        return ExplanationNode(
            tr("strategy {strategy}", strategy=s.name), NodeKind.STRATEGY, children=(module,)
        )

    def module_name(self, module: str) -> str:
        known = self.kb.modules.get(module)
        return known.name.lower() if known is not None else module

    def post(self, role: str, children: Iterable[ExplanationNode]) -> ExplanationNode:
        """The post: derived from the strategy, or simply the one the person holds."""
        label = tr("post {post}", post=self.labels.post(role))
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
            tr("rule {rule}: {title}", rule=finding.rule, title=title)
            if title
            else tr("rule {rule}", rule=finding.rule),
            NodeKind.RULE,
            finding.rule,
            rationale,
            (concluded,),
        )

    # -- one person on their post --------------------------------------------------------------

    def person(self, c: CandidateResult, profile: Profile) -> ExplanationNode | None:
        # The gaps a root cause explains are drawn under their skills, as any other gap is.
        flat = [g for f in c.findings for g in (f, *f.explains)]
        findings = [f for f in flat if self.keep(f)]
        if self.only is not None and not findings:
            return None
        shown = weigh(self.kb, profile)
        essential = self.kb.roles[c.role].essential if c.role in self.kb.roles else {}
        by_skill: dict[str, list[Finding]] = {}
        branches: list[tuple[int, ExplanationNode]] = []
        for f in findings:
            branch = self.branch(f, c, profile, shown.level)
            if branch.requirement is not None and branch.requirement in essential:
                by_skill.setdefault(branch.requirement, []).append(f)
            else:
                branches.append((f.severity.weight, self.draw(f, branch)))
        for skill, need in essential.items():
            fired = by_skill.get(skill, [])
            if self.only is not None and not fired:
                continue
            name, label = self.who(profile.name, profile.id), self.labels.skill(skill)
            shows = _shows(name, label, shown.level(skill), shown.basis(skill), fired)
            evidence = ExplanationNode(
                shows, NodeKind.EVIDENCE, children=tuple(self.rule_node(f) for f in fired)
            )
            requirement = _core(
                tr("needs {skill} ≥ {level}", skill=self.labels.skill(skill), level=need),
                NodeKind.REQUIREMENT,
                self.requirements_rule(c.role),
                [evidence],
            )
            worst = max((f.severity.weight for f in fired), default=-1)
            branches.append((worst, requirement))
        # Heaviest first; the engine's order (confusable roles before gaps) among equals.
        branches.sort(key=lambda pair: -pair[0])
        return self.above_post(c.role, self.post(c.role, (node for _, node in branches)))

    def branch(
        self, f: Finding, c: CandidateResult, profile: Profile, level: Callable[[str], int]
    ) -> Branch:
        """How the finding's rule kind draws it (its derivation, for a rule the pack lacks)."""
        rule = self.kb.rules.get(f.rule)
        if rule is None:
            return derivation(f)
        fits = {r.role: r.fit for r in c.better_roles}
        place = Place(
            rule,
            f,
            profile,
            c.role,
            self.strategy.id if self.strategy else None,
            self.needed,
            lambda role: fits.get(role, role_fit(self.kb, profile, role)),
            level,
            self.labels,
            self.strategy.name if self.strategy else None,
        )
        return tree_branch(place)

    def draw(self, f: Finding, branch: Branch) -> ExplanationNode:
        """The branch's steps above the rule, its finding holding the steps below."""
        node = self.rule_node(f, tuple(self.step(s) for s in branch.below))
        for s in reversed(branch.above):
            node = self.step(s, (node,))
        return node

    def step(self, s: TreeStep, children: tuple[ExplanationNode, ...] = ()) -> ExplanationNode:
        rationale = None
        if s.rationale == "rule" and s.rule is not None:
            rationale = self.rationale(s.rule)
        elif s.rationale == "core" and s.rule is not None:
            rationale = core_rationale(s.rule)
        return ExplanationNode(s.label, NodeKind(s.kind), s.rule, rationale, children)

    def chain(self, f: Finding) -> ExplanationNode:
        """A finding's derivation in words, then the rule."""
        return self.draw(f, derivation(f))

    # -- the team ------------------------------------------------------------------------------

    def gap(self, gap: Gap, holders: Sequence[CandidateResult]) -> ExplanationNode:
        """strategy → module(s) → post → holders (and why they do not cover it) → rule → gap."""
        below: list[ExplanationNode] = [
            _core(
                tr(
                    "could be covered by {person}, fit {fit}",
                    person=self.who(option.person_name, option.person_id),
                    fit=option.fit,
                ),
                NodeKind.OPTION,
                "consider-every-needed-post",
            )
            for option in gap.could_cover
        ]
        if not below:
            below.append(
                _core(
                    tr("nobody else in the team fits it (fit {fit} or more)", fit=GOOD_FIT),
                    NodeKind.OPTION,
                    "consider-every-needed-post",
                )
            )
        concluded = self.rule_node(
            Finding(gap.rule, gap.severity, gap.message, gap.because, waiver=gap.waiver), below
        )
        reasons = []
        for c in holders:
            blocking = [f for f in c.findings if f.severity.blocks]
            reasons.append(
                ExplanationNode(
                    tr(
                        "{person}: fit {fit}, {verdict}",
                        person=self.who(c.name, c.id),
                        fit=c.fit,
                        verdict=verdict_word(c.verdict),
                    ),
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
            label = tr("no member holds it")
        elif len(holders) == 1:
            label = tr(
                "held by {person}, who cannot carry it",
                person=self.who(holders[0].name, holders[0].id),
            )
        else:
            names = tr(", ").join(self.who(c.name, c.id) for c in holders)
            label = tr("held by {people}, none of whom can carry it", people=names)
        held = _core(label, NodeKind.HOLDERS, "covers-post", [*reasons, concluded])
        return self.above_post(gap.role, self.post(gap.role, [held]))

    def team_finding(self, f: Finding) -> ExplanationNode:
        node = self.chain(f)
        if self.strategy is None:
            return node
        s = self.strategy
        return ExplanationNode(
            tr("strategy {strategy}", strategy=s.name), NodeKind.STRATEGY, children=(node,)
        )
