"""`staffcheck schema`: JSON Schemas that agree with the loaders, on every bundled and hostile file.

A schema is data for editors, so what matters is that it never contradicts the loader: a file the
loader accepts must pass the schema (an editor must not mark a good file red), and a file the
schema rejects must be one the loader rejects. What the loader rejects and no JSON Schema can see
is listed here, file by file, with the reason.
"""

from __future__ import annotations

import datetime
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from staffcheck.cli import schema as schema_command
from staffcheck.errors import StaffcheckError
from staffcheck.file_schemas import FILE_KINDS, file_schema
from staffcheck.knowledge import check_pack
from staffcheck.model import KnowledgeBase, Reject, Severity
from staffcheck.profiles import PROFILE, load_team, profiles_in
from staffcheck.schema import field_named
from staffcheck.sources import read_applicants
from staffcheck.yamlio import load_yaml, parse_yaml

from .conftest import EXAMPLES, ROOT, RULES

HOSTILE = ROOT / "tests" / "hostile"
EXPECTATIONS = yaml.safe_load((HOSTILE / "expectations.yaml").read_text(encoding="utf-8"))

#: Files the loader refuses before there is any data to hold against a schema, by what it says.
#: (message substring, class): each class is a check on the text or the YAML, not on the data.
DOCUMENT_LEVEL = {
    "not tabs": "YAML syntax",
    "a quote is not closed": "YAML syntax",
    "duplicate key": "duplicate keys: YAML parsers keep the last one, the schema never sees both",
    "merge keys (<<)": "YAML features refused by the reader (merge keys, complex keys, tags)",
    "a key must be a plain name": "YAML features refused by the reader",
    "a key must not carry a YAML tag": "YAML features refused by the reader",
    "is not supported": "YAML tags (!!python/…, !include, !!binary) refused by the reader",
    "a second YAML document": "several YAML documents in one file",
    "file is empty": "an empty file: there is no document to validate",
    "alias bomb": "size limits on aliases: a schema sees the expanded data",
    "nested more than 64 levels": "depth limit: a schema has no depth limit",
    "not UTF-8 text": "encoding: a schema sees decoded text",
    "control character": "raw control characters in the file's text",
    "U+FFFE": "noncharacters in the file's text",
    "number is too long": "an integer past Python's conversion limit: refused while parsing",
    "unpaired UTF-16 surrogate": "an escape that is no character (\\uD800): refused while parsing",
    "value (remove the tag": "a YAML tag on a value it does not fit (!!bool maybe): refused while "
    "parsing",
}
#: Spreadsheets and JSON Lines of the corpus are not YAML: the intake reads them, no schema applies.
NOT_YAML = (".csv", ".jsonl", ".xls", ".xlsx", ".ods")

#: Files whose data passes the schema but which the loader rejects, and why no schema can say it.
CROSS_FILE = "a member's profile file: the team's schema cannot open the files it names"
LOADER_ONLY = {
    "experience-nan.yaml": "NaN: JSON has no NaN, and it compares as neither below 0 nor above 70",
    "duplicate-ids-in-list.yaml": "one id per person across list items: JSON Schema compares "
    "whole items (uniqueItems), not one field of each",
    "team-duplicate-inline-ids.yaml": "one id per person across members (as above)",
    "team-duplicate-ids-across-files.yaml": CROSS_FILE,
    "team-member-missing-profile.yaml": CROSS_FILE,
    "team-member-is-directory.yaml": CROSS_FILE,
    "team-member-long-path.yaml": CROSS_FILE,
    "team-member-nul-in-path.yaml": CROSS_FILE,
    "team-member-dev-zero.yaml": CROSS_FILE,
    "team-member-is-the-team.yaml": CROSS_FILE,
    "team-member-file-with-two-profiles.yaml": CROSS_FILE,
    "team-member-bad-profile.yaml": CROSS_FILE,
    "team-member-outside-the-tree.yaml": CROSS_FILE,
    "team-member-not-a-profile.yaml": CROSS_FILE,
    "team-member-file-bool-tag.yaml": CROSS_FILE,
    "team-waiver-unknown-member.yaml": "a waiver's person must be a member: JSON Schema cannot "
    "compare one field with the values of another",
    "team-waiver-impossible-date.yaml": "2027-02-30: 'format: date' is an annotation, not checked",
    "team-plan-start-impossible-date.yaml": "2027-02-30 (as above)",
}


@pytest.fixture(scope="module")
def validators(kb: KnowledgeBase) -> dict[str, Draft202012Validator]:
    found = {}
    for kind in FILE_KINDS:
        schema = file_schema(kind, kb)
        Draft202012Validator.check_schema(schema)
        found[kind] = Draft202012Validator(schema)
    return found


def json_view(value: Any) -> Any:
    """The data as JSON has it: a date (YAML 1.1 reads 2027-03-31 as one) is its text."""
    if isinstance(value, dict):
        return {key: json_view(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_view(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def schema_errors(validator: Draft202012Validator, data: Any) -> list[str]:
    """Where and which keyword fails. jsonschema quotes the value in its messages, and a level of
    4,000 hex digits is more decimal digits than Python prints by default: lifted meanwhile."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        errors = validator.iter_errors(json_view(data))
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.validator}" for e in errors]
    finally:
        sys.set_int_max_str_digits(limit)


def loader_accepts(kind: str, path: Path, kb: KnowledgeBase) -> bool:
    """What `staffcheck team` (the team loader) or `staffcheck screen` (the intake) says."""
    try:
        if kind == "team":
            load_team(path, kb)
            return True
        records = list(read_applicants([str(path)], kb))
    except StaffcheckError:
        return False
    return not any(isinstance(record, Reject) for record in records)


# -- bundled files ------------------------------------------------------------------------------


def _examples() -> list[Any]:
    files = sorted(EXAMPLES.rglob("*.yaml"))
    return [pytest.param(path, id=str(path.relative_to(EXAMPLES))) for path in files]


@pytest.mark.parametrize("path", _examples())
def test_every_bundled_example_passes_its_schema(
    path: Path, kb: KnowledgeBase, validators: dict[str, Draft202012Validator]
) -> None:
    data = load_yaml(path).data
    kind = "team" if isinstance(data, dict) and "members" in data else "profile"
    assert loader_accepts(kind, path, kb)
    assert schema_errors(validators[kind], data) == []


def test_the_examples_hold_both_teams_and_profiles() -> None:
    kinds = {"members" in str(load_yaml(p).data) for p in EXAMPLES.rglob("*.yaml")}
    assert kinds == {True, False}


@pytest.mark.parametrize("path", sorted(RULES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_file_of_the_bundled_pack_passes_the_pack_schema(
    path: Path, validators: dict[str, Draft202012Validator]
) -> None:
    assert schema_errors(validators["pack"], load_yaml(path).data) == []


# -- the hostile corpus -------------------------------------------------------------------------


def _hostile() -> list[Any]:
    return [pytest.param(name, id=name.removesuffix(".yaml")) for name in sorted(EXPECTATIONS)]


@pytest.mark.parametrize("name", _hostile())
def test_the_schema_never_contradicts_the_loader_on_the_hostile_corpus(
    name: str, kb: KnowledgeBase, validators: dict[str, Draft202012Validator]
) -> None:
    spec, path = EXPECTATIONS[name], HOSTILE / name
    if name.endswith(NOT_YAML):
        assert spec["exit"] == 2
        return
    try:
        doc = load_yaml(path)
    except StaffcheckError as exc:
        said = f"{exc.problems[0].message} ({exc.problems[0].hint})"
        assert any(text in said for text in DOCUMENT_LEVEL), f"unclassified: {said}"
        assert name not in LOADER_ONLY
        return
    errors = schema_errors(validators[spec["kind"]], doc.data)
    accepted = loader_accepts(spec["kind"], path, kb)
    assert accepted == (spec["exit"] == 0), "the loader and expectations.yaml disagree"
    if accepted:
        assert errors == [], "the schema rejects a file the loader accepts"
        assert name not in LOADER_ONLY
    elif not errors:
        assert name in LOADER_ONLY, "the loader rejects it, the schema accepts it, unexplained"
    else:
        assert name not in LOADER_ONLY, "listed as beyond a schema, yet the schema rejects it"


@pytest.mark.parametrize(
    "path", sorted((HOSTILE / "_support").glob("*.yaml")), ids=lambda p: p.name
)
def test_the_member_files_of_the_corpus_get_the_same_verdict_from_both(
    path: Path, kb: KnowledgeBase, validators: dict[str, Draft202012Validator]
) -> None:
    errors = schema_errors(validators["profile"], load_yaml(path).data)
    assert loader_accepts("profile", path, kb) == (errors == [])


def test_every_listed_gap_is_a_file_of_the_corpus() -> None:
    assert sorted(set(LOADER_ONLY) - set(EXPECTATIONS)) == []


# -- generated profiles -------------------------------------------------------------------------

VALID = {
    "id": "c-1",
    "name": "Sun Li",
    "applying_for": "taobao-operator",
    "skills": {"taobao-operations": 4, "seo": 2},
    "channels": ["taobao", "tmall"],
    "experience_years": 3,
    "titles": ["Taobao store operator"],
}
INVALID = {
    "level-nine": {**VALID, "skills": {"seo": 9}},
    "unknown-skill": {**VALID, "skills": {"taobao-operashuns": 3}},
    "unknown-post": {**VALID, "applying_for": "taobao-wizard"},
    "missing-id": {k: v for k, v in VALID.items() if k != "id"},
    "extra-field": {**VALID, "salary": 9000},
    "channel-twice": {**VALID, "channels": ["taobao", "taobao"]},
    "empty-name": {**VALID, "name": "  "},
    "too-many-titles": {**VALID, "titles": [f"title {i}" for i in range(21)]},
    "years-over-70": {**VALID, "experience_years": 71},
}


def _loader_verdict(data: Any, kb: KnowledgeBase) -> bool:
    doc = parse_yaml(yaml.safe_dump(data, allow_unicode=True), "generated.yaml")
    try:
        profiles_in(doc, kb)
    except StaffcheckError:
        return False
    return True


def test_a_valid_profile_and_a_list_of_them_pass_both(
    kb: KnowledgeBase, validators: dict[str, Draft202012Validator]
) -> None:
    for data in (VALID, [VALID, {**VALID, "id": "c-2"}]):
        assert _loader_verdict(data, kb)
        assert schema_errors(validators["profile"], data) == []
    assert not _loader_verdict([], kb)
    assert schema_errors(validators["profile"], []) != []


@pytest.mark.parametrize("case", sorted(INVALID))
def test_an_invalid_profile_is_rejected_by_both(
    case: str, kb: KnowledgeBase, validators: dict[str, Draft202012Validator]
) -> None:
    assert not _loader_verdict(INVALID[case], kb)
    assert schema_errors(validators["profile"], INVALID[case]) != []


def test_a_waiver_names_a_rule_that_may_be_waived_and_whom_it_is_for(
    kb: KnowledgeBase, validators: dict[str, Draft202012Validator]
) -> None:
    member = {k: v for k, v in VALID.items() if k != "applying_for"} | {"role": "taobao-operator"}
    waiver = {"reason": "trial", "approved_by": "HR", "expires": "2027-03-31"}
    team = {"team": "T", "strategy": "taobao-store", "members": [member]}
    rule = next(iter(kb.rules))
    for_her, for_nobody = {**waiver, "rule": rule, "person": "c-1"}, {**waiver, "rule": rule}
    assert schema_errors(validators["team"], {**team, "waivers": [for_her]}) == []
    assert schema_errors(validators["team"], {**team, "waivers": [for_nobody]}) != []
    # A critical rule cannot be waived: a pack with one leaves it out of the waivers' rules.
    critical = replace(kb.rules[rule], severity=Severity.CRITICAL)
    strict = replace(kb, rules={**kb.rules, rule: critical})
    schema = Draft202012Validator(file_schema("team", strict))
    assert schema_errors(schema, {**team, "waivers": [for_her]}) != []


def test_the_limits_are_the_loaders_declarations(kb: KnowledgeBase) -> None:
    profile = file_schema("profile", kb)["$defs"]["profile"]
    assert list(profile["properties"]) == [f.name for f in PROFILE]
    assert profile["required"] == [f.name for f in PROFILE if f.required]
    assert profile["properties"]["name"]["maxLength"] == field_named(PROFILE, "name").max_length
    years = field_named(PROFILE, "experience_years")
    assert profile["properties"]["experience_years"]["maximum"] == years.high
    assert set(profile["properties"]["skills"]["properties"]) == set(kb.skills)


# -- the command --------------------------------------------------------------------------------


def test_schema_is_deterministic_and_written_atomically_with_o(cli, tmp_path: Path) -> None:
    first, second = cli("schema", "team"), cli("schema", "team")
    assert first.code == 0 and first.out == second.out
    assert json.loads(first.out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    target = tmp_path / ".staffcheck" / "team.schema.json"
    target.parent.mkdir()
    assert cli("schema", "team", "-o", target).code == 0
    assert target.read_text(encoding="utf-8") == first.out
    assert list(target.parent.iterdir()) == [target]


@pytest.mark.parametrize("name", ["profile.xlsx", "profile.csv", "profile.md", "profile.ods"])
def test_a_file_named_for_another_format_is_refused(cli, tmp_path: Path, name: str) -> None:
    run = cli("schema", "profile", "-o", tmp_path / name)
    assert run.code == 2
    suffix = Path(name).suffix
    assert run.err.splitlines() == [
        f"staffcheck: error: {tmp_path / name}: schema cannot write a {suffix} file "
        "(name a file ending in one of: .json)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_command_offers_every_kind_of_file() -> None:
    assert schema_command.KINDS == FILE_KINDS


def test_a_bad_kind_is_one_line_with_the_closest_kind(
    cli, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli("schema", "profle")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("staffcheck: error: ")
    assert "did you mean 'profile'?" in err


def test_hover_help_is_in_the_language_in_use(cli) -> None:
    schema = cli("--lang", "zh", "schema", "profile").json()
    roles = schema["$defs"]["roles"]
    help_of = dict(zip(roles["enum"], roles["enumDescriptions"], strict=True))
    assert help_of["taobao-operator"].startswith("淘宝运营")
    assert "经验" in schema["$defs"]["profile"]["properties"]["experience_years"]["description"]


def test_ids_come_from_the_pack_given_with_rules(cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "pack: {name: tiny, extends: bundled}\n"
        "skills:\n  - {id: live-streaming, name: Live streaming}\n",
        encoding="utf-8",
    )
    skills = cli("schema", "profile", "--rules", pack).json()["$defs"]["skills"]["enum"]
    assert "live-streaming" in skills and "seo" in skills


# -- generated pack files -----------------------------------------------------------------------

RULE = {
    "id": "gap-in-a-test",
    "title": "A gap",
    "kind": "requirement-gap",
    "severity": "high",
    "when": {"have": {"max": 0}},
    "message": "{person} has no {skill}",
    "rationale": "Posts rest on their essential skills.",
    "remediation": {"action": "hire", "text": "Hire for it."},
    "example": {"looks_like": "A busy person.", "actually_is": "A missing skill."},
}
BAD_RULES = {
    "level-nine-in-a-range": {**RULE, "when": {"have": {"max": 9}}},
    "an-empty-range": {**RULE, "when": {"have": {}}},
    "a-field-of-another-kind": {**RULE, "posts": ["taobao-operator"]},
    "a-kind-without-its-field": {k: v for k, v in RULE.items() if k != "when"},
    "an-unknown-kind": {**RULE, "kind": "requirement-gapp"},
    "owner-breadth-level-zero": {
        **{k: v for k, v in RULE.items() if k != "when"},
        "kind": "owner-breadth",
        "posts": ["taobao-operator"],
        "level": 0,
    },
}


def _pack_verdict(rule: dict[str, Any], tmp_path: Path) -> bool:
    (tmp_path / "pack.yaml").write_text(
        yaml.safe_dump({"pack": {"name": "test", "extends": "bundled"}, "rules": [rule]}),
        encoding="utf-8",
    )
    return check_pack(tmp_path).ok


def test_a_sound_rule_passes_both(
    tmp_path: Path, validators: dict[str, Draft202012Validator]
) -> None:
    assert _pack_verdict(RULE, tmp_path)
    assert schema_errors(validators["pack"], {"rules": [RULE]}) == []


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_a_rule_with_bad_parameters_is_rejected_by_both(
    case: str, tmp_path: Path, validators: dict[str, Draft202012Validator]
) -> None:
    assert not _pack_verdict(BAD_RULES[case], tmp_path)
    assert schema_errors(validators["pack"], {"rules": [BAD_RULES[case]]}) != []
