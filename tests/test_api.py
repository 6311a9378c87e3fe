"""The Python API (docs/api.md): the CLI's JSON from `to_dict()`, the CLI's validation, one error type."""

from __future__ import annotations

import dataclasses
import datetime
import json
import pickle
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import staffcheck
from staffcheck import (
    Location,
    Member,
    Profile,
    StaffcheckError,
    Team,
    Verdict,
    Waiver,
    assess_team,
    examples_dir,
    load_pack,
    screen,
)
from staffcheck.i18n import language
from tests.conftest import CANDIDATES, EXAMPLES, RULES, Run

SUN_LI = CANDIDATES / "sun-li.yaml"
TEAMS = sorted(EXAMPLES.glob("*.yaml"))


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- the JSON contract ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("sun-li.yaml", {}),
        ("zhou-min.yaml", {"strategy": "taobao-store"}),  # an open application, ranked
        ("lin-na.yaml", {"post": "seo-specialist"}),
        ("he-min.yaml", {}),
    ],
)
def test_a_screening_is_the_cli_json(
    cli: Callable[..., Run], name: str, options: dict[str, str]
) -> None:
    flags = [f"--{key}={value}" for key, value in options.items()]
    run = cli("screen", CANDIDATES / name, "--format", "json", *flags)
    result = screen(CANDIDATES / name, **options)
    assert result.to_dict() == run.json()
    assert result.to_json() == run.out


@pytest.mark.parametrize("team", TEAMS, ids=lambda p: p.stem)
def test_a_team_assessment_is_the_cli_json(cli: Callable[..., Run], team: Path) -> None:
    run = cli("team", team, "--format", "json")
    assert assess_team(team).to_dict() == run.json()


def test_chinese_results_are_the_cli_json_and_leave_the_process_in_its_language(
    cli: Callable[..., Run],
) -> None:
    run = cli("--lang", "zh", "team", EXAMPLES / "spring-launch.yaml", "--format", "json")
    from staffcheck.i18n import set_language

    set_language("en")  # the CLI run chose Chinese for the process; the API must not need it
    result = assess_team(EXAMPLES / "spring-launch.yaml", pack=load_pack(lang="zh"))
    assert result.to_dict() == run.json()
    assert "淘宝运营" in result.to_json()
    assert language() == "en"


# --- the three forms of input --------------------------------------------------------------


def test_a_dict_screens_as_its_file_does() -> None:
    assert screen(_yaml(SUN_LI)).to_dict() == screen(SUN_LI).to_dict()


def test_a_profile_built_in_code_screens_as_its_file_does() -> None:
    data = _yaml(SUN_LI)
    profile = Profile(
        id=data["id"],
        name=data["name"],
        skills=data["skills"],
        source=Location("notebook"),
        applying_for=data["applying_for"],
        channels=tuple(data.get("channels", ())),
        experience_years=data.get("experience_years"),
        titles=tuple(data.get("titles", ())),
    )
    assert screen(profile).to_dict() == screen(SUN_LI).to_dict()


def test_a_team_as_a_dict_assesses_as_its_file_does() -> None:
    path = EXAMPLES / "analytics-team.yaml"  # members inline
    assert assess_team(_yaml(path)).to_dict() == assess_team(path).to_dict()


def _coded(data: dict[str, Any]) -> Profile:
    return Profile(
        data["id"], data["name"], data["skills"], Location("code"),
        channels=tuple(data.get("channels", ())), experience_years=data.get("experience_years"),
        titles=tuple(data.get("titles", ())),
    )  # fmt: skip


def test_a_team_built_in_code_with_waivers_assesses_as_its_file_does() -> None:
    path = EXAMPLES / "search-team.yaml"
    data = _yaml(path)
    members = tuple(
        Member(m["role"], _coded(_yaml(EXAMPLES / m["profile"]) if "profile" in m else m))
        for m in data["members"]
    )
    waivers = tuple(
        Waiver(
            w["rule"],
            w["reason"],
            w["approved_by"],
            w["expires"],
            Location("code"),
            w.get("person"),
            w.get("post"),
            w.get("skill"),
        )
        for w in data["waivers"]
    )
    assert waivers
    team = Team(data["team"], data["strategy"], members, Location("code"), waivers)
    today = datetime.date(2026, 1, 1)
    expected = assess_team(path, as_of=today).to_dict()
    assert assess_team(team, as_of=today).to_dict() == expected
    assert "waiver" in json.dumps(expected)


def test_a_team_dict_finds_member_files_from_the_current_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(EXAMPLES)
    data = _yaml(EXAMPLES / "spring-launch.yaml")
    assert assess_team(data).to_dict() == assess_team(EXAMPLES / "spring-launch.yaml").to_dict()


# --- validation: the CLI's, whatever the form ----------------------------------------------

BAD = {
    "id": "c-9",
    "name": "Bad Row",
    "applying_for": "taobao-operater",
    "skills": {"seo": 9, "sorcery": 2},
    "channels": ["taobao", "myspace"],
}


def _said(error: StaffcheckError) -> set[tuple[str, str | None]]:
    return {(p.message, p.hint) for p in error.problems}


def test_a_bad_dict_raises_every_problem_the_cli_finds_in_its_file(tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(yaml.safe_dump(BAD), encoding="utf-8")
    with pytest.raises(StaffcheckError) as from_file:
        screen(file)
    with pytest.raises(StaffcheckError) as from_dict:
        screen(BAD, source="row 12")
    assert _said(from_dict.value) == _said(from_file.value)
    assert len(from_dict.value.problems) == 4
    assert {str(p.location) for p in from_dict.value.problems} == {"row 12"}
    assert from_dict.value.location == Location("row 12")
    assert from_dict.value.hint is not None
    assert "did you mean 'taobao-operator'" in str(from_dict.value)
    with pytest.raises(StaffcheckError, match=r"^<dict>: "):
        screen(BAD)


def test_a_profile_built_in_code_is_checked_against_the_pack() -> None:
    profile = Profile(
        id="p-1", name="Coded", skills={"seo": 9, "sorcery": 2}, source=Location("hire.py", 7),
        applying_for="astronaut", channels=("myspace",),
    )  # fmt: skip
    with pytest.raises(StaffcheckError) as caught:
        screen(profile)
    lines = caught.value.lines()
    assert len(lines) == 4
    assert all(line.startswith("hire.py:7") for line in lines)
    joined = "\n".join(lines)
    for said in ("skills.seo is 9, outside 0..5", "'sorcery'", "'astronaut'", "'myspace'"):
        assert said in joined


def test_a_team_built_in_code_is_checked_against_the_pack() -> None:
    person = Profile("p-1", "Coded", {"seo": 4}, Location("code"))
    team = Team("T", "no-such-strategy", (Member("astronaut", person),), Location("team.py", 3))
    with pytest.raises(StaffcheckError) as caught:
        assess_team(team)
    joined = "\n".join(caught.value.lines())
    assert "'no-such-strategy'" in joined
    assert "'astronaut'" in joined


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: screen(42), "a profile is a mapping, a YAML file or a Profile, not int"),  # type: ignore[arg-type]
        (lambda: assess_team(["x"]), "a team is a mapping"),  # type: ignore[arg-type]
        (lambda: screen(CANDIDATES / "drive-2026-spring.yaml"), "profiles; screen() takes one"),
        (lambda: screen(EXAMPLES / "spring-launch.yaml"), "this is a team file, not a profile"),
        (lambda: screen(CANDIDATES / "no-such.yaml"), "no such file"),
        (lambda: screen(SUN_LI, post="astronaut"), "unknown post 'astronaut'"),
        (lambda: screen(SUN_LI, strategy="nope"), "unknown strategy 'nope'"),
        (lambda: assess_team(EXAMPLES / "spring-launch.yaml", strategy="nope"), "unknown strategy"),
        (lambda: screen(SUN_LI, pack=3), "pack must be a Pack"),  # type: ignore[arg-type]
        (lambda: load_pack("/no/such/pack"), "no such knowledge-pack directory"),
        (lambda: load_pack(lang="xx"), "neither staffcheck nor the knowledge pack speaks 'xx'"),
    ],
)
def test_bad_input_raises_one_exception_type(call: Callable[[], object], expected: str) -> None:
    with pytest.raises(StaffcheckError) as caught:
        call()
    assert expected in "\n".join(caught.value.lines())


# --- typed, frozen results -----------------------------------------------------------------


def test_a_screening_reads_as_the_report_says() -> None:
    result = screen(SUN_LI)
    assert result.verdict is Verdict.MISMATCH
    assert f"{result.verdict}" == "mismatch"
    assert result.post == "taobao-operator"
    assert result.person.name == "Sun Li"
    assert [p.role for p in result.better_posts] == ["seo-specialist"]
    assert [f.rule for f in result.findings] == [
        f["rule"] for f in result.to_dict()["candidates"][0]["findings"]
    ]
    assert result.advice and "SEO specialist" in result.advice[0]
    assert (
        repr(result) == "Screening(id='c-1042', post='taobao-operator', verdict='mismatch', fit=0)"
    )


def test_an_open_application_is_tried_on_the_strategys_posts() -> None:
    result = screen(CANDIDATES / "zhou-min.yaml", strategy="taobao-store")
    assert result.person.open_application
    assert result.strategy == "taobao-store"
    assert result.post in load_pack().posts


def test_a_team_assessment_reads_as_the_report_says() -> None:
    result = assess_team(EXAMPLES / "spring-launch.yaml", as_of=datetime.date(2026, 1, 1))
    data = result.to_dict()
    assert result.name == "Spring launch" and result.strategy == "taobao-store"
    assert [m.id for m in result.members] == [c["id"] for c in data["candidates"]]
    assert [g.role for g in result.gaps] == [g["role"] for g in data["team"]["gaps"]]
    assert list(result.advice) == data["team"]["advice"]
    assert result.advice_complete == data["team"]["advice_complete"]
    assert result.worst_severity is not None


def test_a_team_judged_by_another_strategy() -> None:
    own = assess_team(EXAMPLES / "spring-launch.yaml")
    other = assess_team(EXAMPLES / "spring-launch.yaml", strategy="content-marketing")
    assert other.strategy == "content-marketing"
    assert [g.role for g in other.gaps] != [g.role for g in own.gaps]


def test_results_are_frozen_and_to_dict_is_a_fresh_copy() -> None:
    result = screen(SUN_LI)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result._report = None  # type: ignore[misc, assignment]
    data = result.to_dict()
    data["candidates"].clear()
    assert result.to_dict()["candidates"]


def test_a_pack_by_path_in_chinese() -> None:
    pack = load_pack(str(RULES), lang="ZH")
    assert pack.lang == "zh"
    assert pack.posts["taobao-operator"] == "淘宝运营"
    assert "taobao-store" in pack.strategies
    result = screen(SUN_LI, pack=pack)
    assert "淘宝运营" in result.findings[0].message
    assert language() == "en"
    assert screen(SUN_LI, pack=str(RULES)).to_dict() == screen(SUN_LI).to_dict()


def test_threads_take_turns_each_in_its_pack_language() -> None:
    packs = {"en": load_pack(lang="en"), "zh": load_pack(lang="zh")}
    said: dict[str, list[str]] = {"en": [], "zh": []}

    def work(lang: str) -> None:
        for _ in range(3):
            said[lang].append(screen(SUN_LI, pack=packs[lang]).advice[0])

    threads = [threading.Thread(target=work, args=(lang,)) for lang in packs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert said["en"] == [screen(SUN_LI).advice[0]] * 3
    assert said["zh"] == [screen(SUN_LI, pack=packs["zh"]).advice[0]] * 3
    assert said["en"][0] != said["zh"][0]


# --- the package: public names, lazily -----------------------------------------------------


def test_import_staffcheck_loads_nothing_else() -> None:
    code = "import staffcheck, sys; print(sorted(m for m in sys.modules if 'staffcheck' in m))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.replace("'", '"')) == ["staffcheck"]


def test_the_public_names_are_all_and_only_all() -> None:
    assert dir(staffcheck) == sorted(staffcheck.__all__)
    for name in staffcheck.__all__:
        assert getattr(staffcheck, name) is not None
    assert staffcheck.StaffcheckError is StaffcheckError
    assert staffcheck.examples_dir() == examples_dir()
    namespace: dict[str, object] = {}
    exec("from staffcheck import *", namespace)  # what a notebook user types
    assert set(namespace) - {"__builtins__"} == set(staffcheck.__all__)
    with pytest.raises(AttributeError, match="no attribute 'load_knowledge'"):
        staffcheck.load_knowledge  # noqa: B018


def test_a_pack_pickles_by_reference_and_results_by_value(tmp_path: Path) -> None:
    pack = load_pack(lang="zh")
    again = pickle.loads(pickle.dumps(pack))
    assert again.lang == "zh"
    assert again._kb is pack._kb  # the process's cached pack: its engine is compiled once
    assert len(pickle.dumps(pack)) < 200
    custom = load_pack(shutil.copytree(RULES, tmp_path / "pack"))
    assert pickle.loads(pickle.dumps(custom)).root == tmp_path / "pack"
    result = screen(SUN_LI, pack=pack)
    assert pickle.loads(pickle.dumps(result)).to_dict() == result.to_dict()


# --- bad input of any form: one exception type, placed, with a hint (red team, issue 12) ----


def _nested(depth: int) -> object:
    value: object = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def _cyclic() -> list[object]:
    loop: list[object] = []
    loop.append(loop)
    return loop


def _coded_profile(**fields: Any) -> Profile:
    given: dict[str, Any] = {"id": "a", "name": "A", "skills": {"seo": 3}, "source": Location("x")}
    return Profile(**(given | fields))


def _coded_team(**fields: Any) -> Team:
    given: dict[str, Any] = {
        "name": "T", "strategy": "taobao-store", "source": Location("team.py", 3),
        "members": (Member("seo-specialist", _coded_profile()),),
    }  # fmt: skip
    return Team(**(given | fields))


_WAIVER = Waiver("r", "why", "boss", datetime.date(2030, 1, 1), Location("w"))
_DICT = {"id": "a", "name": "A", "skills": {}}


@pytest.mark.parametrize(
    ("call", "place", "said"),
    [
        (lambda: screen(_DICT, post=3), "screen()", "post must be text, not int"),
        (lambda: screen(_DICT, strategy=3), "screen()", "strategy must be text or a path, not int"),
        (lambda: screen(_DICT, source=3), "screen()", "source must be text, not int"),
        (lambda: load_pack(3), "load_pack()", "rules must be text or a path, not int"),
        (lambda: load_pack(lang=3), "load_pack()", "lang must be text, not int"),
        (lambda: assess_team(EXAMPLES / "spring-launch.yaml", strategy=3), "assess_team()",
         "strategy must be text, not int"),
        (lambda: assess_team(EXAMPLES / "search-team.yaml", as_of="next week"), "assess_team()",
         "as_of is not a date: 'next week'"),
        (lambda: assess_team(EXAMPLES / "search-team.yaml", as_of=20260101), "assess_team()",
         "as_of must be a date, not int"),
        (lambda: screen(_coded_profile(skills={1: 3})), "x", "unknown skill '1'"),
        (lambda: screen(_coded_profile(skills=None)), "x", "skills must be a mapping"),
        (lambda: screen(_coded_profile(channels=None)), "x", "channels must be a list, not nothing"),
        (lambda: screen(_coded_profile(titles="SEO")), "x",
         "titles must be a list, not text 'SEO'"),
        (lambda: screen(_coded_profile(channels="taobao")), "x",
         "channels must be a list, not text 'taobao'"),
        (lambda: screen(_coded_profile(extra=None)), "x", "extra must be a list of (column, text)"),
        (lambda: screen(_coded_profile(source=None)), "<Profile>",
         "source must be a staffcheck.Location, not NoneType"),
        (lambda: screen(_coded_profile(source="hr")), "<Profile>",
         "source must be a staffcheck.Location, not str"),
        (lambda: screen(_coded_profile(source=Location(3))), "<Profile>",  # type: ignore[arg-type]
         "source.path must be text, not int"),
        (lambda: assess_team(_coded_team(members=None)), "team.py:3",
         "members must be a list of Member, not NoneType"),
        (lambda: assess_team(_coded_team(members=({"role": "x"},))), "team.py:3",
         "members[0] must be a Member, not dict"),
        (lambda: assess_team(_coded_team(members=(Member("seo-specialist", None),))),  # type: ignore[arg-type]
         "team.py:3", "members[0].profile must be a Profile, not NoneType"),
        (lambda: assess_team(_coded_team(
            members=(Member("seo-specialist", _coded_profile(source="hr")),))),
         "team.py:3", "members[0].profile.source must be a staffcheck.Location"),
        (lambda: assess_team(_coded_team(waivers=None)), "team.py:3",
         "waivers must be a list of Waiver, not NoneType"),
        (lambda: assess_team(_coded_team(waivers=(_WAIVER, "w"))), "team.py:3",
         "waivers[1] must be a Waiver, not str"),
        (lambda: assess_team(_coded_team(source=None)), "<Team>",
         "source must be a staffcheck.Location, not NoneType"),
        (lambda: screen(_DICT | {"titles": [_nested(100_000)]}), "<dict>",
         "nested more than 64 levels deep"),
        (lambda: screen(_DICT | {"titles": _cyclic()}, source="row 3"), "row 3",
         "nested more than 64 levels deep"),
        (lambda: assess_team({"team": "T", "members": _cyclic()}), "<dict>",
         "nested more than 64 levels deep"),
    ],
)  # fmt: skip
def test_a_bad_value_of_any_form_is_a_placed_staffcheck_error(
    call: Callable[[], object], place: str, said: str
) -> None:
    with pytest.raises(StaffcheckError) as caught:
        call()
    error = caught.value
    assert str(error.location) == place
    assert said in str(error)
    # the reader's own "must be a list/mapping, not …" says the fix; every other has a hint
    assert error.hint or "must be a mapping" in said or "must be a list, not" in said


def test_a_profile_dict_and_file_refuse_a_text_where_a_list_belongs_alike() -> None:
    """A text is not split into characters ('S', 'E', 'O'), whichever way it comes."""
    for titles in ("SEO", "SEO specialist"):
        with pytest.raises(StaffcheckError) as coded:
            screen(_coded_profile(titles=titles))
        with pytest.raises(StaffcheckError) as given:
            screen(_DICT | {"titles": titles})
        assert coded.value.lines() == [f"x: titles must be a list, not text '{titles}'"]
        assert given.value.lines() == [f"<dict>: titles must be a list, not text '{titles}'"]


@pytest.mark.parametrize(
    "as_of",
    [
        datetime.date(2026, 1, 1),
        datetime.datetime(2026, 1, 1, 17, 30),
        "2026-01-01",
        " 2026-01-01 ",
    ],
)
def test_as_of_is_a_date_a_datetime_or_an_iso_date_text(as_of: object) -> None:
    team = EXAMPLES / "search-team.yaml"
    expected = assess_team(team, as_of=datetime.date(2026, 1, 1)).to_dict()
    assert assess_team(team, as_of=as_of).to_dict() == expected  # type: ignore[arg-type]
    assert assess_team(team, as_of=datetime.date(2099, 1, 1)).to_dict() != expected


def test_a_datetime_in_a_coded_waiver_is_its_date() -> None:
    dated = dataclasses.replace(_WAIVER, expires=datetime.datetime(2030, 1, 1, 9))
    with pytest.raises(StaffcheckError) as caught:  # an unknown rule: the waiver was read
        assess_team(_coded_team(waivers=(dated,)))
    assert "'r'" in str(caught.value)
    assert "date" not in str(caught.value)


def test_a_relative_pack_unpickles_and_copies_in_another_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copy

    monkeypatch.chdir(tmp_path)
    shutil.copytree(RULES, tmp_path / "pack")
    pack = load_pack("pack")
    blob = pickle.dumps(pack)
    monkeypatch.chdir("/")
    assert pickle.loads(blob).root == tmp_path / "pack"
    assert load_pack(tmp_path / "pack") == pack  # the same pack, however it is named
    assert copy.deepcopy(pack).posts == pack.posts
    assert screen(SUN_LI, pack=pickle.loads(blob)).to_dict() == screen(SUN_LI).to_dict()


def test_the_api_works_after_the_current_directory_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    copied = shutil.copytree(RULES, tmp_path / "pack")  # not in the cache: its files are read
    pack = load_pack(copied)
    assert screen(SUN_LI, pack=pack).verdict is Verdict.MISMATCH
    assert pickle.loads(pickle.dumps(pack)) is not None
    with pytest.raises(StaffcheckError, match="current directory no longer exists"):
        load_pack("relative/pack")


def test_a_long_lived_process_keeps_a_few_packs_not_every_edit(tmp_path: Path) -> None:
    from staffcheck import diagnose, knowledge

    pack = Path(shutil.copytree(RULES, tmp_path / "pack"))
    skills = pack / "skills.yaml"
    text = skills.read_text(encoding="utf-8")
    for edit in range(12):  # a notebook editing its pack: every version is a new pack
        skills.write_text(text + f"\n# edit {edit}\n", encoding="utf-8")
        edited = load_pack(pack)
        assert screen(SUN_LI, pack=edited).verdict is Verdict.MISMATCH
    assert len(knowledge._LOADED) <= 8
    assert len(diagnose._ENGINES) <= 8
    assert load_pack(pack)._kb is edited._kb  # the latest is still cached
