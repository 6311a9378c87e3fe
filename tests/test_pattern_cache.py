"""The command line compiles the regular expressions it uses once, not at every start.

Each run is a fresh process through the real entry point, with its own cache directory. What a
run parsed from a pattern's text (the step the table saves) is counted by wrapping `re`'s parser
in the probe, from the moment the table is in place.
"""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from staffcheck import code_tables, pattern_cache

from .conftest import CANDIDATES

#: Runs the command line and prints, as its last line on stderr, the patterns it parsed once the
#: table was installed.
PROBE = """\
import atexit, json, runpy, sys
from re import _parser
parsed = []
real_parse = _parser.parse
def counting_parse(pattern, flags=0, *args):
    cache = sys.modules.get("staffcheck.pattern_cache")
    if cache is not None and cache.installed() and isinstance(pattern, (str, bytes)):
        parsed.append(repr(pattern))
    return real_parse(pattern, flags, *args)
_parser.parse = counting_parse
atexit.register(lambda: print(json.dumps(parsed), file=sys.stderr))
sys.argv = ["staffcheck", *sys.argv[1:]]
runpy.run_module("staffcheck", run_name="__main__")
"""

#: Text every kept pattern is tried on: ASCII, Chinese, control and format characters, a
#: number, a date, YAML's words, markup.
SAMPLES = (
    "",
    "Sun Li 孙丽",
    "taobao-operator",
    "淘宝店铺运营（高级）",
    "a\x1b[31mred\x07",
    "\u202e\u200b",
    "3.5",
    "2026-12-03",
    "yes",
    "~",
    "[bold]x[/bold]",
    "seo; sem，文案、编辑",
    "www.example.com",
    "%(name)s",
    "{0:>8}",
    "  tail  \t",
    "😀 emoji",
    "0x1F",
    "-.inf",
    "!!python/object",
)


def _screen(cache: Path, **env: str) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "screen", str(CANDIDATES / "sun-li.yaml"),
         "--strategy", "taobao-store"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "STAFFCHECK_CACHE_DIR": str(cache), **env},
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.stdout, json.loads(done.stderr.splitlines()[-1])


def _table(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STAFFCHECK_CACHE_DIR", str(cache))
    path = pattern_cache._table_path()
    assert path is not None
    return path


def test_a_second_run_parses_no_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first, parsed_first = _screen(cache)
    assert len(parsed_first) > 50  # PyYAML's, rich's, argparse's, staffcheck's own
    table = _table(cache, monkeypatch)
    assert table.parent.stat().st_mode & 0o077 == 0  # a folder nobody else may write to
    second, parsed_second = _screen(cache)
    assert parsed_second == []
    assert second == first


def test_every_kept_pattern_is_the_one_re_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _screen(cache)
    _table(cache, monkeypatch)
    kept = pattern_cache._read()
    assert len(kept) > 50
    assert not pattern_cache.installed()  # `re` in this process compiles as it always does
    for (_, pattern, flags), program in kept.items():
        from_table = pattern_cache._sre.compile(*program)
        compiled = pattern_cache._compiler.compile(pattern, flags)  # this process has no table
        # A pattern object equals another with the same text, flags and program.
        assert from_table == compiled, pattern
        assert (from_table.groups, dict(from_table.groupindex)) == (
            compiled.groups, dict(compiled.groupindex),
        )  # fmt: skip
        for text in SAMPLES:
            subject: str | bytes = text if isinstance(pattern, str) else text.encode()
            assert from_table.findall(subject) == compiled.findall(subject), (pattern, text)


def test_a_damaged_table_is_compiled_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first, _ = _screen(cache)
    table = _table(cache, monkeypatch)
    for damage in (b"\xff not marshal data", table.read_bytes()[:-100]):
        table.write_bytes(damage)
        again, parsed = _screen(cache)
        assert again == first
        assert len(parsed) > 50
        assert _screen(cache)[1] == []  # written back whole


def test_a_program_the_interpreter_refuses_is_compiled_from_its_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A table is checked by its digest; a program that passes it but that `_sre` refuses (a
    # table of another build, say) is compiled again, never half-used.
    cache = tmp_path / "cache"
    first, _ = _screen(cache)
    table = _table(cache, monkeypatch)
    programs = pattern_cache._read()
    broken = {key: (*program[:2], [0xFFFF], *program[3:]) for key, program in programs.items()}
    code_tables.write(table, pattern_cache._MAGIC, broken)
    again, parsed = _screen(cache)
    assert again == first
    assert len(parsed) > 50


def test_no_cache_means_no_table(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, parsed = _screen(cache, STAFFCHECK_NO_CACHE="1")
    assert parsed == []  # never installed: `re` parses every pattern as it always does
    assert not (cache / "patterns").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_table_others_may_write_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _screen(cache)
    table = _table(cache, monkeypatch)
    table.parent.chmod(0o777)
    assert len(_screen(cache)[1]) > 50
    table.chmod(0o666)  # the folder made private again by the run that found it open; the file not
    assert len(_screen(cache)[1]) > 50


def test_the_table_holds_plain_values_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # marshal keeps what `re` makes as plain ints and strings (its opcodes are int subclasses)
    cache = tmp_path / "cache"
    _screen(cache)
    content = _table(cache, monkeypatch).read_bytes()
    table = marshal.loads(content[len(pattern_cache._MAGIC) + 32 :])
    assert all(pattern_cache._well_formed(key, program) for key, program in table.items())


def test_importing_staffcheck_as_a_library_leaves_re_alone(tmp_path: Path) -> None:
    profile = str(CANDIDATES / "sun-li.yaml")
    probe = (
        "import re, staffcheck; from re import _compiler; before = _compiler.compile; "
        f"staffcheck.screen({profile!r}, strategy='taobao-store'); "
        "print(_compiler.compile is before, type(_compiler._sre).__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={**os.environ, "STAFFCHECK_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert done.stdout.split() == ["True", "module"]


def test_a_text_and_a_bytes_pattern_of_the_same_characters_are_two_patterns(
    tmp_path: Path,
) -> None:
    # `-bb` makes comparing text with bytes an error: the table never compares them (as `re`
    # keys its own cache by the pattern's type), and each keeps its own program.
    probe = (
        "import re\n"
        "from staffcheck import pattern_cache\n"
        "pattern_cache.install()\n"
        "text, data = re.compile('zz+q(?P<end>.)'), re.compile(b'zz+q(?P<end>.)')\n"
        "print(text.match('zzqA').group('end'), data.match(b'zzqB').group('end').decode())\n"
    )
    env = {**os.environ, "STAFFCHECK_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # compiled, then from the table
        done = subprocess.run(
            [sys.executable, "-bb", "-c", probe], capture_output=True, text=True, env=env,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["A", "B"]
