"""Declared-schema reading of YAML documents: typed fields, precise places, collected problems.

A `Cursor` points at one value of a `Document`. Its accessors check a field's type and range and,
when something is wrong, record a `Problem` at the right line and return ``None`` instead of
raising, so a loader can report every problem in a file at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from staffcheck.errors import Problem
from staffcheck.i18n import tr, tr_in
from staffcheck.model import Location
from staffcheck.yamlio import Document, PathKey

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MIN_LEVEL, MAX_LEVEL = 0, 5
#: The longest an id may be (a person's, a pack entry's): ids are printed in every table.
MAX_ID_LENGTH = 200
#: The longest any text of a file may be where its field declares no shorter limit (a rule's
#: message, a waiver's reason, a team's name): longer is not prose but a mistake or an attack.
MAX_TEXT_LENGTH = 10_000
#: How much of a value of the file an error message quotes.
QUOTED_LENGTH = 40
_SURROGATE = re.compile("[\ud800-\udfff]")


#: How a declared field is read: by which `Cursor` accessor (`staffcheck schema` turns each into JSON Schema).
Shape = Literal[
    "text",  # text(): any scalar but null, as written (007, 2024-01-05, yes stay text)
    "id",  # identifier(): kebab-case (ID_PATTERN)
    "integer",  # integer(low, high)
    "number",  # number(low, high)
    "flag",  # true or false
    "date",  # YYYY-MM-DD
    "choice",  # choice(choices)
    "reference",  # reference(): an id of the pack's `target` section
    "references",  # references(): a list of such ids, each once
    "text_list",  # text_list()
    "by_id",  # {id of `target` (or one of `choices`): a value read as the one nested field}
    "mapping",  # a mapping of the nested `fields`
    "list",  # a list of mappings of the nested `fields`
    "list_of",  # a list of values, each read as the one nested field
    "translations",  # {language: {label of the `target` section: text}}
    "any",  # read by code of its own, or not read at all
]


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a mapping a loader reads: its name, how it is read, and its limits.

    The loader takes its required and allowed keys and its limits from these declarations, and
    `staffcheck schema` turns the same declarations into JSON Schema, so the two cannot drift.
    """

    name: str
    shape: Shape
    required: bool = False
    low: int | None = None
    high: int | None = None
    #: the longest a text (or each text of a list) may be
    max_length: int | None = None
    max_items: int | None = None
    #: the pack section (skills, roles, channels, strategies, rules…) a reference names
    target: str | None = None
    choices: tuple[str, ...] = ()
    #: a regular expression a text must match
    pattern: str | None = None
    #: the fewest entries a list or mapping may have
    min_items: int | None = None
    #: the fields of a nested mapping, or of each mapping of a list
    fields: tuple[Field, ...] = ()


def field_names(fields: Iterable[Field]) -> tuple[str, ...]:
    """The keys a mapping of these fields may have, in declaration order."""
    return tuple(f.name for f in fields)


def required_names(fields: Iterable[Field]) -> tuple[str, ...]:
    """The keys a mapping of these fields must have."""
    return tuple(f.name for f in fields if f.required)


def optional_names(fields: Iterable[Field]) -> tuple[str, ...]:
    """The keys a mapping of these fields may leave out."""
    return tuple(f.name for f in fields if not f.required)


def field_named(fields: Iterable[Field], name: str) -> Field:
    """The declaration of one field (a loader reads its limits from it)."""
    return next(f for f in fields if f.name == name)


def limits(declared: Field) -> tuple[int, int]:
    """The range a declared number must be in (a declaration of a number always has both ends)."""
    if declared.low is None or declared.high is None:
        raise ValueError(f"field {declared.name!r} is declared without its range")
    return declared.low, declared.high


def did_you_mean(value: str, known: Iterable[str]) -> str | None:
    """A hint naming the closest known id, or ``None`` when nothing is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return tr("did you mean {known}?", known=repr(close[0])) if close else None


def _number(value: float) -> str:
    """A number as the user would read it; huge ones are not printed digit by digit."""
    if isinstance(value, int) and value.bit_length() > 64:
        return tr("(a number with hundreds of digits)")
    return repr(value)


def _type_name(value: Any) -> str:
    if value is None:
        return tr("nothing")
    if isinstance(value, bool):
        return tr("{value} (a yes/no value)", value=str(value).lower())
    if isinstance(value, dict):
        return tr("a mapping")
    if isinstance(value, list):
        return tr("a list")
    if isinstance(value, str):
        return tr("text {text}", text=repr(value)) if len(value) < 40 else tr("text")
    if isinstance(value, int | float):
        return f"{type(value).__name__} {_number(value)}"
    return tr("a {type}", type=type(value).__name__)


def _not_a(field: str, shape: str, value: Any) -> str:
    """What a field must be and what it is instead."""
    return tr(
        "{field} must be {shape}, not {found}", field=field, shape=shape, found=_type_name(value)
    )


@dataclass(slots=True)
class Cursor:
    """A place in a document, and the list that collects problems found below it."""

    doc: Document
    where: PathKey
    problems: list[Problem]

    @property
    def value(self) -> Any:
        node: Any = self.doc.data
        for step in self.where:
            node = node[step]
        return node

    def child(self, key: str | int) -> Cursor:
        return Cursor(self.doc, (*self.where, key), self.problems)

    def report(self, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append(Problem(message, self.doc.locate(self.where, key=key), hint))

    @property
    def defined_at(self) -> Location:
        """Where this value begins, to the line: what a definition records as its ``source``."""
        line, _ = self.doc.mark(self.where)
        return Location(self.doc.path, line)

    @property
    def label(self) -> str:
        """The field's name as a user would write it, e.g. ``skills.seo``."""
        return ".".join(str(step) for step in self.where if isinstance(step, str)) or "document"

    # -- shapes ---------------------------------------------------------------------------------

    def mapping(
        self, required: Collection[str] = (), optional: Collection[str] | None = ()
    ) -> bool:
        """Check this is a mapping with all `required` keys and no keys outside both sets.

        ``optional=None`` leaves the mapping open: other keys are checked elsewhere.
        """
        value = self.value
        if not isinstance(value, dict):
            self.report(_not_a(self.label, tr("a mapping"), value))
            return False
        allowed = set(required) | set(optional or ())
        ok = True
        for key in value:
            if optional is not None and key not in allowed:
                hint = did_you_mean(key, allowed) or tr(
                    "allowed: {fields}", fields=", ".join(sorted(allowed))
                )
                self.child(key).report(tr("unknown field {key}", key=repr(key)), hint, key=True)
                ok = False
        for key in required:
            if key not in value:
                self.report(
                    tr("missing required field {key}", key=repr(key)),
                    tr("add '{key}:'", key=key),
                )
                ok = False
        return ok

    def items(self) -> Iterator[Cursor]:
        """Cursors on the elements of a list (reports a problem if this is not a list)."""
        value = self.value
        if not isinstance(value, list):
            self.report(_not_a(self.label, tr("a list"), value))
            return
        for index in range(len(value)):
            yield self.child(index)

    def entries(self) -> Iterator[tuple[str, Cursor]]:
        """(key, cursor) pairs of a mapping (reports a problem if this is not a mapping)."""
        value = self.value
        if not isinstance(value, dict):
            self.report(_not_a(self.label, tr("a mapping"), value))
            return
        for key in value:
            yield key, self.child(key)

    def has(self, key: str) -> bool:
        value = self.value
        return isinstance(value, dict) and key in value

    # -- scalars --------------------------------------------------------------------------------

    def text(self, *, allow_empty: bool = False, longest: int = MAX_TEXT_LENGTH) -> str | None:
        """A text, as written (see `Shape`), at most `longest` characters long."""
        value = self.value
        raw = self.doc.raw_text.get(self.where)
        if raw is not None:
            text = raw  # as written: 007 stays 007, 2024-01-05 stays a text
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(_not_a(self.label, tr("text"), value))
            return None
        else:
            text = str(value)
        if _SURROGATE.search(text):
            self.report(
                tr(
                    "{field} holds an unpaired UTF-16 surrogate, which is not text",
                    field=self.label,
                ),
                tr("remove the \\uD8xx-\\uDFxx escape"),
            )
            return None
        if not allow_empty and not text.strip():
            self.report(tr("{field} must not be empty", field=self.label))
            return None
        if len(text) > longest:
            self.report(
                tr("{field} is {count} characters long", field=self.label, count=f"{len(text):,}"),
                tr("keep it under {limit}", limit=f"{longest:,}"),
            )
            return None
        return text

    def identifier(self) -> str | None:
        text = self.text(longest=MAX_ID_LENGTH)
        if text is not None and not ID_PATTERN.match(text):
            self.report(
                tr("{field} {value} is not a valid id", field=self.label, value=quoted(text)),
                tr("use lower-case kebab-case such as 'taobao-operator'"),
            )
            return None
        return text

    def integer(self, low: int, high: int, what: str | None = None) -> int | None:
        """A whole number from `low` to `high`; `what` names it ("a skill level"), translated."""
        value = self.value
        if type(value) is int and low <= value <= high:  # most values: no words needed
            return value
        what = tr("a whole number") if what is None else tr(what)  # "a level", … from the caller
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(
                tr("{field} must be {what} from {low} to {high}, not {found}", field=self.label,
                   what=what, low=low, high=high, found=_type_name(value))
            )  # fmt: skip
            return None
        if not low <= value <= high:
            self.report(
                tr("{field} is {value}, outside {low}..{high}", field=self.label,
                   value=_number(value), low=low, high=high),
                tr("use {what} from {low} to {high}", what=what, low=low, high=high),
            )  # fmt: skip
            return None
        return value

    def level(self) -> int | None:
        return self.integer(MIN_LEVEL, MAX_LEVEL, tr("a skill level"))

    def number(self, low: float, high: float) -> float | None:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(_not_a(self.label, tr("a number"), value))
            return None
        if not low <= value <= high:
            self.report(
                tr("{field} is {value}, outside {low}..{high}", field=self.label,
                   value=_number(value), low=f"{low:g}", high=f"{high:g}")
            )  # fmt: skip
            return None
        return float(value)

    def choice(self, options: Collection[str]) -> str | None:
        text = self.text()
        if text is None:
            return None
        if text not in options:
            hint = did_you_mean(text, options) or tr(
                "one of: {options}", options=", ".join(options)
            )
            self.report(
                tr("{field} {value} is not allowed", field=self.label, value=quoted(text)), hint
            )
            return None
        return text

    def reference(self, known: Collection[str], kind: str) -> str | None:
        """An id that must name something already known (a skill, role, ...)."""
        text = self.text(longest=MAX_ID_LENGTH)
        if text is None:
            return None
        if text not in known:
            self.report(
                tr("unknown {kind} {value}", kind=tr_in("kind", kind), value=quoted(text)),
                did_you_mean(text, known) or _where_listed(kind, known),
            )
            return None
        return text

    def references(self, known: Collection[str], kind: str) -> tuple[str, ...]:
        """A list of ids, each of which must be known; duplicates are reported."""
        found: list[str] = []
        for item in self.items():
            ref = item.reference(known, kind)
            if ref is None:
                continue
            if ref in found:
                item.report(
                    tr("{kind} {value} is listed twice", kind=tr_in("kind", kind), value=repr(ref)),
                    tr("keep one"),
                )
                continue
            found.append(ref)
        return tuple(found)

    def text_list(self) -> tuple[str, ...]:
        found = [item.text() for item in self.items()]
        return tuple(text for text in found if text is not None)


def quoted(text: str) -> str:
    """A text of the file as a message quotes it: in quotes, and cut short when long."""
    return repr(text if len(text) <= QUOTED_LENGTH else text[:QUOTED_LENGTH] + "…")


def _where_listed(kind: str, known: Collection[str]) -> str:
    """Where the known ids of `kind` are, its plural spelled out (strategies, not "strategys");
    a team's members, which no pack lists, by a few of their ids."""
    if kind == "member":
        ids = sorted(known)
        few = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
        return tr("the team's members are {ids}", ids=few) if ids else tr("the team has no members")
    hints = {
        "skill": lambda: tr("see the skills of the knowledge base"),
        "channel": lambda: tr("see the channels of the knowledge base"),
        "module": lambda: tr("see the modules of the knowledge base"),
        "role": lambda: tr("see the roles of the knowledge base"),
        "strategy": lambda: tr("see the strategies of the knowledge base"),
        "rule": lambda: tr("see the rules of the knowledge base"),
    }
    hint = hints.get(kind)
    return tr("see what the knowledge base defines") if hint is None else hint()
