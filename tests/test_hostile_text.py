"""Names and titles from profiles are untrusted: they show as text, never as markup or escape codes."""

from __future__ import annotations

from pathlib import Path

import pytest

HOSTILE = (
    "[bold red]Boss[/bold red] <script>alert(1)</script> \x1b[31mRED\x1b[0m *em* [x](http://e.vil)"
)


@pytest.fixture
def hostile_profile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    escaped = HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\e")
    path.write_text(
        f'id: c-666\nname: "{escaped}"\napplying_for: taobao-operator\nskills: {{seo: 4}}\n',
        encoding="utf-8",
    )
    return path


def test_terminal_report_shows_markup_and_escapes_inertly(cli, hostile_profile: Path) -> None:
    run = cli("screen", hostile_profile, "--strategy", "taobao-store")
    assert run.code == 0
    assert "\x1b" not in run.out
    assert "\\x1b[31mRED" in run.out
    assert "[bold red]Boss[/bold red]" in run.out


def test_markdown_report_escapes_markup(cli, hostile_profile: Path) -> None:
    out = cli("screen", hostile_profile, "--format", "markdown").out
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "[x](http://e.vil)" not in out
    assert "\x1b" not in out


def test_json_keeps_the_name_exactly(cli, hostile_profile: Path) -> None:
    data = cli("screen", hostile_profile, "--format", "json").json()
    assert data["candidates"][0]["name"] == HOSTILE


def test_html_report_escapes_markup(cli, hostile_profile: Path) -> None:
    out = cli("screen", hostile_profile, "--format", "html").out
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "\x1b" not in out


def test_inert_leaves_printable_text_as_it_is_and_changes_everything_else_it_must() -> None:
    """`inert` returns printable text at once (`str.isprintable`): that is only right if no
    printable character is one it would change. Every code point is checked through the full
    path (a newline in the block takes it there), and the characters it exists for still change."""
    from staffcheck.escaping import inert

    printable = [chr(c) for c in range(0x110000) if chr(c).isprintable()]
    for start in range(0, len(printable), 4096):
        block = "".join(printable[start : start + 4096]) + "\n"
        assert inert(block, single_line=False) == block
    for hostile in ("\x1b[31m", "\x9b", "\u202e", "\u200b", "\ufeff", "a\tb", "a\u2028b"):
        assert inert(hostile) != hostile
    assert inert("Zhou 周敏 — SEO 专员 ✓") == "Zhou 周敏 — SEO 专员 ✓"
