"""The project configuration: ``staffcheck.yaml`` or ``[tool.staffcheck]`` in pyproject.toml,
found from the current directory up, and the ``STAFFCHECK_*`` environment variables above it.

Precedence, highest first: a command-line flag, the environment (``STAFFCHECK_RULES``,
``STAFFCHECK_LANG``), the configuration file, the built-in default (docs/configuration.md).
The search looks in each directory from the current one up for ``staffcheck.yaml``, then
``.staffcheck.yaml``, then a ``pyproject.toml`` that has a ``[tool.staffcheck]`` table (one
without it does not count); the nearest directory that has one wins. It stops at the root of
the repository (the directory holding ``.git``) or of the file system: a configuration above
the repository belongs to another project.

Finding nothing costs a few ``stat`` calls per directory; ``tomllib`` is imported, and a
pyproject.toml parsed, only when its text mentions staffcheck as a tool. A directory that
cannot be searched (no permission, a path too long) ends the search quietly; a configuration
file that is there but cannot be used (unreadable, a directory, a dangling link, a pipe) is an
error naming it.

`gather_settings` keeps each problem with the setting it spoils (`Flaw`), so the command line
can leave aside what a flag overrides or the command does not use; `load_settings` raises them.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from staffcheck.errors import Problem, StaffcheckError
from staffcheck.i18n import tr
from staffcheck.model import Location, Severity

if TYPE_CHECKING:
    from staffcheck.schema import Cursor
    from staffcheck.yamlio import Document

#: Configuration files looked for in each directory, the first found winning.
CONFIG_NAMES = ("staffcheck.yaml", ".staffcheck.yaml")
PYPROJECT = "pyproject.toml"
#: The keys a configuration may set, as written; ``fail_on`` is another spelling of ``fail-on``.
KEYS = ("rules", "strategy", "lang", "fail-on")
SPELLINGS = {"fail_on": "fail-on"}
#: Keys a configuration cannot set, and why.
REFUSED = {
    "format": "the format is chosen per run: --format, or the --output file's suffix",
    "output": "the output file is chosen per run: --output FILE",
}
#: Environment variables (set and not empty) that override the file's settings.
RULES_VARIABLE, LANG_VARIABLE, NO_CONFIG_VARIABLE = (
    "STAFFCHECK_RULES",
    "STAFFCHECK_LANG",
    "STAFFCHECK_NO_CONFIG",
)
#: STAFFCHECK_NO_CONFIG's values: these turn the search off; these (or unset) leave it on.
SWITCHED_OFF, LEFT_ON = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")
#: The most of a pyproject.toml read to see whether it configures staffcheck.
PYPROJECT_LIMIT = 20_000_000
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# What a pyproject.toml that configures staffcheck must contain, so any other is not parsed.
_TOOL_TABLE = re.compile(rb"tool\s*\.\s*[\"']?staffcheck[\"']?\s*[\].=]")
_BARE_TOOL = re.compile(rb"^\s*\[\s*tool\s*\]", re.M)


@dataclass(frozen=True, slots=True)
class Setting:
    """One value and where it was set: a place in a configuration file, or a variable's name."""

    value: str
    origin: Location

    @property
    def source(self) -> str:
        """Where the value comes from, as a user reads it (``staffcheck.yaml:3``)."""
        line = self.origin.line
        return self.origin.path if line is None else f"{self.origin.path}:{line}"


@dataclass(frozen=True, slots=True)
class Flaw:
    """A problem in the configuration or the environment, and the setting it spoils (its
    argparse dest; None: the file as a whole, which no flag can override)."""

    dest: str | None
    problem: Problem


@dataclass(frozen=True, slots=True)
class Settings:
    """What the configuration and the environment set (None: left to the default).

    `rules` is a directory and `strategy` an id or a strategy file, both as paths usable from
    the current directory; `fail_on` a severity; `lang` a language code."""

    file: str | None = None
    rules: Setting | None = None
    strategy: Setting | None = None
    lang: Setting | None = None
    fail_on: Setting | None = None
    flaws: tuple[Flaw, ...] = ()

    def get(self, dest: str) -> Setting | None:
        """The setting of the option whose argparse dest is `dest`, if any."""
        return getattr(self, dest, None) if dest in SETTING_DESTS else None


SETTING_DESTS = frozenset(f.name for f in fields(Settings)) - {"file", "flaws"}


def load_settings(
    start: Path | None = None,
    explicit: Path | None = None,
    *,
    ignore_files: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The settings in effect: `explicit` (``--config``), else the configuration found from
    `start` up (none with `ignore_files` or STAFFCHECK_NO_CONFIG), then the environment's;
    every problem found raised as one StaffcheckError."""
    settings = gather_settings(start, explicit, ignore_files=ignore_files, environ=environ)
    if settings.flaws:
        raise StaffcheckError(flaw.problem for flaw in settings.flaws)
    return settings


def gather_settings(
    start: Path | None = None,
    explicit: Path | None = None,
    *,
    ignore_files: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """As `load_settings`, but every problem kept in ``flaws`` with the setting it spoils."""
    env = os.environ if environ is None else environ
    try:
        if explicit is not None:
            settings = read_config(explicit, str(explicit), explicit=True)
        else:
            settings = Settings()
            off, flaw = _switched_off(env)
            if flaw is not None:
                settings = Settings(flaws=(flaw,))
            elif not ignore_files and not off:
                found = find_config(start)
                if found is not None:
                    settings = read_config(found, _shown(found))
    except StaffcheckError as exc:
        settings = Settings(flaws=tuple(Flaw(None, problem) for problem in exc.problems))
    except OSError as exc:  # a race, or a file system stranger than the checks above
        problem = Problem(tr("cannot read the configuration: {problem}",
                             problem=exc.strerror or str(exc)), Location(str(exc.filename or "")))  # fmt: skip
        settings = Settings(flaws=(Flaw(None, problem),))
    return with_environment(settings, env)


def _switched_off(env: Mapping[str, str]) -> tuple[bool, Flaw | None]:
    """Whether STAFFCHECK_NO_CONFIG turns the search off; a value that is neither is a flaw."""
    value = env.get(NO_CONFIG_VARIABLE, "").strip().lower()
    if value in SWITCHED_OFF or value in LEFT_ON:
        return value in SWITCHED_OFF, None
    problem = Problem(
        tr("{value} is neither on nor off", value=repr(value)),
        Location(NO_CONFIG_VARIABLE),
        tr("set it to 1, true, yes or on to read no configuration file; 0, false, no, off or "
           "empty to read it"),
    )  # fmt: skip
    return False, Flaw(None, problem)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest configuration file from `start` (the current directory) up, if any; a
    directory that cannot be searched ends the search (the user cannot see what is there)."""
    try:
        here = (start or Path.cwd()).absolute()
    except OSError:  # the current directory was removed
        return None
    try:
        for directory in (here, *here.parents):
            for name in CONFIG_NAMES:
                if _present(directory / name):
                    return directory / name  # read_config says what is wrong with it, if anything
            if _present(directory / PYPROJECT) and _configures_staffcheck(directory / PYPROJECT):
                return directory / PYPROJECT
            if _present(directory / ".git"):
                return None  # the repository's root: what lies above is another project's
    except _Unsearchable:
        return None
    return None


class _Unsearchable(Exception):
    """A directory on the way up whose entries cannot be looked at."""


def _present(path: Path) -> bool:
    """Whether there is an entry named `path` (a dangling link counts: it is there, broken)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, ValueError) as exc:  # EACCES, ENAMETOOLONG, ELOOP on the way…
        raise _Unsearchable from exc
    return True


def _configures_staffcheck(pyproject: Path) -> bool:
    """Whether this pyproject.toml has a ``[tool.staffcheck]`` table; one that cannot be read
    (a pipe, a device, unreadable, huge) is an error: it might configure staffcheck."""
    raw = _pyproject_bytes(pyproject, _shown(pyproject))
    if not (_TOOL_TABLE.search(raw) or (_BARE_TOOL.search(raw) and b"staffcheck" in raw)):
        return False
    return _tool_table(raw, _shown(pyproject)) is not None


def _pyproject_bytes(path: Path, display: str) -> bytes:
    """The bytes of a pyproject.toml, never blocking on a pipe nor reading a device forever."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise StaffcheckError.at(
                tr("is not a regular file (a device or pipe?)"), display,
                hint=tr("replace it with a file, or run with --no-config"),
            )  # fmt: skip
        with path.open("rb") as handle:
            raw = handle.read(PYPROJECT_LIMIT + 1)
    except OSError as exc:  # unreadable, a dangling or looping link
        raise StaffcheckError.at(
            tr("cannot read: {problem}", problem=exc.strerror or str(exc)), display,
            hint=tr("fix it, or run with --no-config"),
        ) from None  # fmt: skip
    if len(raw) > PYPROJECT_LIMIT:
        raise StaffcheckError.at(
            tr("file is over the {limit}-byte limit", limit=f"{PYPROJECT_LIMIT:,}"), display,
            hint=tr("fix it, or run with --no-config"),
        )  # fmt: skip
    return raw


def _shown(path: Path) -> str:
    """A found file as errors name it: relative to the current directory."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def read_config(path: Path, display: str, *, explicit: bool = False) -> Settings:
    """The settings of one configuration file (YAML, or a pyproject.toml's table); every
    problem in it is a StaffcheckError naming the file, the line and the key."""
    if path.suffix == ".toml":
        from staffcheck.yamlio import read_text

        text = read_text(path, display)
        table = _tool_table(text.encode(), display)
        if table is None:
            raise StaffcheckError.at(
                tr("has no [tool.staffcheck] table"),
                display,
                hint=tr("add one, or name a staffcheck.yaml"),
            )
        return _settings_of(_toml_document(table, text, display), path.parent, display)
    document = _yaml_document(path, display)
    if document is None:  # only comments: a configuration that sets nothing yet
        return Settings(file=display)
    return _settings_of(document, path.parent, display)


def _yaml_document(path: Path, display: str) -> Document | None:
    from staffcheck.yamlio import parse_yaml, read_text

    text = read_text(path, display)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return None
    return parse_yaml(text, display)


def _tool_table(raw: bytes, display: str) -> object | None:
    """``[tool.staffcheck]`` of a pyproject.toml's text (None: it has none); a TOML syntax
    error is one line naming the file and the line."""
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StaffcheckError.at(
            tr("not UTF-8 text"), display, hint=tr("save the file as UTF-8")
        ) from None
    except tomllib.TOMLDecodeError as exc:
        place = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(exc))
        problem = str(exc)[: place.start()] if place else str(exc)
        line, column = (int(place[1]), int(place[2])) if place else (None, None)
        raise StaffcheckError.at(
            tr("invalid TOML: {problem}", problem=problem), display, line, column,
            hint=tr("fix the syntax, or run with --no-config"),
        ) from None  # fmt: skip
    tool = data.get("tool")
    return tool.get("staffcheck") if isinstance(tool, dict) else None


def _toml_document(table: object, text: str, display: str) -> Document:
    """The table as a `Document`, each key placed on the line that sets it (tomllib keeps no
    places; a key not written in the ``[tool.staffcheck]`` section itself is placed at it)."""
    from staffcheck.yamlio import Document

    lines = text.splitlines()
    header = re.compile(r"\s*\[\s*tool\s*\.\s*[\"']?staffcheck[\"']?\s*\]")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    marks: dict[tuple[str | int, ...], tuple[int, int]] = {}
    if start is not None:
        marks[()] = (start + 1, 1)
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")),
            len(lines),
        )
        for key in table if isinstance(table, dict) else ():
            pattern = re.compile(rf"(\s*)[\"']?{re.escape(key)}[\"']?\s*=")
            for i in range(start + 1, end):
                match = pattern.match(lines[i])
                if match:
                    marks[(key,)] = (i + 1, len(match[1]) + 1)
                    break
    return Document(display, table, marks, marks)


def _settings_of(document: Document, base: Path, display: str) -> Settings:
    """Every key checked (unknown ones with a did-you-mean), every problem kept as a `Flaw`
    with the setting it spoils (None for an unknown key or a file that is not a mapping)."""
    from staffcheck.schema import Cursor, did_you_mean

    problems: list[Problem] = []
    owners: list[str | None] = []  # the dest each problem spoils, in step with `problems`
    root = Cursor(document, (), problems)
    found: dict[str, Setting] = {}
    for key, cursor in root.entries():
        owners += [None] * (len(problems) - len(owners))
        name = SPELLINGS.get(key, key)
        if key in REFUSED:
            cursor.report(tr("{key} cannot be set here", key=repr(key)), tr(REFUSED[key]), key=True)
        elif name not in KEYS:
            hint = did_you_mean(key, (*KEYS, *SPELLINGS)) or tr(
                "the keys are: {keys}", keys=", ".join(KEYS)
            )
            cursor.report(tr("unknown key {key}", key=repr(key)), hint, key=True)
        elif name in found:
            cursor.report(
                tr("{key} is set twice (fail-on and fail_on)", key=name),
                tr("keep one"),
                key=True,
            )
        else:
            value = _checked(name, cursor, base, display)
            owners += [name.replace("-", "_")] * (len(problems) - len(owners))
            if value is not None:
                found[name] = Setting(value, document.locate(cursor.where))
    owners += [None] * (len(problems) - len(owners))
    return Settings(
        file=display,
        rules=found.get("rules"),
        strategy=found.get("strategy"),
        lang=found.get("lang"),
        fail_on=found.get("fail-on"),
        flaws=tuple(Flaw(dest, problem) for dest, problem in zip(owners, problems, strict=True)),
    )


def _checked(name: str, cursor: Cursor, base: Path, display: str) -> str | None:
    """The value of the key `name`, checked (a problem reported on `cursor` if it is bad)."""
    text = cursor.text()
    if text is None:
        return None
    text = text.strip()
    if name == "rules":
        return _directory(cursor, _joined(base, text), display)
    if name == "strategy":
        if text.endswith((".yaml", ".yml")):  # a strategy file, like --strategy FILE
            return _strategy_file(cursor, _joined(base, text), display)
        return cursor.identifier()
    if name == "lang":
        if not LANGUAGE_CODE.fullmatch(text.lower()):
            cursor.report(
                tr("lang {value} is not a language code", value=repr(text)),
                tr("use a code such as zh or en"),
            )
            return None
        return text.lower()
    return _severity(cursor, text)


def _joined(base: Path, text: str) -> Path:
    """A path the configuration gives, relative to its own directory (``~`` is the home)."""
    return Path(os.path.normpath(base / Path(text).expanduser()))


def _directory(cursor: Cursor, path: Path, display: str) -> str | None:
    if path.is_dir():
        return str(path)
    cursor.report(
        tr("rules: no knowledge-pack directory at {path}", path=str(path)),
        tr("a relative path is read from {file}'s directory", file=display),
    )
    return None


def _strategy_file(cursor: Cursor, path: Path, display: str) -> str | None:
    if path.is_file():
        return str(path)
    cursor.report(
        tr("strategy: no such file {path}", path=str(path)),
        tr("a relative path is read from {file}'s directory", file=display),
    )
    return None


def _severity(cursor: Cursor, text: str) -> str | None:
    from staffcheck.schema import did_you_mean

    known = [severity.value for severity in Severity]
    if text.lower() in known:
        return text.lower()
    cursor.report(
        tr("fail-on {value} is not a severity", value=repr(text)),
        did_you_mean(text.lower(), known) or tr("one of: {options}", options=", ".join(known)),
    )
    return None


def with_environment(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """`settings` with what STAFFCHECK_RULES and STAFFCHECK_LANG set (an empty one is unset);
    a variable that is set overrides the file's value, and the file's problems with it."""
    rules = environ.get(RULES_VARIABLE, "").strip()
    if rules:
        path = Path(rules).expanduser()
        if path.is_dir():
            settings = _overridden(settings, "rules", Setting(str(path), Location(RULES_VARIABLE)))
        else:
            settings = _overridden(settings, "rules", None, Problem(
                tr("no knowledge-pack directory at {path}", path=str(path)),
                Location(RULES_VARIABLE),
                tr("set {variable} to a pack directory, or unset it", variable=RULES_VARIABLE),
            ))  # fmt: skip
    lang = environ.get(LANG_VARIABLE, "").strip().lower()
    if lang:
        if LANGUAGE_CODE.fullmatch(lang):
            settings = _overridden(settings, "lang", Setting(lang, Location(LANG_VARIABLE)))
        else:
            settings = _overridden(settings, "lang", None, Problem(
                tr("{value} is not a language code", value=repr(lang)),
                Location(LANG_VARIABLE),
                tr("set {variable} to a code such as zh or en, or unset it",
                   variable=LANG_VARIABLE),
            ))  # fmt: skip
    return settings


def _overridden(
    settings: Settings, dest: str, setting: Setting | None, problem: Problem | None = None
) -> Settings:
    """`settings` with a variable's value for `dest` (or, when it is bad, its `problem`): the
    file's value and the file's problems with it no longer count."""
    flaws = tuple(flaw for flaw in settings.flaws if flaw.dest != dest)
    if problem is not None:
        flaws += (Flaw(dest, problem),)
    settings = replace(settings, flaws=flaws)
    if setting is None:
        return settings
    return replace(settings, rules=setting) if dest == "rules" else replace(settings, lang=setting)
