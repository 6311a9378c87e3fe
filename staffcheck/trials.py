"""The what-if trials behind the advice: candidate steps, each measured by re-assessing the team.

`Planner` keeps the team as the plan changes it and takes, one at a time, the step that helps
most (`gain`); `staffcheck.actions` turns its steps into an `ActionPlan` and into advice.
"""

from __future__ import annotations

import datetime
import functools
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import is_not

from staffcheck.diagnose import GOOD_FIT, MemberMemo, TeamMemo, assess_team
from staffcheck.engine import Conclusions
from staffcheck.explain import (
    role_fit,
    shared_names,
    who,
)
from staffcheck.i18n import tr
from staffcheck.model import (
    Action,
    CandidateResult,
    Importance,
    KnowledgeBase,
    Location,
    Member,
    Profile,
    Report,
    Team,
    Verdict,
    frozen_map,
)
from staffcheck.project_plan import Effect
from staffcheck.words import verdict_word

#: Members tried for an uncovered post, and better posts tried per mismatch: each trial
#: re-runs the whole team.
_MAX_TRIALS = 3


#: A result's counts for `Tally.of`, by its id(): the result, (its id, its verdict), findings.
_Counted = dict[int, tuple[CandidateResult, tuple[str, Verdict], int]]


@dataclass(frozen=True, slots=True)
class Tally:
    """What a team report counts: posts nobody covers, people who cannot carry their post."""

    uncovered: tuple[str, ...]
    mismatches: tuple[str, ...]
    #: (person id, verdict) for every member
    verdicts: tuple[tuple[str, Verdict], ...] = ()
    #: the members' findings that count (a waived one does not)
    findings: int = 0

    @classmethod
    def of(cls, report: Report, counted: _Counted | None = None) -> Tally:
        """What `report` counts; with `counted`, each result's counts are kept there (by its
        id(), the result kept with them) for the next report that reuses it."""
        counted = {} if counted is None else counted
        verdicts, mismatches, findings = [], [], 0
        for c in report.candidates:
            known = counted.get(id(c))
            if known is None:
                known = counted[id(c)] = (c, (c.id, c.verdict), sum(f.counts for f in c.findings))
            verdicts.append(known[1])
            if c.verdict is Verdict.MISMATCH:
                mismatches.append(c.id)
            findings += known[2]
        gaps = report.team.gaps if report.team is not None else ()
        uncovered = tuple(g.role for g in gaps if g.counts)
        return cls(uncovered, tuple(mismatches), tuple(verdicts), findings)

    @classmethod
    def estimate(
        cls, kb: KnowledgeBase, team: Team, runs: Sequence[Conclusions], needed: Iterable[str]
    ) -> Tally:
        """What a report of `team` would count, from its members' own runs alone: a post the
        strategy needs is uncovered when none of its holders is blocked. Cheap, and close (it
        knows nothing of waivers and team rules); the plan takes a step only once measured."""
        blocked = {cid for run in runs for cid in run.blocking}
        covered = {m.role for m in team.members if m.profile.id not in blocked}
        verdicts = tuple(
            (
                m.profile.id,
                Verdict.from_findings(
                    [kb.rules[f.rule].severity for f in run.findings if f.rule in kb.rules]
                ),
            )
            for m, run in zip(team.members, runs, strict=True)
        )
        return cls(
            tuple(role for role in needed if role not in covered),
            tuple(cid for cid, verdict in verdicts if verdict is Verdict.MISMATCH),
            verdicts,
            sum(len(run.findings) for run in runs),
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
    #: what the step does to the strategy's plan (finish date, money), when measured
    plan_effect: Effect | None = None

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
        # Only the counts the step changes: "uncovered posts 0 → 0" says nothing.
        before, after = self.before, self.after
        counts = [
            f"{label} {b} → {a}"
            for label, b, a in (
                ("uncovered posts", len(before.uncovered), len(after.uncovered)),
                ("mismatches", len(before.mismatches), len(after.mismatches)),
            )
            if b != a
        ]
        if not counts and not parts and before.findings != after.findings:
            counts.append(f"findings {before.findings} → {after.findings}")
        if not counts:
            return "; ".join(parts) or "no count changes"
        return f"{'; '.join(parts)}: {', '.join(counts)}" if parts else ", ".join(counts)


@dataclass(frozen=True, slots=True)
class _Step:
    """A step the planner may take: move `person_id` onto `role`, hire for it, or train them."""

    action: Action
    person_id: str
    role: str
    training: tuple[Training, ...] = ()
    #: what the planner knows the step by (made once: every queue and memo reads it)
    ident: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ident = (self.action.value, self.person_id, self.role, *(t.skill for t in self.training))
        object.__setattr__(self, "ident", ident)


@dataclass(frozen=True, slots=True)
class _Trial:
    step: _Step
    moves: tuple[Move, ...]
    team: Team
    report: Report
    tally: Tally


#: Among steps of equal effect: a move costs least, then training, then a hire.
_COST = {Action.REASSIGN: 0, Action.TRAIN: 1, Action.HIRE: 2}
_Gain = tuple[int, int, int, int, int]
_NO_GAIN: _Gain = (0, 0, 0, 0, 0)


def _potential(
    tally: Tally, importance: Mapping[str, Importance], weights: int | None = None
) -> _Gain:
    """What is still wrong, most pressing first: uncovered critical posts, uncovered posts
    weighted by importance, mismatches, verdicts (mismatch 2, partial 1) and findings (the
    verdicts' `weights`, if counted already)."""
    if weights is None:
        weights = sum(verdict.weight for _, verdict in tally.verdicts)
    return (
        sum(importance.get(role) is Importance.CRITICAL for role in tally.uncovered),
        sum(importance[r].weight + 1 if r in importance else 1 for r in tally.uncovered),
        len(tally.mismatches),
        weights,
        tally.findings,
    )


def gain(before: Tally, after: Tally, importance: Mapping[str, Importance]) -> _Gain:
    """How much a step helps, compared most pressing first: above `_NO_GAIN` it helps."""
    b, a = _potential(before, importance), _potential(after, importance)
    return (b[0] - a[0], b[1] - a[1], b[2] - a[2], b[3] - a[3], b[4] - a[4])


def _difference(before: _Gain, after: _Gain) -> _Gain:
    return (
        before[0] - after[0],
        before[1] - after[1],
        before[2] - after[2],
        before[3] - after[3],
        before[4] - after[4],
    )


@dataclass(frozen=True, slots=True)
class _Standing:
    """A member as an estimate counts them, from their own run alone: their post, whether they
    are blocked on it, their verdict and how many findings they have."""

    role: str
    blocked: bool
    verdict: Verdict
    findings: int

    @classmethod
    def of(cls, kb: KnowledgeBase, member: Member, run: Conclusions) -> _Standing:
        severities = [kb.rules[f.rule].severity for f in run.findings if f.rule in kb.rules]
        return cls(
            member.role,
            member.profile.id in run.blocking,
            Verdict.from_findings(severities),
            len(run.findings),
        )


#: A variant's tally re-counts at most this many changed results; more: counted afresh.
_MOST_CHANGED = 16


@dataclass(frozen=True, slots=True)
class _Tallied:
    """A report's results as `Tally.of` counts them, position by position: a variant's tally
    is counted from the last one's, re-counting the results that differ."""

    results: tuple[CandidateResult, ...]
    ids: list[str]
    verdicts: list[tuple[str, Verdict]]
    mismatched: list[bool]
    findings: list[int]
    total: int
    weights: int

    @classmethod
    def of(cls, results: tuple[CandidateResult, ...], tally: Tally) -> _Tallied:
        findings = [sum(f.counts for f in c.findings) for c in results]
        return cls(
            results,
            [c.id for c in results],
            list(tally.verdicts),
            [c.verdict is Verdict.MISMATCH for c in results],
            findings,
            tally.findings,
            sum(verdict.weight for _, verdict in tally.verdicts),
        )

    def changed(self, results: tuple[CandidateResult, ...], positions: list[int]) -> _Tallied:
        """These counts with the results at `positions` (those past the end: added) re-counted."""
        ids, verdicts = list(self.ids), list(self.verdicts)
        mismatched, findings = list(self.mismatched), list(self.findings)
        total, weights = self.total, self.weights
        for position in positions:
            c = results[position]
            counted = sum(f.counts for f in c.findings)
            if position < len(self.results):
                total -= findings[position]
                weights -= verdicts[position][1].weight
                del ids[position], verdicts[position], mismatched[position], findings[position]
            ids.insert(position, c.id)
            verdicts.insert(position, (c.id, c.verdict))
            mismatched.insert(position, c.verdict is Verdict.MISMATCH)
            findings.insert(position, counted)
            total += counted
            weights += c.verdict.weight
        return _Tallied(results, ids, verdicts, mismatched, findings, total, weights)

    def tally(self, uncovered: tuple[str, ...]) -> Tally:
        mismatches = tuple(compress(self.ids, self.mismatched))
        return Tally(uncovered, mismatches, tuple(self.verdicts), self.total)


class _Baseline:
    """The team as it is, counted as `Tally.estimate` counts it, so that an estimate of a step
    re-counts only the one member the step changes (not the whole team)."""

    def __init__(self, standings: Mapping[str, _Standing], needed: Mapping[str, Importance]):
        self.standings = standings
        self.needed = needed
        #: per post, the holders not blocked on it
        self.carrying: Counter[str] = Counter(s.role for s in standings.values() if not s.blocked)
        self.mismatches = sum(s.verdict is Verdict.MISMATCH for s in standings.values())
        self.weights = sum(s.verdict.weight for s in standings.values())
        self.findings = sum(s.findings for s in standings.values())

    def replaced(self, changes: Mapping[str, _Standing]) -> _Baseline:
        """The baseline with the standings of the people in `changes` (by id) replaced or added,
        counted from this one's counts: a step changes a person or two, not the team."""
        new = object.__new__(_Baseline)
        new.standings = {**self.standings, **changes}
        new.needed = self.needed
        new.carrying = self.carrying.copy()
        new.mismatches, new.weights, new.findings = self.mismatches, self.weights, self.findings
        for pid, into in changes.items():
            out = self.standings.get(pid)
            for standing, sign in ((out, -1), (into, 1)):
                if standing is None:
                    continue
                if not standing.blocked:
                    new.carrying[standing.role] += sign
                new.mismatches += sign * (standing.verdict is Verdict.MISMATCH)
                new.weights += sign * standing.verdict.weight
                new.findings += sign * standing.findings
        return new

    def potential(self, out: _Standing | None = None, into: _Standing | None = None) -> _Gain:
        """`_potential` of the team's estimate with `out` replaced by `into` (either None):
        only the posts of those two are counted again (the queue estimates thousands of steps)."""
        carrying, needed = self.carrying, self.needed
        mismatches, weights, findings = self.mismatches, self.weights, self.findings
        moved: dict[str, int] = {}  # post -> change in its holders not blocked on it
        for standing, sign in ((out, -1), (into, 1)):
            if standing is None:
                continue
            if not standing.blocked:
                moved[standing.role] = moved.get(standing.role, 0) + sign
            mismatches += sign * (standing.verdict is Verdict.MISMATCH)
            weights += sign * standing.verdict.weight
            findings += sign * standing.findings
        critical, weighted = self.uncovered_counts
        for role, change in moved.items():
            if role not in needed or not change:
                continue
            was, now = carrying[role] <= 0, carrying[role] + change <= 0
            if was != now:
                sign = 1 if now else -1
                critical += sign * (needed[role] is Importance.CRITICAL)
                weighted += sign * (needed[role].weight + 1)
        return (critical, weighted, mismatches, weights, findings)

    @functools.cached_property
    def uncovered_counts(self) -> tuple[int, int]:
        """The posts needed that nobody not blocked holds: critical ones, and weighted."""
        uncovered = [role for role in self.needed if self.carrying[role] <= 0]
        return (
            sum(self.needed[role] is Importance.CRITICAL for role in uncovered),
            sum(self.needed[role].weight + 1 for role in uncovered),
        )


def _with_role(team: Team, person_id: str, role: str) -> Team:
    members = tuple(replace(m, role=role) if m.profile.id == person_id else m for m in team.members)
    return replace(team, members=members)


class Planner:
    """The team as the plan changes it, and the candidate steps measured against it.

    Candidates wait in a queue ordered by their measured gain. A gain measured before the last
    step was taken is stale: such a candidate is measured again when it comes up, and goes back
    in the queue (steps on different people and posts rarely change each other's effect, so
    most of the queue is never measured twice).
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        team: Team,
        report: Report,
        limit: int | None,
        today: datetime.date | None,
        memo: MemberMemo | TeamMemo,
    ) -> None:
        self.kb, self.team, self.report = kb, team, report
        self.limit = limit
        self.today = today  # waivers are judged as of this date in every variant
        #: members' own runs and words, and team runs, shared by every variant tried
        self.memo = memo if isinstance(memo, TeamMemo) else TeamMemo(memo)
        self.tally = Tally.of(report)
        self.strategy = kb.strategies[team.strategy]
        self.importance = {role: imp for role, (_, imp) in self.strategy.posts().items()}
        #: names two members share: steps name those people with their ids
        self.shared = shared_names((m.profile.id, m.profile.name) for m in team.members)
        self.actions: list[PlannedAction] = []
        #: the team and its report after each action taken (the plan measures each one on them)
        self.states: list[tuple[Team, Report]] = []
        #: people no step may move: moved, hired or trained by the plan
        self.settled: set[str] = set()
        self.hired: set[str] = set()
        self.version = 0  # steps taken so far: a measurement of an older version is stale
        self.measured: dict[tuple[str, ...], tuple[int, _Trial]] = {}
        #: step -> (version, the tally its estimate gives): what orders the queue until measured
        self.estimated: dict[tuple[str, ...], tuple[int, _Gain, _Standing]] = {}
        self.queue: list[tuple[tuple[int, ...], int, _Step]] = []
        self.queued: set[tuple[str, ...]] = set()
        #: moves that leave the person mismatched on the new post: never taken
        self.rejected: set[tuple[str, ...]] = set()
        self.seq = 0
        #: per version: the estimate of the team as it is, and its members by id
        self.baseline_of: tuple[int, _Baseline] | None = None
        #: people the steps taken since the last baseline moved, trained or hired (by id)
        self.touched: set[str] = set()
        #: `_potential` of each tally, and each result as a tally counts it (`tally_of`)
        self.potentials: dict[int, tuple[Tally, _Gain]] = {}
        self.counted: _Counted = {}
        #: the last report tallied, as counted (`tally_of`)
        self.tallied: _Tallied | None = None
        self.by_id_of: tuple[int, dict[str, Member], dict[str, CandidateResult]] | None = None
        #: the same trained or hired person is one profile however often a step is tried (the
        #: memo knows a profile by its identity), and a fit is weighed once per profile and post
        self.profiles: dict[tuple[str, ...], Profile] = {}
        self.fits: dict[tuple[int, str], tuple[Profile, int]] = {}
        self.standings: dict[tuple[int, str], tuple[Profile, _Standing]] = {}
        #: what each result could be trained in (results are reused while a person is unchanged)
        self.trainable: dict[int, tuple[CandidateResult, tuple[Training, ...]]] = {}
        self.candidate_steps: dict[int, tuple[CandidateResult, bool, tuple[_Step, ...]]] = {}
        #: per step: the member it changes, as last estimated, and who they are after it
        self.afters: dict[tuple[str, ...], tuple[Member, str | None, _Standing]] = {}
        #: the report's results `run` last read (`changed_results`)
        self.read: Sequence[CandidateResult] | None = None

    # -- the loop ------------------------------------------------------------------------------

    def run(self) -> None:
        """Take the step that helps most, again and again, until no step helps."""
        while not self.full:
            new = [
                step
                for step in self.steps(self.changed_results())
                if step.ident not in self.queued and step.ident not in self.rejected
            ]
            self.run_members([self.changed(step)[1] for step in new])
            for step in new:
                self.push(step)
            chosen = self.next_step()
            if chosen is None:
                return
            self.commit(chosen)

    @property
    def full(self) -> bool:
        """The plan has as many steps as asked for."""
        return self.limit is not None and len(self.actions) >= self.limit

    def push(self, step: _Step) -> None:
        """Queue `step` by its gain: measured if it was for this version, else estimated."""
        if self.fresh(step):
            after = self.measure(step).tally
            helps = self.gain(after)
            mismatched = step.person_id in after.mismatches
        else:  # an estimate is compared with the estimate of the team as it is: same yardstick
            estimate, standing = self.estimate(step)
            helps = _difference(self.baseline().potential(), estimate)
            mismatched = standing.verdict is Verdict.MISMATCH
        if step.action is Action.REASSIGN and mismatched:
            # Moving someone onto a post they cannot carry either is no advice, whatever it
            # does to the counts (and a later hire for that post would contradict it).
            self.rejected.add(step.ident)
            return
        self.seq += 1
        # Of equal gain and cost, a measured step first: its gain is known, not estimated.
        key = (*(-g for g in helps), _COST[step.action], 0 if self.fresh(step) else 1)
        heapq.heappush(self.queue, (key, self.seq, step))
        self.queued.add(step.ident)

    def gain(self, after: Tally) -> _Gain:
        """`gain` from the team as it is to `after` (each tally's potential counted once)."""
        return _difference(self.potential(self.tally), self.potential(after))

    def potential(self, tally: Tally) -> _Gain:
        """`_potential` of `tally`, once per tally (kept: its id() is not reused)."""
        known = self.potentials.get(id(tally))
        if known is None:
            known = self.potentials[id(tally)] = (tally, _potential(tally, self.importance))
        return known[1]

    def tally_of(self, report: Report) -> Tally:
        """`Tally.of` a variant's report, counted from the last report tallied: only the
        results that differ (a result is reused while its person is unchanged)."""
        results = tuple(report.candidates)  # a team's are a tuple already: no copy
        last = self.tallied
        changed: list[int] = []
        if last is not None and len(results) >= len(last.results):
            changed = list(compress(range(len(last.results)), map(is_not, last.results, results)))
            changed += range(len(last.results), len(results))
        if last is None or len(changed) > _MOST_CHANGED or len(results) < len(last.results):
            tally = Tally.of(report, self.counted)
            self.tallied = _Tallied.of(results, tally)
        else:
            self.tallied = last.changed(results, changed)
            gaps = report.team.gaps if report.team is not None else ()
            tally = self.tallied.tally(tuple(g.role for g in gaps if g.counts))
        weights = self.tallied.weights
        self.potentials[id(tally)] = (tally, _potential(tally, self.importance, weights))
        return tally

    def estimate(self, step: _Step) -> tuple[_Gain, _Standing]:
        """`_potential` of the team after `step`, counted from its members' own runs as
        `Tally.estimate` counts them (once per version), and the changed person's standing.
        Only that person is counted again: the rest is the version's `baseline`."""
        known = self.estimated.get(step.ident)
        if known is not None and known[0] == self.version:
            return known[1], known[2]
        baseline = self.baseline()
        out, standing = self.after(step)
        old = baseline.standings.get(out) if out is not None else None
        estimate = baseline.potential(old, standing)
        self.estimated[step.ident] = (self.version, estimate, standing)
        return estimate, standing

    def after(self, step: _Step) -> tuple[str | None, _Standing]:
        """Whom `step` changes (None: nobody, a hire) and their standing after it: once while
        the member it changes is the same (a step waits in the queue for many versions)."""
        if step.action is Action.HIRE:  # the hire's id depends on the team as it is
            out, member = self.changed(step)
            return out, self.standing(member)
        before = self.member(step.person_id)
        known = self.afters.get(step.ident)
        if known is None or known[0] is not before:
            out, member = self.changed(step)
            known = self.afters[step.ident] = (before, out, self.standing(member))
        return known[1], known[2]

    def baseline(self) -> _Baseline:
        """The team as it is, counted from its members' own runs, once per version: from the
        last version's, re-counting only the people the steps since changed."""
        known = self.baseline_of
        if known is not None and known[0] == self.version:
            return known[1]
        members = self.by_id()[0]
        if known is not None and len(members) == len(self.team.members):  # ids are unique
            changes = {pid: self.standing(members[pid]) for pid in self.touched}
            baseline = known[1].replaced(changes)
        else:
            standings = {m.profile.id: self.standing(m) for m in self.team.members}
            baseline = _Baseline(standings, self.importance)
        self.baseline_of = (self.version, baseline)
        self.touched = set()
        return baseline

    def standing(self, member: Member) -> _Standing:
        """`member` as an estimate counts them, once per profile and post."""
        key = (id(member.profile), member.role)
        known = self.standings.get(key)
        if known is None:
            (run,) = self.memo.member_runs(self.kb, replace(self.team, members=(member,)))
            known = (member.profile, _Standing.of(self.kb, member, run))  # keeps the id()
            self.standings[key] = known
        return known[1]

    def run_members(self, members: Sequence[Member]) -> None:
        """The own runs of `members` (people steps change): those not run yet run in groups,
        as a team's do; one person on two posts goes in two groups (a run knows people by id)."""
        batches: list[list[Member]] = []
        for member in members:
            pid = member.profile.id
            batch = next((b for b in batches if all(m.profile.id != pid for m in b)), None)
            if batch is None:
                batch = []
                batches.append(batch)
            batch.append(member)
        for batch in batches:
            self.memo.member_runs(self.kb, replace(self.team, members=tuple(batch)))

    def measure(self, step: _Step) -> _Trial:
        """The team after `step`, measured (a whole `assess_team`) once per version."""
        known = self.measured.get(step.ident)
        if known is not None and known[0] == self.version:
            return known[1]
        team, moves = self.apply(step)
        report = assess_team(self.kb, team, self.today, memo=self.memo)
        trial = _Trial(step, moves, team, report, self.tally_of(report))
        self.measured[step.ident] = (self.version, trial)
        return trial

    def fresh(self, step: _Step) -> bool:
        known = self.measured.get(step.ident)
        return known is not None and known[0] == self.version

    def estimated_now(self, step: _Step) -> bool:
        known = self.estimated.get(step.ident)
        return known is not None and known[0] == self.version

    def next_step(self) -> _Trial | None:
        """The valid step of highest gain against the team as it is now; None if none helps.

        Lazy greedy: the queue is ordered by estimates; the step on top is estimated again if
        its estimate is stale, measured if it is not yet, and taken only when, measured, it
        still comes out on top.
        """
        while self.queue:
            _, _, step = heapq.heappop(self.queue)
            self.queued.discard(step.ident)
            if not self.valid(step):
                continue
            if not self.fresh(step):
                if self.estimated_now(step):
                    self.measure(step)  # its turn: measure it, and queue it by what it does
                self.push(step)
                continue
            trial = self.measure(step)
            if self.gain(trial.tally) > _NO_GAIN:
                return trial
            return None
        return None

    # -- the candidate steps -------------------------------------------------------------------

    def changed_results(self) -> Sequence[CandidateResult]:
        """The results of the report as it is that `run` has not read yet: every one at first,
        then those the step taken changed. A result is reused while its person is unchanged,
        and `run` queued or rejected every step of the results it read: a step leaves the
        queue unqueued only when taken or no longer valid, which changes its person."""
        results, read = self.report.candidates, self.read
        self.read = results
        if read is None or len(results) < len(read):
            return results
        return [*compress(results, map(is_not, read, results)), *results[len(read) :]]

    def steps(self, results: Sequence[CandidateResult] | None = None) -> Iterator[_Step]:
        """Every step worth measuring now: cover or hire for each uncovered post, reassign each
        mismatched member, train each member one level short on their post (of `results`, in
        the report's order; default: the whole report)."""
        for role in self.tally.uncovered:
            if role not in self.kb.roles:
                continue
            for member, _ in self.fillers(role):
                yield _Step(Action.REASSIGN, member.profile.id, role)
            yield _Step(Action.HIRE, f"hire:{role}", role)
        for c in self.report.candidates if results is None else results:
            if c.id in self.hired:
                continue
            mismatched, steps = self.steps_of(c)
            if not (mismatched and c.id in self.settled):
                yield from steps

    def steps_of(self, c: CandidateResult) -> tuple[bool, tuple[_Step, ...]]:
        """Whether `c` is mismatched, and the steps for them: reassign them to a post they fit,
        else train them; once per result (results are reused while a person is unchanged)."""
        known = self.candidate_steps.get(id(c))
        if known is None:
            mismatched = c.verdict is Verdict.MISMATCH
            if mismatched:
                options = [r for r in c.better_roles if r.fit >= GOOD_FIT][:_MAX_TRIALS]
                steps = tuple(_Step(Action.REASSIGN, c.id, option.role) for option in options)
            else:
                training = self.training_for(c)
                steps = (_Step(Action.TRAIN, c.id, c.role, training),) if training else ()
            known = (c, mismatched, steps)  # the result kept: its id() is not reused
            self.candidate_steps[id(c)] = known
        return known[1], known[2]

    def fillers(self, role: str) -> list[tuple[Member, int]]:
        """Members free to move, on another post, who fit `role`: best first."""
        found = [
            (m, self.fit(m.profile, role))
            for m in self.team.members
            if m.role != role and m.profile.id not in self.settled
        ]
        found = [(m, fit) for m, fit in found if fit >= GOOD_FIT]
        found.sort(key=lambda pair: (-pair[1], pair[0].profile.id))
        return found[:_MAX_TRIALS]

    def training_for(self, c: CandidateResult) -> tuple[Training, ...]:
        """The essential skills of `c`'s post they have one level short (with a finding)."""
        known = self.trainable.get(id(c))
        if known is None:
            known = (c, self.training_of(c))  # the result kept: its id() is not reused
            self.trainable[id(c)] = known
        return known[1]

    def training_of(self, c: CandidateResult) -> tuple[Training, ...]:
        """`training_for`, worked out."""
        if c.role not in self.kb.roles:
            return ()
        stated = self.member(c.id).profile.skills
        essential = self.kb.roles[c.role].essential
        # Only a stated level is trained: one nobody stated, or only inferred, is a question.
        return tuple(
            Training(c.id, c.name, skill, stated[skill], essential[skill])
            for skill in dict.fromkeys(f.skill for f in c.findings if f.skill and f.counts)
            if skill in essential and skill in stated and essential[skill] - stated[skill] == 1
        )

    def valid(self, step: _Step) -> bool:
        """Whether `step` still makes sense: nobody moved twice, no hire for a covered post."""
        if step.action is Action.HIRE:
            return step.role in self.tally.uncovered
        member = self.by_id()[0].get(step.person_id)
        if member is None:
            return False
        if step.action is Action.REASSIGN:
            return step.person_id not in self.settled and member.role != step.role
        stated = member.profile.skills
        return member.role == step.role and all(
            stated.get(t.skill) == t.have for t in step.training
        )

    def by_id(self) -> tuple[dict[str, Member], dict[str, CandidateResult]]:
        """The team's members and their results by id, once per version."""
        if self.by_id_of is None or self.by_id_of[0] != self.version:
            members = {m.profile.id: m for m in reversed(self.team.members)}  # the first
            results = {c.id: c for c in reversed(self.report.candidates)}
            self.by_id_of = (self.version, members, results)
        return self.by_id_of[1], self.by_id_of[2]

    def member(self, person_id: str) -> Member:
        return self.by_id()[0][person_id]

    def current(self, person_id: str) -> CandidateResult | None:
        return self.by_id()[1].get(person_id)

    def fit(self, profile: Profile, role: str) -> int:
        """`role_fit`, once per profile and post."""
        known = self.fits.get((id(profile), role))
        if known is None:
            known = (profile, role_fit(self.kb, profile, role))  # the profile keeps its id()
            self.fits[(id(profile), role)] = known
        return known[1]

    def changed(self, step: _Step) -> tuple[str | None, Member]:
        """The member `step` changes (None for a hire: nobody) and who they are after it."""
        if step.action is Action.HIRE:
            return None, Member(step.role, self.hire_profile(step.role))
        member = self.member(step.person_id)
        if step.action is Action.REASSIGN:
            return member.profile.id, replace(member, role=step.role)
        return member.profile.id, replace(member, profile=self.trained(member.profile, step))

    def trained(self, profile: Profile, step: _Step) -> Profile:
        """`profile` after the training of `step`: one profile per person and levels."""
        skills = {**profile.skills, **{t.skill: t.need for t in step.training}}
        key = (profile.id, *(f"{skill}={level}" for skill, level in sorted(skills.items())))
        if key not in self.profiles:
            self.profiles[key] = replace(profile, skills=frozen_map(skills))
        return self.profiles[key]

    def hire_profile(self, role: str) -> Profile:
        """A new member who has exactly the essentials of `role`, with an id nobody has."""
        post = self.kb.roles[role]
        ids = self.by_id()[0]
        person_id, n = f"hire-{role}", 2
        while person_id in ids:
            person_id, n = f"hire-{role}-{n}", n + 1
        key = ("hire", person_id, role)
        if key not in self.profiles:
            self.profiles[key] = Profile(
                id=person_id,
                name=tr("a new {post}", post=post.name),
                skills=frozen_map(dict(post.essential)),
                source=Location("(planned hire)"),
                applying_for=role,
                channels=post.channels,
            )
        return self.profiles[key]

    def apply(self, step: _Step) -> tuple[Team, tuple[Move, ...]]:
        """The team with `step` taken, and the people it puts on a post."""
        if step.action is Action.HIRE:
            return self.hire(step.role)
        member = self.member(step.person_id)
        profile = member.profile
        if step.action is Action.REASSIGN:
            fit = self.fit(profile, step.role)
            move = Move(profile.id, profile.name, member.role, step.role, fit)
            return _with_role(self.team, profile.id, step.role), (move,)
        trained = self.trained(profile, step)
        members = tuple(
            replace(m, profile=trained) if m.profile.id == profile.id else m
            for m in self.team.members
        )
        return replace(self.team, members=members), ()

    def hire(self, role: str) -> tuple[Team, tuple[Move, ...]]:
        """The team with a new member who has exactly the essentials of `role`."""
        hire = self.hire_profile(role)
        move = Move(hire.id, hire.name, None, role, 100, hire=True)
        return replace(self.team, members=(*self.team.members, Member(role, hire))), (move,)

    # -- taking a step -------------------------------------------------------------------------

    def commit(self, trial: _Trial) -> None:
        """Take the step: in words, with its notes and the verdicts it changes."""
        summary, notes = self.words(trial)
        before = dict(self.tally.verdicts)
        after = dict(trial.tally.verdicts)
        names = {m.profile.id: m.profile.name for m in trial.team.members}
        people = [m.person_id for m in trial.moves if not m.hire]
        people += [t.person_id for t in trial.step.training]
        changes = tuple(
            f"{names[pid]} {verdict_word(before[pid])} → {verdict_word(after[pid])}"
            for pid in dict.fromkeys(people)
            if pid in before and pid in after and before[pid] is not after[pid]
        )
        step = trial.step
        self.actions.append(
            PlannedAction(
                step.action,
                summary,
                self.tally,
                trial.tally,
                trial.moves,
                step.training,
                tuple(notes),
                changes,
            )
        )
        self.settled.update(m.person_id for m in trial.moves)
        self.settled.update(t.person_id for t in step.training)
        self.touched.update(m.person_id for m in trial.moves)
        self.touched.update(t.person_id for t in step.training)
        self.hired.update(m.person_id for m in trial.moves if m.hire)
        self.team, self.report, self.tally = trial.team, trial.report, trial.tally
        self.states.append((trial.team, trial.report))
        self.version += 1

    def words(self, trial: _Trial) -> tuple[str, list[str]]:
        """A step's summary and notes, about the team as it is before the step."""
        step, post, skill = trial.step, self.post_name, self.skill_name
        if step.action is Action.TRAIN:
            what = tr(", ").join(f"{skill(t.skill)} ({t.have} → {t.need})" for t in step.training)
            person = who(step.training[0].person_name, step.person_id, self.shared)
            return tr("Train {person} in {skills}", person=person, skills=what), []
        if step.action is Action.HIRE:
            return tr("Hire for {post}", post=post(step.role)), self.hire_notes(step.role)
        move = trial.moves[0]
        c = self.current(move.person_id)
        fields = {
            "person": who(move.person_name, move.person_id, self.shared),
            "source": post(move.from_role or ""),
            "target": post(move.to_role),
            "fit": move.fit,
        }
        if c is not None and c.verdict is Verdict.MISMATCH:
            summary = tr("Reassign {person} from {source} to {target} (fit {fit})", **fields)
        else:
            summary = tr("Move {person} from {source} to {target} (fit {fit})", **fields)
        notes = []
        if move.to_role not in self.importance:
            notes.append(
                tr(
                    "{post} is not a post {strategy} needs",
                    post=post(move.to_role),
                    strategy=self.strategy.name,
                )
            )
        return summary, notes

    def post_name(self, role: str) -> str:
        known = self.kb.roles.get(role)
        return known.name if known is not None else role

    def skill_name(self, skill: str) -> str:
        known = self.kb.skills.get(skill)
        return known.name if known is not None else skill

    def hire_notes(self, role: str) -> list[str]:
        """Why hire: who holds the post and cannot carry it, who could take it and at what cost."""
        notes = []
        holders = [c for c in self.report.candidates if c.role == role]
        if holders:
            people = tr(", ").join(who(c.name, c.id, self.shared) for c in holders)
            notes.append(tr("{people} cannot carry it", people=people))
        for member, fit in self.fillers(role):
            tried = self.measure(_Step(Action.REASSIGN, member.profile.id, role))
            opened = [r for r in tried.tally.uncovered if r not in self.tally.uncovered]
            if opened:
                left = tr(", ").join(self.post_name(r) for r in opened)
                why = tr("that would leave {posts} uncovered", posts=left)
            else:
                why = tr("a hire helps more")
            notes.append(
                tr(
                    "{person} (fit {fit}) could take {post}, but {why}",
                    person=member.profile.name,
                    fit=fit,
                    post=self.post_name(role),
                    why=why,
                )
            )
        return notes or [tr("nobody in the team fits it")]
