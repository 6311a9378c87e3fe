"""Every file of tests/hostile/ through the CLI: rejected with one clear line, or accepted and inert.

What each file must give is in tests/hostile/expectations.yaml. A rejection is exit 2 and exactly
one stderr line "staffcheck: error: FILE..." containing the expected text, quickly and without a
traceback. An accepted hostile file (exit 0) must come out of the table, Markdown and HTML reports
with no live control characters or markup, and out of the JSON report with its names unchanged.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

HOSTILE = Path(__file__).resolve().parent / "hostile"
SUPPORT = HOSTILE / "_support"
EXPECTATIONS_FILE = HOSTILE / "expectations.yaml"
#: CPU seconds a hostile input may cost (this process and the children it waited for): CPU time,
#: not wall time, so that a busy machine cannot fail the test; a hang or a blow-up costs minutes.
SECONDS = 10.0
REQUIRED = {"kind", "exit"}
OPTIONAL = {"error", "names", "absent", "isolate", "bug", "records"}
# What must never reach a report live: C0 controls (but tab and newline), DEL, C1 controls
# (ESC [ and its one-character form U+009B among them) and the bidi overrides.
LIVE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _load_expectations() -> dict[str, dict[str, Any]]:
    """The expectations, refusing duplicate names (safe_load would silently keep the last)."""
    text = EXPECTATIONS_FILE.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.MappingNode)
    names = [key.value for key, _ in root.value]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"listed twice in expectations.yaml: {duplicates}"
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


EXPECTATIONS = _load_expectations()


def _params(exit_code: int) -> list[Any]:
    params = []
    for name, spec in EXPECTATIONS.items():
        if spec.get("exit") != exit_code:
            continue
        marks = []
        if spec.get("bug"):
            marks.append(pytest.mark.xfail(strict=True, reason=f"BUG: {spec['bug']}"))
        params.append(pytest.param(name, id=name.removesuffix(".yaml"), marks=marks))
    return params


def _command(name: str, *extra: str) -> list[str]:
    spec = EXPECTATIONS[name]
    path = str(HOSTILE / name)
    if spec["kind"] == "team":
        return ["team", path, *extra]
    return ["screen", path, "--strategy", "taobao-store", *extra]


def _run_isolated(args: list[str]) -> tuple[int, str, str]:
    """Run the CLI in a subprocess with a 1 GiB address-space limit and a CPU-time limit (CPU
    time, not wall time: a busy machine slows a run, it does not make it use more CPU); the wall
    clock only catches a run that waits forever."""
    resource = pytest.importorskip("resource")

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (30, 30))

    try:
        done = subprocess.run(
            [sys.executable, "-m", "staffcheck", *args],
            capture_output=True,
            timeout=600,
            preexec_fn=limit,
            check=False,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"staffcheck {' '.join(args)} waited 10 minutes: a hang")
    return (
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def test_every_file_has_an_expectation() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.is_file() and p != EXPECTATIONS_FILE}
    assert sorted(files - EXPECTATIONS.keys()) == [], "files without an entry in expectations.yaml"
    assert sorted(EXPECTATIONS.keys() - files) == [], "expectations for files that do not exist"


def test_every_expectation_is_well_formed() -> None:
    for name, spec in EXPECTATIONS.items():
        assert isinstance(spec, dict), name
        assert REQUIRED <= spec.keys() <= REQUIRED | OPTIONAL, (name, sorted(spec))
        assert spec["kind"] in ("profile", "team"), name
        assert spec["exit"] in (0, 2), name
        if spec["exit"] == 2:
            assert isinstance(spec.get("error"), str) and spec["error"], name
            assert "absent" not in spec, name
        else:
            assert "error" not in spec and "names" not in spec, name


def test_every_support_file_is_used() -> None:
    used = "\n".join(
        (HOSTILE / name).read_text(encoding="utf-8", errors="replace")
        for name, spec in EXPECTATIONS.items()
        if spec["kind"] == "team"
    )
    for support in SUPPORT.iterdir():
        assert f"_support/{support.name}" in used, f"{support.name} is used by no team case"


def _cpu() -> float:
    """CPU seconds used so far by this process and the children it has waited for."""
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system


@pytest.mark.parametrize("name", _params(2))
def test_rejected_with_clear_lines(cli, name: str) -> None:
    spec = EXPECTATIONS[name]
    args = _command(name)
    started = _cpu()
    if spec.get("isolate"):
        if not Path("/dev/zero").exists():
            pytest.skip("needs /dev/zero")
        code, _, err = _run_isolated(args)
    else:
        run = cli(*args)
        code, err = run.code, run.err
    elapsed = _cpu() - started
    assert "Traceback" not in err
    assert "internal error" not in err, err
    assert code == 2, err
    lines = err.splitlines()
    # A line per problem of the file (at most 20, then "… and N more"); a file holding a list of
    # profiles gets one line per rejected record (the batch goes on) and a closing count.
    records = spec.get("records", 1)
    if records == 1:
        assert 1 <= len(lines) <= 21, err
        assert all(line.startswith("staffcheck: error: ") for line in lines), err
    else:
        assert len(lines) == records + 1, err
    assert all(line.startswith("staffcheck: ") for line in lines), err
    names = spec.get("names")
    named = (
        HOSTILE / name
        if names is None
        else Path(names)
        if names.startswith("/")
        else HOSTILE / names
    )
    assert lines[0].startswith(f"staffcheck: error: {named}"), lines[0]
    assert spec["error"] in lines[0], lines[0]
    assert elapsed < SECONDS, f"took {elapsed:.1f} CPU s"


def _names_in(name: str) -> list[tuple[str, str]]:
    """(id, name) of every person the accepted file holds, as written (PyYAML, every scalar text)."""
    path = HOSTILE / name

    def load(file: Path) -> Any:
        return yaml.load(file.read_bytes().decode("utf-8-sig"), Loader=yaml.BaseLoader)

    data = load(path)
    if EXPECTATIONS[name]["kind"] == "profile":
        people = data if isinstance(data, list) else [data]
    else:
        people = [
            load(path.parent / member["profile"]) if "profile" in member else member
            for member in data["members"]
        ]
    return [(str(p["id"]), str(p["name"])) for p in people]


@pytest.mark.parametrize("name", _params(0))
def test_accepted_and_inert(cli, name: str) -> None:
    spec = EXPECTATIONS[name]
    absent: dict[str, list[str]] = spec.get("absent", {})
    for fmt in ("table", "markdown", "html", "json"):
        started = _cpu()
        run = cli(*_command(name, "--format", fmt))
        elapsed = _cpu() - started
        assert "Traceback" not in run.err
        assert run.code == 0, run.err
        assert run.err == ""
        assert elapsed < SECONDS, f"{fmt} took {elapsed:.1f} CPU s"
        run.out.encode("utf-8")  # what a UTF-8 terminal, pipe or file would have to take
        if fmt == "json":
            people = [(c["id"], c["name"]) for c in run.json()["candidates"]]
            assert sorted(people) == sorted(_names_in(name))
            continue
        live = LIVE_CONTROL.findall(run.out)
        assert not live, f"{fmt} report has live control characters {live!r}"
        if fmt in ("markdown", "html"):
            assert "<script" not in run.out.lower(), fmt
        for text in absent.get(fmt, []):
            assert text not in run.out, f"{fmt} report has {text!r} live"


def test_html_shows_injected_markup_as_text(cli) -> None:
    out = cli(*_command("html-injection-name.yaml", "--format", "html")).out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(2)&gt;" in out


def test_terminal_shows_escape_sequences_as_text(cli) -> None:
    out = cli(*_command("ansi-escape-name.yaml")).out
    assert "\\x1b[31mRED" in out.replace("\n", "")
