"""Profiles and teams: read the untrusted YAML that HR and managers write, and check it against the pack."""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from staffcheck.errors import Problem, StaffcheckError
from staffcheck.i18n import tr
from staffcheck.model import (
    KnowledgeBase,
    Member,
    PlanSettings,
    PostTerms,
    Profile,
    Severity,
    Team,
    TrainingTerms,
    Waiver,
    frozen_map,
)
from staffcheck.schema import (
    MAX_ID_LENGTH,
    MAX_LEVEL,
    MIN_LEVEL,
    Cursor,
    Field,
    did_you_mean,
    field_named,
    field_names,
    limits,
    quoted,
    required_names,
)
from staffcheck.workdays import EARLIEST_START, LATEST_START, start_in_range
from staffcheck.yamlio import Document, load_yaml, no_such_file

MAX_NAME_LENGTH = 200
MAX_TITLES = 20
MAX_EXPERIENCE_YEARS = 70
#: A skill's level in a profile (`Cursor.level`).
LEVEL = Field("level", "integer", low=MIN_LEVEL, high=MAX_LEVEL)
#: A profile's fields, as the loader reads them and `staffcheck schema profile` describes them.
PROFILE = (
    Field("id", "text", required=True, max_length=MAX_ID_LENGTH),
    Field("name", "text", required=True, max_length=MAX_NAME_LENGTH),
    Field("applying_for", "reference", target="roles"),
    Field("skills", "by_id", target="skills", fields=(LEVEL,)),
    Field("channels", "references", target="channels"),
    Field("experience_years", "number", low=0, high=MAX_EXPERIENCE_YEARS),
    Field("titles", "text_list", max_length=MAX_NAME_LENGTH, max_items=MAX_TITLES),
)
PROFILE_FIELDS = field_names(PROFILE)
#: A team member written inline: a profile and the post (`role`) the member holds.
MEMBER_ROLE = Field("role", "reference", required=True, target="roles")
#: A team member whose profile is a file of its own, relative to the team file: the
#: `profile` key tells such a member from one written inline.
MEMBER_PROFILE = Field("profile", "text", required=True)
MEMBER_FILE = (MEMBER_ROLE, MEMBER_PROFILE)
#: A date as files write it: YYYY-MM-DD (not 20270104 nor 2027-W01-1).
DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A waiver accepts one rule's finding for one person or post (never a critical rule's).
WAIVER = (
    Field("rule", "reference", required=True, target="rules"),
    Field("person", "text"),
    Field("post", "reference", target="roles"),
    Field("skill", "reference", target="skills"),
    Field("reason", "text", required=True),
    Field("approved_by", "text", required=True),
    Field("expires", "date", required=True),
)
WAIVER_FIELDS = field_names(WAIVER)
#: A waiver names at least one of these: whom (or which post) it is for.
WAIVER_FOR = ("person", "post")
#: The largest amount of money a file may give (salary, recruiting, training, a step's spend).
MAX_AMOUNT = 1_000_000_000
#: An ISO 4217 currency code (CNY, USD, EUR).
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
#: Working days: a step's effort, a training item's days.
MAX_WORKING_DAYS = 250
MAX_LEAD_TIME = 500
AMOUNT = Field("amount", "integer", low=0, high=MAX_AMOUNT)
#: A post's terms, as a pack's role, a pack's override and a team's ``plan: {posts:}`` give them:
#: a monthly salary band [low, high], and the hiring lead time (working days) and recruiting cost.
SALARY = Field("salary", "list_of", min_items=2, max_items=2, fields=(AMOUNT,))
HIRING = Field(
    "hiring",
    "mapping",
    fields=(
        Field("lead_time", "integer", low=0, high=MAX_LEAD_TIME),
        Field("cost", "integer", low=0, high=MAX_AMOUNT),
    ),
)
POST_TERMS = (SALARY, HIRING)
#: A company's own days and cost of one of the pack's training items.
TRAINING_TERMS = (
    Field("days", "integer", low=1, high=MAX_WORKING_DAYS),
    Field("cost", "integer", low=0, high=MAX_AMOUNT),
)
#: A team file's ``plan:``: what the company sets over the pack's plan defaults.
PLAN = (
    Field("start", "date"),
    Field("currency", "text", pattern=CURRENCY_CODE.pattern),
    Field("goals", "by_id", target="goals", fields=(Field("kpi", "text"),)),
    Field("posts", "by_id", target="roles",
          fields=(Field("terms", "mapping", fields=POST_TERMS),)),
    Field("training", "by_id", target="training",
          fields=(Field("terms", "mapping", fields=TRAINING_TERMS),)),
)  # fmt: skip
#: A team file: its name, the strategy it carries out, its members, waivers and plan settings.
TEAM = (
    Field("team", "text", required=True, max_length=MAX_NAME_LENGTH),
    Field("strategy", "reference", required=True, target="strategies"),
    Field("members", "list", required=True, min_items=1),
    Field("waivers", "list", fields=WAIVER),
    Field("plan", "mapping", fields=PLAN),
)
TEAM_FIELDS = required_names(TEAM)


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise StaffcheckError(problems)


def _titles(c: Cursor) -> tuple[str, ...] | None:
    """Job titles: evidence rules read them and reports quote them, so each is kept short."""
    declared = field_named(PROFILE, "titles")
    assert declared.max_length is not None and declared.max_items is not None
    titles = c.text_list()
    too_long = [t for t in titles if len(t) > declared.max_length]
    if too_long:
        c.report(
            tr("a title is {count} characters long", count=len(too_long[0])),
            tr("keep each title under {limit}", limit=declared.max_length),
        )
        return None
    if len(titles) > declared.max_items:
        c.report(
            tr("{count} titles", count=len(titles)),
            tr("keep the {limit} that matter most", limit=declared.max_items),
        )
        return None
    return titles


def _number(cursor: Cursor, declared: Field) -> float | None:
    return cursor.child(declared.name).number(*limits(declared))


def read_profile(
    cursor: Cursor, kb: KnowledgeBase, *, extra: tuple[str, ...] = ()
) -> Profile | None:
    """Build one profile from a mapping, recording problems on the cursor's list."""
    if not cursor.mapping(required=required_names(PROFILE), optional=(*PROFILE_FIELDS, *extra)):
        return None
    ident = cursor.child("id").text(longest=MAX_ID_LENGTH)
    name = cursor.child("name").text()
    longest = field_named(PROFILE, "name").max_length
    if name is not None and longest is not None and len(name) > longest:
        cursor.child("name").report(
            tr("name is {count} characters long", count=len(name)),
            tr("keep it under {limit}", limit=longest),
        )
        name = None
    applying_for = None
    if cursor.has("applying_for"):
        applying_for = cursor.child("applying_for").reference(kb.roles, "role")
    skills: dict[str, int] = {}
    if cursor.has("skills"):
        listed = cursor.child("skills")
        given = listed.value if listed.mapping(optional=None) else {}
        for skill, stated in given.items():
            if skill in kb.skills and type(stated) is int and MIN_LEVEL <= stated <= MAX_LEVEL:
                skills[skill] = stated  # the usual entry: nothing to report, no cursor needed
                continue
            level_cursor = listed.child(skill)
            if skill not in kb.skills:
                level_cursor.report(
                    tr("unknown skill {skill}", skill=repr(skill)),
                    did_you_mean(skill, kb.skills)
                    or tr("run 'staffcheck rules list' for the skills"),
                    key=True,
                )
                continue
            level = level_cursor.level()
            if level is not None:
                skills[skill] = level
    channels = (
        cursor.child("channels").references(kb.channels, "channel")
        if cursor.has("channels")
        else ()
    )
    years = (
        _number(cursor, field_named(PROFILE, "experience_years"))
        if cursor.has("experience_years")
        else None
    )
    titles = _titles(cursor.child("titles")) if cursor.has("titles") else ()
    if ident is None or name is None or titles is None:
        return None
    return Profile(
        id=ident,
        name=name,
        skills=frozen_map(skills),
        source=cursor.defined_at,
        applying_for=applying_for,
        channels=channels,
        experience_years=years,
        titles=titles,
    )


def profiles_in(doc: Document, kb: KnowledgeBase) -> list[Profile]:
    """All profiles of a document that holds one profile (a mapping) or a list of them."""
    problems: list[Problem] = []
    top = Cursor(doc, (), problems)
    found: list[Profile] = []
    if isinstance(doc.data, list):
        cursors = list(top.items())
        if not cursors:
            top.report(tr("the list of profiles is empty"), tr("add at least one profile"))
    elif isinstance(doc.data, dict):
        if "members" in doc.data or "team" in doc.data:
            top.report(
                tr("this is a team file, not a profile"),
                tr("use 'staffcheck team' for team files"),
            )
        cursors = [top]
    else:
        top.report(
            tr("a profile file must hold a mapping (one profile) or a list of profiles"),
            tr("start with 'id:' and 'name:'"),
        )
        cursors = []
    for cursor in cursors:
        profile = read_profile(cursor, kb)
        if profile is not None:
            found.append(profile)
    _raise_if(problems)
    return found


def load_profiles(path: Path, kb: KnowledgeBase) -> list[Profile]:
    """Read a profile file (one profile or a list)."""
    return profiles_in(load_yaml(path), kb)


def load_team(path: Path, kb: KnowledgeBase, profile_dirs: Sequence[Path] = ()) -> Team:
    """Read a team file; member profiles may be inline or files relative to the team file
    (in its directory, the current one or one of `profile_dirs`, or below them)."""
    doc = load_yaml(path)
    problems: list[Problem] = []
    team = read_team(Cursor(doc, (), problems), path.parent, kb, profile_dirs)
    _raise_if(problems)
    assert team is not None
    return team


def read_team(
    top: Cursor, base_dir: Path, kb: KnowledgeBase, profile_dirs: Sequence[Path] = ()
) -> Team | None:
    """Build a team from a mapping; profile paths are relative to `base_dir`, and the files
    must be inside it, the current directory or one of `profile_dirs` (see `profile_roots`)."""
    problems = top.problems
    value = top.value
    if isinstance(value, dict) and "members" not in value and "id" in value:
        problems.append(
            Problem(
                tr("this is a profile, not a team file"),
                top.defined_at,
                tr("use 'staffcheck screen' for profiles"),
            )
        )
        return None
    if not top.mapping(required=TEAM_FIELDS, optional=field_names(TEAM)):
        return None
    name = top.child("team").text(longest=MAX_NAME_LENGTH)
    strategy = top.child("strategy").reference(kb.strategies, "strategy")
    members: list[Member] = []
    roots = profile_roots(base_dir, profile_dirs)
    for item in top.child("members").items():
        member = _member(item, base_dir, roots, kb)
        if member is not None:
            members.append(member)
    if isinstance(top.child("members").value, list) and not top.child("members").value:
        top.child("members").report(tr("the team has no members"), tr("add at least one member"))
    _check_unique_ids([m.profile for m in members], problems)
    waivers = (
        tuple(_waivers(top.child("waivers"), kb, {m.profile.id for m in members}))
        if top.has("waivers")
        else ()
    )
    plan = read_plan(top.child("plan"), kb, strategy) if top.has("plan") else PlanSettings()
    if name is None or strategy is None or plan is None or problems:
        return None
    return Team(name, strategy, tuple(members), top.defined_at, waivers, plan)


def _waivers(cursor: Cursor, kb: KnowledgeBase, member_ids: set[str]) -> list[Waiver]:
    """Each waiver accepts one rule's finding for one person or post, with reason, approver, expiry."""
    found: list[Waiver] = []
    for item in cursor.items():
        if not item.mapping(required=required_names(WAIVER), optional=WAIVER_FIELDS):
            continue
        rule_id = item.child("rule").reference(kb.rules, "rule")
        if rule_id is not None and kb.rules[rule_id].severity is Severity.CRITICAL:
            item.child("rule").report(
                tr("rule {rule} is critical and cannot be waived", rule=repr(rule_id)),
                tr("fix the staffing instead"),
            )
            rule_id = None
        person = (
            item.child("person").reference(member_ids, "member") if item.has("person") else None
        )
        post = item.child("post").reference(kb.roles, "role") if item.has("post") else None
        skill = item.child("skill").reference(kb.skills, "skill") if item.has("skill") else None
        if not any(item.has(key) for key in WAIVER_FOR):
            item.report(
                tr("a waiver names the 'person' (or the 'post') it is for"),
                tr("add 'person: <id>'"),
            )
            continue
        expires = _date(item.child("expires"))
        reason, approver = item.child("reason").text(), item.child("approved_by").text()
        if rule_id is None or expires is None or reason is None or approver is None:
            continue
        found.append(
            Waiver(rule_id, reason, approver, expires, item.defined_at, person, post, skill)
        )
    return found


def _date(cursor: Cursor, field: str = "expires") -> datetime.date | None:
    """A date written YYYY-MM-DD; one shaped so that is no day (2027-02-30) is told as such."""
    value = cursor.value
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    example = tr("e.g. expires: 2027-03-31") if field == "expires" else tr("e.g. start: 2027-01-04")
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(value.strip())
        if DATE_SHAPE.fullmatch(value.strip()):
            cursor.report(
                tr("{value} is not a day of the calendar", value=quoted(value.strip())), example
            )
            return None
    cursor.report(tr("{field} must be a date written YYYY-MM-DD", field=cursor.label), example)
    return None


def _plan_start(cursor: Cursor) -> datetime.date | None:
    """``plan: {start}``: YYYY-MM-DD only (not 20270104 nor 2027-W01-1), within the years a plan
    may start in."""
    value = cursor.value
    if isinstance(value, str) and not DATE_SHAPE.fullmatch(value.strip()):
        cursor.report(
            tr("{field} must be a date written YYYY-MM-DD", field=cursor.label),
            tr("e.g. start: 2027-01-04"),
        )
        return None
    start = _date(cursor, "start")
    if start is not None and not start_in_range(start):
        cursor.report(
            tr("{date} is outside {first} … {last}: start the plan within those dates",
               date=start.isoformat(), first=EARLIEST_START.isoformat(),
               last=LATEST_START.isoformat()),
            tr("e.g. start: 2027-01-04"),
        )  # fmt: skip
        return None
    return start


def _member(
    item: Cursor, base_dir: Path, roots: tuple[Path, ...], kb: KnowledgeBase
) -> Member | None:
    value = item.value
    if not isinstance(value, dict):
        item.report(
            tr("a member must be a mapping with 'role:', not {type}", type=type(value).__name__)
        )
        return None
    if "role" not in value:
        item.report(
            tr("missing required field {key}", key=repr("role")),
            tr("add the post this member holds"),
        )
        return None
    role = item.child("role").reference(kb.roles, "role")
    if MEMBER_PROFILE.name in value:
        if not item.mapping(required=required_names(MEMBER_FILE)):
            item.report(
                tr("a member with 'profile:' takes no other fields"),
                tr("move them into the profile file"),
            )
            return None
        rel = item.child("profile").text()
        if rel is None:
            return None
        people = _member_file(item.child("profile"), rel, base_dir, roots, kb)
        if people is None:
            return None
        if len(people) != 1:
            item.child("profile").report(
                tr(
                    "{path} holds {count} profiles; a member's file must hold one",
                    path=repr(rel),
                    count=len(people),
                ),
                tr("split the file, or write the member inline"),
            )
            return None
        profile: Profile | None = people[0]
    else:
        profile = read_profile(item, kb, extra=(MEMBER_ROLE.name,))
    if role is None or profile is None:
        return None
    return Member(role, profile)


def profile_roots(base_dir: Path, profile_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The directories a team's member profile files may be in (or below): the team file's,
    the current one and those named with ``--profiles``, symbolic links resolved. A team file
    is untrusted: ``profile: ../../etc/shadow`` must not make staffcheck read the system's files."""
    roots: list[Path] = []
    for folder in (base_dir, Path(), *profile_dirs):
        with contextlib.suppress(OSError, RuntimeError, ValueError):  # e.g. a deleted cwd
            roots.append(folder.resolve())
    return tuple(roots)


def _member_file(
    at: Cursor, rel: str, base_dir: Path, roots: tuple[Path, ...], kb: KnowledgeBase
) -> list[Profile] | None:
    """The profiles of a member's ``profile:`` file, if it is inside `roots` and a profile file;
    errors quote nothing of a file that is not a profile (it may be anything)."""
    target = base_dir / rel
    try:
        real: Path | None = target.resolve()
    except (OSError, RuntimeError, ValueError):  # a looping link, a NUL: reading it says which
        real = None
    if real is not None and not any(real.is_relative_to(root) for root in roots):
        at.report(
            tr("member profile {path} is outside the team file's directory and the current one",
               path=quoted(rel)),
            tr("move it there, or name its directory with --profiles DIR"),
        )  # fmt: skip
        return None
    try:
        doc = load_yaml(target, quote=False)
        if not _profile_shaped(doc.data):
            at.report(
                tr("{path} is not a profile file", path=quoted(rel)),
                tr("a member's profile file is a YAML mapping with id: and name:"),
            )
            return None
        return profiles_in(doc, kb)
    except StaffcheckError as exc:
        if exc.problems[0].message != no_such_file():
            at.problems.extend(exc.problems)
            return None
    at.problems.append(
        Problem(
            tr("member profile {path} not found", path=quoted(rel)),
            at.defined_at,
            tr("looked for {path}", path=target),
        )
    )
    return None


def _profile_shaped(data: object) -> bool:
    """A mapping (or a list of mappings) with a field of a profile, or of a team (which
    `profiles_in` names as such): anything else is not read as a profile at all."""
    known = {*PROFILE_FIELDS, "team", "members"}
    records = data if isinstance(data, list) else [data]
    return bool(records) and all(isinstance(r, dict) and known & r.keys() for r in records)


def _check_unique_ids(profiles: list[Profile], problems: list[Problem]) -> None:
    seen: dict[str, Profile] = {}
    for profile in profiles:
        if profile.id in seen:
            problems.append(
                Problem(
                    tr("duplicate person id {id}", id=repr(profile.id)),
                    profile.source,
                    tr(
                        "also at {place}; ids must be unique in one run",
                        place=seen[profile.id].source,
                    ),
                )
            )
        else:
            seen[profile.id] = profile


# -- plan settings: a team's own goals, pay, hiring and training terms ---------------------------


def read_amount(cursor: Cursor) -> int | None:
    """An amount of money: a whole number, 0 or more (in the pack's or the team's currency)."""
    return cursor.integer(0, MAX_AMOUNT, "an amount of money")


def read_currency(cursor: Cursor) -> str | None:
    """An ISO 4217 currency code, such as CNY."""
    code = cursor.text()
    if code is not None and not CURRENCY_CODE.match(code):
        cursor.report(
            tr("{code} is not a currency code", code=repr(code)),
            tr("write its three capital letters (ISO 4217), such as CNY, USD or EUR"),
        )
        return None
    return code


def read_post_terms(c: Cursor) -> PostTerms | None:
    """The ``salary: [low, high]`` and ``hiring: {lead_time, cost}`` of a mapping (each optional)."""
    before = len(c.problems)
    salary = _salary(c.child(SALARY.name)) if c.has(SALARY.name) else None
    lead_time = cost = None
    if c.has(HIRING.name):
        hiring = c.child(HIRING.name)
        if hiring.mapping(optional=field_names(HIRING.fields)):
            if hiring.has("lead_time"):
                lead_time = hiring.child("lead_time").integer(
                    *limits(field_named(HIRING.fields, "lead_time")), "a number of working days"
                )
            cost = read_amount(hiring.child("cost")) if hiring.has("cost") else None
    if len(c.problems) > before:
        return None
    return PostTerms(salary, cost, lead_time)


def _salary(c: Cursor) -> tuple[int, int] | None:
    """``[low, high]``: a monthly salary band, 0 ≤ low ≤ high."""
    value = c.value
    if not isinstance(value, list) or len(value) != 2:
        c.report(
            tr("{field} must be a band [low, high] of two amounts", field=c.label),
            tr("e.g. salary: [8000, 12000], a month's pay"),
        )
        return None
    low, high = read_amount(c.child(0)), read_amount(c.child(1))
    if low is None or high is None:
        return None
    if low > high:
        c.report(
            tr("the salary band's low end {low} is above its high end {high}", low=low, high=high),
            tr("write it [low, high]"),
        )
        return None
    return low, high


def read_plan(c: Cursor, kb: KnowledgeBase, strategy: str | None) -> PlanSettings | None:
    """A team file's ``plan:`` section, against the pack (and the team's strategy's goals)."""
    if not c.mapping(optional=field_names(PLAN)):
        return None
    before = len(c.problems)
    start = _plan_start(c.child("start")) if c.has("start") else None
    currency = read_currency(c.child("currency")) if c.has("currency") else None
    goals: dict[str, str] = {}
    if c.has("goals") and strategy is not None:
        known = {goal.id: goal for goal in kb.strategies[strategy].goals}
        for goal_id, kc in _known_keys(c.child("goals"), known, "goal"):
            kpi = kc.text()
            if kpi is not None:
                goals[goal_id] = kpi
    posts: dict[str, PostTerms] = {}
    if c.has("posts"):
        for role_id, pc in _known_keys(c.child("posts"), kb.roles, "role"):
            terms = read_post_terms(pc) if pc.mapping(optional=field_names(POST_TERMS)) else None
            if terms is not None:
                posts[role_id] = terms
    training: dict[str, TrainingTerms] = {}
    if c.has("training"):
        items = {item.id for role in kb.roles.values() for item in role.training}
        for item_id, tc in _known_keys(c.child("training"), items, "training item"):
            own = _training_terms(tc)
            if own is not None:
                training[item_id] = own
    if len(c.problems) > before:
        return None
    return PlanSettings(start, currency, frozen_map(goals), frozen_map(posts), frozen_map(training))


def _known_keys(c: Cursor, known: Collection[str], kind: str) -> Iterator[tuple[str, Cursor]]:
    """The entries of a mapping keyed by ids of `known`; an unknown id is reported, located."""
    for key, value in c.entries():
        if key in known:
            yield key, value
            continue
        hint = did_you_mean(key, known) or tr("known: {ids}", ids=", ".join(sorted(known)) or "-")
        if kind == "goal":
            message = tr("{id} is not a goal of the team's strategy", id=repr(key))
        elif kind == "role":
            message = tr("unknown post {id}", id=repr(key))
        else:
            message = tr("unknown training item {id}", id=repr(key))
        value.report(message, hint, key=True)


def _training_terms(c: Cursor) -> TrainingTerms | None:
    """A company's own ``{days, cost}`` of a training item (each optional)."""
    if not c.mapping(optional=field_names(TRAINING_TERMS)):
        return None
    days = (
        c.child("days").integer(*limits(TRAINING_TERMS[0]), "a number of working days")
        if c.has("days")
        else None
    )
    cost = read_amount(c.child("cost")) if c.has("cost") else None
    if (c.has("days") and days is None) or (c.has("cost") and cost is None):
        return None
    return TrainingTerms(days, cost)
