"""What every report says about itself: the day it was made, the date its waivers were judged
as of, the staffcheck that made it and the pack it used (a footer, or JSON's ``meta`` object).

The day comes from one function, `made_on`: today, or the day of ``SOURCE_DATE_EPOCH`` (seconds
since 1970, UTC: the reproducible-builds convention) when that is set, so that a report made
twice from the same inputs is the same file, and the tests' golden reports do not change daily.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from staffcheck.errors import StaffcheckError
from staffcheck.escaping import escape_markdown, inert, inert_json
from staffcheck.i18n import tr

if TYPE_CHECKING:
    from staffcheck.model import KnowledgeBase

#: The environment variable that pins the day a report says it was made (and ``team``'s default
#: ``--as-of``): https://reproducible-builds.org/specs/source-date-epoch/
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def made_on() -> datetime.date:
    """The day a report is made: today, or the UTC day of ``SOURCE_DATE_EPOCH`` when it is set."""
    pinned = os.environ.get(EPOCH_VARIABLE, "").strip()
    if not pinned:
        return datetime.date.today()
    try:
        moment = datetime.datetime.fromtimestamp(int(pinned), datetime.UTC)
    except (ValueError, OverflowError, OSError):
        raise StaffcheckError.at(
            tr("{variable}={value} is not a time", variable=EPOCH_VARIABLE, value=repr(pinned)),
            hint=tr("give whole seconds since 1970-01-01 UTC, or unset it"),
        ) from None
    return moment.date()


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """A report's provenance: when it was made, as of which date, by what, with which pack."""

    made_on: datetime.date
    version: str
    pack_name: str
    pack_version: str | None = None
    #: the date a team's waivers were judged as of (None: the report has no waivers to judge)
    as_of: datetime.date | None = None

    @classmethod
    def of(cls, kb: KnowledgeBase, as_of: datetime.date | None = None) -> ReportMeta:
        """The provenance of a report made now with `kb`."""
        from staffcheck import __version__

        return cls(made_on(), __version__, kb.name, kb.version, as_of)

    def sentence(self) -> str:
        """The footer, in words (untrusted: the pack's name is the pack author's text)."""
        pack = (
            tr("pack {name}, version {version}", name=self.pack_name, version=self.pack_version)
            if self.pack_version is not None
            else tr("pack {name}", name=self.pack_name)
        )
        text = tr(
            "Made on {date} by staffcheck {version} with the {pack}.",
            date=self.made_on.isoformat(),
            version=self.version,
            pack=pack,
        )
        if self.as_of is not None:
            text = tr("{made} Waivers judged as of {date}.", made=text, date=self.as_of.isoformat())
        return text

    def as_dict(self) -> dict[str, Any]:
        """The JSON ``meta`` object (dates in ISO form; ``as_of`` null when there is none)."""
        return {
            "made_on": self.made_on.isoformat(),
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "staffcheck": self.version,
            "pack": {"name": self.pack_name, "version": self.pack_version},
        }


def with_footer(text: str, fmt: str, meta: ReportMeta, width: int) -> str:
    """A rendered document with its provenance added as its format allows: a last line (table),
    a rule and an italic line (Markdown), a <footer> (HTML) or a ``meta`` key (JSON)."""
    if fmt == "json":
        return _with_meta_key(text, meta)
    if fmt == "markdown":
        return text.rstrip("\n") + f"\n\n---\n\n*{escape_markdown(meta.sentence())}*\n"
    if fmt == "html" and "</body>" in text:
        from html import escape

        footer = f'<footer class="report-meta"><p>{escape(inert(meta.sentence()))}</p></footer>'
        head, _, tail = text.rpartition("</body>")
        return f"{head}{footer}\n</body>{tail}"
    if fmt == "table":
        from staffcheck.reporters.console import wrap

        lines = wrap(inert(meta.sentence()), max(width, 20))
        return text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    return text


def footer_parts(parts: Iterable[str], fmt: str, meta: ReportMeta, width: int) -> Iterator[str]:
    """`with_footer` of a document written in parts: each part is passed on as it comes, but
    for what the footer goes before or after (the first line of JSON, the closing ``</body>``
    of HTML, the blank lines that end a text)."""
    stream = iter(parts)
    if fmt == "json":
        yield _with_meta_key_parts(stream, meta)
        yield from stream
    elif fmt == "html":
        yield from _before_body_end(stream, meta)
    elif fmt in ("markdown", "table"):
        ending = ""  # the newlines a part ended with: kept back until more text follows
        for part in stream:
            text = part.rstrip("\n")
            if text:
                yield ending + text
                ending = part[len(text) :]
            else:
                ending += part
        yield with_footer("", fmt, meta, width)
    else:
        yield from stream


def _with_meta_key_parts(stream: Iterator[str], meta: ReportMeta) -> str:
    """The document's first part with ``meta`` in it, as `_with_meta_key` puts it (the parts are
    read until its first line is whole)."""
    head = ""
    for part in stream:
        head += part
        if head.find("\n", 2) >= 0:
            break
    first_end = head.find("\n", 2) + 1
    if not head.startswith('{\n  "schema"') or head[first_end - 2 : first_end] != ",\n":
        return _with_meta_key(head + "".join(stream), meta)  # another shape: whole
    return _with_meta_key(head, meta)


def _before_body_end(stream: Iterator[str], meta: ReportMeta) -> Iterator[str]:
    """The page's parts with the footer before its last ``</body>``: the parts from the last one
    holding it are kept back to the end."""
    held = ""
    for part in stream:
        if "</body>" in part:
            if held:
                yield held
            held = part
        elif held:
            held += part
        else:
            yield part
    yield with_footer(held, "html", meta, 0)


def _with_meta_key(text: str, meta: ReportMeta) -> str:
    """The JSON document with ``meta`` as its second key (after ``schema``), written as the
    document is (indented by two): no second parse of a report that may be large."""
    entry = json.dumps(meta.as_dict(), indent=2, ensure_ascii=False).replace("\n", "\n  ")
    entry = inert_json(f'  "meta": {entry},\n')
    first_end = text.find("\n", 2) + 1
    if not text.startswith('{\n  "schema"') or text[first_end - 2 : first_end] != ",\n":
        data = json.loads(text)  # another shape: the slow, sure way
        data["meta"] = meta.as_dict()
        return inert_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    return text[:first_end] + entry + text[first_end:]


def with_meta(data: dict[str, Any], meta: ReportMeta | None) -> dict[str, Any]:
    """A JSON document's object with ``meta`` after its ``schema`` (as `with_footer` writes it)."""
    if meta is None:
        return data
    first = dict(list(data.items())[:1])
    return {**first, "meta": meta.as_dict(), **data}
