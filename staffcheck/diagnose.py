"""The public API: screen candidates for a post, assess a team against its strategy.

The engine derives findings, evidence and gaps; this module turns them into the value types of
`staffcheck.model`: messages filled in from the rules' templates, derivation chains in words, fit
scores and better posts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import replace
from typing import Any

from staffcheck import kinds
from staffcheck.engine import TEAM, Assignment, Conclusions, Fired, InferenceEngine
from staffcheck.errors import StaffcheckError
from staffcheck.kinds import Firing, Situation, explain_firing, leads, suggested_posts
from staffcheck.knowledge import PLACEHOLDER, find_strategy
from staffcheck.model import (
    CandidateResult,
    Finding,
    Gap,
    Importance,
    KnowledgeBase,
    PostNeed,
    Profile,
    Report,
    RoleFit,
    Rule,
    Severity,
    Strategy,
    StrategyRef,
    Team,
    TeamResult,
    Verdict,
    Waiver,
    WaiverNote,
)
from staffcheck.schema import did_you_mean

#: A post whose essentials someone meets this well is worth suggesting.
GOOD_FIT = 70
MAX_BETTER_ROLES = 3
#: A post a fired rule suggests (a confusable role's) is suggested from this fit on: a likely trade.
NAMED_FIT = 50

_ENGINES: dict[int, tuple[KnowledgeBase, InferenceEngine]] = {}


def engine_for(kb: KnowledgeBase) -> InferenceEngine:
    """The compiled engine of a knowledge base, built once per process."""
    cached = _ENGINES.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, InferenceEngine(kb))
        _ENGINES[id(kb)] = cached
    return cached[1]


def check_role(kb: KnowledgeBase, role_id: str) -> str:
    """The role id if the pack knows it, else an error that suggests the closest one."""
    if role_id not in kb.roles:
        hint = did_you_mean(role_id, kb.roles) or "run 'staffcheck rules list' for the posts"
        raise StaffcheckError.at(f"unknown post {role_id!r}", hint=hint)
    return role_id


def screen(
    kb: KnowledgeBase,
    profiles: Sequence[Profile],
    strategy: Strategy | None = None,
    role: str | None = None,
) -> Report:
    """Screen each profile for `role` (or the post it applies for) under an optional strategy."""
    assignments = []
    for profile in profiles:
        post = role or profile.applying_for
        if post is None:
            raise StaffcheckError.at(
                f"{profile.name} ({profile.id}) applies for no post",
                profile.source,
                hint="add 'applying_for:' to the profile, or pass --post",
            )
        assignments.append(Assignment(profile, check_role(kb, post)))
    engine = engine_for(kb)
    conclusions = engine.assess(assignments, strategy)
    interpreter = _Interpreter(kb, strategy, conclusions)
    return Report(
        _strategy_ref(strategy), interpreter.candidates(assignments), posts=interpreter.posts()
    )


#: Per-person engine conclusions, for callers that assess many variants of one team.
MemberMemo = MutableMapping[tuple[str, str, tuple[tuple[str, int], ...]], Conclusions]


def assess_team(
    kb: KnowledgeBase,
    team: Team,
    today: datetime.date | None = None,
    memo: MemberMemo | None = None,
) -> Report:
    """Diagnose every member on their post, and the posts of the strategy nobody covers.

    The team's waivers are applied as of `today` (default: the current date). With a `memo`,
    each member's own run is reused across calls while their profile and post are unchanged
    (`explain --actions` tries dozens of variants of one team).
    """
    strategy = find_strategy(kb, team.strategy)
    assignments = [Assignment(member.profile, member.role) for member in team.members]
    engine = engine_for(kb)
    if memo is None:
        members = engine.assess(assignments, strategy, weigh_all_posts=True)
    else:
        keys = [
            (a.profile.id, a.role, tuple(sorted(a.profile.skills.items()))) for a in assignments
        ]
        missing = [(a, key) for a, key in zip(assignments, keys, strict=True) if key not in memo]
        if missing:  # in groups, as without a memo: one run per person costs more
            fresh = engine.assess([a for a, _ in missing], strategy, weigh_all_posts=True)
            memo.update({key: fresh.for_person(a.profile.id) for a, key in missing})
        members = Conclusions.merge([memo[key] for key in keys])
    team_run = engine.coverage(assignments, members.blocking, strategy)
    team_level = [f for f in team_run.findings if f.cid == TEAM]
    conclusions = Conclusions.merge([members, replace(team_run, findings=())])
    interpreter = _Interpreter(kb, strategy, conclusions, team=True)
    candidates = interpreter.candidates(assignments)
    gaps = interpreter.gaps(assignments)
    team_findings = interpreter.team_findings(team_level, assignments)
    # One root cause, one finding: team findings that only restate gaps join those gaps.
    gaps, team_findings = kinds.fold_restated(kb, strategy, gaps, team_findings)
    coverage = tuple(
        (
            a.profile.id,
            tuple(
                RoleFit(role, interpreter.fit(a.profile.id, role))
                for role in sorted(conclusions.posts)
            ),
        )
        for a in assignments
    )
    if team.waivers:
        as_of = today or datetime.date.today()
        candidates = tuple(_waive_candidate(c, team.waivers, as_of) for c in candidates)
        gaps = tuple(
            replace(
                g,
                waiver=_waiver_for(team.waivers, g.rule, None, g.role, None, as_of, g.severity),
            )
            for g in gaps
        )
    return Report(
        _strategy_ref(strategy),
        candidates,
        TeamResult(team.name, gaps, team_findings, coverage=coverage),
        posts=interpreter.posts(),
    )


def strategy_posts(strategy: Strategy | None) -> tuple[PostNeed, ...]:
    """The posts a strategy needs, most important first, with the modules each carries."""
    if strategy is None:
        return ()
    needs = [
        PostNeed(role, modules, importance)
        for role, (modules, importance) in strategy.posts().items()
    ]
    return tuple(sorted(needs, key=lambda p: (-p.importance.weight, p.role)))


def _waiver_for(
    waivers: Sequence[Waiver],
    rule: str,
    person: str | None,
    post: str | None,
    skill: str | None,
    today: datetime.date,
    severity: Severity,
) -> WaiverNote | None:
    for waiver in waivers:
        if waiver.covers(rule, person, post, skill):
            if severity is Severity.CRITICAL:
                # A rule can be critical for one post and not another (severity by importance).
                raise StaffcheckError.at(
                    f"this waiver would waive a critical finding ({rule} on "
                    f"{post or person}); critical findings cannot be waived",
                    waiver.source,
                    hint="fix the staffing, or remove the waiver",
                )
            return WaiverNote(
                waiver.reason, waiver.approved_by, waiver.expires, waiver.expires < today
            )
    return None


def _waive_candidate(
    candidate: CandidateResult, waivers: Sequence[Waiver], today: datetime.date
) -> CandidateResult:
    """Mark waived findings; the verdict then counts only findings without a live waiver."""
    findings = tuple(
        replace(
            f,
            waiver=_waiver_for(
                waivers, f.rule, candidate.id, candidate.role, f.skill, today, f.severity
            ),
        )
        for f in candidate.findings
    )
    verdict = Verdict.from_findings([f.severity for f in findings if f.counts])
    return replace(candidate, findings=findings, verdict=verdict)


def _strategy_ref(strategy: Strategy | None) -> StrategyRef | None:
    return None if strategy is None else StrategyRef(strategy.id, strategy.name)


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``{placeholder}`` names (validated at load time); never ``str.format`` on data."""
    return PLACEHOLDER.sub(lambda m: _text(values.get(m.group(1), m.group(0))), template)


def _text(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def fit_score(rows: Iterable[tuple[str, int, int]]) -> int:
    """0–100: how fully a person meets a post's essential skills (each capped at its minimum)."""
    ratios = [min(have / need, 1.0) for _, need, have in rows if need > 0]
    return round(100 * sum(ratios) / len(ratios)) if ratios else 0


_SEVERITY_ORDER = {s: -s.weight for s in Severity}


class _Interpreter:
    """Turns one run's conclusions into results, in words a manager reads."""

    def __init__(
        self,
        kb: KnowledgeBase,
        strategy: Strategy | None,
        conclusions: Conclusions,
        *,
        team: bool = False,
    ):
        self.kb = kb
        self.verb = "holds" if team else "is screened for"
        self.strategy = strategy
        self.c = conclusions
        self.by_person: dict[str, list[Fired]] = {}
        for fired in conclusions.findings:
            self.by_person.setdefault(fired.cid, []).append(fired)
        #: what explaining a finding about one person reads (no team around them)
        self.alone = self.situation()

    def fit(self, cid: str, role: str) -> int:
        return fit_score(self.c.evidence.get((cid, role), ()))

    def module_names(self, modules: Iterable[str]) -> str:
        return ", ".join(
            self.kb.modules[m].name.lower() if m in self.kb.modules else m for m in modules
        )

    def posts(self) -> tuple[PostNeed, ...]:
        """The posts the strategy needs, most important first, with the modules they carry."""
        needs = [
            PostNeed(role, tuple(modules), Importance(importance))
            for role, (modules, importance) in self.c.posts.items()
        ]
        return tuple(sorted(needs, key=lambda p: (-p.importance.weight, p.role)))

    def candidates(self, assignments: Sequence[Assignment]) -> tuple[CandidateResult, ...]:
        return tuple(self.candidate(a) for a in assignments)

    def candidate(self, assignment: Assignment) -> CandidateResult:
        person, role = assignment.profile, assignment.role
        fit = self.fit(person.id, role)
        fired = self.by_person.get(person.id, [])
        blocked = any(self.kb.rules[f.rule].severity.blocks for f in fired)
        better = self.better_roles(person.id, role, fit, fired) if blocked else ()
        findings = sorted(
            (self.finding(f, person, better) for f in fired),
            # A leading kind (the "looks like / actually is" pattern explains the skill gaps) first.
            key=lambda f: (
                _SEVERITY_ORDER[f.severity],
                not leads(self.kb.rules[f.rule]),
                f.rule,
                f.skill or "",
            ),
        )
        verdict = Verdict.from_findings([f.severity for f in findings])
        return CandidateResult(
            id=person.id,
            name=person.name,
            role=role,
            fit=fit,
            verdict=verdict,
            findings=tuple(findings),
            better_roles=better,
            source=person.source,
        )

    def better_roles(
        self, cid: str, role: str, fit: int, fired: list[Fired]
    ) -> tuple[RoleFit, ...]:
        named = {
            other
            for f in fired
            for others in suggested_posts(self.kb.rules[f.rule]).values()
            for other in others
        }
        options = []
        for (person, other), rows in self.c.evidence.items():
            if person != cid or other == role:
                continue
            score = fit_score(rows)
            if score > fit and (score >= GOOD_FIT or (other in named and score >= NAMED_FIT)):
                options.append(RoleFit(other, score))
        options.sort(key=lambda r: (r.role not in named, -r.fit, r.role))
        return tuple(options[:MAX_BETTER_ROLES])

    def situation(self, assignments: Sequence[Assignment] = ()) -> Situation:
        """What the kinds' explanations read of this run (holders and names in a team run)."""
        holders: dict[str, list[str]] = {}
        for a in assignments:
            holders.setdefault(a.role, []).append(a.profile.name)
        return Situation(
            self.strategy,
            self.verb,
            tuple(self.c.posts),
            self.module_names,
            {role: tuple(names) for role, names in holders.items()},
            {a.profile.id: a.profile.name for a in assignments},
        )

    def team_findings(
        self, fired: Sequence[Fired], assignments: Sequence[Assignment]
    ) -> tuple[Finding, ...]:
        """Findings about the team as a whole, in words, heaviest first."""
        situation = self.situation(assignments)
        found = []
        for f in fired:
            rule = self.kb.rules[f.rule]
            explained = explain_firing(Firing(rule, f.role, f.bindings, situation))
            values: dict[str, Any] = {"role": f.role, **f.bindings, **explained.values}
            found.append(
                Finding(
                    rule=rule.id,
                    severity=rule.severity,
                    message=fill(rule.message, values),
                    because=(*explained.because, _rule_line(rule)),
                    modules=(f.bindings["module"],) if "module" in f.bindings else (),
                    skill=f.bindings.get("skill"),
                    title=rule.title,
                )
            )
        found.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule, f.message))
        return tuple(found)

    def finding(self, fired: Fired, person: Profile, better: tuple[RoleFit, ...]) -> Finding:
        rule = self.kb.rules[fired.rule]
        values: dict[str, Any] = {"person": person.name, "role": fired.role, **fired.bindings}
        if "modules" in values:
            values["modules"] = self.module_names(values["modules"]) or "no module of the strategy"
        if "channels" in values:
            values["channels"] = ", ".join(values["channels"])
        if "evidence" in values:
            values["evidence"] = ", ".join(
                f"{skill} {level}" for skill, level in values["evidence"]
            )
        return Finding(
            rule=rule.id,
            severity=rule.severity,
            message=fill(rule.message, values),
            because=self.because(rule, fired, person, better),
            matched=fired.matched,
            modules=tuple(fired.bindings.get("modules", ())),
            skill=fired.bindings.get("skill"),
            title=rule.title,
        )

    def because(
        self, rule: Rule, fired: Fired, person: Profile, better: tuple[RoleFit, ...]
    ) -> tuple[str, ...]:
        """The derivation chain of a finding about a person, ending with the rule."""
        firing = Firing(rule, fired.role, fired.bindings, self.alone, person, better)
        return (*explain_firing(firing).because, _rule_line(rule))

    def gaps(self, assignments: Sequence[Assignment]) -> tuple[Gap, ...]:
        """The needed posts nobody covers, in words, with who could cover each, heaviest first."""
        situation = self.situation(assignments)
        found = []
        for g in self.c.gaps:
            rule = self.kb.rules[g.rule]
            bindings = {"modules": g.modules, "importance": g.importance}
            explained = explain_firing(Firing(rule, g.role, bindings, situation))
            could = sorted(
                (
                    RoleFit(g.role, self.fit(a.profile.id, g.role), a.profile.id, a.profile.name)
                    for a in assignments
                    if a.role != g.role
                ),
                key=lambda option: (-option.fit, option.person_id),
            )
            found.append(
                Gap(
                    rule.id,
                    g.role,
                    g.modules,
                    Severity(g.severity),
                    fill(rule.message, explained.values),
                    (*explained.because, _rule_line(rule)),
                    tuple(option for option in could if option.fit >= GOOD_FIT),
                )
            )
        found.sort(key=lambda gap: (_SEVERITY_ORDER[gap.severity], gap.role))
        return tuple(found)


def _rule_line(rule: Rule) -> str:
    """The last link of every derivation chain: the rule that concluded it."""
    return f"rule {rule.id}: {rule.title}"
