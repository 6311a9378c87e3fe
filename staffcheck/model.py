"""Value types that flow between the layers: knowledge, profiles, findings and reports.

Everything here is a frozen, slotted dataclass or an enum, so a result can be shared, cached and
compared without fear of being changed behind a reporter's back.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NoReturn, TypeVar


class _Ranked(enum.StrEnum):
    """A `str` enum ordered by `weight`, not alphabetically: ``max()`` gives the heaviest."""

    @property
    def weight(self) -> int:
        raise NotImplementedError

    def __lt__(self, other: object) -> bool:
        return self.weight < other.weight if isinstance(other, type(self)) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.weight <= other.weight if isinstance(other, type(self)) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.weight > other.weight if isinstance(other, type(self)) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.weight >= other.weight if isinstance(other, type(self)) else NotImplemented


class Severity(_Ranked):
    """How much a finding matters, heaviest first; ordered by weight (info < … < critical)."""

    CRITICAL = "critical"
    """The strategy cannot be carried out as staffed; act before anything else."""
    HIGH = "high"
    """A post–skill mismatch: this person cannot carry this post. Makes the verdict `mismatch`."""
    MEDIUM = "medium"
    """A gap that training or support can close. Makes the verdict `partial`."""
    LOW = "low"
    """Worth knowing; does not change the verdict."""
    INFO = "info"
    """Context only."""

    @property
    def weight(self) -> int:
        """4 for critical down to 0 for info, for ordering and thresholds."""
        return _SEVERITY_WEIGHT[self]

    @property
    def blocks(self) -> bool:
        """High or worse: the person cannot carry the post (a mismatch; the post is uncovered)."""
        return self >= Severity.HIGH


_SEVERITY_WEIGHT = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Importance(_Ranked):
    """How much a strategy module needs a post."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        return {"critical": 3, "high": 2, "medium": 1, "low": 0}[self.value]


class Verdict(_Ranked):
    """The overall answer for one person on one post; ordered best first (fit < … < mismatch)."""

    FIT = "fit"
    PARTIAL = "partial"
    MISMATCH = "mismatch"

    @property
    def weight(self) -> int:
        """0 for fit, 1 for partial, 2 for mismatch: the order of a ranking's tie-break."""
        return _VERDICT_WEIGHT[self]

    @classmethod
    def from_findings(cls, severities: list[Severity]) -> Verdict:
        """`mismatch` if any finding is high or worse, `partial` if any is medium, else `fit`."""
        worst = max(severities, default=None)
        if worst is not None and worst.blocks:
            return cls.MISMATCH
        if worst is Severity.MEDIUM:
            return cls.PARTIAL
        return cls.FIT


_VERDICT_WEIGHT = {Verdict.FIT: 0, Verdict.PARTIAL: 1, Verdict.MISMATCH: 2}


class Action(enum.StrEnum):
    """What a remediation asks for."""

    TRAIN = "train"
    REASSIGN = "reassign"
    HIRE = "hire"
    #: ask the person, or check their work: the evidence is not enough to act on
    CONFIRM = "confirm"


#: The level the engine gives a skill nobody stated or inferred: below every real level (0–5).
NOT_SHOWN = -1


class Basis(_Ranked):
    """What a skill level rests on, strongest first: said by the profile, inferred, or nothing."""

    STATED = "stated"
    """The profile gives the level (an explicit 0 means "none")."""
    INFERRED = "inferred"
    """An evidence rule of the pack derived it from a title, channels or years of experience."""
    UNKNOWN = "unknown"
    """Nothing shows it: not zero, a question to ask."""

    @property
    def weight(self) -> int:
        """2 for stated down to 0 for unknown: ``min()`` gives the weakest basis."""
        return {"stated": 2, "inferred": 1, "unknown": 0}[self.value]


_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenMap(dict[_K, _V]):
    """A read-only, hashable, picklable dict: frozen dataclasses stay frozen all the way down.

    A `dict` underneath, so `json` writes it and experta freezes it like any dict. Our own and
    not the third-party frozendict, which experta pins to a release that cannot import by
    itself on Python >= 3.10 (see `staffcheck.facts`).
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"{type(self).__name__} is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[type[FrozenMap[_K, _V]], tuple[dict[_K, _V]]]:
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"frozen_map({dict.__repr__(self)})"


def frozen_map(items: Mapping[_K, _V] | None = None) -> Mapping[_K, _V]:
    """A read-only, picklable mapping, so frozen dataclasses stay frozen all the way down."""
    return FrozenMap(items or {})


@dataclass(frozen=True, slots=True)
class Location:
    """A place in an input: a file (or ``<stdin>``), and its line and column when known.

    Prints as ``path``, ``path:line`` or ``path:line:col`` (a column is shown only with a line).
    """

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


# --- knowledge -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill a post may need, rated 0 (none) to 5 (expert)."""

    id: str
    name: str
    description: str = ""
    source: Location | None = None
    #: what to ask a person whose profile does not show the skill
    question: str = ""
    #: language -> field -> text: the pack's translations of this entry's labels (``zh`` -> ``name``
    #: -> ``淘宝运营``); `knowledge.load_knowledge` swaps them in for the language in use
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Channel:
    """A promotion channel a strategy runs on and people have worked on (Taobao, Baidu, …)."""

    id: str
    name: str
    #: language -> field -> text: the pack's translations of this entry's labels (``zh`` -> ``name``
    #: -> ``淘宝运营``); `knowledge.load_knowledge` swaps them in for the language in use
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Module:
    """A work module a strategy is decomposed into (site planning, soft-text marketing, …)."""

    id: str
    name: str
    description: str = ""
    source: Location | None = None
    #: language -> field -> text: the pack's translations of this entry's labels (``zh`` -> ``name``
    #: -> ``淘宝运营``); `knowledge.load_knowledge` swaps them in for the language in use
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)
    #: the module's work, step by step (essay 000's work breakdown), for ``staffcheck plan``
    steps: tuple[Step, ...] = ()


class Stage(enum.StrEnum):
    """The three stages of essay 001's plan: set goals, analyse, decompose the implementation."""

    GOALS = "goals"
    ANALYSIS = "analysis"
    IMPLEMENTATION = "implementation"


@dataclass(frozen=True, slots=True)
class Step:
    """A work step of a module: which post does it, its effort, and the steps it waits for."""

    id: str
    name: str
    #: the posts that may do it, preferred first: the first one the strategy puts on the module
    #: does it, else the module's leading post in that strategy
    posts: tuple[str, ...]
    #: working days of one person (a whole number, 1–250)
    effort: int
    #: steps (of any module, by id) that must finish first; those outside a strategy are skipped,
    #: their own prerequisites kept
    after: tuple[str, ...] = ()
    stage: Stage = Stage.IMPLEMENTATION
    #: money other than pay the step needs (ad budget, tools, samples): the "material" of 人财物
    spend: int = 0
    source: Location | None = None
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Goal:
    """A measurable goal of a strategy and its default KPI (a team file may set its own)."""

    id: str
    name: str
    kpi: str
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Kpi:
    """What a post is assessed on ("management assessment" of essay 001's operating system)."""

    name: str
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class TrainingItem:
    """Typical training of a post: the skills it lifts one level, how long it takes, its cost."""

    id: str
    name: str
    skills: tuple[str, ...]
    #: working days
    days: int
    cost: int = 0
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class PostTerms:
    """What a post costs and how long it takes to fill: the pack's defaults, or a company's own."""

    #: monthly salary band (low, high), in the pack's or the team's currency
    salary: tuple[int, int] | None = None
    #: one-off cost of recruiting one person for the post
    hiring_cost: int | None = None
    #: working days from the decision to hire until the new person starts
    lead_time: int | None = None

    def over(self, base: PostTerms) -> PostTerms:
        """These terms, with `base`'s where these give none."""
        return PostTerms(
            self.salary if self.salary is not None else base.salary,
            self.hiring_cost if self.hiring_cost is not None else base.hiring_cost,
            self.lead_time if self.lead_time is not None else base.lead_time,
        )


@dataclass(frozen=True, slots=True)
class OnetRef:
    """The nearest O*NET-SOC occupation of a post: its code and title."""

    code: str
    title: str


@dataclass(frozen=True, slots=True)
class Role:
    """A post: the skills it cannot do without (with minimum levels) and those that help."""

    id: str
    name: str
    essential: Mapping[str, int]
    optional: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    description: str = ""
    onet: OnetRef | None = None
    esco: str | None = None
    source: Location | None = None
    #: how much each essential skill matters to the post, 1–5 (O*NET importance where rated)
    importance: Mapping[str, float] = field(default_factory=frozen_map)
    #: what the post is assessed on, and its typical training (``staffcheck plan``)
    kpis: tuple[Kpi, ...] = ()
    training: tuple[TrainingItem, ...] = ()
    #: salary band, recruiting cost and hiring lead time (defaults a team file may override)
    terms: PostTerms = field(default_factory=PostTerms)
    #: language -> field -> text: the pack's translations of this entry's labels (``zh`` -> ``name``
    #: -> ``淘宝运营``); `knowledge.load_knowledge` swaps them in for the language in use
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class ModuleNeed:
    """One module of a strategy and the posts that carry it, with how much each matters."""

    module: str
    roles: tuple[tuple[str, Importance], ...]


@dataclass(frozen=True, slots=True)
class Strategy:
    """A marketing strategy: the modules it is decomposed into and the channels it runs on."""

    id: str
    name: str
    modules: tuple[ModuleNeed, ...]
    channels: tuple[str, ...] = ()
    description: str = ""
    #: language -> field -> text: the pack's translations of this entry's labels (``zh`` -> ``name``
    #: -> ``淘宝运营``); `knowledge.load_knowledge` swaps them in for the language in use
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)
    #: stage 1 of the plan: what the strategy is for, each goal with a measurable KPI
    goals: tuple[Goal, ...] = ()

    def posts(self) -> dict[str, tuple[tuple[str, ...], Importance]]:
        """Each post the strategy needs -> (the modules it carries, its highest importance)."""
        found: dict[str, tuple[list[str], Importance]] = {}
        for need in self.modules:
            for role, importance in need.roles:
                modules, best = found.get(role, ([], importance))
                modules.append(need.module)
                found[role] = (modules, max(best, importance, key=lambda i: i.weight))
        return {role: (tuple(mods), imp) for role, (mods, imp) in found.items()}


@dataclass(frozen=True, slots=True)
class Range:
    """An inclusive integer range; either end may be open."""

    min: int | None = None
    max: int | None = None

    def contains(self, value: int) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def __str__(self) -> str:
        if self.min is not None and self.max is not None:
            return f"= {self.min}" if self.min == self.max else f"{self.min}–{self.max}"
        if self.min is not None:
            return f"≥ {self.min}"
        return f"≤ {self.max}"


@dataclass(frozen=True, slots=True)
class Remediation:
    """What a rule advises when it fires: an action and its words."""

    action: Action
    text: str


@dataclass(frozen=True, slots=True)
class Example:
    """A rule's classic case: what it looks like, and what it actually is."""

    looks_like: str
    actually_is: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """A small situation a rule is shown on: a profile screened under a strategy, or a team."""

    description: str
    source: Location
    profile: Profile | None = None
    strategy: str | None = None
    team: Team | None = None


@dataclass(frozen=True, slots=True)
class RuleExamples:
    """A rule's own examples: scenarios it must fire on, and scenarios it must stay quiet on."""

    fires: tuple[Scenario, ...] = ()
    quiet: tuple[Scenario, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the knowledge base: what it detects, why, and what to do about it."""

    id: str
    title: str
    #: the name of its kind (a key of `staffcheck.kinds.KINDS`)
    kind: str
    severity: Severity
    message: str
    rationale: str
    remediation: Remediation
    example: Example
    #: the kind's parameters: an instance of the spec class of its kind's module
    spec: object
    source: Location
    enabled: bool = True
    examples: RuleExamples = field(default_factory=RuleExamples)
    #: language -> field -> text: the pack's translations of this entry's labels (``zh`` -> ``name``
    #: -> ``淘宝运营``); `knowledge.load_knowledge` swaps them in for the language in use
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """A validated knowledge pack. Mappings are id -> definition, in file order."""

    name: str
    root: str
    skills: Mapping[str, Skill]
    channels: Mapping[str, Channel]
    modules: Mapping[str, Module]
    roles: Mapping[str, Role]
    strategies: Mapping[str, Strategy]
    rules: Mapping[str, Rule]
    #: the languages the pack's labels are written in (English first); `rules validate` reports
    #: an entry missing a label in one of them
    languages: tuple[str, ...] = ("en",)
    #: the currency of the pack's money (salaries, recruiting, training, spend): an ISO 4217 code
    currency: str = "CNY"
    #: the pack's ``version`` as written in ``pack.yaml`` (None when it gives none)
    version: str | None = None

    def active_rules(self) -> list[Rule]:
        return [rule for rule in self.rules.values() if rule.enabled]


_T = TypeVar("_T")


class PackCache(Generic[_T]):
    """What is derived from a pack, built once per pack and process: keyed by the pack object
    (a reloaded pack is a new object, so an edit is seen), never by equality (packs are big)."""

    def __init__(self, build: Callable[[KnowledgeBase], _T]) -> None:
        self._build = build
        self._built: dict[int, tuple[KnowledgeBase, _T]] = {}

    def of(self, kb: KnowledgeBase) -> _T:
        cached = self._built.get(id(kb))
        if cached is None or cached[0] is not kb:  # an id reused by a pack since collected
            cached = self._built[id(kb)] = (kb, self._build(kb))
        return cached[1]


# --- people ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Profile:
    """A candidate or employee as the input files describe them (untrusted text)."""

    id: str
    name: str
    skills: Mapping[str, int]
    source: Location
    applying_for: str | None = None
    channels: tuple[str, ...] = ()
    experience_years: float | None = None
    titles: tuple[str, ...] = ()
    #: columns of a spreadsheet row staffcheck does not use (email, phone, source), in their
    #: order: carried through to spreadsheet results so HR can contact a shortlist
    extra: tuple[tuple[str, str], ...] = ()

    def level(self, skill: str) -> int:
        return self.skills.get(skill, 0)


@dataclass(frozen=True, slots=True)
class Member:
    """A team member: a profile holding a post."""

    role: str
    profile: Profile


@dataclass(frozen=True, slots=True)
class Team:
    """A team file: its members on their posts, the strategy they carry, and its waivers."""

    name: str
    strategy: str
    members: tuple[Member, ...]
    source: Location
    waivers: tuple[Waiver, ...] = ()
    #: the company's own goals' KPIs, currency, pay and hiring terms, training terms (``plan:``)
    plan: PlanSettings = field(default_factory=lambda: PlanSettings())


@dataclass(frozen=True, slots=True)
class TrainingTerms:
    """A company's own days and cost for one of the pack's training items."""

    days: int | None = None
    cost: int | None = None


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """A team file's ``plan:`` section: what the company sets over the pack's plan defaults."""

    #: the day the plan starts (None: today; ``plan --start`` overrides it)
    start: datetime.date | None = None
    #: ISO 4217 code of the amounts below (None: the pack's currency)
    currency: str | None = None
    #: goal id -> the company's KPI for it
    goals: Mapping[str, str] = field(default_factory=frozen_map)
    #: post id -> the company's salary band, recruiting cost, lead time (each optional)
    posts: Mapping[str, PostTerms] = field(default_factory=frozen_map)
    #: training item id -> the company's days and cost
    training: Mapping[str, TrainingTerms] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Waiver:
    """Accept one finding, for one person (or one post), for a reason, until a date."""

    rule: str
    reason: str
    approved_by: str
    expires: datetime.date
    source: Location
    person: str | None = None
    post: str | None = None
    skill: str | None = None

    def covers(self, rule: str, person: str | None, post: str | None, skill: str | None) -> bool:
        return (
            self.rule == rule
            and (self.person is None or self.person == person)
            and (self.post is None or self.post == post)
            and (self.skill is None or self.skill == skill)
        )


@dataclass(frozen=True, slots=True)
class WaiverNote:
    """What a report says about a waived finding: who accepted it, why, until when."""

    reason: str
    approved_by: str
    expires: datetime.date
    expired: bool

    @property
    def active(self) -> bool:
        return not self.expired


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired, with its derivation: why, and the facts it matched."""

    rule: str
    severity: Severity
    message: str
    because: tuple[str, ...]
    matched: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    skill: str | None = None
    title: str = ""
    waiver: WaiverNote | None = None
    #: the weakest evidence the finding rests on (a person's finding; team findings: None)
    basis: Basis | None = None
    #: findings of the same root cause it explains (a confusable post explains the skill gaps)
    explains: tuple[Finding, ...] = ()

    @property
    def counts(self) -> bool:
        """False while an unexpired waiver accepts it: it then changes no verdict or exit code."""
        return self.waiver is None or self.waiver.expired


@dataclass(frozen=True, slots=True)
class RoleFit:
    """How well someone fits a post; the person is named where the list is about posts."""

    role: str
    fit: int
    person_id: str = ""
    person_name: str = ""
    #: why the fit is not higher: the main finding on that post ("" when it fits)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """A question whose answer could change a verdict: about a skill the profile does not show."""

    skill: str
    text: str
    #: the level the post needs
    need: int


@dataclass(frozen=True, slots=True)
class Inference:
    """A skill level an evidence rule derived from a profile, and how sure it is."""

    skill: str
    level: int
    certainty: float
    rule: str
    #: what in the profile it rests on ("title 'SEO专员'", "3 years on taobao")
    evidence: str


class Confidence(_Ranked):
    """How far a verdict can be trusted, from the evidence behind it."""

    HIGH = "high"
    """Every essential skill is stated, or stated evidence alone settles the verdict."""
    MEDIUM = "medium"
    """Some essential skills are only inferred; none is unknown."""
    LOW = "low"
    """Some essential skills are unknown and could change the verdict: ask the questions."""

    @property
    def weight(self) -> int:
        return {"high": 2, "medium": 1, "low": 0}[self.value]


@dataclass(frozen=True, slots=True)
class CandidateResult:
    """The diagnosis of one person on one post."""

    id: str
    name: str
    role: str
    fit: int
    verdict: Verdict
    findings: tuple[Finding, ...]
    better_roles: tuple[RoleFit, ...]
    #: where the person's profile was read
    source: Location
    confidence: Confidence = Confidence.HIGH
    #: the basis of each essential skill of the post: ((skill, basis), ...)
    evidence: tuple[tuple[str, Basis], ...] = ()
    #: questions that could change the verdict, most decisive first (none once it is settled)
    questions: tuple[Question, ...] = ()
    #: skill levels evidence rules derived from the profile
    inferred: tuple[Inference, ...] = ()
    #: the profile's unused spreadsheet columns (`Profile.extra`), carried through
    extra: tuple[tuple[str, str], ...] = ()
    #: an open application (no post asked for): `role` is the post that fits best and
    #: `better_roles` the strategy's other posts, best first
    open_application: bool = False


@dataclass(frozen=True, slots=True)
class Gap:
    """A post the strategy needs that no member covers adequately."""

    rule: str
    role: str
    modules: tuple[str, ...]
    severity: Severity
    message: str
    because: tuple[str, ...]
    #: members who would fit the post (their current post is another), best first
    could_cover: tuple[RoleFit, ...] = ()
    waiver: WaiverNote | None = None
    #: findings about the team that only restate this gap, folded into it (one root cause)
    restated: tuple[Finding, ...] = ()

    @property
    def counts(self) -> bool:
        return self.waiver is None or self.waiver.expired


@dataclass(frozen=True, slots=True)
class TeamResult:
    """The team as a whole: the posts nobody covers, team-level findings, the heatmap."""

    name: str
    gaps: tuple[Gap, ...]
    findings: tuple[Finding, ...] = ()
    #: (person id, fit on every post the strategy needs): the posts × members heatmap
    coverage: tuple[tuple[str, tuple[RoleFit, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class PostNeed:
    """A post the strategy needs, the modules it carries, and its highest importance."""

    role: str
    modules: tuple[str, ...]
    importance: Importance


@dataclass(frozen=True, slots=True)
class Reject:
    """An input record that could not be screened (bad row, bad file), and why."""

    location: Location
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass(frozen=True, slots=True)
class StrategyRef:
    """A strategy named in a report: id and name."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Labels:
    """Display names of the pack's ids in the language in use: reports show names, not ids."""

    posts: Mapping[str, str] = field(default_factory=frozen_map)
    modules: Mapping[str, str] = field(default_factory=frozen_map)
    skills: Mapping[str, str] = field(default_factory=frozen_map)
    channels: Mapping[str, str] = field(default_factory=frozen_map)

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Labels:
        """The names of every post, module, skill and channel of a (localised) pack."""
        return cls(
            posts=frozen_map({i: r.name for i, r in kb.roles.items()}),
            modules=frozen_map({i: m.name for i, m in kb.modules.items()}),
            skills=frozen_map({i: s.name for i, s in kb.skills.items()}),
            channels=frozen_map({i: c.name for i, c in kb.channels.items()}),
        )

    def post(self, ident: str) -> str:
        return self.posts.get(ident, ident)

    def module(self, ident: str) -> str:
        return self.modules.get(ident, ident)

    def skill(self, ident: str) -> str:
        return self.skills.get(ident, ident)


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """A screening batch before `--top` cut it."""

    screened: int
    mismatches: int
    worst: Severity | None
    #: how many of those the verdict put in each class (a drive's headline: "2 of 6 fit")
    fit: int = 0
    partial: int = 0
    mismatch: int = 0
    #: how many applied for no post and were ranked across the strategy's posts
    open_applications: int = 0
    #: of the partial ones, open applicants whose best post is no post they can carry yet (a
    #: verdict resting on open questions the evidence does not half support): not on the
    #: shortlist, to be asked about first (`diagnose.shortlisted`)
    unplaced: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter needs; reporters read nothing else."""

    strategy: StrategyRef | None
    #: a tuple, or a drive's whole ranking held outside memory (`batch.RankedCandidates`)
    candidates: Sequence[CandidateResult]
    team: TeamResult | None = None
    posts: tuple[PostNeed, ...] = ()
    #: records of the input that could not be screened
    rejects: tuple[Reject, ...] = ()
    #: candidates are ranked for one post (best first), not in input order
    ranked: bool = False
    #: the whole batch when `candidates` is cut (--top): how many were screened, and the worst
    batch: BatchSummary | None = None
    #: what to do first, in order (``staffcheck.actions.advise`` fills it in); plain text
    advice: tuple[str, ...] = ()
    #: the advice is the start of a longer plan (``staffcheck explain TEAM --actions`` has it all)
    advice_more: bool = False
    #: names of the posts, modules and skills the report mentions (filled where it is built)
    labels: Labels = field(default_factory=Labels)

    def worst_severity(self) -> Severity | None:
        """The heaviest finding that counts (waived ones do not), in the whole batch."""
        severities = [f.severity for c in self.candidates for f in c.findings if f.counts]
        if self.batch is not None and self.batch.worst is not None:
            severities.append(self.batch.worst)
        if self.team is not None:
            severities += [g.severity for g in self.team.gaps if g.counts]
            severities += [f.severity for f in self.team.findings if f.counts]
        return max(severities, key=lambda s: s.weight, default=None)
