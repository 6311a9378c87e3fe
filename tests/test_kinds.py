"""Rule kinds are plug-ins: every kind is complete, documented, and registered in one table only."""

from __future__ import annotations

import ast
import inspect
import os
import shutil
from pathlib import Path

import pytest

from staffcheck.catalogue import KINDS_BEGIN, KINDS_END, render_kinds, update_kinds_section
from staffcheck.errors import StaffcheckError
from staffcheck.kinds import KINDS, _base, describe_rule
from staffcheck.knowledge import load_knowledge
from staffcheck.model import KnowledgeBase

from .conftest import ROOT, RULES

FORMAT_DOC = ROOT / "docs" / "knowledge-format.md"
KINDS_DIR = ROOT / "staffcheck" / "kinds"


def test_docs_knowledge_format_is_current() -> None:
    committed = FORMAT_DOC.read_text(encoding="utf-8")
    generated = update_kinds_section(committed)
    if os.environ.get("STAFFCHECK_UPDATE_GOLDEN"):
        FORMAT_DOC.write_text(generated, encoding="utf-8")
        committed = generated
    assert generated == committed, (
        "docs/knowledge-format.md is out of date: run STAFFCHECK_UPDATE_GOLDEN=1 "
        "python3 dev.py pytest tests/test_kinds.py"
    )


def test_every_module_of_the_kinds_package_is_registered() -> None:
    modules = {p.stem for p in KINDS_DIR.glob("*.py") if not p.stem.startswith("_")}
    registered = {kind.__name__.rsplit(".", 1)[1] for kind in KINDS.values()}  # type: ignore[attr-defined]
    assert registered == modules


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_is_complete_and_documented(name: str) -> None:
    kind = KINDS[name]
    module = kind.__name__  # type: ignore[attr-defined]
    assert name == kind.NAME and module.endswith(name.replace("-", "_"))
    for part in (kind.parse, kind.describe, kind.explain, kind.compile_rule):
        # Every part of a kind is defined in its own module: that module is the kind's one room.
        assert part.__module__ == module, part
        assert part.__doc__, f"{part.__qualname__} has no docstring"
    assert kind.PLACEHOLDERS, "a kind offers at least one placeholder to its messages"
    assert set(kind.REQUIRED).isdisjoint(kind.OPTIONAL)
    doc = kind.__doc__ or ""
    assert len(doc.splitlines()) > 3 and "```yaml" in doc, "document it with a YAML example"
    docs = render_kinds()
    assert f"### kind `{name}`" in docs
    assert f"### kind `{name}`" in FORMAT_DOC.read_text(encoding="utf-8")


def test_kind_names_appear_in_python_only_in_their_own_module() -> None:
    """Nothing outside a kind's module spells its name: the registry is the only way to a kind."""
    for path in (ROOT / "staffcheck").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        strings = {
            node.value
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        for name in KINDS:
            if path.parent == KINDS_DIR and path.stem == name.replace("-", "_"):
                continue
            assert name not in strings, f"{path.relative_to(ROOT)} spells the kind {name!r}"


def _kind_modules_and_specs() -> tuple[set[str], set[str]]:
    """The kinds' modules (``_base`` too), and the classes the kind modules define (their specs)."""
    modules = {p.stem for p in KINDS_DIR.glob("*.py") if p.stem != "__init__"}
    specs = {
        node.name
        for p in KINDS_DIR.glob("*.py")
        if not p.stem.startswith("_")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }
    return modules, specs


def test_only_the_kinds_package_reaches_a_kind_module_or_its_spec() -> None:
    """Outside `staffcheck/kinds/`, a kind is reached through the registry and the hooks of
    `staffcheck.kinds` only: no import of a kind's module or spec class, no spec named."""
    modules, specs = _kind_modules_and_specs()
    for path in (ROOT / "staffcheck").rglob("*.py"):
        if path.parent == KINDS_DIR:
            continue
        where = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("staffcheck.kinds."), (
                    f"{where} imports {node.module}"
                )
                if node.module == "staffcheck.kinds":
                    names = {alias.name for alias in node.names}
                    assert not names & (modules | specs), (
                        f"{where} imports {names & (modules | specs)}"
                    )
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("staffcheck.kinds."), (
                        f"{where} imports {alias.name}"
                    )
            elif isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                assert name not in specs, f"{where} names the spec {name}"


@pytest.mark.parametrize("name", list(KINDS))
def test_a_kinds_optional_hooks_have_the_defaults_signatures(name: str) -> None:
    kind = KINDS[name]
    protocol = {"parse", "describe", "explain", "compile_rule"}
    for attr, value in vars(kind).items():
        if attr.startswith("_") or not inspect.isfunction(value):
            continue
        if value.__module__ != kind.__name__:  # type: ignore[attr-defined]
            continue  # imported, not defined here
        assert attr in protocol | set(_base.OPTIONAL_HOOKS), (
            f"{name} defines {attr}(), which is neither in the Kind protocol nor an optional hook"
        )
        if attr in _base.OPTIONAL_HOOKS:
            expected = list(inspect.signature(getattr(_base, attr)).parameters)
            assert list(inspect.signature(value).parameters) == expected, attr
    if hasattr(kind, "LEADS"):
        assert isinstance(kind.LEADS, bool)


def test_every_bundled_rule_has_a_registered_kind(kb: KnowledgeBase) -> None:
    assert {rule.kind for rule in kb.rules.values()} <= set(KINDS)


def test_docs_markers_are_required() -> None:
    with pytest.raises(ValueError, match="kinds:begin"):
        update_kinds_section("# no markers here\n")
    assert update_kinds_section(f"a\n{KINDS_BEGIN}old{KINDS_END}\nb").startswith(
        f"a\n{KINDS_BEGIN}"
    )


def test_an_unknown_kind_is_a_load_error_with_did_you_mean(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(RULES, pack)
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("kind: requirement-gap", "kind: requirement-gapp", 1), "utf-8")
    line = text[: text.index("kind: requirement-gap")].count("\n") + 1
    with pytest.raises(StaffcheckError) as caught:
        load_knowledge(pack)
    (problem,) = caught.value.problems
    assert problem.location is not None and problem.location.line == line
    assert "'requirement-gapp' is not allowed" in problem.message
    assert problem.hint == "did you mean 'requirement-gap'?"


def test_every_parameter_of_a_rule_is_described(kb: KnowledgeBase) -> None:
    for rule in kb.rules.values():
        kind = KINDS[rule.kind]
        params = describe_rule(rule)
        if kind.REQUIRED:
            assert params, f"{rule.id}: the catalogue and 'rules show' would be silent on it"
        assert all(p.label and p.values for p in params), rule.id


def test_rules_show_and_the_catalogue_give_owner_breadth_its_parameters(cli) -> None:
    shown = cli("rules", "show", "owner-blind-to-modules").out
    assert "watches posts  Network marketing project manager (project-manager)" in shown
    assert "≥ 2 in an essential skill of each module's posts" in shown
    catalogue = (ROOT / "docs" / "knowledge-base.md").read_text(encoding="utf-8")
    assert "- Level: ≥ 2 in an essential skill of each module's posts" in catalogue
