"""What to do: a what-if planner that turns a team's diagnosis into ordered, measured actions.

It is the one source of advice: ``staffcheck explain --actions`` shows its plan step by step,
and `advise` puts the same steps, one sentence each, in a report's "what to do first".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from staffcheck.diagnose import GOOD_FIT, MemberMemo, assess_team, screen
from staffcheck.errors import StaffcheckError
from staffcheck.explain import Explanation, explain, role_fit, strategy_and_team
from staffcheck.model import (
    Action,
    CandidateResult,
    KnowledgeBase,
    Location,
    Member,
    Profile,
    Report,
    Strategy,
    StrategyRef,
    Team,
    Verdict,
    frozen_map,
)

if TYPE_CHECKING:
    from staffcheck.sources import Subject

#: Members tried for a vacated or uncovered post, and better posts tried per mismatch: each
#: trial re-runs the whole team.
_MAX_TRIALS = 3
#: Steps of the plan a report shows as "what to do first"; the whole plan: explain --actions.
ADVICE_STEPS = 5
MORE_ADVICE = "More steps follow: 'staffcheck explain TEAM_FILE --actions' lists the whole plan."


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
    #: the team planned for, and its strategy (for headings)
    team: str | None = None
    strategy: StrategyRef | None = None
    #: the trees of the diagnosis planned from (``explain_subject``): the plan's JSON carries both
    explanation: Explanation | None = None

    @property
    def effect(self) -> str:
        text = f"uncovered posts {len(self.before.uncovered)} → {len(self.after.uncovered)}"
        return text + f", mismatches {len(self.before.mismatches)} → {len(self.after.mismatches)}"


def plan_actions(
    kb: KnowledgeBase,
    team: Team,
    report: Report | None = None,
    *,
    limit: int | None = None,
    today: datetime.date | None = None,
    memo: MemberMemo | None = None,
) -> ActionPlan:
    """Turn a team's diagnosis into ordered actions, each with its measured effect on coverage.

    In order: reassign each mismatched member to the post they fit (with a member to take their
    post when that helps), move members who fit an uncovered post onto it, train one-level gaps
    on essential skills, and hire for the posts still uncovered. Every candidate step is tried
    by re-running `assess_team` on the changed team; only steps that improve it are kept.
    With `limit`, planning stops after that many steps (each costs a few re-runs of the team);
    waivers are judged as of `today` (default: the current date), as `assess_team` does. A
    `memo` filled by the `assess_team` that made `report` saves re-running unchanged members.
    """
    memo = {} if memo is None else memo
    if report is None:
        report = assess_team(kb, team, today, memo=memo)
    planner = _Planner(kb, team, report, limit, today, memo)
    start = planner.tally
    planner.reassign_mismatches()
    planner.cover_gaps()
    planner.train_small_gaps()
    planner.hire_for_gaps()
    strategy = StrategyRef(planner.strategy.id, planner.strategy.name)
    return ActionPlan(tuple(planner.actions), start, planner.tally, team.name, strategy)


def explain_subject(
    kb: KnowledgeBase,
    subject: Subject,
    strategy: Strategy | None = None,
    *,
    person: str | None = None,
    rule: str | None = None,
    post: str | None = None,
    actions: bool = False,
) -> Explanation | ActionPlan:
    """``explain``: the trees of a team (with its actions) or of profiles; with `actions`, the plan.

    A team is judged by `strategy`, else its own, and explained on the posts its members hold;
    profiles are screened under `strategy` (if any) for `post` (default: the one each applies
    for). A team's explanation carries its action plan, and the plan the trees.
    """
    strategy, team = strategy_and_team(subject, kb, strategy)
    if team is None:
        if actions:
            raise StaffcheckError.at(
                "--actions needs a team file", hint="actions re-assess a whole team"
            )
        report = screen(kb, subject.profiles, strategy, role=post)
        return explain(kb, report, subject.profiles, person=person, rule=rule)
    if post is not None:
        raise StaffcheckError.at(
            "--post needs --why-not with a team file",
            hint="members are explained on the posts they hold",
        )
    memo: MemberMemo = {}  # the planner starts from the members' own runs of this assessment
    report = assess_team(kb, team, memo=memo)
    explanation = explain(kb, report, subject.profiles, person=person, rule=rule)
    plan = plan_actions(kb, team, report, memo=memo)
    return replace(plan, explanation=explanation) if actions else replace(explanation, actions=plan)


def advise(
    kb: KnowledgeBase,
    report: Report,
    team: Team | None = None,
    today: datetime.date | None = None,
    memo: MemberMemo | None = None,
) -> Report:
    """`report` with its advice: a team's plan from the planner; for a screening, per candidate.

    Pass the `memo` the team's `assess_team` filled, so the planner starts from its runs.
    """
    if team is None:
        return replace(report, advice=screening_advice(report))
    # One step more than shown tells whether the plan goes on, without planning all of it.
    plan = plan_actions(kb, team, report, limit=ADVICE_STEPS + 1, today=today, memo=memo)
    lines = advice_lines(plan)
    if len(lines) > ADVICE_STEPS:
        lines = (*lines[:ADVICE_STEPS], MORE_ADVICE)
    return replace(report, advice=lines)


def advice_lines(plan: ActionPlan) -> tuple[str, ...]:
    """Each step of the plan as one sentence: what to do, then the notes that qualify it."""
    return tuple(" — ".join([step.summary, *step.notes]) + "." for step in plan.actions)


def screening_advice(report: Report) -> tuple[str, ...]:
    """Advice on screened candidates, who have no team to plan in: place or train each one.

    Plain text (untrusted names included: each reporter escapes them).
    """
    lines: list[str] = []
    needed = {post.role for post in report.posts}
    for c in report.candidates:
        if c.verdict is not Verdict.MISMATCH:
            continue
        best = c.better_roles[0] if c.better_roles else None
        if best is not None and best.fit >= GOOD_FIT and (not needed or best.role in needed):
            lines.append(
                f"Reassign {c.name} to {best.role} (fit {best.fit}); "
                f"the {c.role} post needs someone else."
            )
        elif best is not None and best.fit >= GOOD_FIT:
            lines.append(
                f"Find someone else for the {c.role} post: {c.name} fits {best.role} "
                f"(fit {best.fit}), a post this strategy does not use."
            )
        else:
            lines.append(f"Find someone else for the {c.role} post: {c.name} does not fit it.")
    for c in report.candidates:
        if c.verdict is Verdict.PARTIAL:
            skills = ", ".join(f.skill for f in c.findings if f.skill)
            if skills:
                lines.append(f"Train {c.name} in {skills}.")
    return tuple(lines)


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

    def __init__(
        self,
        kb: KnowledgeBase,
        team: Team,
        report: Report,
        limit: int | None,
        today: datetime.date | None,
        memo: MemberMemo,
    ) -> None:
        self.limit = limit
        self.today = today  # waivers are judged as of this date in every variant
        self.kb = kb
        self.team = team
        self.report = report
        self.tally = Tally.of(report)
        self.actions: list[PlannedAction] = []
        self.hired: set[str] = set()
        self.gap_notes: dict[str, list[str]] = {}
        self.memo = memo  # members' own runs, shared by every variant tried
        self.strategy = kb.strategies[team.strategy]

    # -- trying changes ------------------------------------------------------------------------

    def trial(self, moves: Sequence[Move], team: Team) -> _Trial:
        report = assess_team(self.kb, team, self.today, memo=self.memo)
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

    @property
    def full(self) -> bool:
        """The plan has as many steps as asked for: planning stops (each step costs re-runs)."""
        return self.limit is not None and len(self.actions) >= self.limit

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
            if self.full:
                return
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
            if self.full:
                return
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
            if self.full:
                return
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
            if self.full:
                return
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
                source=Location("(planned hire)"),
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
