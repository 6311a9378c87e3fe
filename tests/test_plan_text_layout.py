"""The plan's plain-text tables, laid out without rich, are the text rich would print."""

from __future__ import annotations

import pytest
from rich.text import Text

from staffcheck.i18n import set_language
from staffcheck.project_plan import ProjectPlan
from staffcheck.reporters import RenderOptions, plan_text
from staffcheck.reporters.console import TextConsole

from .plan_samples import hostile_plan, long_plan, small_plan

PLANS = {"small": small_plan, "long": long_plan, "hostile": hostile_plan}


def _grids(plan: ProjectPlan, width: int) -> list[plan_text._Grid]:
    blocks = plan_text._blocks(plan, RenderOptions(color=False, width=width))
    return [block for block in blocks if isinstance(block, plan_text._Grid)]


def _printed(renderable: object, width: int) -> str:
    console = TextConsole(width, False)
    if isinstance(renderable, plan_text.LaidOut):
        console.write_laid_out(renderable.text)
    else:
        console.print(renderable, overflow="fold")
    return console.text()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [40, 60, 80, 100, 132])
@pytest.mark.parametrize("name", sorted(PLANS))
def test_each_table_laid_out_here_is_what_rich_prints(name: str, width: int, lang: str) -> None:
    set_language(lang)
    laid_out = 0
    for grid in _grids(PLANS[name](), width):
        plain = grid.plain()
        if plain is not None:
            laid_out += 1
            assert _printed(plain, width) == _printed(grid.table(), width)
            # what rich would print of the same text: nothing dropped, nothing folded
            assert _printed(plain, width) == _printed(Text(plain.text), width)
    if width >= 80:
        assert laid_out  # the fast path is taken for ordinary widths


def test_a_table_rich_would_squeeze_is_left_to_rich() -> None:
    grid = plan_text._grid(20, ("Name", 0), ("Amount", 12), right=True)
    grid.add("a very long name that wraps", "¥1,000,000,000")
    assert grid.plain() is None  # the amount is wider than its column: rich folds it
    assert _printed(grid.renderable(False), 20) == _printed(grid.table(), 20)


def test_colour_always_goes_through_rich() -> None:
    grid = plan_text._grid(80, ("Name", 0))
    grid.add("Zhou Min")
    assert grid.renderable(True).__class__.__name__ == "Table"


@pytest.mark.parametrize("width", [20, 40, 80])
@pytest.mark.parametrize(
    "text",
    [
        "Goal   KPI\n─────────\nGrow sales   ¥200,000 a month",
        "a line far wider than the narrowest terminal this test prints it on, folded by rich",
        "计划 · 淘宝店铺\n张伟   淘宝店铺运营   合适   100%",
        "a\ttab\nand a line",
        "",
        "\n\ntrailing   \n",
        "ends with a wide character: 运营运营运营运营运营运营运营运营运营运营运营运营运营运营运营运营运营",
    ],
)
@pytest.mark.parametrize("styled", [False, True])
def test_text_printed_as_laid_out_is_what_rich_prints(width: int, text: str, styled: bool) -> None:
    """A plan's laid-out blocks skip rich's measuring when nothing would change: the same text
    as rich prints, whatever the lines' widths, tabs, wide characters or styles."""
    from rich.text import Text

    block = Text(text, style="bold" if styled else "")
    for color in (False, True):
        fast, slow = TextConsole(width, color), TextConsole(width, color)
        fast.print_laid_out(block)
        fast.print_laid_out(Text("then more"))
        slow.print(block, overflow="fold")
        slow.print(Text("then more"), overflow="fold")
        assert fast.text() == slow.text()


@pytest.mark.parametrize("title", ["Costs\x07 by month", "Costs\tby month"])
def test_a_title_with_control_codes_or_tabs_prints_as_rich_prints_it(title: str) -> None:
    grid = plan_text._grid(60, ("Name", 0), ("Amount", 12), title=title, right=True)
    grid.add("Zhou Min", "¥14,000")
    assert _printed(grid.renderable(False), 60) == _printed(grid.table(), 60)
