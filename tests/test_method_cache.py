"""The command line compiles dataclasses' generated methods once, not at every start.

Each run is a fresh process through the real entry point, with its own cache directory. What a
run compiled for staffcheck's classes is counted by wrapping `compile` in the probe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CANDIDATES

#: Runs the command line and prints, as its last line on stderr, how many generated methods of
#: staffcheck's classes it compiled from source: by `exec` of their text (dataclasses alone), or
#: by `compile` (the table, for a source it lacks; only staffcheck's classes go through it).
PROBE = """\
import atexit, builtins, json, runpy, sys
compiled = []
real_compile, real_exec = builtins.compile, builtins.exec
def generated(source):
    if isinstance(source, str) and "__create_fn__" in source:
        compiled.append(source)
def counting_compile(source, *args, **kwargs):
    generated(source)
    return real_compile(source, *args, **kwargs)
def counting_exec(source, globals=None, *args, **kwargs):
    if str((globals or {}).get("__name__", "")).startswith("staffcheck"):
        generated(source)
    return real_exec(source, globals, *args, **kwargs)
builtins.compile, builtins.exec = counting_compile, counting_exec
atexit.register(lambda: print(json.dumps(len(compiled)), file=sys.stderr))
sys.argv = ["staffcheck", *sys.argv[1:]]
runpy.run_module("staffcheck", run_name="__main__")
"""


def _screen(cache: Path, umask: int = 0o022, **env: str) -> tuple[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "screen", str(CANDIDATES / "sun-li.yaml"),
         "--strategy", "taobao-store"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "STAFFCHECK_CACHE_DIR": str(cache), **env},
        preexec_fn=lambda: os.umask(umask),  # the test's own, not the runner's
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.stdout, json.loads(done.stderr.splitlines()[-1])


def _tables(cache: Path) -> list[Path]:
    return sorted((cache / "methods").glob("*.marshal"))


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_second_run_compiles_none_of_staffcheck_s_methods(tmp_path: Path, umask: int) -> None:
    cache = tmp_path / "cache"
    first, compiled_first = _screen(cache, umask)
    assert compiled_first > 100  # every generated method of the classes a screening makes
    (table,) = _tables(cache)
    assert table.parent.stat().st_mode & 0o077 == 0  # a folder nobody else may write to
    assert table.stat().st_mode & 0o077 == 0
    second, compiled_second = _screen(cache, umask)
    assert compiled_second == 0
    assert second == first


def test_the_cached_methods_are_what_dataclasses_makes(tmp_path: Path) -> None:
    # Compiled as dataclasses compiles them: no `from __future__ import annotations` of the
    # module that compiles them turns the annotations of a generated __init__ into names.
    probe = (
        "import json, sys\n"
        "sys.argv = ['staffcheck', 'rules', 'list']\n"
        "from staffcheck.cli import main\n"
        "main()\n"
        "from staffcheck.model import Finding, Location\n"
        "print(json.dumps([repr(c.__init__.__annotations__) for c in (Finding, Location)]))\n"
    )
    env = {**os.environ, "STAFFCHECK_CACHE_DIR": str(tmp_path / "cache")}

    def annotations(**extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
            env={**env, **extra},
        )  # fmt: skip
        return done.stdout.splitlines()[-1]

    plain = annotations(STAFFCHECK_NO_CACHE="1")
    assert annotations() == plain  # compiled into the table
    assert _tables(tmp_path / "cache")
    assert annotations() == plain  # read from it


def test_a_damaged_table_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, _ = _screen(cache)
    (table,) = _tables(cache)
    for damage in (b"\xff not marshal data", table.read_bytes()[:-100]):
        table.write_bytes(damage)
        again, compiled = _screen(cache)
        assert again == first
        assert compiled > 100
        assert _screen(cache)[1] == 0  # written back whole


def test_no_cache_means_no_table(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, compiled = _screen(cache, STAFFCHECK_NO_CACHE="1")
    assert compiled > 100
    assert not cache.exists() or _tables(cache) == []


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_table_others_may_write_is_never_read(tmp_path: Path) -> None:
    # Code from the table is run: a table in a directory somebody else can write is not trusted.
    cache = tmp_path / "cache"
    _screen(cache)
    (cache / "methods").chmod(0o777)
    _, compiled = _screen(cache)
    assert compiled > 100
    (table,) = _tables(cache)
    table.chmod(0o666)  # the folder made private again by the run that found it open; the file not
    _, compiled = _screen(cache)
    assert compiled > 100


def test_importing_staffcheck_as_a_library_leaves_dataclasses_alone(tmp_path: Path) -> None:
    profile = str(CANDIDATES / "sun-li.yaml")
    probe = (
        f"import dataclasses, staffcheck; staffcheck.screen({profile!r}, strategy='taobao-store'); "
        "print('exec' in vars(dataclasses))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={**os.environ, "STAFFCHECK_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert done.stdout.strip() == "False"
    assert _tables(tmp_path / "cache") == []
