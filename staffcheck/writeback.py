"""Writing answers back into a profile file: stated skill levels added, everything else kept.

The file is edited with a round-trip YAML library (ruamel.yaml), so its comments, key order,
quoting, flow or block style and indentation survive where the library can keep them; the text
it produces is read back with the project's own safe loader (`yamlio`) and checked before it
replaces anything, atomically (`output.atomic_output`). A profile from a spreadsheet, JSON Lines
or a team file has no YAML of its own to edit: it is written as a new profile file.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from staffcheck.errors import Problem, StaffcheckError
from staffcheck.escaping import inert
from staffcheck.model import KnowledgeBase, Profile
from staffcheck.output import atomic_output
from staffcheck.profiles import read_profile
from staffcheck.schema import Cursor
from staffcheck.yamlio import parse_yaml, read_text

YAML_SUFFIXES = (".yaml", ".yml")


def editable_source(profile: Profile, team_file: Path | None = None) -> Path | None:
    """The YAML file `profile` was read from, if answers can be written into it; else None
    (a CSV, XLSX or JSON Lines record, standard input, or a member written inside `team_file`)."""
    path = Path(profile.source.path)
    if path.suffix.lower() not in YAML_SUFFIXES or not path.is_file():
        return None
    if team_file is not None and path.resolve() == team_file.resolve():
        return None
    return path


def add_answers(text: str, index: int | None, answers: Mapping[str, int]) -> str:
    """The YAML text of a profile file (one profile, or a list) with `answers` added under the
    ``skills:`` of the profile at `index` (`_position`; created at its end when it has none).

    A ``skills`` mapping the profile shares with another through an anchor is copied first, so
    only this person changes."""
    yaml = _round_trip(text)
    try:
        data = yaml.load(text)
    except YAMLError as exc:  # the safe loader read it; the round-trip one should too
        raise StaffcheckError.at(f"cannot edit this YAML: {inert(str(exc))}") from None
    profile = _at(data, index)
    skills = profile.get("skills")
    if isinstance(skills, CommentedMap) and _shared(skills, data):
        copied = CommentedMap(skills.items())
        if skills.fa.flow_style():
            copied.fa.set_flow_style()
        profile["skills"] = skills = copied
    if isinstance(skills, CommentedMap):
        _append(skills, dict(answers))
    else:
        _append(profile, {"skills": CommentedMap(answers)})
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    out = buffer.getvalue()
    return out.replace("\n", "\r\n") if "\r\n" in text else out  # keep Windows line ends


def new_profile_text(profile: Profile, answers: Mapping[str, int]) -> str:
    """A new YAML profile file: what `profile` says, with `answers` added to its skills."""
    data = CommentedMap(id=profile.id, name=profile.name)
    if profile.applying_for is not None:
        data["applying_for"] = profile.applying_for
    data["skills"] = CommentedMap({**profile.skills, **answers})
    if profile.channels:
        data["channels"] = _flow(profile.channels)
    if profile.experience_years is not None:
        years = profile.experience_years
        data["experience_years"] = int(years) if float(years).is_integer() else years
    if profile.titles:
        data["titles"] = CommentedSeq(profile.titles)
    added = ", ".join(f"{skill} {level}" for skill, level in answers.items())
    data.yaml_set_start_comment(
        inert(f"Written by 'staffcheck ask' from {profile.source}; added to skills: {added}")
    )
    buffer = io.StringIO()
    _round_trip("").dump(data, buffer)
    return buffer.getvalue()


def write_answers(
    kb: KnowledgeBase,
    profile: Profile,
    answers: Mapping[str, int],
    target: Path,
    source: Path | None,
    inputs: Iterable[Path] = (),
) -> None:
    """Write `profile` with `answers` to `target` atomically: `source` (its YAML file) edited,
    or a new profile file when there is none. Never a text the project's loader would read as
    anything but the same file with these answers added to this person's skills."""
    if source is None:
        text = new_profile_text(profile, answers)
        _check_person(kb, text, str(target), profile.id, {**profile.skills, **answers})
    else:
        before = read_text(source)
        index = _position(kb, before, profile.id)
        text = add_answers(before, index, answers)
        _check_file(before, text, str(target), index, answers)
        # ... and the person is still the one consulted: nobody edited their skills meanwhile.
        _check_person(kb, text, str(target), profile.id, {**profile.skills, **answers})
        with source.open("rb") as raw:
            if raw.read(3) == b"\xef\xbb\xbf":
                text = "\ufeff" + text  # keep the byte-order mark the file had
    with atomic_output(target, inputs) as handle:
        handle.write(text)


def _round_trip(text: str) -> YAML:
    """A round-trip YAML that writes back in the indentation and document start `text` uses."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    indent, dash = 2, 0
    if text:
        _, guessed, offset = load_yaml_guess_indent(text)
        indent, dash = guessed or 2, offset or 0
    yaml.indent(mapping=max(2, indent - dash) if dash else indent, sequence=indent, offset=dash)
    yaml.explicit_start = text.lstrip().startswith("---")
    return yaml


def _position(kb: KnowledgeBase, text: str, person: str) -> int | None:
    """Where the project's loader finds the profile `person`: its index in a list of profiles,
    or None for a file of one profile (an id such as ``0042`` is text to the project, a number
    to a YAML 1.2 library, so it is found as the project reads it)."""
    problems: list[Problem] = []
    try:
        doc = parse_yaml(text, "<profile>")
    except StaffcheckError:
        doc = None
    if doc is not None and isinstance(doc.data, list):
        for index in range(len(doc.data)):
            found = read_profile(Cursor(doc, (index,), problems), kb)
            if found is not None and found.id == person:
                return index
    elif doc is not None and isinstance(doc.data, dict):
        found = read_profile(Cursor(doc, (), problems), kb)
        if found is not None and found.id == person:
            return None
    raise StaffcheckError.at(
        f"the file no longer holds the profile {person!r}",
        hint="was it edited during the consultation? run 'staffcheck ask' again",
    )


def _at(data: Any, index: int | None) -> CommentedMap:
    """The profile mapping at `index` of the round-trip data (the whole document for None)."""
    item = data if index is None else data[index] if isinstance(data, CommentedSeq) else None
    if not isinstance(item, CommentedMap):
        raise StaffcheckError.at(
            "the file changed shape during the consultation",
            hint="run 'staffcheck ask' again",
        )
    return item


def _shared(skills: CommentedMap, data: Any) -> bool:
    """Whether a ``skills`` mapping carries an anchor or is another profile's too."""
    if skills.anchor.value is not None:
        return True
    others = data if isinstance(data, CommentedSeq) else []
    return sum(isinstance(o, CommentedMap) and o.get("skills") is skills for o in others) > 1


def _append(mapping: CommentedMap, items: Mapping[str, Any]) -> None:
    """Add `items` at the end of `mapping` (in place of a value for a key it has), keeping the
    comment lines that followed its last entry after the new ones, where they were."""
    keys = list(mapping)
    tail = None
    if keys and not mapping.fa.flow_style() and keys[-1] not in items:
        token = mapping.ca.items.get(keys[-1])
        if token and len(token) > 2 and token[2] is not None:
            line, newline, rest = token[2].value.partition("\n")
            if rest:
                token[2].value = line + newline
                tail = rest
    for key, value in items.items():
        mapping[key] = value
    if tail is not None:
        last = list(mapping)[-1]
        mapping.ca.items[last] = [None, None, CommentToken("\n" + tail, CommentMark(0), None), None]


def _flow(items: Iterable[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _refuse(display: str, reason: str = "") -> StaffcheckError:
    return StaffcheckError.at(
        f"the updated profile would not read back as expected{reason}; nothing was written",
        display,
        hint="was the file edited during the consultation? if not, please report it "
        "with the profile file",
    )


def _check_person(
    kb: KnowledgeBase, text: str, display: str, person: str, skills: Mapping[str, int]
) -> None:
    """Refuse to write a text the project's safe loader would not read back as the person with
    exactly these `skills` (their own and the answers)."""
    problems: list[Problem] = []
    try:
        doc = parse_yaml(text, display)
    except StaffcheckError as exc:
        raise _refuse(display, f" ({exc.problems[0].message})") from None
    where = [(i,) for i in range(len(doc.data))] if isinstance(doc.data, list) else [()]
    found = [read_profile(Cursor(doc, path, problems), kb) for path in where]
    mine = [p for p in found if p is not None and p.id == person]
    if problems or len(mine) != 1 or dict(mine[0].skills) != dict(skills):
        raise _refuse(display, f" ({problems[0].message})" if problems else "")


def _check_file(
    before: str, after: str, display: str, index: int | None, answers: Mapping[str, int]
) -> None:
    """Refuse to write unless the new text reads, with the project's own loader, as exactly the
    old one with `answers` added to the skills of the profile at `index`: nobody else, nothing
    else changed."""
    expected = copy.deepcopy(parse_yaml(before, display).data)
    entry = expected if index is None else expected[index]
    entry["skills"] = {**(entry.get("skills") or {}), **answers}
    try:
        got = parse_yaml(after, display).data
    except StaffcheckError as exc:
        raise _refuse(display, f" ({exc.problems[0].message})") from None
    if got != expected:
        raise _refuse(display, " (more than the answers would change)")
