"""The knowledge pack: find its YAML files, validate them against the schema, build a KnowledgeBase."""

from __future__ import annotations

import contextlib
import graphlib
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from staffcheck import pack_cache
from staffcheck.errors import Problem, StaffcheckError
from staffcheck.i18n import SOURCE, available, language, tr
from staffcheck.kinds import KINDS, PackIds, references, severity_ceiling
from staffcheck.localise import localise, localised
from staffcheck.model import (
    Action,
    Channel,
    Example,
    Goal,
    Importance,
    KnowledgeBase,
    Kpi,
    Location,
    Module,
    ModuleNeed,
    OnetRef,
    PostTerms,
    Remediation,
    Role,
    Rule,
    Severity,
    Skill,
    Stage,
    Step,
    Strategy,
    TrainingItem,
    frozen_map,
)
from staffcheck.profiles import (
    CURRENCY_CODE,
    HIRING,
    MAX_AMOUNT,
    MAX_WORKING_DAYS,
    SALARY,
    read_amount,
    read_currency,
    read_post_terms,
)
from staffcheck.scenarios import read_examples
from staffcheck.schema import (
    MAX_LEVEL,
    Cursor,
    Field,
    did_you_mean,
    field_named,
    field_names,
    limits,
    optional_names,
    required_names,
)
from staffcheck.yamlio import load_yaml

SECTIONS = ("pack", "skills", "channels", "modules", "roles", "strategies", "rules", "overrides")
#: `pack: {extends: bundled}` names the pack shipped with staffcheck.
BUNDLED = "bundled"
FIXTURES_DIR = "fixtures"

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: A skill's question is asked aloud by `staffcheck ask` and printed in reports.
MAX_QUESTION_LENGTH = 300
#: Rules in a pack, with those of the pack it extends: experta builds its network in time that
#: grows faster than the rules (3,000 took 10 s before the first applicant), and tests every
#: applicant against each (docs/limits.md).
MAX_RULES = 1_000

#: The labels of each section a `translations:` block may give in another language.
TRANSLATABLE = {
    "skills": ("name", "description", "question"),
    "channels": ("name",),
    "modules": ("name", "description"),
    "roles": ("name", "description"),
    "strategies": ("name", "description"),
    "rules": ("title", "message", "rationale", "remediation", "looks_like", "actually_is"),
    # the sub-entries of the plan's knowledge: a strategy's goals, a module's steps, a post's
    # KPIs and training items
    "goals": ("name", "kpi"),
    "steps": ("name",),
    "kpis": ("name",),
    "training": ("name",),
}
#: A language code of `pack: {languages: […]}` and of `translations:`.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
ONET_CODE = r"\d{2}-\d{4}\.\d{2}|\d{2}-\d{4}"
#: How a step's effort and a training item's days are named in an error.
_DAYS = "a number of working days"
#: An O*NET importance: 1 not important … 5 extremely important.
IMPORTANCE_LOW, IMPORTANCE_HIGH = 1, 5

# The fields of each section's entries, as the reader below takes them and `staffcheck schema
# pack` describes them (a rule kind's own fields are its module's PARAMS).
PACK_META = (
    Field("name", "text", required=True),
    Field("version", "any"),
    Field("description", "any"),
    Field("extends", "text"),
    Field("languages", "text_list", pattern=LANGUAGE_CODE.pattern, min_items=1),
    Field("currency", "text", pattern=CURRENCY_CODE.pattern),
)
SKILL = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("description", "text"),
    Field("question", "text", max_length=MAX_QUESTION_LENGTH),
    Field("translations", "translations", target="skills"),
)
CHANNEL = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("description", "any"),
    Field("translations", "translations", target="channels"),
)
#: A work step of a module (``post``: one role id, or a list of them, preferred first).
STEP = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("post", "any"),
    Field("effort", "integer", required=True, low=1, high=MAX_WORKING_DAYS),
    Field("after", "references", target="steps"),
    Field("stage", "choice", choices=tuple(s.value for s in Stage)),
    Field("spend", "integer", low=0, high=MAX_AMOUNT),
    Field("translations", "translations", target="steps"),
)
MODULE = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("description", "text"),
    Field("steps", "list", fields=STEP),
    Field("translations", "translations", target="modules"),
)
ONET = (
    Field("code", "text", required=True, pattern=f"^({ONET_CODE})$"),
    Field("title", "text", required=True),
)
KPI = (Field("name", "text", required=True), Field("translations", "translations", target="kpis"))
TRAINING = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("skills", "references", required=True, target="skills", min_items=1),
    Field("days", "integer", required=True, low=1, high=MAX_WORKING_DAYS),
    Field("cost", "integer", low=0, high=MAX_AMOUNT),
    Field("translations", "translations", target="training"),
)
ROLE = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("essential", "by_id", required=True, target="skills", min_items=1,
          fields=(Field("level", "integer", low=1, high=MAX_LEVEL),)),
    Field("optional", "references", target="skills"),
    Field("channels", "references", target="channels"),
    Field("description", "text"),
    Field("onet", "mapping", fields=ONET),
    Field("esco", "text"),
    Field("importance", "by_id", target="skills",
          fields=(Field("weight", "number", low=IMPORTANCE_LOW, high=IMPORTANCE_HIGH),)),
    Field("kpis", "list", fields=KPI),
    Field("training", "list", fields=TRAINING),
    SALARY,
    HIRING,
    Field("translations", "translations", target="roles"),
)  # fmt: skip
MODULE_NEED = (
    Field("module", "reference", required=True, target="modules"),
    Field("roles", "by_id", required=True, target="roles",
          fields=(Field("importance", "choice", choices=tuple(i.value for i in Importance)),)),
)  # fmt: skip
#: A goal of a strategy and its default KPI (a team file's ``plan: {goals:}`` may set its own).
GOAL = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("kpi", "text", required=True),
    Field("translations", "translations", target="goals"),
)
STRATEGY = (
    Field("id", "id", required=True),
    Field("name", "text", required=True),
    Field("modules", "list", required=True, min_items=1, fields=MODULE_NEED),
    Field("channels", "references", target="channels"),
    Field("description", "text"),
    Field("goals", "list", fields=GOAL),
    Field("translations", "translations", target="strategies"),
)
REMEDIATION = (
    Field("action", "choice", required=True, choices=tuple(a.value for a in Action)),
    Field("text", "text", required=True),
)
EXAMPLE = (Field("looks_like", "text", required=True), Field("actually_is", "text", required=True))
#: The fields of every rule, whatever its kind.
RULE = (
    Field("id", "id", required=True),
    Field("title", "text", required=True),
    Field("kind", "choice", required=True, choices=tuple(KINDS)),
    Field("severity", "choice", required=True, choices=tuple(s.value for s in Severity)),
    Field("message", "text", required=True),
    Field("rationale", "text", required=True),
    Field("remediation", "mapping", required=True, fields=REMEDIATION),
    Field("example", "mapping", required=True, fields=EXAMPLE),
    Field("enabled", "flag"),
    Field("examples", "any"),
    Field("translations", "translations", target="rules"),
)
_COMMON_RULE_FIELDS = required_names(RULE)
#: Fields every rule may leave out.
_OPTIONAL_RULE_FIELDS = optional_names(RULE)
ROLE_OVERRIDE = (
    Field("essential", "by_id", target="skills",
          fields=(Field("level", "integer", low=0, high=MAX_LEVEL),)),
    SALARY,
    HIRING,
)  # fmt: skip
RULE_OVERRIDE = (
    Field("enabled", "flag"),
    Field("severity", "choice", choices=tuple(s.value for s in Severity)),
)
OVERRIDES = (
    Field("roles", "by_id", target="roles", fields=(Field("role", "mapping", fields=ROLE_OVERRIDE),)),
    Field("rules", "by_id", target="rules", fields=(Field("rule", "mapping", fields=RULE_OVERRIDE),)),
)  # fmt: skip
_ESSENTIAL = field_named(ROLE, "essential").fields[0]
_OVERRIDE = field_named(ROLE_OVERRIDE, "essential").fields[0]
#: The sections of a pack file and what each holds.
SECTION_ENTRIES = {
    "skills": SKILL,
    "channels": CHANNEL,
    "modules": MODULE,
    "roles": ROLE,
    "strategies": STRATEGY,
    "rules": RULE,
}
T = TypeVar("T")


def bundled_rules_dir() -> Path:
    """The knowledge pack shipped with staffcheck (in the wheel, or the source checkout's rules/)."""
    # Beside this module, as importlib.resources would find it in an installed wheel (which
    # costs an import of importlib.resources and zipfile at every start).
    packaged = Path(__file__).parent / "_bundled" / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def pack_files(root: Path) -> list[Path]:
    """The YAML files of a pack, in a stable order, without its test fixtures."""
    try:
        there = root.exists()
    except OSError as exc:  # e.g. a directory on the way that cannot be searched
        raise StaffcheckError.at(
            tr("cannot read the knowledge pack: {reason}", reason=exc.strerror or str(exc)),
            root,
            hint=tr("check --rules"),
        ) from None
    if not there and root.is_symlink():
        raise StaffcheckError.at(
            tr("a symbolic link to nothing: its target is missing, or the link loops"),
            root,
            hint=tr("point --rules at the pack's directory"),
        )
    if not there:
        raise StaffcheckError.at(
            tr("no such knowledge-pack directory"), root, hint=tr("check --rules")
        )
    if not root.is_dir():
        raise StaffcheckError.at(
            tr("a knowledge pack is a directory of YAML files"),
            root,
            hint=tr("name the directory"),
        )
    files = sorted(
        path
        for pattern in ("*.yaml", "*.yml")
        for path in root.rglob(pattern)
        if FIXTURES_DIR not in path.relative_to(root).parts[:-1]
    )
    if not files:
        raise StaffcheckError.at(
            tr("knowledge pack has no .yaml files"), root, hint=tr("point --rules at a pack")
        )
    return files


def _dangling_link(shown: str) -> Problem:
    """A pack file that is a link to nothing (a missing target, or a loop)."""
    return Problem(
        tr("a symbolic link to nothing: its target is missing, or the link loops"),
        Location(shown),
        tr("remove the link, or point it at a YAML file"),
    )


def load_knowledge(root: Path | None = None, lang: str | None = None) -> KnowledgeBase:
    """Load and validate a pack; raise a StaffcheckError listing every problem found.

    Its labels (names, descriptions, rule titles and messages…) are in `lang` (default: the
    language in use), each falling back to English where the pack has no translation; ids never
    change. Each entry's ``translations`` gains ``en``, so its English labels stay at hand.
    """
    loaded = _loaded(root or bundled_rules_dir(), ())
    wanted = lang or language()
    if wanted not in (*loaded.kb.languages, *available()):
        raise StaffcheckError.at(
            tr("neither staffcheck nor the knowledge pack speaks {lang!r}", lang=wanted),
            hint=tr("use one of: {languages}",
                    languages=", ".join(dict.fromkeys((*available(), *loaded.kb.languages)))),
        )  # fmt: skip
    if wanted not in loaded.localised:
        loaded.localised[wanted] = localise(loaded.kb, wanted)
    return loaded.localised[wanted]


@dataclass(frozen=True, slots=True)
class _MissingLabels:
    """An entry of a pack's own files with no label in a language the pack declares."""

    place: Location
    kind: str
    id: str
    lang: str
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Loaded:
    #: the pack in English, its source language
    kb: KnowledgeBase
    base_root: Path | None
    base: KnowledgeBase | None
    #: `rules validate`'s warnings for the labels this pack's own files leave untranslated
    missing_labels: tuple[_MissingLabels, ...] = ()
    #: language -> the pack with its labels in that language, made once per language
    localised: dict[str, KnowledgeBase] = field(default_factory=dict)


#: Packs already loaded in this process, by directory and the size and time of every file:
#: a batch, a test suite or a long-lived caller parses a pack once, and sees any edit. The
#: least recently used go beyond a few, so a notebook editing a pack keeps no old versions.
_LOADED: OrderedDict[tuple[Path, tuple[tuple[str, int, int], ...]], _Loaded] = OrderedDict()
_LOADED_KEPT = 8


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    stats = []
    for path in pack_files(root):
        try:
            info = path.stat()
        except OSError:
            # A dangling, looping or unsearchable link: reading the file names it in one line.
            stats.append((str(path), -1, -1))
            continue
        stats.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stats)


def _load_pack(root: Path, chain: tuple[Path, ...]) -> KnowledgeBase:
    """Load a pack (in English), first loading the pack it extends."""
    return _loaded(root, chain).kb


def _loaded(root: Path, chain: tuple[Path, ...]) -> _Loaded:
    """A pack read once per content of its files (a cycle of extends is an error, not a hang)."""
    signature = _signature(root)  # first: it refuses a missing or looping directory in one line
    key = (root.resolve(), signature)
    cached = _LOADED.get(key)
    if cached is not None:
        _LOADED.move_to_end(key)
        if cached.base_root is None:
            return cached
        with contextlib.suppress(StaffcheckError):
            if _load_pack(cached.base_root, (*chain, key[0])) is cached.base:
                return cached
    loaded = _read_or_fetch(root, chain)
    _LOADED[key] = loaded
    while len(_LOADED) > _LOADED_KEPT:
        _LOADED.popitem(last=False)
    return loaded


def _read_or_fetch(root: Path, chain: tuple[Path, ...]) -> _Loaded:
    """The pack as read before, from the on-disk cache (`pack_cache`), if neither its files nor
    those of the pack it extends changed since; else read now, and kept for the next run."""
    # The places a pack's entries were read from are kept as the user named them, relative to
    # the current directory: another spelling or directory reads the pack again.
    try:
        here = str(Path.cwd())
    except OSError:  # the current directory was removed: no place to name, no cache
        return _read_pack(root, chain)
    key = pack_cache.digest(root, pack_files(root), str(root), here)
    if key is None:
        return _read_pack(root, chain)
    entry = pack_cache.fetch(key)
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], _Loaded):
        cached: _Loaded = entry[0]
        base_key = entry[1]
        if cached.base_root is None:
            return cached
        with contextlib.suppress(StaffcheckError):
            base = _load_pack(cached.base_root, (*chain, root.resolve()))
            if base_key == pack_cache.digest(cached.base_root, pack_files(cached.base_root)):
                return replace(cached, base=base)
    loaded = _read_pack(root, chain)
    base_key = None
    if loaded.base_root is not None:
        base_key = pack_cache.digest(loaded.base_root, pack_files(loaded.base_root))
    pack_cache.store(key, (loaded, base_key))
    return loaded


def _read_pack(root: Path, chain: tuple[Path, ...]) -> _Loaded:
    problems: list[Problem] = []
    reader = _PackReader(root, problems)
    reader.collect()
    base = None
    if reader.extends is not None:
        cursor, target = reader.extends
        here = root.resolve()
        refused = _refused_extension(target, here, chain)
        if refused is not None:
            cursor.report(*refused)
        else:
            try:
                base = _load_pack(target, (*chain, here))
            except StaffcheckError as exc:
                problems.extend(exc.problems)
    kb = None if problems else reader.build(base)
    if problems:
        raise StaffcheckError(problems)
    assert kb is not None
    base_root = None if reader.extends is None else reader.extends[1]
    return _Loaded(kb, base_root, base, tuple(reader.missing_labels))


def _refused_extension(target: Path, here: Path, chain: tuple[Path, ...]) -> tuple[str, str] | None:
    """Why a pack may not extend `target` (a message and a hint), or None. Besides the bundled
    pack (by name), a pack extends a pack inside the directory that holds the pack named first
    (``--rules``): itself beside its base, or above it. Never a directory holding a pack of the
    chain (``extends: ..`` would read the pack into itself), nor anything past that tree
    (``extends: /`` would read every YAML file of the machine)."""
    # Only a directory is resolved: resolving a looping link raises (RuntimeError on 3.11).
    if not target.is_dir():
        message = tr("the pack to extend, {target}, is not a directory", target=target)
        return message, tr("check the path")
    resolved = target.resolve()
    if resolved in chain or resolved == here:
        cycle = " → ".join(str(p) for p in (*chain, here, resolved))
        return tr("packs extend each other in a cycle: {cycle}", cycle=cycle), tr(
            "remove one 'extends'"
        )
    if resolved == bundled_rules_dir().resolve():
        return None
    holder = next((p for p in (*chain, here) if p.is_relative_to(resolved)), None)
    if holder is not None:
        return tr(
            "the pack to extend, {target}, holds the pack {pack} itself", target=resolved,
            pack=holder,
        ), tr("name the directory of the pack to extend, beside this one")  # fmt: skip
    tree = (chain[0] if chain else here).parent
    if not resolved.is_relative_to(tree):
        return tr(
            "the pack to extend, {target}, is outside {tree}", target=resolved, tree=tree
        ), tr("extend 'bundled', or a pack in the directory that holds this one")
    return None


def lint_knowledge(kb: KnowledgeBase) -> list[str]:
    """Consistency warnings that do not stop a pack from loading (unused roles, skills, modules)."""
    warnings: list[str] = []
    used_roles = {
        role for s in kb.strategies.values() for need in s.modules for role, _ in need.roles
    }
    used_modules = {need.module for s in kb.strategies.values() for need in s.modules}
    used_skills = {
        skill for role in kb.roles.values() for skill in (*role.essential, *role.optional)
    }
    for rule in kb.rules.values():
        skills, posts = references(rule)
        used_skills.update(skills)
        used_roles.update(posts)

    def where(item: Role | Module | Skill) -> str:
        return f"{item.source}: " if item.source else ""

    warnings += [
        f"{where(r)}warning: role {r.id!r} is used by no strategy"
        for r in kb.roles.values()
        if r.id not in used_roles
    ]
    warnings += [
        f"{where(m)}warning: module {m.id!r} is used by no strategy"
        for m in kb.modules.values()
        if m.id not in used_modules
    ]
    warnings += [
        f"{where(s)}warning: skill {s.id!r} is used by no role or rule"
        for s in kb.skills.values()
        if s.id not in used_skills
    ]
    return warnings + _modules_without_steps(kb) + _steps_without_their_posts(kb)


def _modules_without_steps(kb: KnowledgeBase) -> list[str]:
    """A module a strategy uses that has no work steps: its plan has nothing to schedule for it."""
    users: dict[str, list[str]] = {}
    for strategy in kb.strategies.values():
        for need in strategy.modules:
            users.setdefault(need.module, []).append(strategy.id)
    warnings = []
    for module in kb.modules.values():
        if module.steps or module.id not in users:
            continue
        where = f"{module.source}: " if module.source else ""
        warnings.append(
            f"{where}warning: module {module.id!r} has no steps, so the plans of "
            f"{', '.join(users[module.id])} schedule no work for it (add steps: to it)"
        )
    return warnings


def _steps_without_their_posts(kb: KnowledgeBase) -> list[str]:
    """A step whose posts carry its module in no strategy that uses it: the leading post does it."""
    carriers: dict[str, list[set[str]]] = {}
    for strategy in kb.strategies.values():
        for need in strategy.modules:
            carriers.setdefault(need.module, []).append({role for role, _ in need.roles})
    warnings = []
    for module in kb.modules.values():
        uses = carriers.get(module.id, [])
        for step in module.steps:
            if not step.posts or not uses or any(set(step.posts) & roles for roles in uses):
                continue
            where = f"{step.source}: " if step.source else ""
            warnings.append(
                f"{where}warning: step {step.id!r}: none of its posts ({', '.join(step.posts)}) "
                f"carries module {module.id!r} in a strategy that uses it, so the module's "
                "leading post does it"
            )
    return warnings


@dataclass(slots=True)
class _Entry:
    """One definition (a list item under a section), with where it came from."""

    id: str
    cursor: Cursor


class _PackReader:
    """Reads every file of a pack in two passes: ids first, then definitions that refer to them."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        self.root = root
        self.problems = problems
        #: the pack staffcheck ships: its files are parsed by the faster composer (`load_yaml`)
        self.shipped = root.resolve() == bundled_rules_dir().resolve()
        self.sections: dict[str, list[_Entry]] = {
            name: [] for name in SECTIONS if name not in ("pack", "overrides")
        }
        self.pack_name = "knowledge pack"
        #: the pack's ``version`` as written (a number or text), shown in every report's footer
        self.pack_version: str | None = None
        self.module_ids: set[str] = set()
        self.extends: tuple[Cursor, Path] | None = None
        self.overrides: list[Cursor] = []
        self.base: KnowledgeBase | None = None
        #: (rule id, its `examples:`), read once the rest of the pack is built
        self.examples: list[tuple[str, Cursor]] = []
        #: `pack: {languages: [...]}` as this pack's files declare it (None: not declared)
        self.declared: tuple[str, ...] | None = None
        #: the languages its entries may be translated into: its own and its base's, English first
        self.languages: tuple[str, ...] = (SOURCE,)
        #: `rules validate` warnings: labels of this pack's entries missing in a declared language
        self.missing_labels: list[_MissingLabels] = []
        #: `pack: {currency: …}` as this pack's files set it (None: the base's, else CNY)
        self.currency: str | None = None
        #: where this pack's files set it (an extension may not change its base's: item 1)
        self.currency_at: Cursor | None = None
        #: the role ids a step's `post` may name: this pack's and its base's (known before roles
        #: are built, since modules are built first)
        self.role_ids: set[str] = set()
        #: this pack's own steps and training items, by id, where each is defined (ids are unique
        #: across the pack and its base)
        self.steps: dict[str, Cursor] = {}
        self.training: dict[str, Cursor] = {}

    def display(self, path: Path) -> str:
        """A file of the pack as errors name it: relative to the current directory when inside it."""
        try:
            return str(path.relative_to(Path.cwd()))
        except (ValueError, OSError):  # elsewhere, or the current directory was deleted
            return str(path)

    def collect(self) -> None:
        """Read every file of the pack and gather its entries (and what it extends)."""
        for path in pack_files(self.root):
            if path.is_symlink() and not path.exists():
                self.problems.append(_dangling_link(self.display(path)))
                continue
            try:
                doc = load_yaml(path, self.display(path), shipped=self.shipped)
            except StaffcheckError as exc:
                self.problems.extend(exc.problems)
                continue
            self._collect(Cursor(doc, (), self.problems))

    def build(self, base: KnowledgeBase | None = None) -> KnowledgeBase | None:
        """Definitions on top of `base` (new ids only), then the overrides of base entries."""
        self.base = base
        inherited = base.languages if base is not None else ()
        self.languages = tuple(dict.fromkeys((SOURCE, *inherited, *(self.declared or ()))))
        self.role_ids = {entry.id for entry in self.sections["roles"]} | set(
            base.roles if base else ()
        )
        skills = self._build("skills", self._skill)
        channels = self._build("channels", self._channel)
        modules = self._build("modules", self._module)
        self.module_ids = set(modules)
        roles = self._build("roles", lambda c, i: self._role(c, i, skills, channels))
        strategies = self._build(
            "strategies", lambda c, i: self._strategy(c, i, modules, roles, channels)
        )
        rules: dict[str, Rule] = {}
        if not self._too_many_rules(base):
            rules = self._build("rules", lambda c, i: self._rule(c, i, skills, roles, channels))
        self._check_steps(modules)
        self._check_currency(base)
        for cursor in self.overrides:
            self._override(cursor, skills, roles, rules)
        if self.problems:
            return None
        kb = KnowledgeBase(
            name=self.pack_name,
            root=str(self.root),
            skills=skills,
            channels=channels,
            modules=modules,
            roles=roles,
            strategies=strategies,
            rules=rules,
            languages=self.languages,
            currency=self.currency or (base.currency if base is not None else "CNY"),
            version=self.pack_version,
        )
        return self._with_examples(kb)

    def _too_many_rules(self, base: KnowledgeBase | None) -> bool:
        """More than `MAX_RULES` rules, counting the extended pack's, is refused at the first rule
        over the limit (before any is compiled)."""
        own = self.sections["rules"]
        inherited = len(base.rules) if base is not None else 0
        if inherited + len(own) <= MAX_RULES:
            return False
        first_over = own[max(0, MAX_RULES - inherited)]
        first_over.cursor.child("id").report(
            tr("the pack has {count} rules, more than the {limit} a pack may hold",
               count=f"{inherited + len(own):,}", limit=f"{MAX_RULES:,}"),
            tr("split them into packs for different strategies, or drop the rules you do not use"),
        )  # fmt: skip
        return True

    def _check_currency(self, base: KnowledgeBase | None) -> None:
        """An extension in another currency than its base would read the base's amounts (pay,
        recruiting, training, spend) as its own: refused, where it says so."""
        if base is None or self.currency is None or self.currency == base.currency:
            return
        if self.currency_at is not None:
            self.currency_at.report(
                tr("currency {currency} differs from the extended pack's {base}: its amounts "
                   "would be read as {currency}", currency=self.currency, base=base.currency),
                tr("drop currency here, or put the company's amounts in a team file's plan: "
                   "with its own currency"),
            )  # fmt: skip

    def _with_examples(self, kb: KnowledgeBase) -> KnowledgeBase | None:
        """The rules' examples are profiles and teams: they are read against the built pack."""
        rules = dict(kb.rules)
        for rule_id, cursor in self.examples:
            rule = rules[rule_id]
            examples = read_examples(cursor, kb, KINDS[rule.kind].TEAM_LEVEL)
            if examples is not None:
                rules[rule_id] = replace(rule, examples=examples)
        return None if self.problems else replace(kb, rules=rules)

    def _collect(self, top: Cursor) -> None:
        if not top.mapping(optional=SECTIONS):
            return
        if top.has("pack"):
            pack = top.child("pack")
            if pack.mapping(required=required_names(PACK_META), optional=field_names(PACK_META)):
                self.pack_name = pack.child("name").text() or self.pack_name
                version = pack.child("version").value if pack.has("version") else None
                if isinstance(version, str | int | float) and not isinstance(version, bool):
                    self.pack_version = str(version)
                if pack.has("languages"):
                    self.declared = _declared_languages(pack.child("languages"))
                if pack.has("currency"):
                    self.currency = read_currency(pack.child("currency")) or self.currency
                    self.currency_at = pack.child("currency")
                if pack.has("extends"):
                    target = pack.child("extends").text()
                    if target is not None:
                        path = bundled_rules_dir() if target == BUNDLED else self.root / target
                        self.extends = (pack.child("extends"), path)
        if top.has("overrides"):
            self.overrides.append(top.child("overrides"))
        for section, entries in self.sections.items():
            if not top.has(section):
                continue
            for item in top.child(section).items():
                if not item.mapping(required=("id",), optional=None):
                    continue
                ident = item.child("id").identifier()
                if ident is not None:
                    entries.append(_Entry(ident, item))

    def _build(self, section: str, make: Callable[[Cursor, str], T | None]) -> dict[str, T]:
        inherited: Mapping[str, T] = getattr(self.base, section) if self.base else {}
        built: dict[str, T] = dict(inherited)
        first_seen: dict[str, Cursor] = {}
        kind = section[:-1] if section != "strategies" else "strategy"
        for entry in self.sections[section]:
            if entry.id in inherited:
                entry.cursor.child("id").report(
                    f"{kind} {entry.id!r} is already defined by the pack this one extends",
                    "change it under 'overrides:', or pick a new id",
                )
                continue
            if entry.id in first_seen:
                other = first_seen[entry.id]
                entry.cursor.child("id").report(
                    f"duplicate {kind} id {entry.id!r}",
                    f"first defined at {other.defined_at}; ids must be unique",
                )
                continue
            first_seen[entry.id] = entry.cursor
            made = make(entry.cursor, entry.id)
            if made is not None:
                built[entry.id] = made
        return built

    # -- overrides ------------------------------------------------------------------------------

    def _override(
        self,
        c: Cursor,
        skills: dict[str, Skill],
        roles: dict[str, Role],
        rules: dict[str, Rule],
    ) -> None:
        """Change entries of the extended pack: raise or lower a post's levels, retune a rule."""
        if not c.mapping(optional=field_names(OVERRIDES)):
            return
        if c.has("roles"):
            for role_id, rc in c.child("roles").entries():
                if role_id not in roles:
                    rc.report(f"unknown role {role_id!r}", did_you_mean(role_id, roles), key=True)
                    continue
                if rc.mapping(optional=field_names(ROLE_OVERRIDE)):
                    self._override_role(rc, roles[role_id], skills, roles)
        if c.has("rules"):
            for rule_id, rc in c.child("rules").entries():
                if rule_id not in rules:
                    rc.report(f"unknown rule {rule_id!r}", did_you_mean(rule_id, rules), key=True)
                    continue
                if not rc.mapping(optional=field_names(RULE_OVERRIDE)):
                    continue
                rule = rules[rule_id]
                if rc.has("enabled"):
                    enabled = rc.child("enabled").value
                    if not isinstance(enabled, bool):
                        rc.child("enabled").report("enabled must be true or false")
                    else:
                        rule = replace(rule, enabled=enabled)
                if rc.has("severity"):
                    severity = rc.child("severity").choice([v.value for v in Severity])
                    if severity is not None and _within_ceiling(rc.child("severity"), rule.kind):
                        rule = replace(rule, severity=Severity(severity))
                rules[rule_id] = rule

    @staticmethod
    def _override_role(
        rc: Cursor, role: Role, skills: Mapping[str, Skill], roles: dict[str, Role]
    ) -> None:
        """A post's levels raised or lowered (0 removes a skill), its pay and hiring terms set."""
        terms = read_post_terms(rc)
        if terms is not None:
            role = replace(role, terms=terms.over(role.terms))
        if rc.has("essential"):
            essential = dict(role.essential)
            for skill, lc in rc.child("essential").entries():
                if skill not in skills:
                    lc.report(f"unknown skill {skill!r}", did_you_mean(skill, skills), key=True)
                    continue
                level = lc.integer(*limits(_OVERRIDE), "a minimum level (0 removes it)")
                if level == 0:
                    essential.pop(skill, None)
                elif level is not None:
                    essential[skill] = level
            if not essential:
                rc.report(f"role {role.id!r} would have no essential skill left")
                return
            role = replace(role, essential=frozen_map(essential))
        roles[role.id] = role

    # -- definitions ----------------------------------------------------------------------------

    def _translations(
        self, c: Cursor, section: str, offered: frozenset[str] | None = None
    ) -> Mapping[str, Mapping[str, str]]:
        """``translations: {zh: {name: 淘宝运营, ...}}``: the entry's labels in other languages.

        Each language must be one the pack declares; a rule's translated message may use only the
        placeholders its kind fills in (`offered`). An entry of this pack's own files missing a
        label in a declared language is noted for `rules validate`.
        """
        found: dict[str, Mapping[str, str]] = {}
        if c.has("translations"):
            for lang, fields in c.child("translations").entries():
                if not self._known_language(fields, lang):
                    continue
                if not fields.mapping(optional=TRANSLATABLE[section]):
                    continue
                texts = {key: fields.child(key).text() for key, _ in fields.entries()}
                if offered is not None and texts.get("message"):
                    kind = str(c.child("kind").value)
                    if self._message(fields.child("message"), kind, offered) is None:
                        continue
                found[lang] = frozen_map({k: v for k, v in texts.items() if v})
        self._note_missing(c, section, found)
        return frozen_map(found)

    def _known_language(self, c: Cursor, lang: str) -> bool:
        """A language the pack (or the pack it extends) declares, other than English."""
        if lang == SOURCE:
            c.report(
                tr("English is the pack's source language: it needs no translation"),
                tr("write the English labels in the entry's own fields"),
                key=True,
            )
            return False
        if lang not in self.languages:
            declared = ", ".join((*self.languages, lang))
            c.report(
                tr("translation into {lang!r}, a language the pack does not declare", lang=lang),
                tr(
                    "declare it, 'pack: {{languages: [{declared}]}}', or remove it",
                    declared=declared,
                ),
                key=True,
            )
            return False
        return True

    def _note_missing(
        self, c: Cursor, section: str, found: Mapping[str, Mapping[str, str]]
    ) -> None:
        """Note each declared language this entry has no label in, for each English label it has."""
        if self.declared is None:
            return  # a pack that declares no languages is written in English only
        english = [name for name in TRANSLATABLE[section] if _has_english(c, name)]
        for lang in self.declared[1:]:
            missing = [name for name in english if name not in found.get(lang, {})]
            if missing:
                ident = c.child("id").value if c.has("id") else c.child("name").value
                where = _MissingLabels(
                    c.defined_at, _KIND_OF[section], str(ident), lang, tuple(missing)
                )
                self.missing_labels.append(where)

    @staticmethod
    def _optional_text(cursor: Cursor, key: str) -> str:
        return (cursor.child(key).text() or "") if cursor.has(key) else ""

    def _skill(self, c: Cursor, ident: str) -> Skill | None:
        if not c.mapping(required=required_names(SKILL), optional=field_names(SKILL)):
            return None
        question = self._optional_text(c, "question")
        if len(question) > MAX_QUESTION_LENGTH:  # SKILL's question.max_length
            c.child("question").report(
                f"question is {len(question)} characters long",
                f"keep it under {MAX_QUESTION_LENGTH}: it is asked aloud, and shown in reports",
            )
            return None
        return Skill(
            ident,
            c.child("name").text() or ident,
            self._optional_text(c, "description"),
            c.defined_at,
            question,
            self._translations(c, "skills"),
        )

    def _channel(self, c: Cursor, ident: str) -> Channel | None:
        if not c.mapping(required=required_names(CHANNEL), optional=field_names(CHANNEL)):
            return None
        return Channel(ident, c.child("name").text() or ident, self._translations(c, "channels"))

    def _module(self, c: Cursor, ident: str) -> Module | None:
        if not c.mapping(required=required_names(MODULE), optional=field_names(MODULE)):
            return None
        steps = [self._step(item) for item in c.child("steps").items()] if c.has("steps") else []
        return Module(
            ident,
            c.child("name").text() or ident,
            self._optional_text(c, "description"),
            c.defined_at,
            self._translations(c, "modules"),
            tuple(step for step in steps if step is not None),
        )

    def _role(
        self, c: Cursor, ident: str, skills: dict[str, Skill], channels: dict[str, Channel]
    ) -> Role | None:
        if not c.mapping(required=required_names(ROLE), optional=field_names(ROLE)):
            return None
        essential: dict[str, int] = {}
        declared: set[str] = set()
        for skill, level_cursor in c.child("essential").entries():
            declared.add(skill)
            if skill not in skills:
                level_cursor.report(
                    f"unknown skill {skill!r}", did_you_mean(skill, skills), key=True
                )
                continue
            level = level_cursor.integer(*limits(_ESSENTIAL), "a minimum level")
            if level is not None:
                essential[skill] = level
        if not essential and c.child("essential").value:
            return None
        if not essential:
            c.child("essential").report("a role needs at least one essential skill")
            return None
        optional = c.child("optional").references(skills, "skill") if c.has("optional") else ()
        for skill in set(optional) & set(essential):
            c.child("optional").report(
                f"skill {skill!r} is both essential and optional", "keep one"
            )
        # A typo under essential: already reported; its importance line would only repeat it.
        clean = declared == set(essential)
        importance = self._importance(c, declared, clean) if c.has("importance") else {}
        onet = self._onet(c.child("onet")) if c.has("onet") else None
        kpis = tuple(self._kpi(item) for item in c.child("kpis").items()) if c.has("kpis") else ()
        training = (
            tuple(self._training_item(item, skills) for item in c.child("training").items())
            if c.has("training")
            else ()
        )
        # A bad KPI, training item or term is reported; the post stays, so strategies naming it
        # do not report it unknown as well.
        terms = read_post_terms(c) or PostTerms()
        return Role(
            id=ident,
            name=c.child("name").text() or ident,
            essential=frozen_map(essential),
            optional=optional,
            channels=c.child("channels").references(channels, "channel")
            if c.has("channels")
            else (),
            description=self._optional_text(c, "description"),
            onet=onet,
            esco=c.child("esco").text() if c.has("esco") else None,
            source=c.defined_at,
            importance=frozen_map(importance),
            kpis=tuple(kpi for kpi in kpis if kpi is not None),
            training=tuple(item for item in training if item is not None),
            terms=terms,
            translations=self._translations(c, "roles"),
        )

    @staticmethod
    def _onet(oc: Cursor) -> OnetRef | None:
        """`onet: {code, title}`: the post's nearest O*NET-SOC occupation."""
        if not oc.mapping(required=required_names(ONET)):
            return None
        code, title = oc.child("code").text(), oc.child("title").text()
        if code is not None and not re.fullmatch(ONET_CODE, code):
            oc.child("code").report(
                f"{code!r} is not an O*NET-SOC code", "write it like '13-1199.06'"
            )
        return OnetRef(code, title) if code and title else None

    @staticmethod
    def _importance(c: Cursor, essential: set[str], report: bool) -> dict[str, float]:
        """`importance: {skill: 1–5}`: how much each essential skill matters to the post."""
        found: dict[str, float] = {}
        for skill, weight_cursor in c.child("importance").entries():
            if skill not in essential:
                if not report:
                    continue
                weight_cursor.report(
                    f"{skill!r} is not an essential skill of this post",
                    "give an importance only to the skills under 'essential:'",
                    key=True,
                )
                continue
            weight = weight_cursor.value
            if (
                isinstance(weight, bool)
                or not isinstance(weight, int | float)
                or not (IMPORTANCE_LOW <= weight <= IMPORTANCE_HIGH)
            ):
                weight_cursor.report(
                    f"importance {weight!r} is not a number from 1 to 5",
                    "use O*NET's importance scale: 1 not important … 5 extremely important",
                )
                continue
            found[skill] = float(weight)
        return found

    def _strategy(
        self,
        c: Cursor,
        ident: str,
        modules: dict[str, Module],
        roles: dict[str, Role],
        channels: dict[str, Channel],
    ) -> Strategy | None:
        if not c.mapping(required=required_names(STRATEGY), optional=field_names(STRATEGY)):
            return None
        needs: list[ModuleNeed] = []
        seen: set[str] = set()
        for item in c.child("modules").items():
            if not item.mapping(required=required_names(MODULE_NEED)):
                continue
            module = item.child("module").reference(modules, "module")
            if module is None:
                continue
            if module in seen:
                item.child("module").report(
                    f"module {module!r} is listed twice", "merge the two entries"
                )
                continue
            seen.add(module)
            carried: list[tuple[str, Importance]] = []
            for role, imp in item.child("roles").entries():
                if role not in roles:
                    imp.report(f"unknown role {role!r}", did_you_mean(role, roles), key=True)
                    continue
                importance = imp.choice([i.value for i in Importance])
                if importance is not None:
                    carried.append((role, Importance(importance)))
            if carried:
                needs.append(ModuleNeed(module, tuple(carried)))
        if not needs:
            c.child("modules").report("a strategy needs at least one module with a role")
            return None
        return Strategy(
            id=ident,
            name=c.child("name").text() or ident,
            modules=tuple(needs),
            channels=c.child("channels").references(channels, "channel")
            if c.has("channels")
            else (),
            description=self._optional_text(c, "description"),
            translations=self._translations(c, "strategies"),
            goals=self._goals(c.child("goals")) if c.has("goals") else (),
        )

    # -- the plan's knowledge: goals, steps, KPIs, training -----------------------------------

    def _goals(self, c: Cursor) -> tuple[Goal, ...]:
        """A strategy's ``goals:``, each with an id unique in the strategy and a KPI."""
        found: dict[str, Goal] = {}
        for item in c.items():
            if not item.mapping(required=required_names(GOAL), optional=field_names(GOAL)):
                continue
            ident = item.child("id").identifier()
            if ident is not None and ident in found:
                item.child("id").report(
                    f"duplicate goal id {ident!r}", "a goal's id is unique within its strategy"
                )
                continue
            name, kpi = item.child("name").text(), item.child("kpi").text()
            translations = self._translations(item, "goals")
            if ident is not None and name is not None and kpi is not None:
                found[ident] = Goal(ident, name, kpi, translations)
        return tuple(found.values())

    def _step(self, c: Cursor) -> Step | None:
        """A work step: its id (unique across the pack and its base), posts, effort, order, spend."""
        if not c.mapping(required=required_names(STEP), optional=field_names(STEP)):
            return None
        ident = self._unique(c, "step", self.steps, self._base_steps())
        posts = self._step_posts(c.child("post")) if c.has("post") else ()
        effort = c.child("effort").integer(*limits(field_named(STEP, "effort")), _DAYS)
        after = c.child("after").text_list() if c.has("after") else ()
        stage = (
            c.child("stage").choice([s.value for s in Stage])
            if c.has("stage")
            else Stage.IMPLEMENTATION.value
        )
        spend = read_amount(c.child("spend")) if c.has("spend") else 0
        name = c.child("name").text()
        translations = self._translations(c, "steps")
        if (
            ident is None
            or name is None
            or posts is None
            or effort is None
            or stage is None
            or spend is None
        ):
            return None
        return Step(
            ident, name, posts, effort, after, Stage(stage), spend, c.defined_at, translations
        )

    def _step_posts(self, c: Cursor) -> tuple[str, ...] | None:
        """``post: seo-specialist`` or ``post: [seo-specialist, content-editor]``, preferred first."""
        before = len(c.problems)
        if isinstance(c.value, list):
            posts = c.references(self.role_ids, "role")
            if not c.value:
                c.report("a step's post list is empty", "name at least one post, or leave it out")
        else:
            post = c.reference(self.role_ids, "role")
            posts = (post,) if post is not None else ()
        return posts if len(c.problems) == before else None

    def _unique(
        self, c: Cursor, kind: str, seen: dict[str, Cursor], inherited: set[str]
    ) -> str | None:
        """The id of the entry at `c`, unique across the pack (and the pack it extends); `seen`
        records where each entry is."""
        ident = c.child("id").identifier()
        if ident is None:
            return None
        if ident in inherited:
            c.child("id").report(
                f"{kind} {ident!r} is already defined by the pack this one extends",
                "pick a new id",
            )
            return None
        if ident in seen:
            c.child("id").report(
                f"duplicate {kind} id {ident!r}",
                f"first defined at {seen[ident].defined_at}; ids must be unique across the pack",
            )
            return None
        seen[ident] = c
        return ident

    def _base_steps(self) -> set[str]:
        modules = self.base.modules.values() if self.base is not None else ()
        return {step.id for module in modules for step in module.steps}

    def _kpi(self, c: Cursor) -> Kpi | None:
        """A post's KPI: what it is assessed on."""
        if not c.mapping(required=required_names(KPI), optional=field_names(KPI)):
            return None
        name = c.child("name").text()
        translations = self._translations(c, "kpis")
        return Kpi(name, translations) if name is not None else None

    def _training_item(self, c: Cursor, skills: Mapping[str, Skill]) -> TrainingItem | None:
        """A post's typical training: the skills it lifts one level, its days and cost."""
        if not c.mapping(required=required_names(TRAINING), optional=field_names(TRAINING)):
            return None
        roles = self.base.roles.values() if self.base is not None else ()
        inherited = {item.id for role in roles for item in role.training}
        ident = self._unique(c, "training item", self.training, inherited)
        name = c.child("name").text()
        lifted = c.child("skills").references(skills, "skill")
        if c.child("skills").value == []:
            c.child("skills").report(
                "a training item lifts at least one skill", "name the skills it teaches"
            )
        days = c.child("days").integer(*limits(field_named(TRAINING, "days")), _DAYS)
        cost = read_amount(c.child("cost")) if c.has("cost") else 0
        translations = self._translations(c, "training")
        if ident is None or name is None or not lifted or days is None or cost is None:
            return None
        return TrainingItem(ident, name, lifted, days, cost, translations)

    def _check_steps(self, modules: Mapping[str, Module]) -> None:
        """Every ``after:`` names a step of the pack (or its base), and no steps wait in a cycle."""
        steps = {step.id: step for module in modules.values() for step in module.steps}
        # A step with a bad field of its own is reported already: it is still a known step.
        known = set(steps) | set(self.steps)
        for ident, cursor in self.steps.items():
            step = steps.get(ident)
            item = cursor.child("after") if step is not None else None
            if step is None or item is None or not step.after:
                continue
            for index, prior in enumerate(step.after):
                if prior == ident:
                    item.child(index).report(f"step {ident!r} waits for itself", "remove it")
                elif prior not in known:
                    item.child(index).report(
                        f"unknown step {prior!r}",
                        did_you_mean(prior, known) or "name a step of any module of the pack",
                    )
                elif step.after.index(prior) != index:
                    item.child(index).report(f"step {prior!r} is listed twice", "keep one")
                elif prior in steps and _STAGES.index(steps[prior].stage) > _STAGES.index(
                    step.stage
                ):
                    item.child(index).report(
                        f"step {ident!r} ({step.stage.value}) waits for {prior!r} "
                        f"({steps[prior].stage.value}), a later stage",
                        "the stages run in order: goals, analysis, implementation",
                    )
        # Steps that failed to build, unknown ids and a step waiting for itself are reported
        # above: the cycles are looked for among the rest.
        graph = {
            ident: [p for p in step.after if p in steps and p != ident]
            for ident, step in steps.items()
        }
        try:
            tuple(graphlib.TopologicalSorter(graph).static_order())
        except graphlib.CycleError as exc:
            cycle = list(exc.args[1])
            own = next((s for s in cycle if s in self.steps), cycle[0])
            place = self.steps[own].child("after") if own in self.steps else None
            chain = " → ".join(cycle)
            message = f"steps {chain} depend on each other"
            hint = "remove one of their 'after:' entries"
            if place is not None:
                place.report(message, hint)
            else:
                self.problems.append(Problem(message, Location(str(self.root)), hint))

    def _rule(
        self,
        c: Cursor,
        ident: str,
        skills: dict[str, Skill],
        roles: dict[str, Role],
        channels: dict[str, Channel],
    ) -> Rule | None:
        if not c.has("kind"):
            c.mapping(required=_COMMON_RULE_FIELDS, optional=None)
            return None
        kind_name = c.child("kind").choice(list(KINDS))
        if kind_name is None:
            return None
        kind = KINDS[kind_name]
        allowed = (*_COMMON_RULE_FIELDS, *_OPTIONAL_RULE_FIELDS, *kind.REQUIRED, *kind.OPTIONAL)
        if not c.mapping(required=(*_COMMON_RULE_FIELDS, *kind.REQUIRED), optional=allowed):
            return None
        severity = c.child("severity").choice([s.value for s in Severity])
        if severity is not None and not _within_ceiling(c.child("severity"), kind_name):
            severity = None
        message = self._message(c.child("message"), kind_name, kind.PLACEHOLDERS)
        remediation = self._remediation(c.child("remediation"))
        example = self._example(c.child("example"))
        spec = kind.parse(c, PackIds(skills, roles, channels, self.module_ids))
        enabled = self._enabled(c)
        title, rationale = c.child("title").text(), c.child("rationale").text()
        if (
            severity is None
            or message is None
            or remediation is None
            or example is None
            or spec is None
            or title is None
            or rationale is None
            or enabled is None
        ):
            return None
        if c.has("examples"):
            self.examples.append((ident, c.child("examples")))
        return Rule(
            id=ident,
            title=title,
            kind=kind_name,
            severity=Severity(severity),
            message=message,
            rationale=rationale,
            remediation=remediation,
            example=example,
            spec=spec,
            source=c.defined_at,
            enabled=enabled,
            translations=self._translations(c, "rules", kind.PLACEHOLDERS),
        )

    @staticmethod
    def _message(c: Cursor, kind: str, offered: frozenset[str]) -> str | None:
        """A message template whose every placeholder is one the rule's kind fills in."""
        message = c.text()
        if message is not None:
            for name in PLACEHOLDER.findall(message):
                if name not in offered:
                    c.report(
                        f"unknown placeholder {{{name}}} in message",
                        did_you_mean(name, offered)
                        or f"{kind} rules offer: {', '.join(sorted(offered))}",
                    )
                    message = None
        return message

    @staticmethod
    def _enabled(c: Cursor) -> bool | None:
        if not c.has("enabled"):
            return True
        value = c.child("enabled").value
        if not isinstance(value, bool):
            c.child("enabled").report("enabled must be true or false")
            return None
        return value

    @staticmethod
    def _remediation(c: Cursor) -> Remediation | None:
        if not c.mapping(required=required_names(REMEDIATION)):
            return None
        action, text = c.child("action").choice([a.value for a in Action]), c.child("text").text()
        return Remediation(Action(action), text) if action and text else None

    @staticmethod
    def _example(c: Cursor) -> Example | None:
        if not c.mapping(required=required_names(EXAMPLE)):
            return None
        looks, actual = c.child("looks_like").text(), c.child("actually_is").text()
        return Example(looks, actual) if looks and actual else None


def _declared_languages(c: Cursor) -> tuple[str, ...] | None:
    """``languages: [en, zh]``: language codes, English (the source) first, each once."""
    codes = c.text_list()
    if len(codes) != len(c.value if isinstance(c.value, list) else ()):
        return None
    for index, code in enumerate(codes):
        if not LANGUAGE_CODE.match(code):
            c.child(index).report(
                tr("{code!r} is not a language code", code=code),
                tr("write a two-letter code such as 'zh'"),
            )
            return None
        if code in codes[:index]:
            c.child(index).report(
                tr("language {code!r} is listed twice", code=code), tr("keep one")
            )
            return None
    if not codes or codes[0] != SOURCE:
        c.report(
            tr("the pack's languages must start with English, its source language"),
            tr("write 'languages: [en, ...]'"),
        )
        return None
    return tuple(codes)


#: Essay 001's stages in the order they run.
_STAGES = tuple(Stage)
#: What `rules validate` calls an entry of each section.
_KIND_OF = {
    "skills": "skill",
    "channels": "channel",
    "modules": "module",
    "roles": "role",
    "strategies": "strategy",
    "rules": "rule",
    "goals": "goal",
    "steps": "step",
    "kpis": "KPI",
    "training": "training item",
}


def _has_english(c: Cursor, label: str) -> bool:
    """The entry has this label in English (a rule's remediation text and example are nested)."""
    if label == "remediation":
        return c.has("remediation") and c.child("remediation").has("text")
    if label in ("looks_like", "actually_is"):
        return c.has("example") and c.child("example").has(label)
    return c.has(label)


def _within_ceiling(c: Cursor, kind: str) -> bool:
    """A severity the rule's kind allows (a skill nobody showed, or a job title, never blocks)."""
    ceiling = severity_ceiling(kind)
    if ceiling is None or Severity(c.value) <= ceiling:
        return True
    c.report(
        f"a {kind} rule can be at most {ceiling.value}, not {c.value}",
        "its findings ask or inform from indirect evidence; they never decide a verdict",
    )
    return False


def load_strategy_file(path: Path, kb: KnowledgeBase) -> Strategy:
    """A strategy defined in its own YAML file (one strategy mapping), checked against `kb`."""
    doc = load_yaml(path)
    problems: list[Problem] = []
    reader = _PackReader(Path(kb.root), problems)
    reader.languages = kb.languages
    cursor = Cursor(doc, (), problems)
    strategy = None
    if isinstance(doc.data, dict) and "strategies" in doc.data:
        raise doc.error(
            ("strategies",),
            "this file holds a 'strategies:' list, as a pack does",
            "a strategy file holds one strategy, with id, name and modules at the top",
            key=True,
        )
    if cursor.mapping(required=("id",), optional=None):
        ident = cursor.child("id").identifier()
        if ident is not None:
            strategy = reader._strategy(
                cursor, ident, dict(kb.modules), dict(kb.roles), dict(kb.channels)
            )
    if problems or strategy is None:
        raise StaffcheckError(problems or [Problem("not a strategy", Location(str(path)))])
    return strategy if language() == SOURCE else localised(strategy, language())


def find_strategy(kb: KnowledgeBase, strategy_id: str) -> Strategy:
    """The strategy with this id, or an error that suggests the closest one."""
    try:
        return kb.strategies[strategy_id]
    except KeyError:
        hint = did_you_mean(strategy_id, kb.strategies) or f"known: {', '.join(kb.strategies)}"
        raise StaffcheckError.at(f"unknown strategy {strategy_id!r}", hint=hint) from None


def strategy_files(value: str | None) -> list[Path]:
    """The file a ``--strategy`` value names, if it names one: an input, never written over."""
    return [Path(value)] if value is not None and Path(value).is_file() else []


def resolve_strategy(kb: KnowledgeBase, value: str | None) -> Strategy | None:
    """A ``--strategy`` value: a YAML file with one strategy, or an id of the pack (None: none)."""
    if value is None:
        return None
    if value.endswith((".yaml", ".yml")) or strategy_files(value):
        return load_strategy_file(Path(value), kb)
    return find_strategy(kb, value)


@dataclass(frozen=True, slots=True)
class PackCheck:
    """``rules validate``: why a pack does not load, or what it holds and its warnings."""

    directory: Path
    #: every problem that stops the pack from loading (none: it loads)
    problems: tuple[Problem, ...] = ()
    #: consistency warnings of a pack that loads (`lint_knowledge`)
    warnings: tuple[str, ...] = ()
    #: what a pack that loads holds: strategies, roles, skills and rules, counted
    counts: Mapping[str, int] | None = None

    @property
    def ok(self) -> bool:
        """The pack loads: ``rules validate`` exits 0."""
        return not self.problems


def check_pack(directory: Path) -> PackCheck:
    """Load the pack at `directory`, collecting every problem; a missing directory is an error."""
    pack_files(directory)  # no such directory: a usage error, not a problem of a pack
    try:
        kb = load_knowledge(directory)
    except StaffcheckError as exc:
        return PackCheck(directory, problems=tuple(exc.problems))
    counts = frozen_map(
        {
            "strategies": len(kb.strategies),
            "roles": len(kb.roles),
            "skills": len(kb.skills),
            "rules": len(kb.rules),
        }
    )
    warnings = (*lint_knowledge(kb), *missing_labels(directory))
    return PackCheck(directory, warnings=warnings, counts=counts)


def missing_labels(root: Path) -> tuple[str, ...]:
    """One warning per entry of the pack's own files missing a label in a language it declares."""
    return tuple(
        tr(
            "{place}: warning: {kind} {id!r} has no {lang} translation of {fields}",
            place=m.place,
            kind=m.kind,
            id=m.id,
            lang=m.lang,
            fields=", ".join(m.fields),
        )
        for m in _loaded(root, ()).missing_labels
    )
