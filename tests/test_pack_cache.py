"""A pack read once is not read again: it comes back from the on-disk cache until a file changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from staffcheck import knowledge, pack_cache
from staffcheck.errors import StaffcheckError

from .conftest import RULES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private, empty cache; the process's own memory of packs emptied before and after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(pack_cache.CACHE_VARIABLE, str(folder))
    monkeypatch.delenv(pack_cache.NO_CACHE_VARIABLE, raising=False)
    knowledge._LOADED.clear()
    yield folder / "packs"
    knowledge._LOADED.clear()


def _pack(tmp_path: Path, name: str = "pack") -> Path:
    pack = tmp_path / name
    shutil.copytree(RULES, pack)
    return pack


def _forget_and_forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next load may not read YAML: only the disk cache can answer it."""
    knowledge._LOADED.clear()

    def refuse(root: Path, chain: tuple[Path, ...]) -> None:
        raise AssertionError(f"read {root} again")

    monkeypatch.setattr(knowledge, "_read_pack", refuse)


def test_a_pack_comes_back_from_the_cache_without_reading_its_yaml(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = _pack(tmp_path)
    first = knowledge.load_knowledge(pack, "en")
    assert len(list(cache.glob("*.pickle"))) == 1
    _forget_and_forbid_reading(monkeypatch)
    again = knowledge.load_knowledge(pack, "en")
    assert again == first and again is not first


def test_an_edited_pack_file_is_read_again(cache: Path, tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    before = knowledge.load_knowledge(pack, "en")
    roles = pack / "roles.yaml"
    old = before.roles["seo-specialist"].name
    roles.write_text(roles.read_text(encoding="utf-8").replace(old, "Search engineer", 1), "utf-8")
    knowledge._LOADED.clear()
    assert knowledge.load_knowledge(pack, "en").roles["seo-specialist"].name == "Search engineer"


def test_a_change_in_the_pack_extended_reaches_the_pack_that_extends_it(
    cache: Path, tmp_path: Path
) -> None:
    base = _pack(tmp_path, "base")
    child = tmp_path / "child"
    child.mkdir()
    (child / "pack.yaml").write_text(
        "pack:\n  name: child\n  version: 1\n  extends: ../base\n", encoding="utf-8"
    )
    old = knowledge.load_knowledge(child, "en").roles["seo-specialist"].name
    roles = base / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace(old, "Search engineer", 1), "utf-8")
    knowledge._LOADED.clear()
    assert knowledge.load_knowledge(child, "en").roles["seo-specialist"].name == "Search engineer"


def test_a_cache_others_may_write_to_is_never_read(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = _pack(tmp_path)
    knowledge.load_knowledge(pack, "en")
    cache.chmod(0o777)  # anyone could have put a pickle there: it is not loaded
    _forget_and_forbid_reading(monkeypatch)
    with pytest.raises(AssertionError, match=r"read .* again"):
        knowledge.load_knowledge(pack, "en")


def test_a_damaged_entry_is_a_miss_and_is_replaced(cache: Path, tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    first = knowledge.load_knowledge(pack, "en")
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    knowledge._LOADED.clear()
    assert knowledge.load_knowledge(pack, "en") == first
    assert entry.read_bytes() != b"not a pickle"


def test_the_cache_can_be_turned_off(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pack_cache.NO_CACHE_VARIABLE, "1")
    knowledge.load_knowledge(_pack(tmp_path), "en")
    assert not cache.exists()


def test_a_cache_that_cannot_be_written_changes_nothing(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(pack_cache.CACHE_VARIABLE, str(blocker))  # a file, not a directory
    assert knowledge.load_knowledge(_pack(tmp_path), "en").roles


def test_a_broken_pack_is_never_cached(cache: Path, tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    (pack / "roles.yaml").write_text("roles: [", encoding="utf-8")
    with pytest.raises(StaffcheckError):
        knowledge.load_knowledge(pack, "en")
    assert not list(cache.glob("*.pickle")) if cache.exists() else True


def test_a_second_process_reads_the_first_one_s_cache(cache: Path, tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    env = {**os.environ, pack_cache.CACHE_VARIABLE: str(cache.parent)}
    command = [sys.executable, "-m", "staffcheck", "rules", "list", "--rules", str(pack)]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert len(list(cache.glob("*.pickle"))) == 1
    stamp = next(cache.glob("*.pickle")).stat().st_mtime_ns
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert second.stdout == first.stdout
    assert next(cache.glob("*.pickle")).stat().st_mtime_ns == stamp  # read, not written again
