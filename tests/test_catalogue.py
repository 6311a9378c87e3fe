"""The generated knowledge-base catalogue: current, complete, deterministic and inert."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from staffcheck.catalogue import REGENERATE, build_catalogue, render_catalogue
from staffcheck.model import KnowledgeBase

from .conftest import ROOT, RULES

CATALOGUE = ROOT / "docs" / "knowledge-base.md"
HOSTILE = "<script>alert(1)</script> *em* [x](http://e.vil) | cell `code` \x1b[31mRED"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_docs_knowledge_base_is_current() -> None:
    generated = build_catalogue(RULES)
    committed = CATALOGUE.read_text(encoding="utf-8") if CATALOGUE.exists() else ""
    assert generated == committed, f"docs/knowledge-base.md is out of date: run `{REGENERATE}`"


def test_catalogue_mentions_every_strategy_role_and_rule(kb: KnowledgeBase) -> None:
    text = build_catalogue(RULES)
    for kind, ids in (("strategy", kb.strategies), ("post", kb.roles), ("rule", kb.rules)):
        for ident in ids:
            assert f'<a id="{kind}-{ident}"></a>' in text, ident
            assert f"(`{ident}`)" in text, ident


def test_catalogue_carries_the_readme_attribution() -> None:
    readme = _words((ROOT / "README.md").read_text(encoding="utf-8"))
    text = _words(build_catalogue(RULES))
    for line in (
        "This product includes information from the O\\*NET 30.x Database by the U.S. Department "
        "of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
        "license. O\\*NET® is a trademark of USDOL/ETA.",
        "This service uses the ESCO classification of the European Commission.",
    ):
        assert line in readme
        assert line in text


def test_catalogue_lists_where_each_rule_fires_and_stays_quiet() -> None:
    text = build_catalogue(RULES)
    section = text[text.index('<a id="rule-seo-specialist-in-taobao-post">') :]
    section = section[: section.index("\n### ")]
    assert "- Fires in: seo-specialist-in-taobao-post.yaml" in section
    assert "- Stays quiet in: " in section and "sound-taobao-operator.yaml" in section
    assert "- Looks like: " in section and "- Actually is: " in section


def test_catalogue_has_no_machine_specific_paths() -> None:
    text = build_catalogue(RULES)
    assert str(ROOT) not in text
    assert "- Defined in: rules.yaml" in text


def test_pack_text_is_escaped(kb: KnowledgeBase) -> None:
    first = next(iter(kb.strategies.values()))
    role = next(iter(kb.roles.values()))
    hostile = replace(
        kb,
        strategies={**kb.strategies, first.id: replace(first, name=HOSTILE, description=HOSTILE)},
        roles={**kb.roles, role.id: replace(role, description="# heading\n- item\n" + HOSTILE)},
    )
    text = render_catalogue(hostile)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "[x](http://e.vil)" not in text
    assert "\x1b" not in text
    assert "\n# heading" not in text and "\n- item" not in text
    # a `|` in pack text must not split a table row
    assert "\\| cell" in text


def test_rules_docs_command_prints_and_writes(cli, tmp_path: Path) -> None:
    printed = cli("rules", "docs")
    assert printed.code == 0 and printed.out == build_catalogue(RULES)
    target = tmp_path / "kb.md"
    written = cli("rules", "docs", RULES, "--output", target)
    assert written.code == 0 and written.out == ""
    assert target.read_text(encoding="utf-8") == printed.out


def test_rules_docs_refuses_to_write_over_the_pack(cli) -> None:
    run = cli("rules", "docs", RULES, "--output", RULES / "rules.yaml")
    assert run.code == 2
    assert len(run.err.splitlines()) == 1 and "refusing" in run.err
