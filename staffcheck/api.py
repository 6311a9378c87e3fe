"""The Python API: load a pack, screen a profile, assess a team, as typed, frozen results.

Everything here goes through the same readers and the same pipeline as the command line, so a
dict is validated like a YAML file, and a result's `to_dict()` is what ``--format json`` prints
for the same input. Bad input raises `StaffcheckError`, whatever its form. See docs/api.md.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any, TypeAlias

from staffcheck.actions import advise
from staffcheck.batch import batch_report
from staffcheck.diagnose import SCREENING_LOCK, TeamMemo
from staffcheck.diagnose import assess_team as _assess_team
from staffcheck.diagnose import screen as _screen
from staffcheck.errors import Problem, StaffcheckError
from staffcheck.errors import check_argument as _argument
from staffcheck.errors import wrong_type as _wrong_type
from staffcheck.i18n import language, tr
from staffcheck.i18n import speaking as _speaking
from staffcheck.knowledge import (
    find_strategy,
    load_knowledge,
    resolve_strategy,
)
from staffcheck.model import (
    CandidateResult,
    Confidence,
    Finding,
    Gap,
    KnowledgeBase,
    Labels,
    Location,
    Member,
    Profile,
    Question,
    Report,
    RoleFit,
    Severity,
    Team,
    Verdict,
    Waiver,
    frozen_map,
)
from staffcheck.operating import plan_for
from staffcheck.profiles import load_profiles, load_team, profiles_in, read_team
from staffcheck.project_plan import ProjectPlan
from staffcheck.reporters.json_report import dumps, report_dict
from staffcheck.reporters.meta import ReportMeta, made_on, with_meta
from staffcheck.schema import Cursor
from staffcheck.workdays import iso_day
from staffcheck.yamlio import MAX_DEPTH, Document

__all__ = [
    "Pack",
    "PersonResult",
    "Screening",
    "TeamAssessment",
    "assess_team",
    "load_pack",
    "plan",
    "screen",
]

#: What `screen` takes: a profile as a mapping (the YAML shape), a YAML file, or a `Profile`.
ProfileInput: TypeAlias = Mapping[str, Any] | str | Path | Profile
#: What `assess_team` takes: a team as a mapping (the team file's shape), a file, or a `Team`.
TeamInput: TypeAlias = Mapping[str, Any] | str | Path | Team
#: A pack, or the directory of one (None: the bundled pack).
PackInput: TypeAlias = "Pack | str | Path | None"

#: The engine and the language are per process: calls from several threads take turns, with
#: `scale`'s too (one lock for both).
_LOCK = SCREENING_LOCK


@dataclass(frozen=True, slots=True, repr=False)
class Pack:
    """A validated knowledge pack, its labels in one language (`load_pack` makes it)."""

    _kb: KnowledgeBase
    #: the language of the pack's labels and of every text screened with it
    lang: str
    #: the pack's directory made absolute when loaded (None: the bundled pack), so that a copy
    #: or a worker in another current directory finds the same pack
    _dir: Path | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"Pack(name={self.name!r}, lang={self.lang!r}, root={str(self.root)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by reference (its absolute directory, or "the bundled one", and its
        language): a worker process that receives it loads the pack and compiles its engine
        once, from its cache, not once per task."""
        return (_unpickled_pack, (None if self._dir is None else str(self._dir), self.lang))

    @property
    def name(self) -> str:
        return self._kb.name

    @property
    def root(self) -> Path:
        """The pack's directory."""
        return Path(self._kb.root) if self._dir is None else self._dir

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the pack's labels are written in (English first)."""
        return self._kb.languages

    @property
    def posts(self) -> Mapping[str, str]:
        """Post id -> its name, in file order."""
        return frozen_map({ident: role.name for ident, role in self._kb.roles.items()})

    @property
    def strategies(self) -> Mapping[str, str]:
        """Strategy id -> its name, in file order."""
        return frozen_map({ident: s.name for ident, s in self._kb.strategies.items()})

    @property
    def skills(self) -> Mapping[str, str]:
        """Skill id -> its name, in file order."""
        return frozen_map({ident: skill.name for ident, skill in self._kb.skills.items()})


@dataclass(frozen=True, slots=True, repr=False)
class PersonResult:
    """One person judged on one post: a screened applicant, or a team member on their post."""

    _candidate: CandidateResult

    def __repr__(self) -> str:
        return _described(self, id=self.id, post=self.post, verdict=self.verdict, fit=self.fit)

    @property
    def id(self) -> str:
        return self._candidate.id

    @property
    def name(self) -> str:
        return self._candidate.name

    @property
    def post(self) -> str:
        """The id of the post judged: the one applied for (or asked), held, or for an open
        application the one that fits best."""
        return self._candidate.role

    @property
    def fit(self) -> int:
        """0-100: how well the person meets the post's essential skills."""
        return self._candidate.fit

    @property
    def verdict(self) -> Verdict:
        return self._candidate.verdict

    @property
    def confidence(self) -> Confidence:
        return self._candidate.confidence

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self._candidate.findings

    @property
    def better_posts(self) -> tuple[RoleFit, ...]:
        """Posts that would suit the person better, best first (`role`, `fit`, `reason`)."""
        return self._candidate.better_roles

    @property
    def questions(self) -> tuple[Question, ...]:
        """What to ask before deciding: answers that could change the verdict."""
        return self._candidate.questions

    @property
    def open_application(self) -> bool:
        return self._candidate.open_application


@dataclass(frozen=True, slots=True, repr=False)
class Screening:
    """The screening of one profile: the person's result, and the report's hiring advice."""

    _report: Report
    #: when, by what and with which pack it was made (JSON's ``meta``, as the CLI writes it)
    _meta: ReportMeta | None = None

    def __repr__(self) -> str:
        return _described(
            self, id=self.person.id, post=self.post, verdict=self.verdict, fit=self.fit
        )

    @property
    def person(self) -> PersonResult:
        return PersonResult(self._report.candidates[0])

    @property
    def strategy(self) -> str | None:
        """The id of the strategy screened under, if any."""
        return None if self._report.strategy is None else self._report.strategy.id

    @property
    def post(self) -> str:
        return self.person.post

    @property
    def fit(self) -> int:
        return self.person.fit

    @property
    def verdict(self) -> Verdict:
        return self.person.verdict

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.person.findings

    @property
    def better_posts(self) -> tuple[RoleFit, ...]:
        return self.person.better_posts

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.person.questions

    @property
    def advice(self) -> tuple[str, ...]:
        """What to do, in order: shortlist, interview, consider another post…"""
        return self._report.advice

    @property
    def worst_severity(self) -> Severity | None:
        return self._report.worst_severity()

    def to_dict(self) -> dict[str, Any]:
        """The ``staffcheck.report/2`` object: what ``staffcheck screen --format json`` gives."""
        return with_meta(report_dict(self._report), self._meta)

    def to_json(self) -> str:
        """`to_dict()` as the command line writes it, to the byte."""
        return dumps(self.to_dict())


@dataclass(frozen=True, slots=True, repr=False)
class TeamAssessment:
    """A team judged against its strategy: each member on their post, the posts nobody
    covers, team-level findings, and what to do first."""

    _report: Report
    #: when, by what and with which pack it was made (JSON's ``meta``, as the CLI writes it)
    _meta: ReportMeta | None = None

    def __repr__(self) -> str:
        return _described(
            self, name=self.name, strategy=self.strategy, members=len(self.members),
            gaps=len(self.gaps),
        )  # fmt: skip

    @property
    def name(self) -> str:
        assert self._report.team is not None
        return self._report.team.name

    @property
    def strategy(self) -> str:
        assert self._report.strategy is not None
        return self._report.strategy.id

    @property
    def members(self) -> tuple[PersonResult, ...]:
        return tuple(PersonResult(c) for c in self._report.candidates)

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Posts the strategy needs that no member covers adequately."""
        assert self._report.team is not None
        return self._report.team.gaps

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Findings about the team as a whole (a member's are on the member)."""
        assert self._report.team is not None
        return self._report.team.findings

    @property
    def advice(self) -> tuple[str, ...]:
        """The first steps of the action plan, one sentence each."""
        return self._report.advice

    @property
    def advice_complete(self) -> bool:
        """False when more steps follow (``staffcheck explain TEAM --actions`` has them)."""
        return not self._report.advice_more

    @property
    def worst_severity(self) -> Severity | None:
        return self._report.worst_severity()

    def to_dict(self) -> dict[str, Any]:
        """The ``staffcheck.report/2`` object: what ``staffcheck team --format json`` gives."""
        return with_meta(report_dict(self._report), self._meta)

    def to_json(self) -> str:
        """`to_dict()` as the command line writes it, to the byte."""
        return dumps(self.to_dict())


def load_pack(rules: str | Path | None = None, *, lang: str | None = None) -> Pack:
    """The knowledge pack in `rules` (default: the bundled one), its labels in `lang` (default:
    the language in use in this process, English unless set). Loaded once per process and
    content of its files, as the command line does; every problem raises `StaffcheckError`."""
    _argument("load_pack", "rules", rules, str | Path)
    _argument("load_pack", "lang", lang, str)
    with _LOCK:
        wanted = (lang or language()).strip().lower()
        with _speaking(wanted):
            root = None if rules is None else _pack_dir(Path(rules))
            return Pack(load_knowledge(root, wanted), wanted, root)


def _unpickled_pack(rules: str | None, lang: str) -> Pack:
    return load_pack(rules, lang=lang)


def screen(
    profile: ProfileInput,
    *,
    pack: PackInput = None,
    post: str | None = None,
    strategy: str | Path | None = None,
    source: str | None = None,
) -> Screening:
    """Screen one profile for `post` (default: the one it applies for; with neither, an open
    application tried on every post of the `strategy`, else of the pack).

    `profile` is a mapping in the YAML file's shape, a YAML file holding one profile, or a
    `Profile`; all are validated like the command line's input. `source` names a mapping in
    error messages (default ``<dict>``). `strategy` is an id of the pack or a strategy file.
    """
    _argument("screen", "post", post, str)
    _argument("screen", "strategy", strategy, str | Path)
    _argument("screen", "source", source, str)
    with _LOCK:
        chosen = _pack(pack)
        with _speaking(chosen.lang):
            kb = chosen._kb
            person = _one_profile(profile, kb, source)
            plan = resolve_strategy(kb, None if strategy is None else str(strategy))
            found = _screen(kb, [person], plan, post).candidates
            report = batch_report(found, (), plan, post=post, labels=Labels.of(kb))
            return Screening(advise(kb, report), ReportMeta.of(kb))


def assess_team(
    team: TeamInput,
    *,
    pack: PackInput = None,
    strategy: str | None = None,
    as_of: datetime.date | str | None = None,
    source: str | None = None,
) -> TeamAssessment:
    """Assess a team: every member on their post, the posts nobody covers, what to do first.

    `team` is a mapping in the team file's shape (member ``profile:`` files are relative to the
    current directory), a team file, or a `Team`. `strategy` judges it by another strategy of
    the pack than its own; waivers are judged as of `as_of` (default: today): a date, a datetime
    (its date) or an ISO date text such as ``"2026-01-01"``.
    """
    _argument("assess_team", "strategy", strategy, str)
    _argument("assess_team", "source", source, str)
    day = _day(as_of) or made_on()  # today, or SOURCE_DATE_EPOCH's day, as the CLI
    with _LOCK:
        chosen = _pack(pack)
        with _speaking(chosen.lang):
            kb = chosen._kb
            checked = _team(team, kb, source)
            if strategy is not None:
                checked = replace(checked, strategy=find_strategy(kb, strategy).id)
            memo = TeamMemo()  # the planner behind the advice starts from these runs
            report = _assess_team(kb, checked, day, memo)
            return TeamAssessment(advise(kb, report, checked, day, memo), ReportMeta.of(kb, day))


def plan(
    strategy: str | Path | None = None,
    *,
    team: TeamInput | None = None,
    pack: PackInput = None,
    start: datetime.date | str | None = None,
    without: Sequence[str] = (),
    hire: Sequence[str] = (),
    source: str | None = None,
) -> ProjectPlan:
    """A strategy's three-stage plan, down to people, dates and money (``staffcheck plan``).

    `strategy` is an id of the pack or a strategy file (default: the `team`'s own); `team` is
    what `assess_team` takes (without one, every post is a hire). The plan starts on `start`
    (a date or an ISO date text; default: the team file's ``plan: {start}``, else today).
    `without` takes members out (ids or names), `hire` adds a hire for each post (ids or names):
    the plan's `what_if` then says what that does to the finish and the money.
    """
    _argument("plan", "strategy", strategy, str | Path)
    _argument("plan", "source", source, str)
    without, hire = _names("without", without), _names("hire", hire)
    day = _start_day(start)
    with _LOCK:
        chosen = _pack(pack)
        with _speaking(chosen.lang):
            kb = chosen._kb
            checked = None if team is None else _team(team, kb, source)
            wanted = resolve_strategy(kb, None if strategy is None else str(strategy))
            where = str(team) if isinstance(team, str | Path) else source
            return plan_for(kb, wanted, checked, day, without=without, hire=hire, where=where)


def _names(name: str, value: object) -> tuple[str, ...]:
    """A list (or tuple) of texts; one text alone is taken as one name."""
    if isinstance(value, str):
        return (value,)
    where = Location("plan()")
    if not isinstance(value, list | tuple):
        raise _wrong_type(name, tr("a list of {kind}", kind="str"), value, where)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _wrong_type(f"{name}[{index}]", tr("text"), item, where)
    return tuple(value)


def _start_day(start: object) -> datetime.date | None:
    """`start` as a date: a datetime is its date, a text must be an ISO date (2027-03-01)."""
    if start is None or isinstance(start, datetime.datetime | datetime.date):
        return start.date() if isinstance(start, datetime.datetime) else start
    if isinstance(start, str):
        day = iso_day(start)
        if day is not None:
            return day
        raise StaffcheckError.at(
            tr("start is not a date: {text}", text=repr(start)[:60]),
            Location("plan()"),
            hint=tr("write it as YYYY-MM-DD, or pass a datetime.date"),
        )
    raise _wrong_type("start", tr("a date"), start, Location("plan()"))


def _described(result: object, **fields: object) -> str:
    """A result's repr: its type and what tells it apart (enums by their value)."""
    shown = ", ".join(
        f"{key}={str(v) if isinstance(v, Enum) else v!r}" for key, v in fields.items()
    )
    return f"{type(result).__name__}({shown})"


def _pack(pack: PackInput) -> Pack:
    if isinstance(pack, Pack):
        return pack
    if pack is None or isinstance(pack, str | Path):
        return load_pack(pack)
    raise StaffcheckError.at(
        tr("pack must be a Pack from load_pack() or a pack directory, not {type}",
           type=type(pack).__name__),
        hint=tr("call staffcheck.load_pack()"),
    )  # fmt: skip


def _one_profile(value: ProfileInput, kb: KnowledgeBase, source: str | None) -> Profile:
    """The one profile a mapping, a file or a `Profile` gives, read as the command line reads it."""
    if isinstance(value, Profile):
        return _checked_profile(value, kb)
    if isinstance(value, Mapping):
        shown = source or "<dict>"
        found = profiles_in(Document(shown, _plain(value, shown), {}, {}), kb)
    elif isinstance(value, str | Path):
        shown = str(value)
        found = load_profiles(Path(value), kb)
    else:
        raise _not_one_of(
            tr("a profile is a mapping, a YAML file or a Profile, not {type}",
               type=type(value).__name__)
        )  # fmt: skip
    if len(found) != 1:
        raise StaffcheckError.at(
            tr("holds {count} profiles; screen() takes one", count=len(found)),
            shown,
            hint=tr("screen them one by one, or all at once with screen_records()"),
        )  # fmt: skip
    return found[0]


def _team(value: TeamInput, kb: KnowledgeBase, source: str | None) -> Team:
    """The team a mapping, a file or a `Team` gives, read as the command line reads a team file."""
    if isinstance(value, Team):
        return _checked_team(value, kb)
    if isinstance(value, Mapping):
        shown = source or "<dict>"
        return _read_team(Document(shown, _plain(value, shown), {}, {}), kb)
    if isinstance(value, str | Path):
        return load_team(Path(value), kb)
    raise _not_one_of(
        tr("a team is a mapping, a YAML file or a Team, not {type}", type=type(value).__name__)
    )


def _read_team(doc: Document, kb: KnowledgeBase) -> Team:
    problems: list[Problem] = []
    team = read_team(Cursor(doc, (), problems), _here(), kb)
    if problems or team is None:
        raise StaffcheckError(problems)
    return team


def _not_one_of(message: str) -> StaffcheckError:
    return StaffcheckError.at(message, hint=tr("see docs/api.md"))


def _checked_profile(profile: Profile, kb: KnowledgeBase) -> Profile:
    """A `Profile` built in code, checked as its YAML would be: known skills, levels 0-5, a known
    post and channels; problems are placed where the profile says it comes from."""
    where = _located(profile.source, "source", "<Profile>")
    extra = _extra(profile.extra, "extra", where)
    doc = Document(where.path, _profile_data(profile, where), _marks(where), {})
    read = profiles_in(doc, kb)[0]
    return replace(read, source=where, extra=extra)


def _checked_team(team: Team, kb: KnowledgeBase) -> Team:
    """A `Team` built in code, checked as its team file would be (members, posts, waivers)."""
    where = _located(team.source, "source", "<Team>")
    members = _items(team.members, "members", Member, where)
    waivers = _items(team.waivers, "waivers", Waiver, where)
    data: dict[str, Any] = {
        "team": _plain(team.name, where),
        "strategy": _plain(team.strategy, where),
        "members": [_member_data(m, index, where) for index, m in enumerate(members)],
    }
    if waivers:
        data["waivers"] = [_waiver_data(w, index, where) for index, w in enumerate(waivers)]
    read = _read_team(Document(where.path, data, _marks(where), {}), kb)
    # The members and waivers keep the places they say they come from (checked above).
    kept = tuple(
        Member(
            m.role, replace(m.profile, source=old.profile.source, extra=tuple(old.profile.extra))
        )
        for m, old in zip(read.members, members, strict=True)
    )
    kept_waivers = tuple(
        replace(w, source=old.source) for w, old in zip(read.waivers, waivers, strict=True)
    )
    return replace(read, members=kept, waivers=kept_waivers, source=where)


def _member_data(member: Member, index: int, where: Location) -> dict[str, Any]:
    """A member in the team file's shape; its profile's own place and extra columns checked."""
    name = f"members[{index}]"
    profile = member.profile
    if not isinstance(profile, Profile):
        raise _wrong_type(f"{name}.profile", tr("a Profile"), profile, where)
    _located(profile.source, f"{name}.profile.source", where)
    _extra(profile.extra, f"{name}.profile.extra", where)
    return {"role": _plain(member.role, where), **_profile_data(profile, where)}


def _marks(where: Location) -> dict[tuple[str | int, ...], tuple[int, int]]:
    return {} if where.line is None else {(): (where.line, where.column or 1)}


def _profile_data(profile: Profile, where: Location) -> dict[str, Any]:
    """A profile in the YAML file's shape, as given: a text where a list belongs is refused by
    the reader as in a file, not split into characters."""
    data: dict[str, Any] = {
        "id": profile.id,
        "name": profile.name,
        "skills": profile.skills,
        "channels": profile.channels,
        "titles": profile.titles,
    }
    if profile.applying_for is not None:
        data["applying_for"] = profile.applying_for
    if profile.experience_years is not None:
        data["experience_years"] = profile.experience_years
    return {key: _plain(value, where) for key, value in data.items()}


def _waiver_data(waiver: Waiver, index: int, where: Location) -> dict[str, Any]:
    _located(waiver.source, f"waivers[{index}].source", where)
    data: dict[str, Any] = {
        "rule": waiver.rule,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires,
    }
    for key in ("person", "post", "skill"):
        if getattr(waiver, key) is not None:
            data[key] = getattr(waiver, key)
    return {key: _plain(value, where) for key, value in data.items()}


def _plain(value: Any, where: Location | str, depth: int = 0) -> Any:
    """Plain data as YAML gives it: mappings with text keys, lists (a tuple is a list), nested
    no deeper than a YAML file may be (a cycle is too deep, not a RecursionError)."""
    if depth > MAX_DEPTH:
        raise StaffcheckError.at(
            tr("nested more than {depth} levels deep", depth=MAX_DEPTH),
            where,
            hint=tr("flatten it"),
        )
    if isinstance(value, Mapping):
        return {str(key): _plain(item, where, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, where, depth + 1) for item in value]
    if isinstance(value, datetime.datetime):
        return value.date()  # a date is what a YAML date gives
    return value


# --- arguments and objects built in code: checked before use, refused with StaffcheckError --


def _day(as_of: object) -> datetime.date | None:
    """`as_of` as a date: a datetime is its date, a text must be an ISO date (2026-01-01)."""
    if as_of is None or type(as_of) is datetime.date:
        return as_of
    if isinstance(as_of, datetime.datetime):
        return as_of.date()
    if isinstance(as_of, datetime.date):
        return datetime.date(as_of.year, as_of.month, as_of.day)
    if isinstance(as_of, str):
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(as_of.strip())
        raise StaffcheckError.at(
            tr("as_of is not a date: {text}", text=repr(as_of)[:60]),
            Location("assess_team()"),
            hint=tr("write it as YYYY-MM-DD, or pass a datetime.date"),
        )  # fmt: skip
    raise _wrong_type("as_of", tr("a date"), as_of, Location("assess_team()"))


def _located(value: object, name: str, where: Location | str) -> Location:
    """A place given in code, checked: a `Location` with a text path and whole-number places."""
    if not isinstance(value, Location):
        raise StaffcheckError.at(
            tr("{name} must be a staffcheck.Location, not {type}", name=name,
               type=type(value).__name__),
            where,
            hint=tr("say where it comes from, e.g. Location('hiring.py', 12)"),
        )  # fmt: skip
    if not isinstance(value.path, str):
        raise _wrong_type(f"{name}.path", tr("text"), value.path, where)
    for part in ("line", "column"):
        place = getattr(value, part)
        if place is not None and (isinstance(place, bool) or not isinstance(place, int)):
            raise _wrong_type(f"{name}.{part}", tr("a whole number"), place, where)
    return value


def _items(value: object, name: str, kind: type[Any], where: Location) -> tuple[Any, ...]:
    """A list (or tuple) of `kind` objects, each checked; anything else refused by position."""
    if not isinstance(value, list | tuple):
        raise _wrong_type(name, tr("a list of {kind}", kind=kind.__name__), value, where)
    for index, item in enumerate(value):
        if not isinstance(item, kind):
            raise _wrong_type(f"{name}[{index}]", tr("a {kind}", kind=kind.__name__), item, where)
    return tuple(value)


def _extra(value: object, name: str, where: Location) -> tuple[tuple[str, str], ...]:
    """Extra spreadsheet columns given in code: (column, text) pairs of text."""
    pairs = value if isinstance(value, list | tuple) else None
    if pairs is None or not all(
        isinstance(pair, tuple | list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
        for pair in pairs
    ):
        raise _wrong_type(name, tr("a list of (column, text) pairs"), value, where)
    return tuple((column, text) for column, text in pairs)


def _pack_dir(rules: Path) -> Path:
    """A pack's directory made absolute: a pickled `Pack` is loaded again from there."""
    try:
        return rules.resolve()
    except OSError:  # only a relative path when the current directory was deleted
        raise StaffcheckError.at(
            tr("the current directory no longer exists"),
            rules,
            hint=tr("give the pack's absolute path"),
        ) from None


def _here() -> Path:
    """The current directory, or "." when it was deleted (a file under it then is not found)."""
    try:
        return Path.cwd()
    except OSError:
        return Path()
