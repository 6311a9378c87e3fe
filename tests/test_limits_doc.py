"""docs/limits.md lists every limit of the code, with the value the code has, and every
environment variable that changes one."""

from __future__ import annotations

import ast
import re

import pytest

from .conftest import ROOT

DOC = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
#: A module-level constant is a limit when its name says so.
LIMIT_NAME = re.compile(r"^(MAX|MIN)_[A-Z0-9_]+$|^[A-Z0-9_]+_(LIMIT|BYTES|ROWS|CHARS|DEPTH|CELLS)$")
#: Constants named like limits that are not limits on input: a level's range (the scale itself,
#: in docs/knowledge-format.md), how many better posts a result names, a report's layout.
NOT_LIMITS = {
    "MIN_LEVEL", "MAX_LEVEL", "MAX_BETTER_ROLES", "MAX_DAYS_W", "LABEL_CELLS", "PERSON_CELLS",
    "TEMPLATE_ROWS",
}  # fmt: skip


def _limits() -> list[tuple[str, str, int]]:
    found = []
    for path in sorted((ROOT / "staffcheck").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else ([node.target] if isinstance(node, ast.AnnAssign) and node.value else [])
            )
            for target in targets:
                if not isinstance(target, ast.Name) or not LIMIT_NAME.match(target.id):
                    continue
                if target.id in NOT_LIMITS:
                    continue
                try:
                    value = ast.literal_eval(node.value)  # type: ignore[arg-type]
                except (ValueError, TypeError, SyntaxError):
                    continue  # computed from another limit
                if isinstance(value, int) and not isinstance(value, bool):
                    found.append((path.relative_to(ROOT).as_posix(), target.id, value))
    return found


LIMITS = _limits()


def test_the_code_has_limits_to_list() -> None:
    assert len(LIMITS) >= 10


@pytest.mark.parametrize(("module", "name", "value"), LIMITS, ids=[n for _, n, _ in LIMITS])
def test_every_limit_is_listed_with_its_value(module: str, name: str, value: int) -> None:
    assert name in DOC, f"{module}: {name} is not in docs/limits.md"
    assert f"{value:,}" in DOC or str(value) in DOC, f"{name} = {value:,} is not in docs/limits.md"


def _variables() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "staffcheck").rglob("*.py"):
        names |= set(
            re.findall(
                r"\"(STAFFCHECK_MAX_[A-Z_]+|STAFFCHECK_SORT_[A-Z_]+)\"", path.read_text("utf-8")
            )
        )
    return names


@pytest.mark.parametrize("variable", sorted(_variables()))
def test_every_limit_variable_is_documented(variable: str) -> None:
    assert f"`{variable}`" in DOC
