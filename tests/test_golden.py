"""Golden files: the exact output of every result type × format of the CLI, reviewed in diffs.

Each case runs ``staffcheck`` in-process (the ``cli`` fixture) and compares its standard output
with one file under ``tests/golden/``, named for what it shows: ``<command>-<subject>[-<variant>]``
then ``.table.txt``, ``.md``, ``.html``, ``.json`` or ``.jsonl`` for the format.

Regenerate them all with::

    STAFFCHECK_UPDATE_GOLDEN=1 python3 dev.py pytest tests/test_golden.py

and review the diff. Otherwise a mismatch fails with the first lines of a unified diff.

What keeps them independent of the machine and the day:

- Under capsys standard output is not a terminal, so every "table" is rendered 80 columns wide
  without colour (``--no-color`` is passed too where the command accepts it); each case checks
  that its output holds no escape sequence, and ``test_table_format_is_the_default`` that the
  defaults print the same.
- Every case runs in the repository root (``monkeypatch.chdir``): staffcheck shows a pack's
  files relative to the working directory (``rules show RULE``: "defined at rules/rules.yaml:9").
- Absolute paths of this checkout are normalised: ``str(ROOT)`` is replaced with ``<repo>``
  (``rules validate`` prints the bundled pack's directory).
- ``rules list`` and ``rules show RULE`` are given the bundled pack as ``--rules rules``: by
  default ``rules list`` heads its table with the pack's absolute directory, which rich wraps
  at 80 columns depending on how long the checkout's path is, and a pack loaded earlier in the
  process keeps the paths it was loaded with. ``test_rules_list_of_the_bundled_pack`` checks
  that the default invocation prints the same below that heading.
- A team with waivers is assessed with a fixed ``--as-of`` date, once before its waiver expires
  and once after.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import CANDIDATES, EXAMPLES, ROOT, Run

GOLDEN = Path(__file__).with_name("golden")
UPDATE = bool(os.environ.get("STAFFCHECK_UPDATE_GOLDEN"))
REPO = "<repo>"
DIFF_LINES = 60

SUN_LI = CANDIDATES / "sun-li.yaml"
DRIVE = CANDIDATES / "drive-2026-spring.yaml"
TAOBAO_CSV = EXAMPLES / "exports" / "taobao-drive.csv"
SPRING = EXAMPLES / "spring-launch.yaml"
SEARCH = EXAMPLES / "search-team.yaml"  # the one example team with a waiver (expires 2027-03-31)

EXTENSION = {
    "table": "table.txt",
    "markdown": "md",
    "html": "html",
    "json": "json",
    "jsonl": "jsonl",
}
REPORT = ("table", "markdown", "html", "json")  # screen and team
EXPLAIN = ("table", "markdown", "json")  # explain

# (file stem, arguments, formats): one golden file per format, passed as --format (with
# --no-color for the table). Formats None: the command has no --format; the stem is the name.
MATRIX: list[tuple[str, tuple[str | Path, ...], tuple[str, ...] | None]] = [
    # screen: one candidate, with and without a strategy
    ("screen-sun-li-taobao-store", ("screen", SUN_LI, "--strategy", "taobao-store"),
     (*REPORT, "jsonl")),
    ("screen-sun-li-no-strategy", ("screen", SUN_LI), ("table", "json")),
    # screen: a recruiting drive ranked for one post, whole and cut to the top 3
    ("screen-drive-2026-spring-ranked-taobao-operator",
     ("screen", DRIVE, "--role", "taobao-operator"), (*REPORT, "jsonl")),
    ("screen-drive-2026-spring-ranked-taobao-operator-top-3",
     ("screen", DRIVE, "--role", "taobao-operator", "--top", "3"), (*REPORT, "jsonl")),
    ("screen-taobao-drive-csv-ranked-taobao-operator-taobao-store",
     ("screen", TAOBAO_CSV, "--role", "taobao-operator", "--strategy", "taobao-store"),
     ("table", "json")),
    # ask: a profile the stated evidence settles asks nothing, writes nothing, reads no input
    ("ask-sun-li-taobao-store-settled", ("ask", SUN_LI, "--strategy", "taobao-store"),
     ("table", "json")),
    # team
    ("team-spring-launch", ("team", SPRING), REPORT),
    ("team-search-growth-waiver-valid-as-of-2026-06-01",
     ("team", SEARCH, "--as-of", "2026-06-01"), REPORT),
    ("team-search-growth-waiver-expired-as-of-2027-06-01",
     ("team", SEARCH, "--as-of", "2027-06-01"), ("table", "markdown", "json")),
    # explain: trees, one person and rule, why (not) a post, actions, a candidate profile
    ("explain-spring-launch", ("explain", SPRING), EXPLAIN),
    ("explain-spring-launch-c-1042-essential-skill-not-shown",
     ("explain", SPRING, "--person", "c-1042", "--rule", "essential-skill-not-shown"), EXPLAIN),
    ("explain-why-not-c-1042-seo-specialist",
     ("explain", SPRING, "--why-not", "--person", "c-1042", "--post", "seo-specialist"), EXPLAIN),
    ("explain-why-not-c-1042-taobao-operator",
     ("explain", SPRING, "--why-not", "--person", "c-1042", "--post", "taobao-operator"),
     ("table",)),
    ("explain-actions-spring-launch", ("explain", SPRING, "--actions"), EXPLAIN),
    ("explain-sun-li-taobao-store", ("explain", SUN_LI, "--strategy", "taobao-store"), EXPLAIN),
    # plan: every strategy and example team in every format, tests/test_plan_golden.py
    # rules: the default format (table); each is a table or plain lines
    # (list and show RULE print where the pack is: given as "rules" here, see the docstring)
    ("rules-list.table.txt", ("rules", "list", "--rules", "rules"), None),
    ("rules-show-rule-seo-specialist-in-taobao-post.table.txt",
     ("rules", "show", "seo-specialist-in-taobao-post", "--rules", "rules"), None),
    ("rules-show-rule-essential-skill-missing.table.txt",
     ("rules", "show", "essential-skill-missing", "--rules", "rules"), None),
    ("rules-show-role-taobao-operator.table.txt", ("rules", "show", "taobao-operator"), None),
    ("rules-show-strategy-taobao-store.table.txt", ("rules", "show", "taobao-store"), None),
    ("rules-show-skill-seo.table.txt", ("rules", "show", "seo"), None),
    ("rules-show-module-data-monitoring.table.txt", ("rules", "show", "data-monitoring"), None),
    ("rules-show-channel-taobao.table.txt", ("rules", "show", "taobao"), None),
    ("rules-test.txt", ("rules", "test"), None),
    ("rules-validate.txt", ("rules", "validate"), None),
    # rules: the JSON documents of each action (the table is the default, pinned above)
    ("rules-list", ("rules", "list", "--rules", "rules"), ("json",)),
    ("rules-show-rule-essential-skill-missing",
     ("rules", "show", "essential-skill-missing", "--rules", "rules"), ("json",)),
    ("rules-show-role-taobao-operator", ("rules", "show", "taobao-operator"), ("json",)),
    ("rules-show-strategy-taobao-store", ("rules", "show", "taobao-store"), ("json",)),
    ("rules-show-skill-seo", ("rules", "show", "seo"), ("json",)),
    ("rules-test", ("rules", "test"), ("json",)),
    ("rules-validate", ("rules", "validate"), ("json",)),
]  # fmt: skip

# The two first goldens keep their names (they predate this matrix).
LEGACY = {
    "team-spring-launch.md": "spring-launch-team.md",
    "screen-sun-li-taobao-store.md": "sun-li-screen.md",
}


def _cases() -> dict[str, tuple[str, ...]]:
    cases: dict[str, tuple[str, ...]] = {}
    for stem, args, formats in MATRIX:
        argv = tuple(str(a) for a in args)
        if formats is None:
            cases[stem] = argv
            continue
        for fmt in formats:
            name = f"{stem}.{EXTENSION[fmt]}"
            color = ("--no-color",) if fmt == "table" else ()
            cases[LEGACY.get(name, name)] = (*argv, "--format", fmt, *color)
    return cases


CASES = _cases()


def normalise(text: str) -> str:
    """Replace this checkout's absolute path with ``<repo>``."""
    return text.replace(str(ROOT), REPO)


def _diff(expected: str, actual: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"tests/golden/{name}",
            tofile="staffcheck output",
        )
    )
    shown = "".join(lines[:DIFF_LINES])
    if len(lines) > DIFF_LINES:
        shown += f"\n... {len(lines) - DIFF_LINES} more diff lines\n"
    return shown


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME, or rewrite it under STAFFCHECK_UPDATE_GOLDEN=1."""
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not golden.exists():
        pytest.fail(f"no golden file {name}: run STAFFCHECK_UPDATE_GOLDEN=1 to create it")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        pytest.fail(
            f"output differs from tests/golden/{name} "
            "(if the change is intended: STAFFCHECK_UPDATE_GOLDEN=1 python3 dev.py pytest "
            f"tests/test_golden.py, then review the diff):\n{_diff(expected, actual, name)}",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", CASES)
def test_output_matches_golden(cli: Callable[..., Run], name: str) -> None:
    run = cli(*CASES[name])
    assert run.code == 0, run.err
    assert run.err == ""
    assert run.out.strip(), "empty output"
    assert "\x1b" not in run.out, "escape sequence in the output"
    check_golden(name, normalise(run.out))


def test_every_golden_file_is_a_case() -> None:
    """A golden file no case writes is left over from a renamed or removed case."""
    # (tests/golden/plan/ is tests/test_plan_golden.py's)
    stray = sorted(p.name for p in GOLDEN.iterdir() if p.is_file() and p.name not in CASES)
    assert stray == []


def test_table_format_is_the_default(cli: Callable[..., Run]) -> None:
    """Without --format or --no-color, a command prints the same as its table golden."""
    for name in ("team-spring-launch.table.txt", "explain-spring-launch.table.txt"):
        argv = CASES[name]
        plain = [a for a in argv if a not in ("--format", "table", "--no-color")]
        assert cli(*plain).out == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_rules_list_of_the_bundled_pack(cli: Callable[..., Run]) -> None:
    """Without --rules, ``rules list`` differs from its golden only in the heading's path."""
    heading, _, body = cli("rules", "list").out.partition("\nStrategies\n")
    golden = (GOLDEN / "rules-list.table.txt").read_text(encoding="utf-8")
    golden_heading, _, golden_body = golden.partition("\nStrategies\n")
    assert body == golden_body
    assert golden_heading.endswith("(rules)")

    def unwrapped(text: str) -> str:
        return "".join(text.split())

    assert unwrapped(heading).endswith(unwrapped(f"({ROOT / 'rules'})"))


def test_rules_docs_prints_the_committed_catalogue(cli: Callable[..., Run]) -> None:
    """``rules docs`` is pinned by docs/knowledge-base.md (kept current by test_catalogue)."""
    run = cli("rules", "docs")
    assert run.code == 0
    assert run.out == (ROOT / "docs" / "knowledge-base.md").read_text(encoding="utf-8")
