"""JSON Schemas (draft 2020-12) of the files staffcheck reads, made from the loaders' declarations.

`staffcheck schema profile|team|pack` prints them for editors (yaml-language-server, VS Code). The
fields, the required keys and the limits come from the `schema.Field` declarations `profiles` and
`knowledge` read files by, so the schema cannot drift from the loader; the ids (skills, posts,
channels, strategies, rules) come from the pack in use, with its names and questions as hover help
in the reader's language. What no JSON Schema can say (YAML syntax, duplicate keys, a person id
used twice in a run, the files a team names) the loader still checks; docs/editor-support.md
lists it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from staffcheck.i18n import tr
from staffcheck.kinds import KINDS
from staffcheck.knowledge import (
    LANGUAGE_CODE,
    OVERRIDES,
    PACK_META,
    RULE,
    SECTION_ENTRIES,
    SECTIONS,
    TRANSLATABLE,
)
from staffcheck.model import KnowledgeBase, Severity
from staffcheck.profiles import (
    MEMBER_FILE,
    MEMBER_PROFILE,
    MEMBER_ROLE,
    PROFILE,
    TEAM,
    WAIVER_FOR,
)
from staffcheck.schema import ID_PATTERN, Field, required_names

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The kinds of file `staffcheck schema` describes.
FILE_KINDS = ("profile", "team", "pack")
Schema = dict[str, Any]
_ID = {"type": "string", "pattern": ID_PATTERN.pattern}
#: A text field: any scalar but null, as the loader reads it (007, 2024-01-05 and yes are text).
_SCALAR = ["boolean", "number", "string"]


@dataclass(frozen=True, slots=True)
class _Context:
    """What references resolve to: the pack's ids (profiles, teams), or any id (a pack's files)."""

    kb: KnowledgeBase | None
    #: (file kind, field) -> hover help
    help: Mapping[tuple[str, str], str]
    #: the kind of file being described, for the help of its fields
    kind: str


def file_schema(kind: str, kb: KnowledgeBase) -> Schema:
    """The JSON Schema of one kind of file (`FILE_KINDS`), against the pack `kb`."""
    if kind == "profile":
        return _profile_document(kb)
    if kind == "team":
        return _team_document(kb)
    if kind == "pack":
        return _pack_document(kb)
    raise ValueError(f"no schema for {kind!r} files")


def schema_text(schema: Schema) -> str:
    """A schema as JSON text: keys sorted and ids in a stable order, so the output is stable."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# -- documents ----------------------------------------------------------------------------------


def _header(kind: str, title: str, description: str) -> Schema:
    return {
        "$schema": DIALECT,
        "$id": f"urn:staffcheck:schema:{kind}",
        "title": title,
        "description": description,
    }


def _profile_document(kb: KnowledgeBase) -> Schema:
    """One profile (a mapping), or a non-empty list of them."""
    ctx = _Context(kb, _help(), "profile")
    return {
        **_header(
            "profile",
            tr("staffcheck profile"),
            tr(
                "One applicant or employee profile, or a list of them, as 'staffcheck screen' "
                "reads it; skills, posts and channels are those of the knowledge pack {pack}.",
                pack=repr(kb.name),
            ),
        ),
        "$defs": {"profile": _mapping(PROFILE, ctx), **_id_defs(kb)},
        "if": {"type": "array"},
        "then": {"minItems": 1, "items": {"$ref": "#/$defs/profile"}},
        "else": {"$ref": "#/$defs/profile"},
    }


def _team_document(kb: KnowledgeBase) -> Schema:
    """A team: its members inline (a profile and a `role`) or in profile files of their own."""
    ctx = _Context(kb, _help(), "team")
    team = _mapping(TEAM, ctx)
    team["properties"]["members"]["items"] = {
        "if": {"required": [MEMBER_PROFILE.name]},
        "then": {"$ref": "#/$defs/member_file"},
        "else": {"$ref": "#/$defs/member"},
    }
    team["properties"]["waivers"]["items"]["anyOf"] = [{"required": [k]} for k in WAIVER_FOR]
    inline = _mapping((MEMBER_ROLE, *PROFILE), _Context(kb, ctx.help, "member"))
    return {
        **_header(
            "team",
            tr("staffcheck team"),
            tr(
                "A team file as 'staffcheck team' reads it: the strategy it carries out and its "
                "members; posts, skills, strategies and rules are those of the knowledge pack "
                "{pack}.",
                pack=repr(kb.name),
            ),
        ),
        "$defs": {
            "member": inline,
            "member_file": _mapping(MEMBER_FILE, _Context(kb, ctx.help, "member")),
            **_id_defs(kb),
        },
        **team,
    }


def _pack_document(kb: KnowledgeBase) -> Schema:
    """One file of a pack: its sections' entries. Nothing comes from `kb`: the ids a pack's file
    names may be defined in its other files (or the pack it extends), so they are left loose."""
    ctx = _Context(None, _help(), "pack entry")  # the sections' own help is set below
    properties: Schema = {
        "pack": _mapping(PACK_META, ctx),
        "overrides": _mapping(OVERRIDES, ctx),
    }
    for section, fields in SECTION_ENTRIES.items():
        entry = _rule_entry(ctx) if section == "rules" else _mapping(fields, ctx)
        properties[section] = {"type": "array", "items": entry}
    for section in properties:
        properties[section]["description"] = ctx.help[("pack", section)]
    assert set(properties) == set(SECTIONS)
    return {
        **_header(
            "pack",
            tr("staffcheck knowledge-pack file"),
            tr(
                "One YAML file of a knowledge pack (a directory of them): skills, channels, "
                "modules, posts, strategies and rules. Ids that name entries of other files are "
                "checked by 'staffcheck rules validate'."
            ),
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _rule_entry(ctx: _Context) -> Schema:
    """A rule: the fields of every rule, and those of its kind (`PARAMS`: two kinds may give one
    name different types, so each kind's parameters are typed under its own `if kind: …`)."""
    entry = _mapping(RULE, ctx)
    common = [f.name for f in RULE]
    for kind in KINDS.values():
        for param in kind.PARAMS:
            entry["properties"].setdefault(
                param.name, {"description": tr("a parameter of some rule kinds; see "
                                               "docs/knowledge-format.md")}
            )  # fmt: skip
    entry["allOf"] = [
        {
            "if": {"required": ["kind"], "properties": {"kind": {"const": name}}},
            "then": {
                "properties": {param.name: _field(param, ctx) for param in kind.PARAMS},
                "required": [*required_names(RULE), *required_names(kind.PARAMS)],
                "propertyNames": {"enum": [*common, *(param.name for param in kind.PARAMS)]},
            },
        }
        for name, kind in sorted(KINDS.items())
    ]
    return entry


# -- fields -------------------------------------------------------------------------------------


def _mapping(fields: Iterable[Field], ctx: _Context) -> Schema:
    fields = tuple(fields)
    schema: Schema = {
        "type": "object",
        "properties": {f.name: _described(f, ctx) for f in fields},
        "additionalProperties": False,
    }
    if required_names(fields):
        schema["required"] = list(required_names(fields))
    return schema


def _described(declared: Field, ctx: _Context) -> Schema:
    schema = _field(declared, ctx)
    text = ctx.help.get((ctx.kind, declared.name))
    if text:
        schema["description"] = text
    return schema


def _field(f: Field, ctx: _Context) -> Schema:
    """The JSON Schema of one declared field, as the loader's accessor for its shape reads it."""
    if f.shape == "text":
        return _text(f)
    if f.shape == "id":
        # An id is text as written: `true` reads as the text "true", a valid id.
        return {"type": ["boolean", "string"], "pattern": ID_PATTERN.pattern}
    if f.shape in ("integer", "number"):
        return _number(f)
    if f.shape == "flag":
        return {"type": "boolean"}
    if f.shape == "date":
        return {"type": "string", "format": "date", "examples": ["2027-03-31"]}
    if f.shape == "choice":
        return {"enum": list(f.choices)}
    if f.shape == "reference":
        return _reference(f.target, ctx)
    if f.shape == "references":
        return {"type": "array", "items": _reference(f.target, ctx), "uniqueItems": True}
    if f.shape == "text_list":
        return _sized({"type": "array", "items": _text(f)}, f)
    if f.shape == "by_id":
        return _sized(_by_id(f, ctx), f, key="Properties")
    if f.shape == "mapping":
        return _sized(_mapping(f.fields, ctx), f, key="Properties")
    if f.shape == "list":
        return _sized({"type": "array", "items": _mapping(f.fields, ctx)}, f)
    if f.shape == "list_of":
        return _sized({"type": "array", "items": _field(f.fields[0], ctx)}, f)
    if f.shape == "translations":
        return _translations(f)
    return {}  # "any": read by code of its own


def _text(f: Field) -> Schema:
    schema: Schema = {"type": list(_SCALAR), "pattern": f.pattern or r"\S"}
    if f.max_length is not None:
        schema["maxLength"] = f.max_length
    return schema


def _number(f: Field) -> Schema:
    schema: Schema = {"type": f.shape}
    if f.low is not None:
        schema["minimum"] = f.low
    if f.high is not None:
        schema["maximum"] = f.high
    return schema


def _sized(schema: Schema, f: Field, key: str = "Items") -> Schema:
    if f.min_items is not None:
        schema[f"min{key}"] = f.min_items
    if f.max_items is not None:
        schema[f"max{key}"] = f.max_items
    return schema


def _by_id(f: Field, ctx: _Context) -> Schema:
    """``{id: value}``: with the pack at hand, one property per id, its name as hover help."""
    value = _field(f.fields[0], ctx)
    ids = _entries(ctx.kb, f.target)
    if ids is None:
        keys = {"enum": list(f.choices)} if f.choices else {"pattern": ID_PATTERN.pattern}
        return {"type": "object", "propertyNames": keys, "additionalProperties": value}
    return {
        "type": "object",
        "properties": {ident: {**value, "description": about} for ident, about in ids.items()},
        "propertyNames": {"$ref": f"#/$defs/{f.target}"},
        "additionalProperties": False,
    }


def _reference(target: str | None, ctx: _Context) -> Schema:
    if _entries(ctx.kb, target) is None:
        return dict(_ID)
    return {"$ref": f"#/$defs/{target}"}


def _translations(f: Field) -> Schema:
    """``{language: {label: text}}``; English is the entries' own fields, never a translation."""
    labels = [Field(name, "text") for name in TRANSLATABLE[f.target or ""]]
    return {
        "type": "object",
        "propertyNames": {"pattern": LANGUAGE_CODE.pattern, "not": {"const": "en"}},
        "additionalProperties": {
            "type": "object",
            "properties": {label.name: _text(label) for label in labels},
            "additionalProperties": False,
        },
    }


# -- the pack's ids -----------------------------------------------------------------------------

#: The sections of the pack that profiles and teams name entries of.
_TARGETS = ("skills", "roles", "channels", "strategies", "rules")


def _entries(kb: KnowledgeBase | None, target: str | None) -> dict[str, str] | None:
    """Id -> hover help of each entry a reference to `target` may name (None: any id will do).

    Profiles and teams name rules only in waivers, which a critical rule cannot have."""
    if kb is None or target not in _TARGETS:
        return None
    found: dict[str, str] = {}
    if target == "skills":
        found = {s.id: _joined(s.name, s.question or s.description) for s in kb.skills.values()}
    elif target == "roles":
        found = {r.id: _joined(r.name, r.description) for r in kb.roles.values()}
    elif target == "channels":
        found = {c.id: c.name for c in kb.channels.values()}
    elif target == "strategies":
        found = {s.id: _joined(s.name, s.description) for s in kb.strategies.values()}
    else:
        found = {
            r.id: _joined(r.title, r.severity.value)
            for r in kb.rules.values()
            if r.severity is not Severity.CRITICAL
        }
    return dict(sorted(found.items()))


def _joined(name: str, detail: str) -> str:
    return tr("{name}: {detail}", name=name, detail=detail) if detail else name


def _id_defs(kb: KnowledgeBase) -> Schema:
    """One definition per section named: its ids (sorted), each with its name as help."""
    defs: Schema = {}
    for target in _TARGETS:
        entries = _entries(kb, target)
        assert entries is not None
        defs[target] = {
            "type": "string",
            "enum": list(entries),
            "enumDescriptions": list(entries.values()),
        }
    return defs


def _help() -> dict[tuple[str, str], str]:
    """Hover help of each field, by (kind of file, field)."""
    level = tr("{low} none … {high} expert", low=0, high=5)
    person = {
        "id": tr("The person's id, unique in one run (an employee or application number)"),
        "name": tr("The person's name, as reports show it"),
        "applying_for": tr("The post the person applies for (a post id of the pack)"),
        "skills": tr("Skill id → level ({levels}); leave out a skill the person does not show",
                     levels=level),
        "channels": tr("The sales channels the person has worked in hands-on"),
        "experience_years": tr("Years of relevant experience"),
        "titles": tr("Job titles held, as written on the CV"),
    }  # fmt: skip
    team = {
        "team": tr("The team's name"),
        "strategy": tr("The strategy the team must carry out (a strategy id of the pack)"),
        "members": tr("Each member: a profile written here with its 'role:', or 'role:' and "
                      "'profile:' naming a profile file"),
        "waivers": tr("Accepted findings: each waives one rule for one person or post, with a "
                      "reason, an approver and an expiry date"),
        "plan": tr("The company's own values for 'staffcheck plan': start date, currency, goals' "
                   "KPIs, posts' pay and hiring terms, training days and costs"),
    }  # fmt: skip
    member = {
        "role": tr("The post this member holds (a post id of the pack)"),
        "profile": tr("A file holding this member's profile, relative to the team file"),
    }
    waiver = {
        "rule": tr("The rule whose finding is accepted (a critical rule cannot be waived)"),
        "person": tr("The id of the member it is for"),
        "post": tr("The post it is for"),
        "skill": tr("Only the finding about this skill"),
        "reason": tr("Why the finding is accepted"),
        "approved_by": tr("Who approved it"),
        "expires": tr("The last day it holds, written YYYY-MM-DD"),
    }
    pack = {
        "pack": tr("The pack's name, languages and the pack it extends"),
        "skills": tr("Skills a post may need, each rated 0 (none) to 5 (expert)"),
        "channels": tr("Sales channels (Taobao, Tmall, a forum…)"),
        "modules": tr("Modules of work a strategy needs"),
        "roles": tr("Posts: the skills each needs, and at what level"),
        "strategies": tr("Strategies: the modules each needs and the posts that carry them"),
        "rules": tr("Rules: what the expert system checks"),
        "overrides": tr("Changes to entries of the pack this one extends"),
    }
    return {
        **{("profile", k): v for k, v in person.items()},
        **{("member", k): v for k, v in {**person, **member}.items()},
        **{("team", k): v for k, v in {**team, **waiver}.items()},
        **{("pack", k): v for k, v in pack.items()},
    }
