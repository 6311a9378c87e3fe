"""The Python API: load a pack, screen a profile, assess a team, as typed, frozen results.

Everything here goes through the same readers and the same pipeline as the command line, so a
dict is validated like a YAML file, and a result's `to_dict()` is what ``--format json`` prints
for the same input. Bad input raises `StaffcheckError`, whatever its form. See docs/api.md.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any, TypeAlias

from staffcheck.actions import advise
from staffcheck.batch import batch_report
from staffcheck.diagnose import MemberMemo
from staffcheck.diagnose import assess_team as _assess_team
from staffcheck.diagnose import screen as _screen
from staffcheck.errors import Problem, StaffcheckError
from staffcheck.i18n import language, set_language, tr
from staffcheck.knowledge import (
    bundled_rules_dir,
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
from staffcheck.profiles import load_profiles, load_team, profiles_in, read_team
from staffcheck.reporters.json_report import dumps, report_dict
from staffcheck.schema import Cursor
from staffcheck.yamlio import Document

__all__ = [
    "Pack",
    "PersonResult",
    "Screening",
    "TeamAssessment",
    "assess_team",
    "load_pack",
    "screen",
]

#: What `screen` takes: a profile as a mapping (the YAML shape), a YAML file, or a `Profile`.
ProfileInput: TypeAlias = Mapping[str, Any] | str | Path | Profile
#: What `assess_team` takes: a team as a mapping (the team file's shape), a file, or a `Team`.
TeamInput: TypeAlias = Mapping[str, Any] | str | Path | Team
#: A pack, or the directory of one (None: the bundled pack).
PackInput: TypeAlias = "Pack | str | Path | None"

#: The engine and the language are per process: calls from several threads take turns.
_LOCK = threading.RLock()


@dataclass(frozen=True, slots=True, repr=False)
class Pack:
    """A validated knowledge pack, its labels in one language (`load_pack` makes it)."""

    _kb: KnowledgeBase
    #: the language of the pack's labels and of every text screened with it
    lang: str

    def __repr__(self) -> str:
        return f"Pack(name={self.name!r}, lang={self.lang!r}, root={str(self.root)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by reference (its directory, or "the bundled one", and its language): a worker
        process that receives it loads the pack and compiles its engine once, from its cache,
        not once per task."""
        bundled = self.root.resolve() == bundled_rules_dir().resolve()
        return (_unpickled_pack, (None if bundled else str(self.root), self.lang))

    @property
    def name(self) -> str:
        return self._kb.name

    @property
    def root(self) -> Path:
        """The pack's directory."""
        return Path(self._kb.root)

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
        return report_dict(self._report)

    def to_json(self) -> str:
        """`to_dict()` as the command line writes it, to the byte."""
        return dumps(self.to_dict())


@dataclass(frozen=True, slots=True, repr=False)
class TeamAssessment:
    """A team judged against its strategy: each member on their post, the posts nobody
    covers, team-level findings, and what to do first."""

    _report: Report

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
        return report_dict(self._report)

    def to_json(self) -> str:
        """`to_dict()` as the command line writes it, to the byte."""
        return dumps(self.to_dict())


def load_pack(rules: str | Path | None = None, *, lang: str | None = None) -> Pack:
    """The knowledge pack in `rules` (default: the bundled one), its labels in `lang` (default:
    the language in use in this process, English unless set). Loaded once per process and
    content of its files, as the command line does; every problem raises `StaffcheckError`."""
    with _LOCK:
        wanted = (lang or language()).strip().lower()
        with _speaking(wanted):
            root = None if rules is None else Path(rules)
            return Pack(load_knowledge(root, wanted), wanted)


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
    with _LOCK:
        chosen = _pack(pack)
        with _speaking(chosen.lang):
            kb = chosen._kb
            person = _one_profile(profile, kb, source)
            plan = resolve_strategy(kb, None if strategy is None else str(strategy))
            found = _screen(kb, [person], plan, post).candidates
            report = batch_report(found, (), plan, post=post, labels=Labels.of(kb))
            return Screening(advise(kb, report))


def assess_team(
    team: TeamInput,
    *,
    pack: PackInput = None,
    strategy: str | None = None,
    as_of: datetime.date | None = None,
    source: str | None = None,
) -> TeamAssessment:
    """Assess a team: every member on their post, the posts nobody covers, what to do first.

    `team` is a mapping in the team file's shape (member ``profile:`` files are relative to the
    current directory), a team file, or a `Team`. `strategy` judges it by another strategy of
    the pack than its own; waivers are judged as of `as_of` (default: today).
    """
    with _LOCK:
        chosen = _pack(pack)
        with _speaking(chosen.lang):
            kb = chosen._kb
            checked = _team(team, kb, source)
            if strategy is not None:
                checked = replace(checked, strategy=find_strategy(kb, strategy).id)
            memo: MemberMemo = {}  # the planner behind the advice starts from these runs
            report = _assess_team(kb, checked, as_of, memo)
            return TeamAssessment(advise(kb, report, checked, as_of, memo))


def _described(result: object, **fields: object) -> str:
    """A result's repr: its type and what tells it apart (enums by their value)."""
    shown = ", ".join(
        f"{key}={str(v) if isinstance(v, Enum) else v!r}" for key, v in fields.items()
    )
    return f"{type(result).__name__}({shown})"


@contextlib.contextmanager
def _speaking(lang: str) -> Iterator[None]:
    """Every text of a call in the pack's language, the process's language restored after."""
    before = language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


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
        found = profiles_in(Document(shown, _plain(value), {}, {}), kb)
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
        return _read_team(Document(source or "<dict>", _plain(value), {}, {}), kb)
    if isinstance(value, str | Path):
        return load_team(Path(value), kb)
    raise _not_one_of(
        tr("a team is a mapping, a YAML file or a Team, not {type}", type=type(value).__name__)
    )


def _read_team(doc: Document, kb: KnowledgeBase) -> Team:
    problems: list[Problem] = []
    team = read_team(Cursor(doc, (), problems), Path.cwd(), kb)
    if problems or team is None:
        raise StaffcheckError(problems)
    return team


def _not_one_of(message: str) -> StaffcheckError:
    return StaffcheckError.at(message, hint=tr("see docs/api.md"))


def _checked_profile(profile: Profile, kb: KnowledgeBase) -> Profile:
    """A `Profile` built in code, checked as its YAML would be: known skills, levels 0-5, a known
    post and channels; problems are placed where the profile says it comes from."""
    where = profile.source
    doc = Document(where.path, _profile_data(profile), _marks(where), {})
    read = profiles_in(doc, kb)[0]
    return replace(read, source=where, extra=profile.extra)


def _checked_team(team: Team, kb: KnowledgeBase) -> Team:
    """A `Team` built in code, checked as its team file would be (members, posts, waivers)."""
    data: dict[str, Any] = {
        "team": team.name,
        "strategy": team.strategy,
        "members": [{"role": m.role, **_profile_data(m.profile)} for m in team.members],
    }
    if team.waivers:
        data["waivers"] = [_waiver_data(w) for w in team.waivers]
    read = _read_team(Document(team.source.path, data, _marks(team.source), {}), kb)
    # The members and waivers keep the places they say they come from.
    members = tuple(
        Member(m.role, replace(m.profile, source=old.profile.source, extra=old.profile.extra))
        for m, old in zip(read.members, team.members, strict=True)
    )
    waivers = tuple(
        replace(w, source=old.source) for w, old in zip(read.waivers, team.waivers, strict=True)
    )
    return replace(read, members=members, waivers=waivers, source=team.source)


def _marks(where: Location) -> dict[tuple[str | int, ...], tuple[int, int]]:
    return {} if where.line is None else {(): (where.line, where.column or 1)}


def _profile_data(profile: Profile) -> dict[str, Any]:
    """A profile in the YAML file's shape."""
    data: dict[str, Any] = {
        "id": profile.id,
        "name": profile.name,
        "skills": dict(profile.skills),
        "channels": list(profile.channels),
        "titles": list(profile.titles),
    }
    if profile.applying_for is not None:
        data["applying_for"] = profile.applying_for
    if profile.experience_years is not None:
        data["experience_years"] = profile.experience_years
    return data


def _waiver_data(waiver: Waiver) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": waiver.rule,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires,
    }
    for key in ("person", "post", "skill"):
        if getattr(waiver, key) is not None:
            data[key] = getattr(waiver, key)
    return data


def _plain(value: Any) -> Any:
    """Plain data as YAML gives it: mappings with text keys, lists (a tuple is a list)."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
