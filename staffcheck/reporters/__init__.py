"""Reporters: each turns a Report into text in one format, chosen by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from staffcheck.model import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How the text will be shown: colour (terminal only) and width in columns."""

    color: bool = False
    width: int = 100


Reporter = Callable[[Report, RenderOptions], str]


def get_reporter(name: str) -> Reporter:
    """The reporter for a format name (``table``, ``json``, ``markdown``, ``html``)."""
    from staffcheck.reporters import html, json_report, markdown, terminal

    reporters: dict[str, Reporter] = {
        "table": terminal.render,
        "json": json_report.render,
        "markdown": markdown.render,
        "html": html.render,
    }
    return reporters[name]


FORMATS = ("table", "json", "markdown", "html")
