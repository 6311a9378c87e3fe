"""The command line as a user meets it: reports, the JSON contract, exit codes, output files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from staffcheck import __version__

from .conftest import CANDIDATES, EXAMPLES, ROOT

SPRING = EXAMPLES / "spring-launch.yaml"


def test_team_report_in_the_terminal_fits_80_columns(cli) -> None:
    run = cli("team", SPRING)
    assert run.code == 0
    assert "cannot run the strategy as staffed" in run.out
    assert "Sun Li" in run.out and "mismatch" in run.out
    assert "Uncovered posts" in run.out and "Marketing data analyst" in run.out
    assert "What to do first" in run.out
    assert max(len(line) for line in run.out.splitlines()) <= 80


def test_json_report_follows_the_documented_contract(cli) -> None:
    data = cli("team", SPRING, "--format", "json").json()
    assert data["schema"] == "staffcheck.report/2"
    assert data["strategy"] == {"id": "taobao-store", "name": "Taobao store"}
    sun = next(c for c in data["candidates"] if c["name"] == "Sun Li")
    assert set(sun) >= {"id", "name", "role", "fit", "verdict", "findings", "better_roles"}
    assert set(sun) >= {"confidence", "questions", "inferred", "open_application", "extra"}
    assert sun["verdict"] == "mismatch" and 0 <= sun["fit"] <= 100
    assert sun["better_roles"][0] == {"role": "seo-specialist", "fit": 100, "reason": ""}
    # Her store skills are not shown: the confidence says so, per essential skill.
    assert set(sun["confidence"]) == {"level", "stated", "inferred", "unknown"}
    assert "taobao-operations" in sun["confidence"]["unknown"]
    root = sun["findings"][0]
    assert root["rule"] == "seo-specialist-in-taobao-post"
    assert "taobao-operations" in {f["skill"] for f in root["explains"]}
    for finding in sun["findings"]:
        assert set(finding) >= {"rule", "severity", "message", "because", "basis"}
        assert finding["severity"] in {"critical", "high", "medium", "low", "info"}
        assert finding["basis"] in {"stated", "inferred", "unknown"}
        assert isinstance(finding["because"], list) and finding["because"]
    gap = next(g for g in data["team"]["gaps"] if g["role"] == "data-analyst")
    assert set(gap) >= {"role", "module", "severity", "message"}
    assert gap["module"] == "data-monitoring"
    # the uncovered module only restates the analyst's gap: it is folded into it
    assert [f["rule"] for f in gap["restated"]] == ["nobody-on-data-analysis"]
    team_rules = {f["rule"] for f in data["team"]["findings"]}
    assert "nobody-on-data-analysis" not in team_rules
    assert data["team"]["advice"][0].startswith("Hire for Taobao store operator")
    for finding in data["team"]["findings"]:
        assert set(finding) >= {"rule", "severity", "message", "because"}


def test_screen_json_has_no_team_section(cli) -> None:
    data = cli(
        "screen", CANDIDATES / "sun-li.yaml", "--strategy", "taobao-store", "--format", "json"
    ).json()
    assert "team" not in data
    assert [c["id"] for c in data["candidates"]] == ["c-1042"]


def test_markdown_report(cli) -> None:
    run = cli("team", SPRING, "--format", "markdown")
    assert run.out.startswith("# Team fit: Spring launch")
    assert "| Sun Li | Taobao store operator | 0 | **mismatch** |" in run.out


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 1), ("high", 1), ("info", 1)])
def test_fail_on_reached_exits_1(cli, fail_on: str, code: int) -> None:
    assert cli("team", SPRING, "--fail-on", fail_on).code == code


def test_fail_on_not_reached_exits_0(cli) -> None:
    run = cli(
        "screen", CANDIDATES / "huang-lei.yaml", "--strategy", "taobao-store", "--fail-on", "low"
    )
    assert run.code == 0
    assert "fit" in run.out


def test_unknown_strategy_suggests_the_closest(cli) -> None:
    run = cli("screen", CANDIDATES / "sun-li.yaml", "--strategy", "taobao-stor")
    assert run.code == 2
    assert run.err.strip() == (
        "staffcheck: error: unknown strategy 'taobao-stor' (did you mean 'taobao-store'?)"
    )


def test_unknown_role_option(cli) -> None:
    run = cli("screen", CANDIDATES / "sun-li.yaml", "--role", "seo-specialst")
    assert run.code == 2
    assert "unknown post 'seo-specialst' (did you mean 'seo-specialist'?)" in run.err


def test_strategy_from_a_file(cli, tmp_path: Path) -> None:
    strategy = tmp_path / "live-stream.yaml"
    strategy.write_text(
        "id: live-stream-selling\nname: Live-stream selling\nmodules:\n"
        "  - module: store-operations\n    roles: {taobao-operator: critical}\n",
        encoding="utf-8",
    )
    data = cli(
        "screen", CANDIDATES / "huang-lei.yaml", "--strategy", strategy, "--format", "json"
    ).json()
    assert data["strategy"]["id"] == "live-stream-selling"
    assert data["candidates"][0]["verdict"] == "fit"


def test_output_file_is_written_and_replaced(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    run = cli("team", SPRING, "--format", "json", "--output", target)
    assert run.code == 0 and run.out == ""
    assert target.read_text(encoding="utf-8").startswith('{\n  "schema"')
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left


def test_output_never_overwrites_an_input(cli, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    original = SPRING.read_text(encoding="utf-8").replace("candidates/", str(CANDIDATES) + "/")
    team.write_text(original, encoding="utf-8")
    run = cli("team", team, "--output", team)
    assert run.code == 2
    assert "refusing to write the report over one of the input files" in run.err
    assert team.read_text(encoding="utf-8") == original


def test_failed_run_leaves_existing_output_alone(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous report", encoding="utf-8")
    run = cli("team", tmp_path / "missing.yaml", "--output", target)
    assert run.code == 2
    assert target.read_text(encoding="utf-8") == "previous report"


def test_version(cli) -> None:
    run = cli("--version")
    assert run.code == 0 and run.out.strip() == f"staffcheck {__version__}"


def test_version_loads_neither_the_parser_nor_rich_nor_yaml() -> None:
    # Scripts and shells ask for the version often: it is answered before the parser and what it
    # imports load (bench/ measures the time; this keeps the reason it is short).
    probe = (
        "import sys; from staffcheck.cli import main; code = main(['--version']);"
        "print(code, sorted(m for m in ('staffcheck.cli.parser', 'rich', 'yaml', 'experta')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["screen"],
        ["team"],
        ["rules"],
        ["rules", "list"],
        ["rules", "show"],
        ["rules", "validate"],
        ["rules", "test"],
    ],
)
def test_every_command_has_help(
    cli, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli(*command, "--help")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: staffcheck")
    if command in (["screen"], ["team"], ["rules"]):
        assert "examples:" in out


def test_rules_list_and_show(cli) -> None:
    listing = cli("rules", "list")
    assert listing.code == 0
    for ident in ("taobao-store", "seo-specialist", "seo-specialist-in-taobao-post"):
        assert ident in listing.out
    shown = cli("rules", "show", "seo-specialist-in-taobao-post")
    assert shown.code == 0
    assert "rationale" in shown.out and "better posts" in shown.out
    missing = cli("rules", "show", "seo-specialist-in-taobao")
    assert missing.code == 2
    assert "did you mean 'seo-specialist-in-taobao-post'?" in missing.err


def test_python_dash_m_runs_without_stray_logging() -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "staffcheck",
            "screen",
            str(CANDIDATES / "sun-li.yaml"),
            "--strategy",
            "taobao-store",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert '"verdict": "mismatch"' in proc.stdout


def test_global_options_work_before_the_command(cli) -> None:
    run = cli("--format", "json", "--fail-on", "high", "team", SPRING)
    assert run.code == 1
    assert run.json()["schema"] == "staffcheck.report/2"
    after = cli("--format", "json", "team", SPRING, "--format", "markdown")
    assert after.out.startswith("# Team fit")


@pytest.mark.parametrize(
    ("before", "command", "option"),
    [
        (["--output", "x.txt"], ["rules", "list"], "--output"),
        (["--fail-on", "high"], ["plan", "--strategy", "taobao-store"], "--fail-on"),
        (["--fail-on", "high"], ["explain", str(SPRING)], "--fail-on"),
        (["--format", "json"], ["rules", "docs"], "--format"),
    ],
)
def test_a_global_option_the_command_lacks_is_refused(
    capsys: pytest.CaptureFixture[str], before: list[str], command: list[str], option: str
) -> None:
    """Given before the command, an option the command has no use for is an error, not ignored."""
    from staffcheck.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([*before, *command])
    assert exit_.value.code == 2
    prog = " ".join(["staffcheck", *command[: 2 if command[0] == "rules" else 1]])
    assert capsys.readouterr().err == (
        f"staffcheck: error: '{prog}' has no {option} option (see '{prog} --help')\n"
    )


def test_fail_on_counts_a_streamed_batch_too(cli) -> None:
    sun = CANDIDATES / "sun-li.yaml"
    for fmt in ("jsonl", "table"):
        run = cli("screen", sun, "--strategy", "taobao-store", "--format", fmt, "--fail-on", "high")
        assert run.code == 1, fmt
        quiet = cli("screen", sun, "--strategy", "taobao-store", "--format", fmt)
        assert quiet.code == 0, fmt


@pytest.mark.parametrize(
    ("command", "one"),
    [
        (["screen"], "a finding reached --fail-on"),
        (["team"], "a finding reached --fail-on"),
        (["plan"], None),
        (["explain"], None),
        (["rules"], "a fixture failed (rules test)"),
    ],
)
def test_help_says_what_exit_status_1_means_for_the_command(
    cli, capsys: pytest.CaptureFixture[str], command: list[str], one: str | None
) -> None:
    with pytest.raises(SystemExit):
        cli(*command, "--help")
    status = [
        line.split(maxsplit=1)
        for line in capsys.readouterr().out.split("exit status:")[1].splitlines()
        if line.strip()
    ]
    assert [code for code, _ in status] == (
        ["0", "2", "130"] if one is None else ["0", "1", "2", "130"]
    )
    if one is not None:
        assert status[1][1] == one


def test_html_report_is_self_contained_with_every_section(cli, tmp_path: Path) -> None:
    target = tmp_path / "team.html"
    assert cli("team", SPRING, "--format", "html", "--output", target).code == 0
    page = target.read_text(encoding="utf-8")
    for section in ("summary", "strategy", "heatmap", "gaps", "findings", "recommendations"):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") >= 1 + 5  # the heatmap and a fit bar per member
    assert "<details>" in page and '<ol class="because">' in page
    # Nothing to fetch: no scripts, no external references, a CSP that forbids them anyway.
    for forbidden in ("<script", " src=", 'href="http', "url(", "@import"):
        assert forbidden not in page
    assert "default-src 'none'" in page


def test_usage_error_prints_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from staffcheck.cli import main

    with pytest.raises(SystemExit):
        main(["team", str(SPRING), "--format", "xml"])
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "staffcheck: error: argument --format: invalid choice: 'xml' (choose from 'table', "
        "'json', 'markdown', 'html') (see 'staffcheck team --help')"
    ]


def test_severity_and_format_are_case_insensitive(cli) -> None:
    assert cli("team", SPRING, "--fail-on", "HIGH", "--format", "JSON").code == 1


@pytest.mark.parametrize(
    "target",
    [CANDIDATES / "sun-li.yaml", ROOT / "rules" / "roles.yaml"],
    ids=["member-profile", "knowledge-pack"],
)
def test_output_never_overwrites_any_file_the_run_reads(cli, target: Path) -> None:
    before = target.read_bytes()
    run = cli("team", SPRING, "--output", target)
    assert run.code == 2
    assert "refusing to write the report over one of the input files" in run.err
    assert target.read_bytes() == before


def test_every_command_offers_exactly_the_formats_its_results_have() -> None:
    from staffcheck.cli import explain, plan, screen, team

    assert team.FORMATS == ("table", "json", "markdown", "html")
    assert (*team.FORMATS, "csv", "xlsx", "jsonl") == screen.FORMATS  # spreadsheets: screening only
    assert explain.FORMATS == ("table", "json", "markdown")
    assert plan.FORMATS == ("table", "markdown", "html", "json", "xlsx")  # xlsx: to a file


def test_every_problem_of_a_refused_input_is_printed_capped_and_inert(cli, tmp_path: Path) -> None:
    # 25 members that are not mappings: 25 problems, one line each up to 20, then the rest counted.
    members = "".join(f'  - "\\e[31mmember {n}"\n' for n in range(25))
    team = tmp_path / "team.yaml"
    team.write_text(f"team: T\nstrategy: taobao-store\nmembers:\n{members}", encoding="utf-8")
    run = cli("team", team)
    assert run.code == 2 and run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 21
    assert all(line.startswith("staffcheck: error: ") for line in lines)
    assert lines[-1] == "staffcheck: error: … and 5 more"
    assert "\x1b" not in run.err


def test_problem_lines_are_capped() -> None:
    from staffcheck.errors import Problem, StaffcheckError
    from staffcheck.model import Location

    error = StaffcheckError(Problem(f"problem {n}", Location("f.yaml", n)) for n in range(1, 4))
    assert error.lines() == ["f.yaml:1: problem 1", "f.yaml:2: problem 2", "f.yaml:3: problem 3"]
    assert error.lines(cap=2) == ["f.yaml:1: problem 1", "f.yaml:2: problem 2", "… and 1 more"]


def test_post_is_the_word_and_role_its_old_spelling(cli) -> None:
    drive = EXAMPLES / "exports" / "taobao-drive.csv"
    new = cli("screen", drive, "--post", "taobao-operator", "--format", "json")
    old = cli("screen", drive, "--role", "taobao-operator", "--format", "json")
    assert new.code == old.code == 0 and new.out == old.out
    assert new.json()["candidates"][0]["rank"] == 1  # JSON keys unchanged


def test_every_renderer_of_the_table_exists() -> None:
    from staffcheck.reporters import RENDERERS, get_renderer

    for result_type, fmt in RENDERERS:
        assert callable(get_renderer(result_type, fmt)), (result_type, fmt)


def test_team_advice_is_the_action_planners_plan(kb) -> None:
    from staffcheck.actions import ADVICE_STEPS, advice_lines, advise, plan_actions
    from staffcheck.diagnose import assess_team
    from staffcheck.profiles import load_team

    team = load_team(SPRING, kb)
    report = assess_team(kb, team)
    advice = advise(kb, report, team).advice
    assert advice and len(advice) <= ADVICE_STEPS  # the text formats would cut a longer one
    assert advice == advice_lines(plan_actions(kb, team, report))[:ADVICE_STEPS]


def test_one_function_decides_colour_and_width(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from staffcheck.cli.options import render_options
    from staffcheck.reporters import RenderOptions

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda *_: os.terminal_size((200, 50)))
    terminal = argparse.Namespace(output=None, no_color=False)
    assert render_options(terminal) == RenderOptions(color=True, width=120)
    assert render_options(argparse.Namespace(output=None, no_color=True)).color is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert render_options(terminal).color is False
    to_file = argparse.Namespace(output=Path("report.txt"), no_color=False)
    assert render_options(to_file) == RenderOptions(color=False, width=80)


# --- the output file's suffix chooses the format -----------------------------------------------

DRIVE = EXAMPLES / "exports" / "taobao-drive.csv"


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("o.xlsx", b"PK"), ("report.html", b"<!DOCTYPE html"), ("report.htm", b"<!DOCTYPE html"),
        ("o.md", b"# "), ("o.json", b"{"), ("o.jsonl", b"{"), ("o.csv", b"\xef\xbb\xbf"),
        ("o.txt", b"Screening"), ("noext", b"Screening"),
    ],
)  # fmt: skip
def test_screen_takes_the_format_from_the_output_suffix(
    cli, tmp_path: Path, name: str, starts: bytes
) -> None:
    target = tmp_path / name
    run = cli("screen", DRIVE, "--post", "taobao-operator", "-o", target)
    assert run.code == 0, run.err
    assert target.read_bytes().startswith(starts)
    if name == "o.jsonl":
        assert len(target.read_text().splitlines()) > 1  # one object a line, not one document


@pytest.mark.parametrize(
    ("command", "name", "says"),
    [
        (("screen", DRIVE, "--format", "table"), "x.xlsx", "--format table does not match"),
        (("screen", DRIVE, "--format", "json"), "x.csv", "--format json does not match"),
        (("screen", DRIVE), "x.ods", "screen cannot write a .ods file"),
        (("screen", DRIVE, "--format", "xlsx"), "x.ods", "screen cannot write a .ods file"),
        (("team", SPRING), "x.xlsx", "team cannot write a .xlsx file"),
        (("template", "--post", "taobao-operator"), "t.ods", "template cannot write a .ods"),
        (("template", "--post", "taobao-operator", "--format", "csv"), "t.xlsx", "does not match"),
    ],
)
def test_a_suffix_the_format_cannot_fill_is_refused_in_one_line(
    cli, tmp_path: Path, command: tuple[object, ...], name: str, says: str
) -> None:
    target = tmp_path / name
    run = cli(*command, "-o", target)
    assert run.code == 2
    assert run.err.count("\n") == 1 and says in run.err, run.err
    assert not target.exists()
    if "cannot write" in says:
        can = ".csv, .xlsx" if command[0] == "template" else ".html, .md"
        assert can in run.err and ".ods" not in run.err.split("one of:")[1]  # what it can write


def test_an_explicit_text_format_may_go_to_any_text_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    assert cli("screen", DRIVE, "--format", "markdown", "-o", target).code == 0
    assert target.read_text().startswith("# ")
    assert cli("screen", DRIVE, "-o", os.devnull).code == 0  # a device: no suffix to read


def test_template_takes_its_format_from_the_suffix(cli, tmp_path: Path) -> None:
    book, sheet = tmp_path / "t.xlsx", tmp_path / "t.csv"
    assert cli("template", "--post", "taobao-operator", "-o", book).code == 0
    assert cli("template", "--post", "taobao-operator", "-o", sheet).code == 0
    assert book.read_bytes().startswith(b"PK")
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")


def test_ask_output_is_a_profile_file_whatever_its_suffix(cli, tmp_path: Path) -> None:
    run = cli("ask", DRIVE, "--person", "nobody", "-o", tmp_path / "p.yaml")
    assert "cannot write a .yaml" not in run.err
