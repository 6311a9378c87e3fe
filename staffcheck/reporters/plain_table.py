"""A rich table of many rows printed without colour, its rows laid out by hand.

rich measures and renders every cell of a table through its segment machinery: for a team's
verdicts, a row per member, that is most of a big team report's time. Without colour, a cell
whose lines fit its column only needs padding. So the column widths are rich's own, computed on
the header and a few representative rows (rich measures a column as the largest of its cells'
measures: the widest cell and the cell with the longest word of each column give the same
widths as all of them); each row is then padded by hand, and a cell that does not fit is
rendered by rich itself. rich also lays out the representative rows, as a check: if its lines
differ from these, the whole table is printed by rich, as it would have been.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

__all__ = ["print_table"]


def print_table(console: Console, table: Table, rows: Sequence[Sequence[Text]]) -> None:
    """Print `table` (its columns set, no rows yet) with `rows`, as ``console.print`` would."""
    if console.color_system is not None or not _simple(table):
        _print_with_rich(console, table, rows)
        return
    picked = _representatives(rows, len(table.columns))
    for index in picked:
        table.add_row(*rows[index])
    try:
        options = console.options
        inner = options.update_width(options.max_width - table._extra_width)
        widths = table._calculate_column_widths(console, inner)
    except (AttributeError, TypeError):  # another rich: let it lay out the table itself
        _print_with_rich(console, _without_rows(table), rows)
        return
    lines = _rich_lines(console, table)
    mine = [line for index in picked for line in _row(console, table, widths, rows[index])]
    # rich's lines: the top edge, the header and its rule, the rows, the bottom edge.
    head = len(lines) - len(mine) - 1
    if head < 1 or lines[head:-1] != mine:
        _print_with_rich(console, _without_rows(table), rows)
        return
    out = lines[:head]
    for row in rows:
        out += _row(console, table, widths, row)
    out.append(lines[-1])
    console.file.write("\n".join(out) + "\n")


def _simple(table: Table) -> bool:
    """A table this module lays out as rich does: one line of header, plain edges and dividers,
    one cell of padding each side (none at the edges), rows in the columns' own styles."""
    box = table.box
    return (
        box is not None
        and not table.show_lines
        and not table.show_footer
        and table.show_edge
        and not table.pad_edge
        and not table.collapse_padding
        and not table.expand
        and table.width is None
        and table.padding == (0, 1, 0, 1)
        and not table.row_styles
        and table.leading == 0
        and not (box.mid_left + box.mid_vertical + box.mid_right + box.foot_left).strip()
        and not (box.foot_vertical + box.foot_right).strip()
        and all(not column._cells and column.vertical == "top" for column in table.columns)
    )


def _print_with_rich(console: Console, table: Table, rows: Sequence[Sequence[Text]]) -> None:
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _without_rows(table: Table) -> Table:
    table.rows.clear()
    for column in table.columns:
        column._cells.clear()
    return table


def _representatives(rows: Sequence[Sequence[Text]], columns: int) -> list[int]:
    """Row indices (in order) holding each column's widest cell and its longest word."""
    picked: set[int] = set()
    for column in range(columns):
        widest = longest = (-1, 0)
        for index, row in enumerate(rows):
            low, high = _measure(row[column].plain)
            if high > widest[0]:
                widest = (high, index)
            if low > longest[0]:
                longest = (low, index)
        if rows:
            picked.update((widest[1], longest[1]))
    return sorted(picked)


def _measure(text: str) -> tuple[int, int]:
    """rich's measure of a Text: its longest word and its widest line, in cells."""
    lines = text.splitlines()
    high = max(cell_len(line) for line in lines) if lines else 0
    words = text.split()
    return (max(cell_len(word) for word in words) if words else high), high


def _rich_lines(console: Console, table: Table) -> list[str]:
    """`table` as rich prints it, line by line (trailing blanks kept)."""
    rendered = console.render_lines(table, console.options, pad=False)
    return ["".join(segment.text for segment in line) for line in rendered]


def _row(console: Console, table: Table, widths: Sequence[int], row: Sequence[Text]) -> list[str]:
    """One row's lines: edges and dividers of blanks, each cell padded to its column, cropped
    to the console's width."""
    last = len(widths) - 1
    cells = []
    for index, (width, column, text) in enumerate(zip(widths, table.columns, row, strict=True)):
        left = 0 if index == 0 else 1
        right = 0 if index == last else 1
        inner = _cell(console, column, text, width - left - right)
        cells.append([" " * left + line + " " * right for line in inner])
    height = max(len(cell) for cell in cells)
    for cell, width in zip(cells, widths, strict=True):
        cell += [" " * width] * (height - len(cell))
    lines = [" " + " ".join(parts) + " " for parts in zip(*cells, strict=True)]
    # A table wider than the console (a column's minimum width) is cropped, as rich crops it.
    room = console.options.max_width
    return [line if cell_len(line) <= room else set_cell_size(line, room) for line in lines]


def _cell(console: Console, column: Column, text: Text, width: int) -> list[str]:
    """A cell's lines at `width` cells: padded by hand when every line fits, else by rich."""
    plain = text.plain
    lines = plain.split("\n")
    justify = text.justify or column.justify
    if (
        width > 0
        and justify in ("left", "right")
        and not text.end.strip("\n")
        and "\t" not in plain
        and all(cell_len(line) <= width for line in lines)
    ):
        if justify == "left":
            return [line + " " * (width - cell_len(line)) for line in lines]
        return [" " * (width - cell_len(line.rstrip())) + line.rstrip() for line in lines]
    options = console.options.update(
        width=max(width, 0),
        justify=column.justify,
        no_wrap=column.no_wrap,
        overflow=column.overflow,
        height=None,
        highlight=column.highlight,
    )
    rendered = console.render_lines(text, options)
    return ["".join(segment.text for segment in line) for line in rendered]
