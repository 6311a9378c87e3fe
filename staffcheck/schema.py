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
from typing import Any

from staffcheck.errors import Problem
from staffcheck.model import Location
from staffcheck.yamlio import Document, PathKey

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MIN_LEVEL, MAX_LEVEL = 0, 5
_SURROGATE = re.compile("[\ud800-\udfff]")


def did_you_mean(value: str, known: Iterable[str]) -> str | None:
    """A hint naming the closest known id, or ``None`` when nothing is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def _number(value: float) -> str:
    """A number as the user would read it; huge ones are not printed digit by digit."""
    if isinstance(value, int) and value.bit_length() > 64:
        return "(a number with hundreds of digits)"
    return repr(value)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    if isinstance(value, int | float):
        return f"{type(value).__name__} {_number(value)}"
    return f"a {type(value).__name__}"


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
            self.report(f"{self.label} must be a mapping, not {_type_name(value)}")
            return False
        allowed = set(required) | set(optional or ())
        ok = True
        for key in value:
            if optional is not None and key not in allowed:
                hint = did_you_mean(key, allowed) or f"allowed: {', '.join(sorted(allowed))}"
                self.child(key).report(f"unknown field {key!r}", hint, key=True)
                ok = False
        for key in required:
            if key not in value:
                self.report(f"missing required field {key!r}", f"add '{key}:'")
                ok = False
        return ok

    def items(self) -> Iterator[Cursor]:
        """Cursors on the elements of a list (reports a problem if this is not a list)."""
        value = self.value
        if not isinstance(value, list):
            self.report(f"{self.label} must be a list, not {_type_name(value)}")
            return
        for index in range(len(value)):
            yield self.child(index)

    def entries(self) -> Iterator[tuple[str, Cursor]]:
        """(key, cursor) pairs of a mapping (reports a problem if this is not a mapping)."""
        value = self.value
        if not isinstance(value, dict):
            self.report(f"{self.label} must be a mapping, not {_type_name(value)}")
            return
        for key in value:
            yield key, self.child(key)

    def has(self, key: str) -> bool:
        value = self.value
        return isinstance(value, dict) and key in value

    # -- scalars --------------------------------------------------------------------------------

    def text(self, *, allow_empty: bool = False) -> str | None:
        value = self.value
        raw = self.doc.raw_text.get(self.where)
        if raw is not None:
            text = raw  # as written: 007 stays 007, 2024-01-05 stays a text
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(f"{self.label} must be text, not {_type_name(value)}")
            return None
        else:
            text = str(value)
        if _SURROGATE.search(text):
            self.report(
                f"{self.label} holds an unpaired UTF-16 surrogate, which is not text",
                "remove the \\uD8xx-\\uDFxx escape",
            )
            return None
        if not allow_empty and not text.strip():
            self.report(f"{self.label} must not be empty")
            return None
        return text

    def identifier(self) -> str | None:
        text = self.text()
        if text is not None and not ID_PATTERN.match(text):
            self.report(
                f"{self.label} {text!r} is not a valid id",
                "use lower-case kebab-case such as 'taobao-operator'",
            )
            return None
        return text

    def integer(self, low: int, high: int, what: str = "a whole number") -> int | None:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(
                f"{self.label} must be {what} from {low} to {high}, not {_type_name(value)}"
            )
            return None
        if not low <= value <= high:
            self.report(
                f"{self.label} is {_number(value)}, outside {low}..{high}",
                f"use {what} from {low} to {high}",
            )
            return None
        return value

    def level(self) -> int | None:
        return self.integer(MIN_LEVEL, MAX_LEVEL, "a skill level")

    def number(self, low: float, high: float) -> float | None:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(f"{self.label} must be a number, not {_type_name(value)}")
            return None
        if not low <= value <= high:
            self.report(f"{self.label} is {_number(value)}, outside {low:g}..{high:g}")
            return None
        return float(value)

    def choice(self, options: Collection[str]) -> str | None:
        text = self.text()
        if text is None:
            return None
        if text not in options:
            hint = did_you_mean(text, options) or f"one of: {', '.join(options)}"
            self.report(f"{self.label} {text!r} is not allowed", hint)
            return None
        return text

    def reference(self, known: Collection[str], kind: str) -> str | None:
        """An id that must name something already known (a skill, role, ...)."""
        text = self.text()
        if text is None:
            return None
        if text not in known:
            self.report(
                f"unknown {kind} {text!r}",
                did_you_mean(text, known) or f"see the {kind}s of the knowledge base",
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
                item.report(f"{kind} {ref!r} is listed twice", "keep one")
                continue
            found.append(ref)
        return tuple(found)

    def text_list(self) -> tuple[str, ...]:
        found = [item.text() for item in self.items()]
        return tuple(text for text in found if text is not None)
