"""Safe YAML loading that keeps line numbers and refuses what PyYAML would silently accept.

PyYAML's ``safe_load`` keeps the last of two duplicate keys, expands alias bombs without limit and
throws away where each value came from. This module composes the node graph with the safe loader,
then builds plain Python values itself: rejecting duplicate keys, bounding size, depth and alias
expansion, and recording the line and column of every value and key for error messages.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from staffcheck.env_limits import limit_from_environment
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.model import Location

#: Files larger than this are refused before parsing; override with STAFFCHECK_MAX_FILE_BYTES.
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
#: Nesting deeper than this is refused (no legitimate profile, team or pack comes close).
MAX_DEPTH = 64
#: Nodes of one document, counted while it is composed (so an oversized graph is never built)
#: and again as values are built, aliases counted each time they are expanded. A pack of 3,000
#: rules in one file is about 400,000; each node costs about 1 KB until the values are built.
MAX_NODES = 500_000
#: Times a list or mapping may be reused through an alias: enough for real reuse, not for bombs.
MAX_ALIAS_EXPANSIONS = 1_000

PathKey = tuple[str | int, ...]
STR_TAG, NULL_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
#: Plain data only: no !!python/..., !!binary, !!set or local tags, even where safe_load would cope.
ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


def max_file_bytes() -> int:
    """The size limit for one input file, from the environment or the default."""
    return limit_from_environment("STAFFCHECK_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


@dataclass(frozen=True, slots=True)
class Document:
    """Plain data from one YAML document, with the (line, column) of each value and key."""

    path: str
    data: Any
    value_marks: Mapping[PathKey, tuple[int, int]] = field(repr=False)
    key_marks: Mapping[PathKey, tuple[int, int]] = field(repr=False)
    #: the source text of plain scalars YAML turned into numbers, dates or booleans
    raw_text: Mapping[PathKey, str] = field(default_factory=dict, repr=False)

    def error(
        self, where: PathKey, message: str, hint: str | None = None, *, key: bool = False
    ) -> StaffcheckError:
        """An error placed at the value (or, with ``key=True``, the key) found at ``where``."""
        return StaffcheckError.at(message, self.locate(where, key=key), hint=hint)

    def locate(self, where: PathKey, *, key: bool = False) -> Location:
        """The place of the value (or key) found at ``where``: path, line and column (see `mark`)."""
        return Location(self.path, *self.mark(where, key=key))

    def mark(self, where: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``where``, falling back to the nearest enclosing value."""
        marks = self.key_marks if key else self.value_marks
        if where in marks:
            return marks[where]
        probe = where
        while probe:
            probe = probe[:-1]
            if probe in self.value_marks:
                return self.value_marks[probe]
        return (None, None)


class _TooManyNodes(yaml.MarkedYAMLError):
    """A document of more than MAX_NODES nodes, found while composing it."""


class _BoundedComposer(Composer):
    """PyYAML's composer, refusing deep nesting before Python's recursion limit does and a
    document of more than MAX_NODES nodes before their graph fills the memory."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH:
                self._refuse(f"nested more than {MAX_DEPTH} levels deep")
            if self._nodes > MAX_NODES:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise _TooManyNodes(problem="too many nodes", problem_mark=mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _refuse(self, problem: str) -> None:
        mark = self.peek_event().start_mark  # type: ignore[attr-defined]
        raise yaml.MarkedYAMLError(problem=problem, problem_mark=mark)


class _PureLoader(Reader, Scanner, Parser, _BoundedComposer, SafeConstructor, Resolver):
    """PyYAML's safe loader, all in Python, with the bounded composer."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


def _fast_loader() -> type | None:
    """libyaml's parser (C, ten times faster) feeding the bounded composer, where PyYAML has it:
    libyaml keeps its own stack, so deep nesting reaches the composer's depth check."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None

    class _FastLoader(CParser, _BoundedComposer, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _BoundedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        # CParser composes in C, without the bounds: the Python composer's methods win.
        get_single_node = _BoundedComposer.get_single_node
        compose_document = _BoundedComposer.compose_document

    return _FastLoader


_FAST_LOADER = _fast_loader()


def no_such_file() -> str:
    """The message of a missing file, which `profiles` recognises to say which member's it is."""
    return tr("no such file")


def read_text(path: Path, display: str | None = None) -> str:
    """Read a UTF-8 text file (a BOM is accepted), refusing directories and oversized files."""
    shown = display or str(path)
    limit = max_file_bytes()
    try:
        if path.is_dir():
            raise StaffcheckError.at(
                tr("is a directory, not a file"), shown, hint=tr("name a .yaml file inside it")
            )
        if not path.is_file() and path.exists():
            raise StaffcheckError.at(
                tr("is not a regular file (a device or pipe?)"), shown, hint=tr("name a .yaml file")
            )
        # Read at most one byte past the limit: the size a file claims is not always the truth.
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
        if len(raw) > limit:
            raise StaffcheckError.at(
                tr("file is over the {limit}-byte limit", limit=f"{limit:,}"),
                shown,
                hint=tr("split it, or raise STAFFCHECK_MAX_FILE_BYTES"),
            )
    except ValueError:  # e.g. a NUL character in the path
        raise StaffcheckError.at(
            tr("not a usable file name"), shown, hint=tr("check the path")
        ) from None
    except FileNotFoundError:
        raise StaffcheckError.at(no_such_file(), shown, hint=tr("check the path")) from None
    except PermissionError:
        raise StaffcheckError.at(
            tr("permission denied"), shown, hint=tr("check the file's permissions")
        ) from None
    except OSError as exc:
        raise StaffcheckError.at(
            tr("cannot read: {problem}", problem=exc.strerror), shown
        ) from None
    return decode_text(raw, shown)


def decode_text(raw: bytes, display: str) -> str:
    """Decode UTF-8 (with or without BOM), naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise StaffcheckError.at(
            tr("not UTF-8 text (byte {byte})", byte=f"0x{raw[exc.start]:02x}"),
            display,
            line,
            hint=tr("save the file as UTF-8"),
        ) from None


def load_yaml(
    path: Path, display: str | None = None, *, shipped: bool = False, quote: bool = True
) -> Document:
    """Load one YAML file safely; every failure is a StaffcheckError naming file and line.

    `shipped`: a file that comes with staffcheck itself (the bundled pack), composed by libyaml
    alone where PyYAML has it; any other file goes through the bounded composer (see
    `_BoundedComposer`), which refuses deep nesting and oversized documents as it goes."""
    shown = display or str(path)
    return parse_yaml(read_text(path, shown), shown, shipped=shipped, quote=quote)


def parse_yaml(text: str, display: str, *, shipped: bool = False, quote: bool = True) -> Document:
    """Parse YAML text safely into a Document (see the module docstring for what is refused).

    `quote=False`: the errors quote nothing of the text (no key, value, tag or alias), for a
    file that may not be what it was said to be (a team member's ``profile: /etc/shadow``)."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise StaffcheckError.at(
            tr("file is empty"), display, hint=tr("add content, or remove the file")
        )
    try:
        # The pure reader checks every character up front, so even building it can fail.
        loader: Any = _loader(text, shipped=shipped)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, display) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise StaffcheckError.at(
                tr("file is empty"), display, hint=tr("add content, or remove the file")
            )
        return _Builder(loader, display, quote).document(node)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, display, quote) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, display) from None
    except yaml.YAMLError as exc:
        raise StaffcheckError.at(tr("invalid YAML: {problem}", problem=exc), display) from None
    except RecursionError:
        raise StaffcheckError.at(
            f"nested more than {MAX_DEPTH} levels deep", display, hint="flatten the document"
        ) from None
    finally:
        loader.dispose()


def _loader(text: str, *, shipped: bool) -> Any:
    """The loader for one text: libyaml's own composer for staffcheck's files, else bounded."""
    if shipped and getattr(yaml, "__with_libyaml__", False):
        return yaml.CSafeLoader(text)
    if _FAST_LOADER is not None:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate from the API: the
            return _FAST_LOADER(text)  # pure reader refuses it as a character, placed
    return _PureLoader(text)


def _syntax_error(
    exc: yaml.MarkedYAMLError, text: str, display: str, quote: bool
) -> StaffcheckError:
    """A YAML syntax error (or a bound of the composer), placed by line and column."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    if isinstance(exc, _TooManyNodes):
        return StaffcheckError.at(
            tr("more than {limit} values in one file", limit=f"{MAX_NODES:,}"),
            display,
            line,
            column,
            hint=tr("split it into several files"),
        )
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if not quote:  # PyYAML quotes what it found: an alias's or a tag's name, a character
        problem = re.sub(r"'[^']*'|\"[^\"]*\"", "…", problem)
    if exc.context and "single document" in exc.context:
        problem = tr("a second YAML document ('---'): a file holds one document")
    at_tab = mark is not None and _character_at(text, mark.line, mark.column) == "\t"
    return StaffcheckError.at(
        tr("invalid YAML: {problem}", problem=problem),
        display,
        line,
        column,
        hint=tr("indent with spaces, not tabs") if at_tab else _yaml_hint(problem),
    )


def _character_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column of the text ("" past its end)."""
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _reader_error(exc: yaml.reader.ReaderError, text: str, display: str) -> StaffcheckError:
    """A control character YAML does not allow, placed by line and column."""
    position = exc.position
    if exc.encoding != "unicode":  # libyaml counts UTF-8 bytes, PyYAML's reader characters
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return StaffcheckError.at(
        tr("control character {code} is not allowed in YAML", code=f"U+{code:04X}"),
        display,
        line,
        column,
        hint=tr('remove it, or write it as an escape such as "\\x07" inside double quotes'),
    )


def _yaml_hint(problem: str) -> str:
    if "\\t" in problem or "tab" in problem:
        return tr("indent with spaces, not tabs")
    if "invalid Unicode character escape" in problem:  # libyaml: \uD800, \U00110000
        return tr("an unpaired UTF-16 surrogate (\\uD800-\\uDFFF) is not a character: write the "
                  "character itself")  # fmt: skip
    if "found unexpected end of stream" in problem or "quoted scalar" in problem:
        return tr("a quote is not closed")
    if "mapping values are not allowed" in problem:
        return tr("check the indentation, or quote a value that contains ': '")
    if "expected <block end>" in problem or "did not find expected" in problem:
        return tr("check the indentation of this line and the one above")
    return tr("check the YAML syntax at this place")


class _Builder:
    """Turns composed nodes into plain values, recording marks, rejecting duplicates and bombs."""

    def __init__(self, loader: Any, display: str, quote: bool = True) -> None:
        #: whether errors may quote the file's text (see `parse_yaml`)
        self.quote = quote
        self.loader = loader
        self.display = display
        self.value_marks: dict[PathKey, tuple[int, int]] = {}
        self.key_marks: dict[PathKey, tuple[int, int]] = {}
        self.budget = MAX_NODES
        self.alias_budget = MAX_ALIAS_EXPANSIONS
        self.seen: set[int] = set()
        self.raw_text: dict[PathKey, str] = {}

    def document(self, node: yaml.Node) -> Document:
        data = self.build(node, (), 0)
        return Document(self.display, data, self.value_marks, self.key_marks, self.raw_text)

    def _fail(self, node: yaml.Node, message: str, hint: str) -> StaffcheckError:
        mark = node.start_mark
        return StaffcheckError.at(message, self.display, mark.line + 1, mark.column + 1, hint=hint)

    def build(self, node: yaml.Node, where: PathKey, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self._fail(
                node,
                f"document expands to more than {MAX_NODES:,} values (an alias bomb?)",
                "remove the repeated aliases",
            )
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.seen:
                self.alias_budget -= 1
                if self.alias_budget < 0:
                    raise self._fail(
                        node,
                        f"aliases expand lists or mappings more than {MAX_ALIAS_EXPANSIONS:,} "
                        "times (an alias bomb?)",
                        "remove the repeated aliases",
                    )
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self._fail(node, f"nested more than {MAX_DEPTH} levels deep", "flatten it")
        self.value_marks.setdefault(where, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in ALLOWED_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self._fail(
                node,
                tr("YAML tag {tag} is not supported", tag=self.shown(shown)),
                tr("remove the tag"),
            )
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, where)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*where, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where, depth)
        raise self._fail(node, "unsupported YAML node", "use plain mappings, lists and scalars")

    def shown(self, text: str) -> str:
        """A text of the file as an error quotes it: shortened, or not at all (`quote`)."""
        return _quoted(text) if self.quote else "…"

    def _scalar(self, node: yaml.ScalarNode, where: PathKey) -> Any:
        """A scalar's value; text as written where YAML would read a number or date it is not."""
        implicit = not node.style and node.tag not in (STR_TAG, NULL_TAG)
        if implicit:
            # Plain scalars that YAML reads as numbers or dates keep their text too, so an id
            # written 007 stays "007" where text is wanted.
            self.raw_text[where] = node.value
        if node.tag != STR_TAG and not _shaped_as(node.tag, node.value):
            # An explicit tag on a value it does not fit (!!bool maybe, !!int ""): PyYAML's
            # constructors would fail with a KeyError or IndexError, or make "abc" a null.
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self._fail(
                node,
                tr("{value} is not a {tag} value", value=self.shown(node.value), tag=shown),
                tr("remove the tag {tag}, or write a value of its kind", tag=shown),
            )
        try:
            return self.loader.construct_object(node)
        except ValueError:  # 2027-02-30, or an integer past Python's 4,300-digit limit
            if implicit and node.tag.endswith(":timestamp"):
                return node.value  # a text field takes it as written; a date field says why not
            if node.tag.endswith(":timestamp"):
                raise self._fail(
                    node,
                    tr("{value} is not a day of the calendar", value=self.shown(node.value)),
                    tr("write a date YYYY-MM-DD, e.g. 2027-03-31"),
                ) from None
            raise self._fail(
                node, tr("number is too long"), tr("write a number of at most a few digits")
            ) from None

    def _mapping(self, node: yaml.MappingNode, where: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail(
                    key_node, tr("merge keys (<<) are not supported"), tr("write the fields out")
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(key_node, tr("a key must be a plain name"), tr("use a text key"))
            if key_node.tag not in ALLOWED_TAGS:
                raise self._fail(
                    key_node, tr("a key must not carry a YAML tag"), tr("remove the tag")
                )
            key = str(key_node.value)
            if key in result:
                first = self.key_marks[(*where, key)]
                raise self._fail(
                    key_node,
                    tr(
                        "duplicate key {key} (first at line {line})",
                        key=self.shown(key),
                        line=first[0],
                    ),
                    tr("keep one of them"),
                )
            self.key_marks[(*where, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, (*where, key), depth + 1)
        return result


def _shaped_as(tag: str, value: str) -> bool:
    """Whether a scalar's text is one YAML's resolver reads as `tag` (its constructor copes)."""
    if tag == NULL_TAG and value == "":
        return True
    resolvers = Resolver.yaml_implicit_resolvers.get(value[:1], [])
    return any(own == tag and pattern.match(value) for own, pattern in resolvers)


def _quoted(value: str) -> str:
    """A value of the file quoted in a message, shortened: a message is one line."""
    return repr(value if len(value) <= 40 else value[:40] + "…")
