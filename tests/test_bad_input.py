"""Bad input gets one clear line naming the file, the place and the fix, and exit 2 — never a traceback."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from staffcheck.errors import Problem, StaffcheckError
from staffcheck.model import Location, Reject

from .conftest import CANDIDATES, RULES

GOOD = "id: c-1\nname: Wang Fang\napplying_for: taobao-operator\nskills: {taobao-operations: 3}\n"

CASES = {
    "tab-indent": ("id: c-1\nname: X\nskills:\n\tseo: 3\n", ":4:1: invalid YAML", "tabs"),
    "bad-indent": ("id: c-1\nname: X\n  skills: {seo: 3}\n", ":3:", "invalid YAML"),
    "unclosed-quote": ('id: c-1\nname: "Wang Fang\n', "invalid YAML", "quote"),
    "empty": ("", "file is empty", "add content"),
    "only-comments": ("# nothing here\n", "file is empty", "add content"),
    "scalar-document": ("just some text\n", "must hold a mapping", "id:"),
    "duplicate-key": (
        "id: c-1\nname: X\nskills:\n  seo: 1\n  seo: 5\n",
        ":5:3: duplicate key 'seo' (first at line 4)",
        "keep one",
    ),
    "unknown-field": (
        "id: c-1\nname: X\nskils: {seo: 3}\n",
        ":3:1: unknown field 'skils'",
        "did you mean 'skills'?",
    ),
    "unknown-skill": (
        "id: c-1\nname: X\nskills: {keyword-reserch: 3}\n",
        ":3:10: unknown skill 'keyword-reserch'",
        "did you mean 'keyword-research'?",
    ),
    "unknown-channel": (
        "id: c-1\nname: X\nchannels: [taobaoo]\n",
        "unknown channel 'taobaoo'",
        "did you mean 'taobao'?",
    ),
    "unknown-role": (
        "id: c-1\nname: X\napplying_for: taobao-operater\n",
        "unknown role 'taobao-operater'",
        "did you mean 'taobao-operator'?",
    ),
    "level-text": (
        "id: c-1\nname: X\nskills: {seo: four}\n",
        "skills.seo must be a skill level",
        "text 'four'",
    ),
    "level-high": (
        "id: c-1\nname: X\nskills: {seo: 7}\n",
        "skills.seo is 7, outside 0..5",
        "skill level from 0 to 5",
    ),
    "level-negative": ("id: c-1\nname: X\nskills: {seo: -1}\n", "is -1, outside 0..5", ""),
    "level-fraction": ("id: c-1\nname: X\nskills: {seo: 3.5}\n", "not float 3.5", ""),
    "level-bool": ("id: c-1\nname: X\nskills: {seo: true}\n", "not true (a yes/no value)", ""),
    "negative-years": (
        "id: c-1\nname: X\nexperience_years: -2\n",
        "experience_years is -2, outside 0..70",
        "",
    ),
    "skills-list": (
        "id: c-1\nname: X\nskills: [seo, copywriting]\n",
        "skills must be a mapping, not a list",
        "",
    ),
    "missing-name": ("id: c-1\n", "missing required field 'name'", "add 'name:'"),
    "null-name": ("id: c-1\nname:\n", "name must be text, not nothing", ""),
    "not-utf8": (b"id: c-1\nname: \xff\xfe\n", ":2: not UTF-8 text", "save the file as UTF-8"),
    "alias-bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(8)
        ),
        "alias bomb",
        "remove the repeated aliases",
    ),
    "deep-nesting": ("x: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 64 levels", ""),
    "control-character": (
        'id: c-1\nname: "a\x07b"\n',
        ":2:9: control character U+0007",
        "write it as an escape",
    ),
    "merge-key": ("base: &b {id: c-1}\n<<: *b\nname: X\n", "merge keys (<<) are not supported", ""),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_profile_gets_one_clear_line(cli, tmp_path: Path, case: str) -> None:
    content, expected, hint = CASES[case]
    path = tmp_path / f"{case}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.process_time()  # CPU, not wall time: a busy machine cannot fail it
    run = cli("screen", path, "--strategy", "taobao-store")
    assert time.process_time() - started < 10
    assert run.code == 2
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith(f"staffcheck: error: {path}")
    assert expected in lines[0]
    assert hint in lines[0]
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("prefix", "newline"), [("\ufeff", "\n"), ("", "\r\n")], ids=["bom", "crlf"]
)
def test_bom_and_windows_line_endings_are_accepted(
    cli, tmp_path: Path, prefix: str, newline: str
) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes((prefix + GOOD.replace("\n", newline)).encode("utf-8"))
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    assert run.json()["candidates"][0]["name"] == "Wang Fang"


def test_missing_file(cli, tmp_path: Path) -> None:
    run = cli("screen", tmp_path / "nobody.yaml")
    assert run.code == 2
    assert (
        run.err.strip()
        == f"staffcheck: error: {tmp_path / 'nobody.yaml'}: no such file (check the path)"
    )


def test_directory_instead_of_file(cli, tmp_path: Path) -> None:
    run = cli("team", tmp_path)
    assert run.code == 2
    assert "is a directory, not a file" in run.err


def test_oversized_file_rejected_before_parsing(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFFCHECK_MAX_FILE_BYTES", "1000")
    path = tmp_path / "big.yaml"
    path.write_text(GOOD + "# " + "x" * 2000 + "\n", encoding="utf-8")
    run = cli("screen", path)
    assert run.code == 2
    assert "over the 1,000-byte limit" in run.err and "STAFFCHECK_MAX_FILE_BYTES" in run.err


def test_duplicate_candidate_ids(cli, tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        f"- {GOOD.replace(chr(10), chr(10) + '  ')}\n- {GOOD.replace(chr(10), chr(10) + '  ')}",
        encoding="utf-8",
    )
    run = cli("screen", path)
    assert run.code == 2
    assert "duplicate person id 'c-1'" in run.err


def test_profile_without_a_post_is_an_open_application(cli, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("id: c-1\nname: X\n", encoding="utf-8")
    run = cli("screen", path, "--format", "json")
    assert run.code == 0, run.err
    [candidate] = run.json()["candidates"]
    assert candidate["open_application"] is True


def test_team_member_with_missing_profile_file(cli, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(
        "team: T\nstrategy: taobao-store\nmembers:\n"
        "  - role: taobao-operator\n    profile: people/ghost.yaml\n",
        encoding="utf-8",
    )
    run = cli("team", team)
    assert run.code == 2
    assert f"{team}:5: member profile 'people/ghost.yaml' not found" in run.err


def test_team_file_given_to_screen(cli, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text("team: T\nstrategy: taobao-store\nmembers: []\n", encoding="utf-8")
    run = cli("screen", team)
    assert run.code == 2
    assert "this is a team file, not a profile" in run.err


def _broken_pack(tmp_path: Path, file: str, old: str, new: str) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(RULES, pack)
    target = pack / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return pack


def test_pack_with_unknown_skill_in_a_role(cli, tmp_path: Path) -> None:
    pack = _broken_pack(tmp_path, "roles.yaml", "taobao-operations: 3", "taobao-operation: 3")
    run = cli("rules", "validate", pack)
    assert run.code == 2
    assert "roles.yaml:" in run.err
    assert "unknown skill 'taobao-operation' (did you mean 'taobao-operations'?)" in run.err
    team = cli(
        "team",
        Path(__file__).parent.parent / "profiles/examples/spring-launch.yaml",
        "--rules",
        pack,
    )
    assert team.code == 2 and len(team.err.splitlines()) == 1


def test_pack_with_duplicate_rule_id(cli, tmp_path: Path) -> None:
    pack = _broken_pack(
        tmp_path, "rules.yaml", "id: essential-skill-far-below", "id: essential-skill-missing"
    )
    run = cli("rules", "validate", pack)
    assert run.code == 2
    assert "duplicate rule id 'essential-skill-missing' (first defined at" in run.err


def test_pack_with_unknown_placeholder(cli, tmp_path: Path) -> None:
    pack = _broken_pack(tmp_path, "rules.yaml", "{person}", "{persn}")
    run = cli("rules", "validate", pack)
    assert run.code == 2
    assert "unknown placeholder {persn} in message (did you mean 'person'?)" in run.err


def test_missing_pack_directory(cli, tmp_path: Path) -> None:
    run = cli("rules", "list", "--rules", tmp_path / "nope")
    assert run.code == 2
    assert "no such knowledge-pack directory" in run.err


def test_escape_sequences_in_error_messages_are_inert(cli, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        'id: c-1\nname: X\napplying_for: "\\e[31mRED\\e]0;pwned\\a"\n', encoding="utf-8"
    )
    run = cli("screen", path)
    assert run.code == 2
    assert "\x1b" not in run.err and "\x07" not in run.err
    assert "\\x1b[31mRED" in run.err


@pytest.mark.parametrize(
    "args",
    [
        ["team", "x.yaml", "--format", "xml"],
        ["team", "x.yaml", "--fail-on", "bogus"],
        ["bogus"],
        [],
    ],
    ids=["format", "fail-on", "command", "nothing"],
)
def test_usage_errors_are_one_line(cli, args: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli(*args)
    assert exit_.value.code == 2


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        (Location("a.yaml"), "a.yaml"),
        (Location("a.yaml", 3), "a.yaml:3"),
        (Location("a.yaml", 3, 7), "a.yaml:3:7"),
        (Location("a.csv", None, 7), "a.csv"),  # a column means nothing without its line
    ],
)
def test_a_location_prints_as_path_line_column(location: Location, shown: str) -> None:
    assert str(location) == shown


def test_problems_and_rejects_print_their_location_first() -> None:
    where = Location("team.yaml", 4, 9)
    assert str(Problem("unknown skill 'seoo'", where, "did you mean 'seo'?")) == (
        "team.yaml:4:9: unknown skill 'seoo' (did you mean 'seo'?)"
    )
    assert str(Problem("no profiles to explain")) == "no profiles to explain"
    assert str(StaffcheckError.at("file is empty", Path("x.yaml"), hint="add content")) == (
        "x.yaml: file is empty (add content)"
    )
    assert str(StaffcheckError.at("bad", where)) == "team.yaml:4:9: bad"
    with pytest.raises(TypeError):
        StaffcheckError.at("bad", where, 5)  # a Location already has its line
    assert str(Reject(Location("drive.csv", 3), "the row has more cells")) == (
        "drive.csv:3: the row has more cells"
    )
    assert str(Reject(Location("<stdin>"), "input is over the size limit")) == (
        "<stdin>: input is over the size limit"
    )


@pytest.mark.parametrize("raw", ["", "  "])
def test_an_empty_file_size_limit_is_the_default_as_every_variable_reads_it(
    cli, monkeypatch, raw: str
) -> None:
    monkeypatch.setenv("STAFFCHECK_MAX_FILE_BYTES", raw)
    run = cli("screen", CANDIDATES / "sun-li.yaml", "--format", "json")
    assert run.code == 0, run.err


def test_a_file_size_limit_that_is_not_a_number_is_one_line(cli, monkeypatch) -> None:
    monkeypatch.setenv("STAFFCHECK_MAX_FILE_BYTES", "lots")
    run = cli("screen", CANDIDATES / "sun-li.yaml")
    assert run.code == 2
    assert len(run.err.splitlines()) == 1
    assert "STAFFCHECK_MAX_FILE_BYTES='lots' is not a positive whole number" in run.err
