"""Reporters: every result type rendered in every format it has, dispatched from one table.

Which formats exist is data: `RENDERERS` maps (result type, format) to the function that renders
it, and each command offers `formats_for` the result types it produces. Renderers are named as
``module:function`` and imported only when used, so listing formats (for ``--help``) costs no
``rich`` import. Every renderer takes the result and `RenderOptions`, and returns text, except
those of `BYTE_FORMATS`, which return the bytes of a file (`render_bytes`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from staffcheck.reporters.meta import ReportMeta


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How the text will be shown: colour (terminal only) and width in columns; and the
    report's provenance (`meta.ReportMeta`), added to a text report as a footer or JSON's
    ``meta`` object when the command gives it."""

    color: bool = False
    width: int = 100
    meta: ReportMeta | None = None


Renderer = Callable[[Any, RenderOptions], str]
ByteRenderer = Callable[[Any, RenderOptions], bytes]

#: (name of the result type, format) -> ``module:function`` in this package that renders it.
#: Report: `model.Report`; Streamed: `batch.Streamed` (one line per applicant as screened);
#: Explanation: `explain.Explanation`; ActionPlan: `actions.ActionPlan`; WhyNot: `why_not.WhyNot`;
#: StaffingPlan: `planning.StaffingPlan`; ProjectPlan: `project_plan.ProjectPlan` (``plan``); KnowledgeBase and PackEntry: `rules list` and `rules show`;
#: PackCheck: `knowledge.PackCheck` (`rules validate`); FixtureRun: `fixtures.FixtureRun` (`rules test`);
#: Consultation: `consult.Consultation` (`ask`).
RENDERERS: Mapping[tuple[str, str], str] = {
    ("Report", "table"): "terminal:render",
    ("Report", "json"): "json_report:render",
    ("Report", "markdown"): "markdown:render",
    ("Report", "html"): "html:render",
    ("Report", "csv"): "spreadsheet:render_csv",
    ("Report", "xlsx"): "workbook:render_xlsx",
    ("Streamed", "jsonl"): "json_report:render_line",
    ("Explanation", "table"): "explanation:render_table",
    ("Explanation", "json"): "explanation:render_json",
    ("Explanation", "markdown"): "explanation:render_markdown",
    ("ActionPlan", "table"): "actions:render_table",
    ("ActionPlan", "markdown"): "actions:render_markdown",
    ("ActionPlan", "json"): "explanation:render_plan_json",
    ("WhyNot", "table"): "why_not:render_table",
    ("WhyNot", "json"): "why_not:render_json",
    ("WhyNot", "markdown"): "why_not:render_markdown",
    ("ProjectPlan", "table"): "plan_text:render_table",
    ("ProjectPlan", "markdown"): "plan_markdown:render_markdown",
    ("ProjectPlan", "html"): "plan_html:render_html",
    ("ProjectPlan", "json"): "plan_json:render_json",
    ("ProjectPlan", "xlsx"): "plan_xlsx:render_xlsx",
    ("StaffingPlan", "table"): "staffing:render_table",
    ("StaffingPlan", "json"): "staffing:render_json",
    ("StaffingPlan", "markdown"): "staffing:render_markdown",
    ("KnowledgeBase", "table"): "pack:render_listing",
    ("KnowledgeBase", "json"): "pack:render_listing_json",
    ("PackEntry", "table"): "pack:render_entry",
    ("PackEntry", "json"): "pack:render_entry_json",
    ("PackCheck", "table"): "checks:render_check_table",
    ("PackCheck", "json"): "checks:render_check_json",
    ("FixtureRun", "table"): "checks:render_run_table",
    ("FixtureRun", "json"): "checks:render_run_json",
    ("Consultation", "table"): "consultation:render_table",
    ("Consultation", "json"): "consultation:render_json",
}


#: Renderers that give a document in parts, to be written as they come (`text_parts`,
#: `byte_parts`): a screening, whose ranking may be held outside memory. Joined, the parts are
#: what the same format's entry of `RENDERERS` returns.
PART_RENDERERS: Mapping[tuple[str, str], str] = {
    ("Report", "table"): "terminal:render_parts",
    ("Report", "json"): "json_report:render_parts",
    ("Report", "markdown"): "markdown:render_parts",
    ("Report", "html"): "html:render_parts",
    ("Report", "csv"): "spreadsheet:csv_parts",
    ("Report", "xlsx"): "workbook:xlsx_parts",
}


#: Formats rendered as bytes, not text: a file in a fixed encoding (CSV: UTF-8 with a BOM, for
#: Excel) or not text at all (XLSX). They are written as they are, whatever the terminal's encoding.
BYTE_FORMATS = frozenset({"csv", "xlsx"})
#: Byte formats that are not text: a terminal cannot show them (``--output FILE`` instead).
BINARY_FORMATS = frozenset({"xlsx"})
#: Formats of a `Report` only a screening has: one row per candidate, which a team's uncovered
#: posts and heatmap do not fit.
SCREENING_ONLY_FORMATS = frozenset({"csv", "xlsx"})


def formats_for(*result_types: str) -> tuple[str, ...]:
    """The formats any of these result types can be rendered in, in the table's order."""
    found = (fmt for kind, fmt in RENDERERS if kind in result_types)
    return tuple(dict.fromkeys(found))


def get_renderer(result_type: str, fmt: str) -> Renderer:
    """The function that renders `result_type` in `fmt` (a KeyError if there is none)."""
    module, function = RENDERERS[(result_type, fmt)].split(":")
    return cast(Renderer, getattr(importlib.import_module(f"{__name__}.{module}"), function))


def render(result: object, fmt: str, options: RenderOptions | None = None) -> str:
    """`result` as text in `fmt` (not one of `BYTE_FORMATS`), with its provenance if
    `options` carries it."""
    options = options or RenderOptions()
    text = get_renderer(type(result).__name__, fmt)(result, options)
    if options.meta is None:
        return text
    from staffcheck.reporters.meta import with_footer

    return with_footer(text, fmt, options.meta, options.width)


def render_bytes(result: object, fmt: str, options: RenderOptions | None = None) -> bytes:
    """`result` as the bytes of a file in `fmt`, one of `BYTE_FORMATS`."""
    renderer = cast(ByteRenderer, get_renderer(type(result).__name__, fmt))
    return renderer(result, options or RenderOptions())


def _part_renderer(
    result: object, fmt: str
) -> Callable[[Any, RenderOptions], Iterator[Any]] | None:
    entry = PART_RENDERERS.get((type(result).__name__, fmt))
    if entry is None:
        return None
    module, function = entry.split(":")
    return cast(
        Callable[[Any, RenderOptions], Iterator[Any]],
        getattr(importlib.import_module(f"{__name__}.{module}"), function),
    )


def text_parts(result: object, fmt: str, options: RenderOptions | None = None) -> Iterator[str]:
    """`render`'s text in parts, made as they are written (one part if `fmt` has no
    `PART_RENDERERS` entry for `result`)."""
    options = options or RenderOptions()
    renderer = _part_renderer(result, fmt)
    if renderer is None:
        yield render(result, fmt, options)
        return
    parts = cast(Iterator[str], renderer(result, options))
    if options.meta is None:
        yield from parts
        return
    from staffcheck.reporters.meta import footer_parts

    yield from footer_parts(parts, fmt, options.meta, options.width)


def byte_parts(result: object, fmt: str, options: RenderOptions | None = None) -> Iterator[bytes]:
    """`render_bytes`'s bytes in parts (one part if `fmt` has no `PART_RENDERERS` entry)."""
    options = options or RenderOptions()
    renderer = _part_renderer(result, fmt)
    if renderer is None:
        yield render_bytes(result, fmt, options)
        return
    yield from cast(Iterator[bytes], renderer(result, options))
