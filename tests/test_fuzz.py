"""Property tests: whatever profiles and teams look like, the CLI reports or refuses in one line.

Generated input runs through ``staffcheck.cli.main`` in-process. It must either exit 0 with a
report, or exit 2 with exactly one stderr line "staffcheck: error: ...", and never raise, print a
traceback or an "internal error". Valid input must be accepted, its names kept exactly, and the
result must not depend on the order of the input files or on the locale.

STAFFCHECK_FUZZ_EXAMPLES sets the number of examples (default 300; CI may raise it).

Input already known to crash staffcheck (a hexadecimal level of over 4,300 decimal digits, see
tests/hostile/expectations.yaml) is kept out of these strategies, so that a new failure here is a
new bug.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import staffcheck.knowledge
from staffcheck.cli import main
from staffcheck.errors import StaffcheckError
from staffcheck.knowledge import load_knowledge
from staffcheck.yamlio import parse_yaml

from .conftest import CANDIDATES, EXAMPLES, RULES

EXAMPLES_COUNT = int(os.environ.get("STAFFCHECK_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES_COUNT,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Properties that run whole reports (the engine, two formats) get a share of the examples, so
# that the default run stays near 20 s.
A_THIRD = settings(FUZZ, max_examples=max(10, EXAMPLES_COUNT // 3))
A_FIFTH = settings(FUZZ, max_examples=max(10, EXAMPLES_COUNT // 5))
A_TENTH = settings(FUZZ, max_examples=max(10, EXAMPLES_COUNT // 10))

KB = load_knowledge(RULES)
SKILLS = sorted(KB.skills)
ROLES = sorted(KB.roles)
CHANNELS = sorted(KB.channels)
STRATEGIES = sorted(KB.strategies)
FORMATS = ("table", "json", "markdown", "html")
LIVE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module", autouse=True)
def _pack_loaded_once() -> Iterator[None]:
    """Parse the bundled pack once for the whole module instead of on every CLI run.

    Loading the pack is most of the cost of a run and does not depend on the generated input;
    a run with ``--rules`` still loads that pack for real.
    """
    # Commands import load_knowledge from staffcheck.knowledge when they run: patch it there.
    original = load_knowledge

    def cached(root: Path | None = None) -> Any:
        return KB if root is None else original(root)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staffcheck.knowledge, "load_knowledge", cached)
        yield


# -- running the CLI -------------------------------------------------------------------------


def run_cli(*args: str | Path) -> tuple[int, str, str]:
    """main() in-process; returns (exit code, stdout, stderr). Any exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse: these tests only pass well-formed options
            pytest.fail(f"SystemExit({exc.code}) for {args}: {err.getvalue()!r}")
    return code, out.getvalue(), err.getvalue()


def check_outcome(
    code: int, out: str, err: str, *, fmt: str = "table", one_record: bool = True
) -> None:
    """Exit 0 with a report, or exit 2 with "staffcheck: error: ..." lines; never a crash.

    A run stopped by its input prints every problem found, one per line, at most 20 and then
    "… and N more".

    ``one_record=False`` is for a profile file holding a list: ``screen`` rejects each bad
    record on its own line and screens the others, so only the shape of each line is checked.
    """
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert code in (0, 2), (code, err)
    event(f"exit {code}")  # shown by pytest --hypothesis-show-statistics
    if code == 0:
        assert err == "", err
        assert out.strip(), "exit 0 without a report"
        out.encode("utf-8")  # a UTF-8 terminal, pipe or file must be able to take it
        if fmt != "json":
            assert not LIVE_CONTROL.search(out), f"live control character in the {fmt} report"
        else:
            json.loads(out)
        return
    lines = err.splitlines()
    assert lines, "exit 2 without a message"
    assert all(line.startswith("staffcheck: ") for line in lines), err
    assert lines[0].startswith("staffcheck: error: "), err
    if one_record:
        assert all(line.startswith("staffcheck: error: ") for line in lines), err
        assert len(lines) <= 21, err
        assert out == "", "a rejected run printed a report"


def _record_count(text: str) -> int:
    """How many records staffcheck's YAML reader sees in a profile file (1 unless it is a list).

    Its reader, not PyYAML's pure one: libyaml's parser, under it, accepts a few texts the pure
    reader refuses (a byte-order mark after the first line)."""
    try:
        data = parse_yaml(text, "input.yaml").data
    except StaffcheckError:
        return 1
    return len(data) if isinstance(data, list) else 1


# -- strategies ------------------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from(
    [
        "[bold red]Boss[/bold red]",
        "[/]",
        "[link=http://e.vil]x[/link]",
        "\x1b[31mRED\x1b[0m",
        "\x1b]0;pwned\x07",
        "\x1b]8;;http://e.vil/\x1b\\x\x1b]8;;\x1b\\",
        "\x9b31m",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "# heading\n| a | b |",
        "[x](http://e.vil) ![i](http://e.vil/i.png) `c` *e* _u_ ~s~ \\",
        "a\u202eb\u2066c\u2069",
        "\u200b\u200d\ufeff\u00ad",
        "line\nbreak\r\ntab\t",
        "\x00\x7f\x85",
        "王芳 🙂",
        "{person} {role} %s %(name)s {0}",
    ]
)
# All of Unicode but surrogates (hypothesis leaves them out), control characters included.
UNICODE = st.text(max_size=40)
NAMES = st.one_of(UNICODE, HOSTILE_TEXT, st.sampled_from(["Wang Fang", "Sun Li", "x" * 250]))
JUNK_IDS = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_0123456789 .", max_size=20),
    st.sampled_from(SKILLS + ROLES + CHANNELS + STRATEGIES).map(lambda s: s[:-1] or "x"),
    st.sampled_from(SKILLS + ROLES + CHANNELS + STRATEGIES).map(str.upper),
    UNICODE,
)
# Huge; PyYAML cannot write integers of over 4,300 digits (YAML_TEXT has one).
INTEGERS = st.one_of(
    st.integers(-10, 10),
    st.integers(-(10**6), 10**6),
    st.integers(-(10**300), 10**300),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    INTEGERS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.binary(max_size=6),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
LEVELS = st.one_of(
    st.integers(0, 5),
    INTEGERS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["3", "0x3", "three", "3.0", "1e3", ".inf", "~", "yes", "1:30"]),
    VALUES,
)
SKILL_IDS = st.one_of(st.sampled_from(SKILLS), JUNK_IDS)
UNKNOWN_KEYS = st.one_of(
    st.sampled_from(
        ["skils", "Name", "applying-for", "role", "profile", "team", "members", "<<", "ID", ""]
    ),
    st.text(max_size=8),
)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Nine times in ten a well-formed value, else anything at all."""
    return st.integers(0, 9).flatmap(lambda i: bad if i == 0 else good)


PROFILE_FIELDS = {
    "applying_for": mostly(st.sampled_from(ROLES), st.one_of(JUNK_IDS, VALUES)),
    "skills": mostly(
        st.dictionaries(SKILL_IDS, LEVELS, max_size=5),
        st.one_of(st.lists(SKILL_IDS, max_size=3), VALUES),
    ),
    "channels": mostly(
        st.lists(st.sampled_from(CHANNELS), max_size=4),
        st.one_of(st.lists(st.one_of(JUNK_IDS, VALUES), max_size=3), VALUES),
    ),
    "experience_years": mostly(
        st.one_of(st.integers(0, 70), st.floats(0, 70)),
        st.one_of(INTEGERS, st.floats(), VALUES),
    ),
    "titles": mostly(st.lists(NAMES, max_size=3), VALUES),
}


@st.composite
def profiles(draw: st.DrawFn) -> dict[Any, Any]:
    """A profile mapping: known fields with good or bad values, sometimes unknown keys."""
    profile: dict[Any, Any] = draw(
        st.fixed_dictionaries(
            {"id": mostly(JUNK_IDS, VALUES), "name": mostly(NAMES, VALUES)},
            optional=PROFILE_FIELDS,
        )
    )
    for key in ("id", "name"):
        if draw(st.integers(0, 19)) == 0:
            del profile[key]
    if draw(st.integers(0, 4)) == 0:
        profile.update(draw(st.dictionaries(UNKNOWN_KEYS, VALUES, min_size=1, max_size=2)))
    return profile


VALID_TEXT = st.text(min_size=1, max_size=60).filter(lambda s: s.strip() != "")
VALID_NAMES = st.one_of(VALID_TEXT, HOSTILE_TEXT)


@st.composite
def valid_profiles(draw: st.DrawFn, ident: str | None = None) -> dict[str, Any]:
    """A profile that staffcheck must accept."""
    profile: dict[str, Any] = {
        "id": ident if ident is not None else draw(VALID_TEXT),
        "name": draw(VALID_NAMES),
        "applying_for": draw(st.sampled_from(ROLES)),
    }
    if draw(st.booleans()):
        profile["skills"] = draw(
            st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5), max_size=8)
        )
    if draw(st.booleans()):
        profile["channels"] = draw(st.lists(st.sampled_from(CHANNELS), max_size=4, unique=True))
    if draw(st.booleans()):
        profile["experience_years"] = draw(st.one_of(st.integers(0, 70), st.floats(0, 70)))
    if draw(st.booleans()):
        profile["titles"] = draw(st.lists(VALID_NAMES, max_size=3))
    return profile


@st.composite
def dumped(draw: st.DrawFn, data: Any) -> str:
    """Data as YAML text, in one of the styles people (and tools) write."""
    return yaml.safe_dump(
        data,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, True, None])),
        sort_keys=False,
        width=draw(st.sampled_from([40, 80, 10**6])),
    )


FRAGMENTS = st.sampled_from(
    [
        "id: c-1",
        "name: Wang Fang",
        "applying_for: taobao-operator",
        "skills:",
        "  seo: 3",
        "  seo: 9",
        "\tseo: 3",
        "skills: {seo: 3, copywriting: 2}",
        "skills: [seo]",
        "channels: [taobao, baidu]",
        "team: T",
        "strategy: taobao-store",
        "members:",
        "  - role: taobao-operator",
        "    profile: missing.yaml",
        "- id: c-2",
        "  name: Li Lei",
        "- ",
        "---",
        "...",
        "%YAML 1.1",
        "%TAG ! tag:yaml.org,2002:",
        "a: &a [x, x, x]",
        "b: [*a, *a, *a]",
        "c: *zz",
        "<<: *a",
        "? [a, b]",
        ": 1",
        "!!python/object/apply:os.system [ls]",
        "name: !!binary aGk=",
        "name: !include x.yaml",
        "!!set {a, b}",
        "|",
        ">-",
        "'unclosed",
        '"\\e[31m\\uD7FF\\x9b"',
        "{",
        "}",
        "[",
        "]",
        "# comment",
        "",
        "\ufeff",
        "\r",
        "\x85",
        "\u2028",
        "name: \x07",
        "0x" + "f" * 50,
        "1" * 200,
        "skills: {seo: " + "9" * 4400 + "}",
        'name: "\\uD800"',
        "name: '\udfff'",
        "experience_years: .nan",
    ]
)
YAML_TEXT = st.lists(st.one_of(FRAGMENTS, FRAGMENTS, st.text(max_size=12)), max_size=12).map(
    "\n".join
)


# -- properties: anything in, a report or one line out ---------------------------------------


def _write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8", "surrogatepass"))
    return path


# A command-line argument cannot hold NUL; anything else may be typed.
JUNK_ARGUMENTS = JUNK_IDS.filter(lambda s: s.strip() != "" and "\x00" not in s)
SCREEN_OPTIONS = st.tuples(
    st.sampled_from(FORMATS),
    mostly(st.one_of(st.none(), st.sampled_from(STRATEGIES)), JUNK_ARGUMENTS),
    mostly(st.one_of(st.none(), st.none(), st.sampled_from(ROLES)), JUNK_ARGUMENTS),
)


def _screen_args(path: Path, options: tuple[str, str | None, str | None]) -> list[str | Path]:
    fmt, strategy, role = options
    args: list[str | Path] = ["screen", path, "--format", fmt]
    if strategy is not None:
        args.append(f"--strategy={strategy}")  # "=": a value may start with "-"
    if role is not None:
        args.append(f"--role={role}")
    return args


@FUZZ
@given(
    document=st.one_of(
        valid_profiles(),
        profiles(),
        st.lists(st.one_of(valid_profiles(), profiles()), min_size=1, max_size=3),
        VALUES,
    ).flatmap(lambda d: st.tuples(st.just(d), dumped(d))),
    options=SCREEN_OPTIONS,
)
def test_screen_any_profile_file(
    document: tuple[Any, str], options: tuple[str, str | None, str | None]
) -> None:
    data, text = document
    one_record = not (isinstance(data, list) and len(data) > 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "profile.yaml", text)
        code, out, err = run_cli(*_screen_args(path, options))
    check_outcome(code, out, err, fmt=options[0], one_record=one_record)


@st.composite
def team_files(draw: st.DrawFn) -> tuple[Any, dict[str, str]]:
    """A team mapping (good or bad) and the member profile files it may point to."""
    files = {
        f"m{i}.yaml": draw(dumped(draw(mostly(valid_profiles(), profiles()))))
        for i in range(draw(st.integers(0, 3)))
    }
    targets = [*files, "missing.yaml", ".", "team.yaml", "../team.yaml", "m0.yaml", "m0\x00.yaml"]
    valid_member = st.builds(
        lambda p, role: {**p, "role": role}, valid_profiles(), st.sampled_from(ROLES)
    )
    inline = st.builds(
        lambda p, role: {**p, "role": role}, profiles(), mostly(st.sampled_from(ROLES), VALUES)
    )
    by_file = st.fixed_dictionaries(
        {"role": mostly(st.sampled_from(ROLES), VALUES), "profile": st.sampled_from(targets)},
        optional={"name": NAMES},
    )
    team = draw(
        st.fixed_dictionaries(
            {
                "team": mostly(VALID_NAMES, VALUES),
                "strategy": mostly(st.sampled_from(STRATEGIES), st.one_of(JUNK_IDS, VALUES)),
                "members": mostly(
                    st.lists(
                        st.integers(0, 9).flatmap(
                            lambda i: (
                                valid_member
                                if i < 6
                                else inline
                                if i < 8
                                else by_file
                                if i < 9
                                else VALUES
                            )
                        ),
                        max_size=4,
                    ),
                    VALUES,
                ),
            }
        )
    )
    for key in ("team", "strategy", "members"):
        if draw(st.integers(0, 29)) == 0:
            del team[key]
    if draw(st.integers(0, 4)) == 0:
        team.update(draw(st.dictionaries(UNKNOWN_KEYS, VALUES, min_size=1, max_size=2)))
    return team, files


@FUZZ
@given(
    team=team_files().flatmap(lambda t: st.tuples(st.just(t[1]), dumped(t[0]))),
    fmt=st.sampled_from(FORMATS),
)
def test_team_any_team_file(team: tuple[dict[str, str], str], fmt: str) -> None:
    files, text = team
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for name, content in files.items():
            _write(directory, name, content)
        path = _write(directory, "team.yaml", text)
        code, out, err = run_cli("team", path, "--format", fmt)
    check_outcome(code, out, err, fmt=fmt)


@FUZZ
@given(text=YAML_TEXT, fmt=st.sampled_from(FORMATS))
def test_any_yaml_text(text: str, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "input.yaml", text)
        screened = run_cli("screen", path, "--strategy", "taobao-store", "--format", fmt)
        team = run_cli("team", path, "--format", fmt)
    check_outcome(*screened, fmt=fmt, one_record=_record_count(text) <= 1)
    check_outcome(*team, fmt=fmt)


@FUZZ
@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"id: c-1\nname: ", b"\xff\xfe"]),
    raw=st.binary(max_size=200),
)
def test_any_bytes(prefix: bytes, raw: bytes) -> None:
    content = prefix + raw
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "input.yaml", content)
        screened = run_cli("screen", path, "--strategy", "taobao-store")
        team = run_cli("team", path)
    text = content.decode("utf-8", "replace")
    check_outcome(*screened, one_record=_record_count(text) <= 1)
    check_outcome(*team)


# -- properties: valid input is accepted, names kept exactly ---------------------------------


@A_THIRD
@given(
    profile=valid_profiles().flatmap(lambda p: st.tuples(st.just(p), dumped(p))),
    fmt=st.sampled_from(("table", "markdown", "html")),
    strategy=st.sampled_from(STRATEGIES),
)
def test_valid_profile_is_accepted(
    profile: tuple[dict[str, Any], str], fmt: str, strategy: str
) -> None:
    data, text = profile
    assume(yaml.safe_load(text) == data)  # PyYAML wrote what it was given
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "profile.yaml", text)
        code, out, err = run_cli("screen", path, "--strategy", strategy, "--format", "json")
        check_outcome(code, out, err, fmt="json")
        assert code == 0, err
        [candidate] = json.loads(out)["candidates"]
        assert (candidate["id"], candidate["name"]) == (data["id"], data["name"])
        check_outcome(*run_cli("screen", path, "--strategy", strategy, "--format", fmt), fmt=fmt)


@st.composite
def valid_teams(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 5))
    members = [
        {"role": draw(st.sampled_from(ROLES)), **draw(valid_profiles(ident=f"e-{i}"))}
        for i in range(count)
    ]
    for member in members:
        member.pop("applying_for")
    return {
        "team": draw(VALID_NAMES),
        "strategy": draw(st.sampled_from(STRATEGIES)),
        "members": members,
    }


@A_FIFTH
@given(
    team=valid_teams().flatmap(lambda t: st.tuples(st.just(t), dumped(t))),
    fmt=st.sampled_from(("table", "markdown", "html")),
)
def test_valid_team_is_accepted(team: tuple[dict[str, Any], str], fmt: str) -> None:
    data, text = team
    assume(yaml.safe_load(text) == data)
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "team.yaml", text)
        code, out, err = run_cli("team", path, "--format", "json")
        check_outcome(code, out, err, fmt="json")
        assert code == 0, err
        report = json.loads(out)
        assert report["team"]["name"] == data["team"]
        got = [(c["id"], c["name"], c["role"]) for c in report["candidates"]]
        assert got == [(m["id"], m["name"], m["role"]) for m in data["members"]]
        check_outcome(*run_cli("team", path, "--format", fmt), fmt=fmt)


# -- determinism -----------------------------------------------------------------------------


def _canonical(report_json: str) -> str:
    """The JSON report with candidates sorted by id, serialised the same way every time."""
    report = json.loads(report_json)
    report["candidates"].sort(key=lambda c: c["id"])
    return json.dumps(report, ensure_ascii=False, indent=2)


@st.composite
def profile_sets(draw: st.DrawFn) -> tuple[list[str], list[int]]:
    count = draw(st.integers(2, 5))
    texts = [draw(dumped(draw(valid_profiles(ident=f"c-{i}")))) for i in range(count)]
    order = draw(st.permutations(range(count)))
    return texts, order


@A_TENTH
@given(profile_set=profile_sets(), strategy=st.sampled_from(STRATEGIES))
def test_screen_result_does_not_depend_on_file_order(
    profile_set: tuple[list[str], list[int]], strategy: str
) -> None:
    texts, order = profile_set
    with tempfile.TemporaryDirectory() as tmp:
        paths = [_write(Path(tmp), f"p{i}.yaml", text) for i, text in enumerate(texts)]
        runs = [
            run_cli("screen", *files, "--strategy", strategy, "--format", "json")
            for files in (paths, [paths[i] for i in order])
        ]
    for code, _, err in runs:
        assert code == 0, err
    assert _canonical(runs[0][1]) == _canonical(runs[1][1])


def _example_candidates() -> list[Path]:
    return sorted(
        p for p in CANDIDATES.glob("*.yaml") if "applying_for" in p.read_text(encoding="utf-8")
    )


def test_bundled_candidates_in_any_order_give_the_same_report() -> None:
    files = _example_candidates()
    assert len(files) >= 3
    shuffled = list(files)
    random.Random(6).shuffle(shuffled)
    outputs = set()
    for order in (files, list(reversed(files)), shuffled):
        code, out, err = run_cli("screen", *order, "--strategy", "taobao-store", "--format", "json")
        assert code == 0, err
        outputs.add(_canonical(out))
    assert len(outputs) == 1


def _locale_run(locale: str, *args: str | Path) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIOENCODING"))}
    env.pop("PYTHONUTF8", None)
    env.update(LC_ALL=locale, LANG=locale, PYTHONHASHSEED="0")
    done = subprocess.run(
        [sys.executable, "-m", "staffcheck", *(str(a) for a in args)],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stderr == b""
    return done.stdout


@pytest.mark.parametrize("command", ["team", "screen"])
def test_json_is_the_same_under_every_locale(tmp_path: Path, command: str) -> None:
    if command == "team":
        team = tmp_path / "team.yaml"
        team.write_text(
            (EXAMPLES / "spring-launch.yaml")
            .read_text(encoding="utf-8")
            .replace("Ma Jun", "马骏 «Ma Jun» ✓")
            .replace("Spring launch", "春季上新 — Spring launch")
            .replace("candidates/", f"{CANDIDATES}/"),
            encoding="utf-8",
        )
        args: list[str | Path] = ["team", team]
    else:
        args = ["screen", *_example_candidates(), "--strategy", "taobao-store"]
    outputs = {
        locale: _locale_run(locale, *args, "--format", "json") for locale in ("C", "C.UTF-8")
    }
    assert outputs["C"] == outputs["C.UTF-8"]
    text = outputs["C"].decode("utf-8")
    if command == "team":
        assert "马骏 «Ma Jun» ✓" in json.loads(text)["candidates"][0]["name"]


# -- spreadsheets: any bytes under a spreadsheet's name; any well-made export accepted --------

SHEET_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")
SHEET_PREFIXES = [
    b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"id,name,applying_for,seo\n", b"Title\n\xb1\xe0\xba\xc5;\xd0\xd5\xc3\xfb\n", b"<html>",
]  # fmt: skip


def check_sheet_outcome(code: int, out: str, err: str) -> None:
    """Exit 0 or 2, never a crash; stderr holds only staffcheck's lines, at most two notes."""
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert code in (0, 2), (code, err)
    lines = err.splitlines()
    assert all(line.startswith("staffcheck: ") for line in lines), err
    assert sum(line.startswith("staffcheck: note: ") for line in lines) <= 2, err
    if code == 0:
        assert out.strip(), "exit 0 without a report"


@FUZZ
@given(
    suffix=st.sampled_from(SHEET_SUFFIXES),
    prefix=st.sampled_from(SHEET_PREFIXES),
    raw=st.binary(max_size=300),
)
def test_any_bytes_as_a_spreadsheet(suffix: str, prefix: bytes, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "drive" + suffix, prefix + raw)
        check_sheet_outcome(*run_cli("screen", path, "--strategy", "taobao-store"))


# Spellings of each required column HR's tools write; the reader must take every one.
HEADER_SPELLINGS = {
    "id": ["id", "ID", "Id", "编号", "工号", "ＩＤ"],
    "name": ["name", "Name", "姓名", "NAME "],
    "applying_for": ["applying_for", "Applying For", "应聘岗位", "post", "岗位"],
    "seo": ["seo", "SEO"],
}
PRINTABLE_NAMES = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s == s.strip() and not s.startswith(("=", "'")) and s.strip() != "")
CJK_NAMES = st.text(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6
)


def _not_utf8(name: str) -> bool:
    try:
        name.encode("gb18030").decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, list[str], list[list[Any]], str, str]:
    """(file suffix, header, rows, delimiter, encoding) of an export staffcheck must accept."""
    suffix = draw(st.sampled_from(SHEET_SUFFIXES))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
    header = [draw(st.sampled_from(HEADER_SPELLINGS[f])) for f in HEADER_SPELLINGS]
    if encoding == "gb18030" and suffix == ".csv":
        header[0] = "编号"  # so that the start of the file cannot pass for UTF-8
    # A GBK name whose bytes are also valid UTF-8 (一 is D2 BB, Cyrillic һ in UTF-8) makes a
    # small file truly ambiguous; the reader's guess for those is pinned by test_intake.
    names = CJK_NAMES.filter(_not_utf8) if encoding == "gb18030" else PRINTABLE_NAMES
    header.insert(draw(st.integers(0, len(header))), "email")
    count = draw(st.integers(1, 5))
    rows = []
    for n in range(count):
        row: list[Any] = [
            f"p-{n}",
            draw(names),
            draw(st.sampled_from(ROLES)),
            draw(st.integers(0, 5)),
        ]
        row.insert(header.index("email"), draw(st.sampled_from(["", "a@example.com", "—"])))
        rows.append(row)
    return suffix, header, rows, draw(st.sampled_from([",", ";", "\t"])), encoding


def _write_export(
    directory: Path, export: tuple[str, list[str], list[list[Any]], str, str]
) -> Path:
    suffix, header, rows, delimiter, encoding = export
    path = directory / f"drive{suffix}"
    title = [["Applicants, spring 2026"]]
    if suffix == ".csv":
        out = io.StringIO()
        import csv

        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
            [*title, header, *rows]
        )
        path.write_bytes(out.getvalue().encode(encoding))
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in [*title, header, *rows]:
            book.active.append(row)
        book.save(path)
    elif suffix == ".xls":
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("Applicants")
        for r, row in enumerate([*title, header, *rows]):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
        book.save(str(path))
    else:
        from .data.intake.make_fixtures import write_ods

        write_ods(path, [("Applicants", [*title, header, *rows])])
    return path


@A_FIFTH
@given(export=exports())
def test_a_well_made_export_is_accepted(
    export: tuple[str, list[str], list[list[Any]], str, str],
) -> None:
    _, header, rows, _, _ = export
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_export(Path(tmp), export)
        code, out, err = run_cli("screen", path, "--format", "json")
    check_sheet_outcome(code, out, err)
    assert code == 0, err
    ident, named = (header.index(next(h for h in header if h in HEADER_SPELLINGS[f])) for f in ("id", "name"))  # fmt: skip
    people = [(c["id"], c["name"]) for c in json.loads(out)["candidates"]]
    assert people == [(row[ident], row[named]) for row in rows]
    notes = [line for line in err.splitlines() if line.startswith("staffcheck: note: ")]
    assert len(notes) == 1 and "ignored columns: email (kept in spreadsheet results)" in notes[0]
