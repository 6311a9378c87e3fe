"""The public API: screen candidates for a post, assess a team against its strategy.

The engine derives findings, evidence and gaps; this module turns them into the value types of
`staffcheck.model`: messages filled in from the rules' templates, derivation chains in words, fit
scores and better posts.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, MutableMapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from staffcheck import kinds
from staffcheck.collector import collector_paused
from staffcheck.columns import AMBIGUOUS, label_index, normal
from staffcheck.engine import TEAM, Assignment, Conclusions, Fired, InferenceEngine
from staffcheck.errors import StaffcheckError
from staffcheck.evidence import PersonEvidence, weigh
from staffcheck.fitting import FitModel, balance, strengths
from staffcheck.holdings import Held, Holdings
from staffcheck.i18n import tr
from staffcheck.kinds import (
    Firing,
    Situation,
    as_clause,
    explain_firing,
    fill_spaced,
    infers,
    leads,
    shown_levels,
    suggested_posts,
)
from staffcheck.knowledge import PLACEHOLDER, find_strategy
from staffcheck.model import (
    NOT_SHOWN,
    Basis,
    CandidateResult,
    Confidence,
    Finding,
    Gap,
    Importance,
    KnowledgeBase,
    Labels,
    Member,
    PackCache,
    PostNeed,
    Profile,
    Question,
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
#: ... when it is also this much above their fit on their own post: clearly better, not noise.
CLEAR_MARGIN = 15
#: ... and when its balance of fit and use (`staffcheck.fitting`) is this much above their own's.
USE_MARGIN = 0.1
MAX_BETTER_ROLES = 3
#: A requirement at this level or above (independent work) is core: not showing it makes a
#: verdict one the answer decides (low confidence).
CORE_LEVEL = 3
#: A post a fired rule suggests (a confusable role's) is suggested from this fit on: a likely trade.
NAMED_FIT = 50
#: An open applicant's verdict on a post that open questions could still change counts from this
#: fit on (the evidence half supports it); below it, the post ranks with their mismatches.
SUPPORTED_FIT = 50

#: Compiled engines by knowledge base; the least recently used go beyond a few (a notebook that
#: keeps editing a pack would otherwise keep an engine per version).
#: One screening at a time per process, whichever API runs it (`api`, `scale`): the language in
#: use, the pack and engine caches and the experta engine itself belong to the whole process.
SCREENING_LOCK = threading.RLock()

_ENGINES: OrderedDict[int, tuple[KnowledgeBase, InferenceEngine]] = OrderedDict()
_ENGINES_KEPT = 8


def engine_for(kb: KnowledgeBase) -> InferenceEngine:
    """The compiled engine of a knowledge base, built once per process."""
    cached = _ENGINES.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, InferenceEngine(kb))
        _ENGINES[id(kb)] = cached
        while len(_ENGINES) > _ENGINES_KEPT:
            _ENGINES.popitem(last=False)
    _ENGINES.move_to_end(id(kb))
    return cached[1]


def check_role(kb: KnowledgeBase, role_id: str) -> str:
    """The id of the post `role_id` names: its id, or its name in any language of the pack
    (``淘宝运营``, ``Taobao store operator``, spaces and case aside), as a spreadsheet may
    write it; else an error that suggests the closest one."""
    if role_id in kb.roles:
        return role_id
    found = _POST_NAMES.of(kb).get(normal(role_id), "")
    if found.startswith(AMBIGUOUS):
        raise StaffcheckError.at(
            tr("post {post!r} could mean {posts}", post=role_id,
               posts=tr(", ").join(found.removeprefix(AMBIGUOUS).split(","))),
            hint=tr("write the post's id"),
        )  # fmt: skip
    if found:
        return found
    hint = did_you_mean(role_id, kb.roles) or tr("run 'staffcheck rules list' for the posts")
    raise StaffcheckError.at(tr("unknown post {post!r}", post=role_id), hint=hint)


#: Every way of naming the pack's posts (`columns.label_index`), built once per pack.
_POST_NAMES = PackCache(lambda kb: label_index(kb.roles))


@collector_paused
def screen(
    kb: KnowledgeBase,
    profiles: Sequence[Profile],
    strategy: Strategy | None = None,
    role: str | None = None,
) -> Report:
    """Screen each profile for `role` (or the post it applies for) under an optional strategy.

    A profile that applies for no post, screened without `role`, is an open application: it is
    tried on every post of the strategy (without one, of the pack) in the same engine run, and
    reported on the post it fits best, the others ranked after it (`open_application`).
    """
    if role is not None:
        role = check_role(kb, role)  # a post may be named by its id or its name
    assignments: list[Assignment] = []
    #: per profile: the posts of an open application (one trial each), else None
    tried: list[list[str] | None] = []
    for profile in profiles:
        shown = weigh(kb, profile)
        post = role or profile.applying_for
        if post is not None:
            assignments.append(Assignment(profile, check_role(kb, post), shown))
            tried.append(None)
            continue
        posts = open_posts(kb, strategy)
        if not posts:
            raise StaffcheckError.at(
                f"{profile.name} ({profile.id}) applies for no post, and there is none to try",
                profile.source,
                hint="add 'applying_for:' to the profile, or pass --post",
            )
        assignments += [Assignment(_trial(profile, p), p, shown) for p in posts]
        tried.append(posts)
    engine = engine_for(kb)
    conclusions = engine.assess(assignments, strategy)
    interpreter = _Interpreter(kb, strategy, conclusions, assignments)
    results = iter(interpreter.candidates(assignments))
    candidates = tuple(
        next(results)
        if posts is None
        else interpreter.open_application(profile, [next(results) for _ in posts])
        for profile, posts in zip(profiles, tried, strict=True)
    )
    return Report(
        _strategy_ref(strategy),
        candidates,
        posts=interpreter.posts(),
        labels=Labels.of(kb),
    )


def open_posts(kb: KnowledgeBase, strategy: Strategy | None) -> list[str]:
    """The posts an open application is tried on: the strategy's, or without one the pack's."""
    if strategy is None:
        return list(kb.roles)
    return [post for post in strategy.posts() if post in kb.roles]


#: Joins an open applicant's id and a post into the id of one trial. The engine keys every fact
#: by id, so one person's trials never meet; a control character keeps them apart from real ids.
_TRIAL = "\x1f"


def _trial(profile: Profile, post: str) -> Profile:
    """An open applicant as tried on one post: the same person under a trial id."""
    return replace(profile, id=_trial_id(profile.id, post))


def _trial_id(person: str, post: str) -> str:
    return f"{person}{_TRIAL}{post}"


#: Per-person engine conclusions, for callers that assess many variants of one team.
MemberMemo = MutableMapping[tuple[str, str, tuple[tuple[str, int], ...]], Conclusions]


def member_runs(kb: KnowledgeBase, team: Team, memo: MemberMemo) -> list[Conclusions]:
    """Each member's own engine run on their post (team order), reused from `memo` while their
    profile and post are unchanged; the missing ones run in groups, as without a memo."""
    return _member_runs(kb, team, memo)[0]


def _member_runs(
    kb: KnowledgeBase,
    team: Team,
    memo: MemberMemo,
    keys: _MemberKeys | None = None,
    weighed: _Weighed | None = None,
) -> tuple[list[Conclusions], int]:
    """`member_runs`, and how many members it ran through the engine (not from `memo`); with
    `keys`, each member's key is made once per `Member` (variants of a team share them); with
    `weighed`, what a member's profile shows is taken from there."""
    strategy = find_strategy(kb, team.strategy)
    found = [_member_key(m) for m in team.members] if keys is None else keys.of(team.members)
    missing = [(m, key) for m, key in zip(team.members, found, strict=True) if key not in memo]
    if missing:  # one run per person costs more
        people = [
            Assignment(m.profile, m.role, None if weighed is None else weighed(m.profile))
            for m, _ in missing
        ]
        fresh = engine_for(kb).assess(people, strategy, weigh_all_posts=True)
        memo.update(zip([key for _, key in missing], _per_person(fresh, people), strict=True))
    return [memo[key] for key in found], len(missing)


class _Weighed:
    """`weigh` of each profile asked for, made once (the profiles outlive it: keyed by id())."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.found: dict[int, PersonEvidence] = {}

    def __call__(self, profile: Profile) -> PersonEvidence:
        shown = self.found.get(id(profile))
        if shown is None:
            shown = self.found[id(profile)] = weigh(self.kb, profile)
        return shown


_MemberKey = tuple[str, str, tuple[tuple[str, int], ...]]


def _member_key(member: Member) -> _MemberKey:
    """What a member's own run depends on: their id, post and stated skills."""
    return (member.profile.id, member.role, tuple(sorted(member.profile.skills.items())))


class _MemberKeys:
    """`_member_key` of each `Member` object, made once (kept with it: its id() is not reused)."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[Member, _MemberKey]] = {}

    def of(self, members: Sequence[Member]) -> list[_MemberKey]:
        known = self.known
        found = []
        for member in members:
            entry = known.get(id(member))
            if entry is None:
                entry = known[id(member)] = (member, _member_key(member))
            found.append(entry[1])
        return found


def _per_person(run: Conclusions, assignments: Sequence[Assignment]) -> list[Conclusions]:
    """`Conclusions.for_person` of each person of `assignments`, sorted out in one pass (one
    `for_person` per person reads the whole run: the square of a big team's size)."""
    findings: dict[str, list[Fired]] = {a.profile.id: [] for a in assignments}
    evidence: dict[str, dict[tuple[str, str], tuple[tuple[str, int, int], ...]]] = {
        a.profile.id: {} for a in assignments
    }
    for fired in run.findings:
        if fired.cid in findings:
            findings[fired.cid].append(fired)
    for key, rows in run.evidence.items():
        if key[0] in evidence:
            evidence[key[0]][key] = rows
    return [
        Conclusions(
            findings=tuple(findings[cid]),
            gaps=(),
            evidence=evidence[cid],
            posts=run.posts,
            rules_fired=0,  # counted once, by the run as a whole
            blocking=run.blocking & {cid},
        )
        for cid in (a.profile.id for a in assignments)
    ]


@dataclass(frozen=True, slots=True)
class _Person:
    """One member on one post, in words: what a team report says of them whatever the team."""

    profile: Profile  # kept so that the memo's key (the profile's id()) is never reused
    shown: PersonEvidence
    #: before the team's waivers
    candidate: CandidateResult
    #: their fit on each post the strategy needs (the report's coverage row)
    fits: tuple[RoleFit, ...]
    #: the same, by post
    fit_on: Mapping[str, int]
    #: every skill with a stated or inferred level (`PersonEvidence.known`)
    known: Mapping[str, int]


@dataclass(frozen=True, slots=True, eq=False)
class _Row:
    """One member as `assess_team` reads them: their own run, in words, as assigned, and as the
    team rules read them. Made once per `Member` (variants of a team share their members)."""

    member: Member  # kept so that the memo's key (the member's id()) is never reused
    run: Conclusions
    person: _Person
    assignment: Assignment
    held: Held
    #: their row of the report's coverage: (id, fit on each post)
    coverage: tuple[str, tuple[RoleFit, ...]]


#: What the team run's rules read of a team (`_team_key`).
_TeamKey = tuple[Hashable, ...]


class TeamMemo:
    """What assessing variants of one team reuses (the what-if trials of `staffcheck.trials`).

    A member's findings, fit and better posts are theirs alone: they are made once per profile
    and post (`people`, over the engine runs of `members`), and a variant re-reads only the
    people it changes. The team run is made once per `_team_key`: what its rules read of a team.
    """

    def __init__(self, members: MemberMemo | None = None) -> None:
        self.members: MemberMemo = {} if members is None else members
        self.keys = _MemberKeys()
        self.people: dict[tuple[int, str, str], _Person] = {}
        self.team_runs: dict[_TeamKey, Conclusions] = {}
        self.rows: dict[tuple[int, str], _Row] = {}
        #: the holdings last counted (`_team_key`): the next variant re-counts its changes only
        self.holdings: Holdings | None = None
        #: members run through the engine, members put in words, team runs made (for tests)
        self.runs = 0
        self.interpreted = 0
        self.team_runs_made = 0

    def member_runs(
        self, kb: KnowledgeBase, team: Team, weighed: _Weighed | None = None
    ) -> list[Conclusions]:
        """`member_runs` over this memo's runs, counted (`weighed`: as `_member_runs`)."""
        runs, ran = _member_runs(kb, team, self.members, self.keys, weighed)
        self.runs += ran
        return runs

    def rows_of(self, kb: KnowledgeBase, strategy: Strategy, team: Team) -> list[_Row]:
        """Each member's row (team order): from the memo while the `Member` is the same; the
        others run (those not run yet) and put in words together."""
        found = [self.rows.get((id(m), strategy.id)) for m in team.members]
        missing = tuple(m for m, row in zip(team.members, found, strict=True) if row is None)
        if not missing:
            return [row for row in found if row is not None]
        changed = replace(team, members=missing)
        weighed = _Weighed(kb)  # once for a member's run and words, if either is not known
        runs = self.member_runs(kb, changed, weighed)
        people = _people(kb, strategy, changed, runs, self, weighed)
        made = iter(
            self._row(m, run, person, strategy)
            for m, run, person in zip(missing, runs, people, strict=True)
        )
        return [row if row is not None else next(made) for row in found]

    def _row(self, member: Member, run: Conclusions, person: _Person, strategy: Strategy) -> _Row:
        cid = member.profile.id
        levels = tuple((s, level) for s, level in person.known.items() if level > NOT_SHOWN)
        row = _Row(
            member,
            run,
            person,
            Assignment(member.profile, member.role, person.shown),
            Held(member.role, cid, cid in run.blocking, levels),
            (person.candidate.id, person.fits),
        )
        self.rows[(id(member), strategy.id)] = row
        return row


@collector_paused
def assess_team(
    kb: KnowledgeBase,
    team: Team,
    today: datetime.date | None = None,
    memo: MemberMemo | TeamMemo | None = None,
) -> Report:
    """Diagnose every member on their post, and the posts of the strategy nobody covers.

    The team's waivers are applied as of `today` (default: the current date). With a `memo`,
    each member's own run is reused across calls while their profile and post are unchanged
    (`explain --actions` tries dozens of variants of one team); a `TeamMemo` also keeps what
    each member's run says and the team run.
    """
    reuse = memo if isinstance(memo, TeamMemo) else TeamMemo(memo)
    strategy = find_strategy(kb, team.strategy)
    rows = reuse.rows_of(kb, strategy, team)
    assignments = [row.assignment for row in rows]
    blocking = frozenset().union(*[row.run.blocking for row in rows])
    team_run = _team_run(kb, strategy, assignments, rows, blocking, reuse)
    team_level = [f for f in team_run.findings if f.cid == TEAM]
    # The runs of one engine run share its posts: each distinct mapping is read once.
    distinct = {id(row.run.posts): row.run.posts for row in rows}
    posts = {role: need for known in distinct.values() for role, need in known.items()}
    posts.update(team_run.posts)
    conclusions = Conclusions((), team_run.gaps, {}, posts, 0, blocking)
    # The team's findings are explained from the assignments given: no member's evidence read.
    interpreter = _Interpreter(kb, strategy, conclusions, (), team=True)
    candidates = tuple(row.person.candidate for row in rows)
    fits = {row.person.candidate.id: row.person.fit_on for row in rows} if team_run.gaps else {}
    gaps = interpreter.gaps(assignments, fits)
    team_findings = interpreter.team_findings(team_level, assignments)
    # One root cause, one finding: team findings that only restate gaps join those gaps.
    gaps, team_findings = kinds.fold_restated(kb, strategy, gaps, team_findings)
    coverage = tuple(row.coverage for row in rows)
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
        labels=Labels.of(kb),
    )


def _people(
    kb: KnowledgeBase,
    strategy: Strategy,
    team: Team,
    runs: Sequence[Conclusions],
    memo: TeamMemo,
    weighed: _Weighed,
) -> list[_Person]:
    """Each member in words (team order), from `memo` while their profile and post are the
    same; the others are put in words together, from their own runs and what `weighed` says
    their profiles show."""
    keys = [(id(m.profile), m.role, strategy.id) for m in team.members]
    missing = [
        (member, run)
        for member, run, key in zip(team.members, runs, keys, strict=True)
        if key not in memo.people
    ]
    if missing:
        assignments = [Assignment(m.profile, m.role, weighed(m.profile)) for m, _ in missing]
        own = Conclusions.merge([run for _, run in missing])
        interpreter = _Interpreter(kb, strategy, own, assignments, team=True)
        needed = sorted(own.posts)
        for a in assignments:
            fits = tuple(RoleFit(role, interpreter.fit(a.profile.id, role)) for role in needed)
            seen = interpreter.shown[a.profile.id]
            fit_on = {fit.role: fit.fit for fit in fits}
            person = _Person(a.profile, seen, interpreter.candidate(a), fits, fit_on, seen.known())
            memo.people[(id(a.profile), a.role, strategy.id)] = person
        memo.interpreted += len(missing)
    return [memo.people[key] for key in keys]


def _team_key(strategy: Strategy, rows: Sequence[_Row], memo: TeamMemo) -> _TeamKey:
    """What the team run's rules read of a team (`InferenceEngine.coverage`'s facts), and so
    all its conclusions depend on: the team's size (`TeamSize`); for each post the strategy
    needs that someone holds (the team rules join holders with the posts needed: a post outside
    the strategy is a finding about its holder, from their own run), whether one or several
    hold it (`PostHolders`: the rules tell one holder from two, never two from three), a single
    holder and whether they are blocked (only a post with one
    holder names them: the first of several is read by no rule), and whether any holder is not
    (`Covers`); each skill's best level in the team (`MemberFact`, read only as
    "nobody has it at this level"). The order the posts' facts are declared in (the order of
    their first holders) orders the rules' firings only, and the report sorts what they find
    (gaps by severity and post, team findings by severity, rule and message): the posts are
    keyed in sorted order, so a move of a post's first holder does not make a new team run.
    Two teams with one key have one team run: tests/test_trials_scaling.py holds reports made
    through this memo to those made without it. A variant of the team last keyed re-counts
    only the members it changes (`Holdings`)."""
    held = [row.held for row in rows]
    last = memo.holdings
    holdings = Holdings(held) if last is None else last.variant(held)
    memo.holdings = holdings  # the next variant is counted from this one
    return (strategy.id, len(rows), *holdings.key(strategy.posts()))


def _team_run(
    kb: KnowledgeBase,
    strategy: Strategy,
    assignments: Sequence[Assignment],
    rows: Sequence[_Row],
    blocking: frozenset[str],
    memo: TeamMemo,
) -> Conclusions:
    """The team run (`InferenceEngine.coverage`), made once per `_team_key`."""
    key = _team_key(strategy, rows, memo)
    known = memo.team_runs.get(key)
    if known is None:
        known = engine_for(kb).coverage(assignments, blocking, strategy)
        memo.team_runs[key] = known
        memo.team_runs_made += 1
    return known


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
    """The waiver that accepts this finding: of those that cover it, the one expiring last, so
    a renewal appended below an expired waiver takes effect whatever the order (a tie: the
    first listed)."""
    covering = [w for w in waivers if w.covers(rule, person, post, skill)]
    if not covering:
        return None
    if severity is Severity.CRITICAL:
        # A rule can be critical for one post and not another (severity by importance).
        raise StaffcheckError.at(
            tr("this waiver would waive a critical finding ({rule} on {whom}); critical "
               "findings cannot be waived", rule=rule, whom=post or person),
            covering[0].source,
            hint=tr("fix the staffing, or remove the waiver"),
        )  # fmt: skip
    waiver = max(covering, key=lambda w: w.expires)  # max keeps the first of equal ones
    return WaiverNote(waiver.reason, waiver.approved_by, waiver.expires, waiver.expires < today)


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
    """Fill ``{placeholder}`` names (validated at load time); never ``str.format`` on data.

    A space the template puts between a value and its own text goes where both touching
    characters are CJK (Chinese has none between words); the values are never altered.
    """
    return fill_spaced(template, PLACEHOLDER, lambda m: _text(values.get(m.group(1), m.group(0))))


def _text(value: Any) -> str:
    if type(value) is str:  # most values: a fast path for every finding's message
        return value
    if isinstance(value, tuple | list):
        return tr(", ").join(_text(v) for v in value)
    return str(value)


def fit_score(
    kb: KnowledgeBase, role: str, rows: Iterable[tuple[str, int, int]], shown: PersonEvidence
) -> int:
    """0–100: how fully the evidence shows a person meets a post (`staffcheck.fitting`)."""
    return FitModel.of(kb).fit(role, rows, shown.certainty)


_SEVERITY_ORDER = {s: -s.weight for s in Severity}


class _Interpreter:
    """Turns one run's conclusions into results, in words a manager reads."""

    def __init__(
        self,
        kb: KnowledgeBase,
        strategy: Strategy | None,
        conclusions: Conclusions,
        assignments: Sequence[Assignment],
        *,
        team: bool = False,
    ):
        self.kb = kb
        self.labels = Labels.of(kb)
        self.model = FitModel.of(kb)
        self.verb = "holds" if team else "is screened for"
        self.strategy = strategy
        self.c = conclusions
        self.by_person: dict[str, list[Fired]] = {}
        for fired in conclusions.findings:
            self.by_person.setdefault(fired.cid, []).append(fired)
        #: the posts each person was weighed on, in the run's order (a scan of the whole run's
        #: evidence per person would cost the square of the people in the run)
        self.weighed: dict[str, list[str]] = {}
        for person, weighed_role in conclusions.evidence:
            self.weighed.setdefault(person, []).append(weighed_role)
        #: what each person's profile shows of each skill
        self.shown = {a.profile.id: a.evidence(kb) for a in assignments}
        #: the rules whose findings lead a person's findings of the same severity
        self.leading = frozenset(r.id for r in kb.rules.values() if leads(r))
        #: what explaining a finding about one person reads (no team around them)
        self.alone = self.situation()
        self._fits: dict[tuple[str, tuple[tuple[str, int, int], ...]], int] = {}
        #: what `named` looks values up in: the ids of one kind, and lists of them
        self._named_tables: tuple[dict[str, Mapping[str, Any]], dict[str, Mapping[str, Any]]] = (
            {
                "role": kb.roles, "empty_role": kb.roles, "skill": kb.skills,
                "strategy": kb.strategies, "module": kb.modules,
            },
            {
                "better_roles": kb.roles, "roles": kb.roles, "skills": kb.skills,
                "channels": kb.channels,
            },
        )  # fmt: skip

    def fit(self, cid: str, role: str) -> int:
        """`fit_score`, with the pack's model looked up once (a person is weighed on every post).
        Without an inferred level every level shown is certain: the fit is the rows' alone, and
        people share them (`engine._evidence_rows`), so it is worked out once per run."""
        rows = self.c.evidence.get((cid, role), ())
        shown = self.shown[cid]
        if shown.inferred:
            return self.model.fit(role, rows, shown.certainty)
        found = self._fits.get((role, rows))
        if found is None:
            found = self._fits[(role, rows)] = self.model.fit(role, rows)
        return found

    def named(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """A message's values with the pack's ids (posts, skills, channels, the strategy, a
        module) as their names in the language in use: reports show names, not ids."""
        single, several = self._named_tables
        named = dict(values)
        for key, table in single.items():
            value = named.get(key)
            if isinstance(value, str) and value in table:
                named[key] = table[value].name
        for key, table in several.items():
            value = named.get(key)
            if isinstance(value, tuple | list):
                named[key] = tuple(
                    table[v].name if isinstance(v, str) and v in table else v for v in value
                )
        return named

    def module_names(self, modules: Iterable[str]) -> str:
        return _module_names(self.kb, modules)

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
        shown = self.shown[person.id]
        fit = self.fit(person.id, role)
        fired = self.by_person.get(person.id, [])
        weights = self.model.weights.get(role, {})
        # The evidence behind each blocking finding that does not rest on a skill nobody showed:
        # any such finding settles the verdict (no questions could change it).
        settling = tuple(
            basis
            for f in fired
            if self.kb.rules[f.rule].severity.blocks
            and (basis := self.basis(self.kb.rules[f.rule], f)) is not Basis.UNKNOWN
        )
        # A mismatch or a partial fit: is there a post they clearly fit better?
        reserved = any(self.kb.rules[f.rule].severity >= Severity.MEDIUM for f in fired)
        better = self.better_roles(person.id, role, fit, fired, settling) if reserved else ()
        findings = _one_per_cause(
            sorted(
                (self.finding(f, person, better) for f in fired),
                # A leading kind (the "looks like / actually is" pattern) first: it explains the gaps.
                # Then by rule, and a post's heavier requirement before a lighter one.
                key=lambda f: (
                    _SEVERITY_ORDER[f.severity],
                    f.rule not in self.leading,
                    f.rule,
                    -weights.get(f.skill or "", 0.0),
                    f.skill or "",
                ),
            ),
            self.leading,
        )
        essential = self.kb.roles[role].essential
        questions = () if settling else self.questions(role, findings, shown)
        return CandidateResult(
            id=person.id,
            name=person.name,
            role=role,
            fit=fit,
            verdict=Verdict.from_findings([f.severity for f in findings]),
            findings=findings,
            better_roles=better,
            source=person.source,
            confidence=_confidence(settling, essential, shown, questions),
            evidence=tuple((skill, shown.basis(skill)) for skill in essential),
            questions=questions,
            inferred=tuple(shown.inferred[s] for s in sorted(shown.inferred)),
            extra=person.extra,
        )

    def open_application(
        self, profile: Profile, trials: Sequence[CandidateResult]
    ) -> CandidateResult:
        """One open applicant from their trials on each post: the post that fits best, with the
        other posts after it, best first (`_open_rank`), each with why it fits less. A post that
        clearly suits them better than the first goes before it, as a better post would."""
        importance = {role: Importance(need[1]).weight for role, need in self.c.posts.items()}
        known = self.shown[_trial_id(profile.id, trials[0].role)].known() if trials else {}
        # At equal fit, the post whose core skill is their strongest: a merchandise specialist
        # who also meets the service desk's easy bar is a merchandise operator first.
        core = {t.role: known.get(self.model.core.get(t.role, ""), 0) for t in trials}
        ranked = sorted(
            trials, key=lambda t: _open_rank(t, core[t.role], importance.get(t.role, -1))
        )

        def suits(trial: CandidateResult) -> float:
            shown = self.shown[_trial_id(profile.id, trial.role)]
            return balance(trial.fit, self.model.use(trial.role, shown.known(), shown.signalled))

        first = suits(ranked[0])
        clearly = [
            t
            for t in ranked[1:]
            if can_carry(t) and t.fit >= GOOD_FIT and suits(t) >= first + USE_MARGIN
        ]
        if clearly:  # a post whose easy requirements anyone meets is no one's best
            best = max(clearly, key=suits)  # the first of equals: max keeps the rank order
            ranked = [best, *(t for t in ranked if t is not best)]
        best, *others = ranked
        return replace(
            best,
            id=profile.id,
            better_roles=tuple(
                RoleFit(t.role, t.fit, reason=self.trial_reason(profile.id, t)) for t in others
            ),
            open_application=True,
        )

    def trial_reason(self, cid: str, trial: CandidateResult) -> str:
        """Why a post fits an open applicant less: its main finding in a few words ("" if none)."""
        main = next((f for f in trial.findings if f.counts and f.severity >= Severity.MEDIUM), None)
        if main is None or trial.verdict is Verdict.FIT:
            return ""
        if main.skill is None:
            return main.title or main.message
        rows = self.c.evidence.get((_trial_id(cid, trial.role), trial.role), ())
        need = next((n for skill, n, _ in rows if skill == main.skill), None)
        if need is None:
            return tr("{title}: {skill}", title=main.title, skill=self.skill_name(main.skill))
        shown = self.shown[_trial_id(cid, trial.role)]
        return self.shortfall(main.skill, need, shown)

    def shortfall(self, skill: str, need: int, shown: PersonEvidence) -> str:
        """A requirement someone does not meet, in a few words."""
        name, have, basis = self.skill_name(skill), shown.level(skill), shown.basis(skill)
        if basis is Basis.STATED:
            return tr("{skill} {have}, needs {need}", skill=name, have=have, need=need)
        if basis is Basis.INFERRED:
            return tr("{skill} only ≥ {have} (inferred), needs {need}", skill=name, have=have,
                      need=need)  # fmt: skip
        return tr("{skill} not shown, needs {need}", skill=name, need=need)

    def skill_name(self, skill: str) -> str:
        return self.kb.skills[skill].name if skill in self.kb.skills else skill

    def gap_reason(self, cid: str, role: str) -> str:
        """The heaviest requirement of a post someone does not meet, in a few words ("" if none)."""
        shown = self.shown[cid]
        weights = self.model.weights.get(role, {})
        short = sorted(
            (row for row in self.c.evidence.get((cid, role), ()) if row[2] < row[1]),
            key=lambda row: (-weights.get(row[0], 0.0), row[0]),
        )
        return self.shortfall(short[0][0], short[0][1], shown) if short else ""

    def questions(
        self, role: str, findings: Sequence[Finding], shown: PersonEvidence
    ) -> tuple[Question, ...]:
        """What to ask to settle a verdict no stated or inferred evidence settles: each skill a
        blocking finding or the post rests on that the profile does not state — those that could
        lift a blocking finding first, then those nothing shows, then inferred ones to confirm,
        each group heaviest requirement first."""
        essential = self.kb.roles[role].essential
        weights = self.model.weights.get(role, {})
        lifting = {
            skill
            for f in findings
            if f.severity.blocks
            for skill in _pattern_skills(f)
            if shown.basis(skill) is Basis.UNKNOWN
        }
        open_skills = lifting | {s for s in essential if shown.basis(s) is not Basis.STATED}
        ordered = sorted(
            open_skills,
            key=lambda s: (
                s not in lifting,
                shown.basis(s) is Basis.INFERRED,
                -weights.get(s, 0.0),
                -essential.get(s, 0),
                s,
            ),
        )
        return tuple(
            Question(skill, self.kb.skills[skill].question or _default_question(self.kb, skill),
                     essential.get(skill, 0))
            for skill in ordered
        )  # fmt: skip

    def better_roles(
        self, cid: str, role: str, fit: int, fired: list[Fired], settling: Sequence[Basis]
    ) -> tuple[RoleFit, ...]:
        """Posts the person clearly fits better: fit ≥ 70, 15 above their own post, using more of
        their strengths; or a post the fired rule names, from fit 50 — and only with the post's
        core skill shown at its level. Named posts first, then the strategy's posts, then the best
        balance of fit and use."""
        named = {
            other
            for f in fired
            for others in suggested_posts(self.kb.rules[f.rule]).values()
            for other in others
        }
        shown = self.shown[cid]
        known = shown.known()
        needed = set(self.c.posts)
        weights = strengths(known, shown.signalled)
        here = balance(fit, self.model.use_of(role, weights))
        # While questions could still change the verdict, point only to the trade the person's
        # title or channels name (or the rule's own): ask first, redeploy after.
        settled = bool(settling) or all(
            shown.basis(s) is not Basis.UNKNOWN for s in self.kb.roles[role].essential
        )
        options = []
        for other in self.weighed.get(cid, ()):
            if other == role or other not in self.kb.roles:
                continue
            score = self.fit(cid, other)
            core = self.model.core[other]
            if known.get(core, NOT_SHOWN) < self.kb.roles[other].essential[core]:
                continue  # never a post whose core skill they lack, or do not show
            if not settled and other not in named and core not in shown.signalled:
                continue
            there = balance(score, self.model.use_of(other, weights))
            # Clearly better: they meet it well, far better than their own post, and it suits
            # them better overall (a post whose easy requirements anyone meets does not).
            clearly = (
                score >= GOOD_FIT and score >= fit + CLEAR_MARGIN and there >= here + USE_MARGIN
            )
            if clearly or (other in named and score >= NAMED_FIT and score > fit):
                rank = (
                    other not in named,
                    bool(needed) and other not in needed,
                    -there,
                    -score,
                    other,
                )
                options.append((rank, RoleFit(other, score)))
        options.sort(key=lambda option: option[0])
        return tuple(
            replace(option, reason=self.gap_reason(cid, option.role))
            for _, option in options[:MAX_BETTER_ROLES]
        )

    def situation(self, assignments: Sequence[Assignment] = ()) -> Situation:
        """What the kinds' explanations read of this run (holders and names in a team run)."""
        holders: dict[str, list[str]] = {}
        for a in assignments:
            holders.setdefault(a.role, []).append(a.profile.name)
        return Situation(
            self.strategy,
            self.verb,
            tuple(self.c.posts),
            # not the bound method: a situation kept by the interpreter would make a cycle of
            # them, and a run's conclusions would wait for the cyclic collector to be freed
            partial(_module_names, self.kb),
            {role: tuple(names) for role, names in holders.items()},
            {a.profile.id: a.profile.name for a in assignments},
            self.labels,
        )

    def team_findings(
        self, fired: Sequence[Fired], assignments: Sequence[Assignment]
    ) -> tuple[Finding, ...]:
        """Findings about the team as a whole, in words, heaviest first."""
        if not fired:  # a team's situation reads every member: none to explain, none made
            return ()
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
                    message=fill(rule.message, self.named(values)),
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
        values = self.named({"person": person.name, "role": fired.role, **fired.bindings})
        if "modules" in values:
            values["modules"] = self.module_names(values["modules"]) or tr(
                "no module of the strategy"
            )
        if "channels" in values:
            values["channels"] = tr(", ").join(values["channels"])
        if isinstance(values.get("evidence"), tuple):
            skills = self.kb.skills
            values["evidence"] = shown_levels(
                (skills[s].name if s in skills else s, level) for s, level in values["evidence"]
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
            basis=self.basis(rule, fired),
        )

    def basis(self, rule: Rule, fired: Fired) -> Basis:
        """The weakest evidence a finding rests on: its skill, or the skills of its pattern."""
        if infers(rule):
            return Basis.INFERRED
        shown = self.shown[fired.cid]
        skills = [fired.bindings["skill"]] if "skill" in fired.bindings else []
        evidence = fired.bindings.get("evidence")
        if isinstance(evidence, tuple):
            skills += [skill for skill, _ in evidence]
        bases = [shown.basis(s) for s in skills]
        if fired.bindings.get("absence_backed"):
            # A skill not shown, where the stated channels say the work was never done there.
            bases = [Basis.INFERRED if b is Basis.UNKNOWN else b for b in bases]
        return min(bases, default=Basis.STATED)

    def because(
        self, rule: Rule, fired: Fired, person: Profile, better: tuple[RoleFit, ...]
    ) -> tuple[str, ...]:
        """The derivation chain of a finding about a person, ending with the rule."""
        firing = Firing(rule, fired.role, fired.bindings, self.alone, person, better)
        return (*explain_firing(firing).because, _rule_line(rule))

    def gaps(
        self, assignments: Sequence[Assignment], fits: Mapping[str, Mapping[str, int]]
    ) -> tuple[Gap, ...]:
        """The needed posts nobody covers, in words, with who could cover each (by `fits`:
        person -> post -> fit), heaviest first."""
        if not self.c.gaps:  # a team's situation reads every member: none to explain, none made
            return ()
        situation = self.situation(assignments)
        found = []
        for g in self.c.gaps:
            rule = self.kb.rules[g.rule]
            bindings = {"modules": g.modules, "importance": g.importance}
            explained = explain_firing(Firing(rule, g.role, bindings, situation))
            could = sorted(
                (
                    RoleFit(g.role, fits[a.profile.id][g.role], a.profile.id, a.profile.name)
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
                    fill(rule.message, self.named(explained.values)),
                    (*explained.because, _rule_line(rule)),
                    tuple(option for option in could if option.fit >= GOOD_FIT),
                )
            )
        found.sort(key=lambda gap: (_SEVERITY_ORDER[gap.severity], gap.role))
        return tuple(found)


def _module_names(kb: KnowledgeBase, modules: Iterable[str]) -> str:
    """Modules by name, as clauses of a sentence."""
    return tr(", ").join(as_clause(kb.modules[m].name) if m in kb.modules else m for m in modules)


def _open_rank(
    trial: CandidateResult, core_level: int, importance: int
) -> tuple[bool, int, int, int, int, int, str]:
    """An open applicant's posts, best first, by what a recruiter would conclude from the evidence
    shown. Posts they can carry (`can_carry`) come first, the better verdict before the higher fit.
    The rest follow by fit first, then verdict: a verdict resting on open questions at fit 0 (a
    post whose requirements they do not even show) is not closer than a mismatch at 53 (most of
    its requirements shown, one short). Then, at equal fit, their level in the post's core skill,
    the post's importance, its id."""
    carried = can_carry(trial)
    return (
        not carried,
        trial.verdict.weight if carried else 0,
        -trial.fit,
        trial.verdict.weight,
        -core_level,
        -importance,
        trial.role,
    )


def can_carry(trial: CandidateResult) -> bool:
    """No blocking finding, and not a verdict resting on open questions (low confidence) the
    evidence does not half support (`SUPPORTED_FIT`): the post is one they could take on."""
    unsupported = trial.confidence is Confidence.LOW and trial.fit < SUPPORTED_FIT
    return not unsupported and trial.verdict is not Verdict.MISMATCH


def shortlisted(c: CandidateResult) -> bool:
    """On a drive's shortlist (whom to call), the one rule the reports and the advice share: a fit
    or partial fit for the post they applied for (a partial resting on open questions included:
    the call settles it); an open applicant only on a post they can carry (`can_carry`): a post
    picked for them whose requirements they do not even show is no pick."""
    if c.open_application:
        return can_carry(c)
    return c.verdict is not Verdict.MISMATCH


def unplaced(c: CandidateResult) -> bool:
    """An open applicant whose best post is a partial they cannot carry yet: not shortlisted,
    asked about first (a drive's headline counts them apart from the partial fits)."""
    return c.open_application and c.verdict is Verdict.PARTIAL and not shortlisted(c)


def _rule_line(rule: Rule) -> str:
    """The last link of every derivation chain: the rule that concluded it."""
    return tr("rule {id}: {title}", id=rule.id, title=rule.title)


def _pattern_skills(finding: Finding) -> tuple[str, ...]:
    """The skills a finding names: its own, and those of the findings it explains."""
    own = (finding.skill,) if finding.skill else ()
    return own + tuple(s for inner in finding.explains for s in _pattern_skills(inner))


def _one_per_cause(findings: list[Finding], leading: AbstractSet[str]) -> tuple[Finding, ...]:
    """A leading finding that blocks (a confusable post: "looks like X, actually is Y") is the root
    cause of the person's skill gaps on that post: they go inside it, not beside it."""
    root = next((f for f in findings if f.rule in leading and f.severity.blocks), None)
    if root is None:
        return tuple(findings)
    explained = tuple(f for f in findings if f.skill is not None and f is not root)
    rest = tuple(f for f in findings if f is root or f.skill is None)
    return tuple(replace(f, explains=explained) if f is root else f for f in rest)


def _confidence(
    settling: Sequence[Basis],
    essential: Mapping[str, int],
    shown: PersonEvidence,
    questions: Sequence[Question],
) -> Confidence:
    """High when stated evidence settles the verdict or shows every essential skill; medium when
    inferred evidence does, or only minor requirements are open; low while a requirement the post
    needs at an independent level (or a blocking pattern) rests on a skill nothing shows."""
    if settling:
        return Confidence.HIGH if Basis.STATED in settling else Confidence.MEDIUM
    # Open: nothing shows the skill, or only an inferred lower bound under the need.
    unknown = [
        q
        for q in questions
        if shown.basis(q.skill) is Basis.UNKNOWN
        or (shown.basis(q.skill) is Basis.INFERRED and shown.level(q.skill) < q.need)
    ]
    if any(q.need >= CORE_LEVEL or q.skill not in essential for q in unknown):
        return Confidence.LOW
    if unknown or any(shown.basis(s) is Basis.INFERRED for s in essential):
        return Confidence.MEDIUM  # only minor requirements open, or levels only inferred
    return Confidence.HIGH


def _default_question(kb: KnowledgeBase, skill: str) -> str:
    name = kb.skills[skill].name if skill in kb.skills else skill
    return tr("What is your level in {skill} (0 none … 5 expert)?", skill=name.lower())
