"""A table laid out by hand (`reporters.plain_table`) is the table rich prints, to the byte.

A big team's verdicts are a row per member: their rows are padded by hand, not rendered by rich.
Random tables shaped like the team summary — ASCII and Chinese, names longer than a column,
words longer than a line, blank cells, lines already broken — at widths from narrow terminals
to wide ones, printed both ways.
"""

from __future__ import annotations

import random

import pytest
from rich import box
from rich.table import Table
from rich.text import Text

from staffcheck.reporters import plain_table
from staffcheck.reporters.console import TextConsole

WORDS = ["Sun", "Li", "Taobao", "store", "operator", "SEO", "specialist", "(100)", "—",
         "网店", "运营专员", "（淘宝）", "客服", "Supercalifragilisticexpialidocious", "a-b-c",
         "数据分析师、", "x"]  # fmt: skip


def _table() -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
    table.add_column("Person", overflow="fold", max_width=18)
    table.add_column("Post", overflow="fold", max_width=22)
    table.add_column("Fit", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Better post", overflow="fold", min_width=16)
    return table


def _text(rng: random.Random) -> Text:
    words = rng.choices(WORDS, k=rng.choice((0, 1, 2, 3, 5)))
    joined = "".join(rng.choice((" ", " ", "\n")) + word for word in words).lstrip()
    return Text(joined)


def _rows(rng: random.Random, count: int) -> list[tuple[Text, ...]]:
    return [
        (_text(rng), _text(rng), Text(str(rng.randint(0, 100))), Text(rng.choice(["fit", "partial?", "mismatch"])), _text(rng))
        for _ in range(count)
    ]  # fmt: skip


def _printed(width: int, rows: list[tuple[Text, ...]], by_hand: bool) -> str:
    console = TextConsole(width)
    if by_hand:
        plain_table.print_table(console, _table(), rows)
    else:
        table = _table()
        for row in rows:
            table.add_row(*row)
        console.print(table)
    return console.text()


@pytest.mark.parametrize("seed", range(12))
def test_rows_laid_out_by_hand_are_the_rows_rich_prints(seed: int) -> None:
    rng = random.Random(seed)
    rows = _rows(rng, rng.choice((0, 1, 3, 40)))
    for width in (24, 40, 57, 80, 100, 161):
        assert _printed(width, rows, by_hand=True) == _printed(width, rows, by_hand=False)


def test_a_big_table_is_laid_out_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    # rich lays out the header and a few representative rows, not the thousand.
    rows = _rows(random.Random(7), 1000)
    fallbacks: list[int] = []
    fall_back = plain_table._print_with_rich
    monkeypatch.setattr(
        plain_table, "_print_with_rich", lambda *args: fallbacks.append(1) or fall_back(*args)
    )
    assert _printed(100, rows, by_hand=True) == _printed(100, rows, by_hand=False)
    assert not fallbacks


def test_colour_is_left_to_rich() -> None:
    rows = _rows(random.Random(3), 5)
    console, reference = TextConsole(80, color=True), TextConsole(80, color=True)
    plain_table.print_table(console, _table(), rows)
    table = _table()
    for row in rows:
        table.add_row(*row)
    reference.print(table)
    assert console.text() == reference.text()
