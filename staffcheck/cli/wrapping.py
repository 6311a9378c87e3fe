"""Help text wrapped by the columns it takes on a terminal: a Chinese character takes two, and a
line of Chinese has no spaces to break at (``textwrap`` counts characters and breaks at spaces).

The breaking itself is the reports' (`staffcheck.reporters.console.wrap`: cell widths, Chinese
line-breaking rules), so help and reports break Chinese alike. Text with no wide character is
left to ``textwrap`` by the caller, so English help is unchanged.
"""

from __future__ import annotations

# The reports' console module (and rich under it) is imported when help is formatted, not when
# the parser is built: a run whose output is not a table never loads rich.


def columns(text: str) -> int:
    """How many terminal columns `text` takes."""
    if text.isascii() and text.isprintable():  # one column each (argparse asks at every start)
        return len(text)
    from staffcheck.reporters.console import columns as cell_columns

    return cell_columns(text)


def is_wide(text: str) -> bool:
    """Whether `text` holds a character that takes two columns (and so needs `wrap`)."""
    return columns(text) != len(text)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` (whitespace collapsed) in lines of at most `width` columns, each after `indent`,
    broken as the reports break it."""
    from staffcheck.reporters.console import wrap as wrap_cells

    lines = wrap_cells(" ".join(text.split()), max(width - columns(indent), 1))
    return [indent + line for line in lines] if text.strip() else []
