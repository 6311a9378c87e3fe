"""What an install from the index relies on: experta imports with its own frozendict pin and
leaves nothing behind in the standard library, experta's freezing of fact values behaves as the
engine needs, and an installed package (the wheel's layout) finds its pack and its examples.

The real wheel is built and installed with plain pip into a fresh venv by ``.ci/run``; here the
wheel's layout is laid out from pyproject.toml's own mapping, without a build backend."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from staffcheck.model import frozen_map

from .conftest import ROOT


def _fresh_python(code: str, cwd: Path | None = None, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={**os.environ, **env}, timeout=120, cwd=cwd,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_the_engine_leaves_no_alias_in_the_standard_library() -> None:
    out = _fresh_python(
        "import collections, json, sys\n"
        "before = hasattr(collections, 'Mapping')\n"
        "import staffcheck.facts\n"
        "print(json.dumps({'before': before, 'after': hasattr(collections, 'Mapping'),\n"
        "    'experta': 'experta' in sys.modules, 'frozendict': 'frozendict' in sys.modules}))\n"
    )
    assert json.loads(out) == {
        "before": False, "after": False, "experta": True, "frozendict": True,
    }  # fmt: skip


def test_experta_freezes_a_dict_into_a_hashable_mapping_equal_to_it() -> None:
    import staffcheck.facts  # noqa: F401 - experta is importable only through it

    # isort: split
    from experta.utils import freeze, unfreeze

    skills = {"seo": 4, "keyword-research": 3}
    frozen = freeze(skills)
    assert frozen == skills
    assert hash(frozen) == hash(freeze({"keyword-research": 3, "seo": 4}))
    assert hash(frozen) != hash(freeze({"seo": 4, "keyword-research": 2}))
    # staffcheck's own read-only maps (a dict underneath) freeze like any dict.
    assert freeze(frozen_map(skills)) == frozen
    nested = {"skills": skills, "channels": ["baidu", "own-site"]}
    assert unfreeze(freeze(nested)) == nested
    hash(freeze(nested))


def test_a_fact_holding_a_dict_is_declared_once_and_matched_by_its_value() -> None:
    from staffcheck.facts import Fact, KnowledgeEngine

    engine = KnowledgeEngine()
    engine.reset()
    first = engine.declare(Fact(skills={"seo": 4}))
    again = engine.declare(Fact(skills={"seo": 4}))
    assert first is not None and again is None  # the same value: one fact in working memory
    assert first["skills"] == {"seo": 4}
    assert engine.declare(Fact(skills={"seo": 5})) is not None


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site directory laid out as the wheel is: the package, plus pyproject.toml's
    force-include mapping (the pack and the examples under ``staffcheck/_bundled``)."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(
        ROOT / "staffcheck", site / "staffcheck", ignore=shutil.ignore_patterns("__pycache__")
    )
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for source, target in mapping.items():
        shutil.copytree(ROOT / source, site / target)
    return site


def _run_installed(site: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "staffcheck", *argv], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(site), "LC_ALL": "C.UTF-8"}, check=False,
        timeout=300,
    )  # fmt: skip


def test_an_installed_package_finds_its_pack_and_its_examples(
    installed: Path, tmp_path: Path
) -> None:
    where = _fresh_python(
        "import staffcheck, staffcheck.examples as e, staffcheck.knowledge as k\n"
        "print(staffcheck.__file__, e.examples_dir(), k.bundled_rules_dir(), sep='\\n')",
        cwd=tmp_path,  # not the clone, whose staffcheck/ `-c` would import first
        PYTHONPATH=str(installed),
    ).split("\n")
    assert where[0] == str(installed / "staffcheck" / "__init__.py")
    assert where[1] == str(installed / "staffcheck" / "_bundled" / "examples")
    assert where[2] == str(installed / "staffcheck" / "_bundled" / "rules")

    copied = _run_installed(installed, tmp_path, "examples", "--copy", "examples")
    assert copied.returncode == 0, copied.stderr
    team = _run_installed(
        installed, tmp_path, "--lang", "zh", "team", "examples/spring-launch.yaml"
    )
    assert team.returncode == 0, team.stderr
    assert "团队 Spring launch" in team.stdout  # the Chinese catalogue is in the package too
    tested = _run_installed(installed, tmp_path, "rules", "test")
    assert tested.returncode == 0, tested.stdout[-2000:] + tested.stderr
    assert tested.stdout.strip().endswith(" passed, 0 failed")
