"""The example teams, profiles and exports bundled with staffcheck, reachable when installed.

In a wheel they are ``staffcheck/_bundled/examples`` (pyproject.toml's force-include); in a clone,
``profiles/examples``. A team file names its members' profiles relative to itself, so the
examples are always listed and copied as one tree.
"""

from __future__ import annotations

import csv
import enum
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr
from staffcheck.yamlio import load_yaml, read_text

#: The team file `staffcheck examples --copy` suggests running first.
SHOWCASE_TEAM = "spring-launch.yaml"
#: The export it suggests screening next, and the post its applicants apply for.
SHOWCASE_EXPORT = ("exports/taobao-drive.csv", "taobao-operator")


class Kind(enum.Enum):
    """What an example file holds, in the order they are listed."""

    TEAM = "team"
    PROFILE = "profile"
    APPLICANTS = "applicants"


@dataclass(frozen=True, slots=True)
class Example:
    """One bundled example file and what it holds, read from the file itself."""

    #: Relative to the examples directory, with ``/`` (``candidates/sun-li.yaml``).
    path: str
    kind: Kind
    #: The team's or the person's name ("" for a list of applicants).
    name: str = ""
    #: The person's id ("" for the others).
    ident: str = ""
    #: The team's strategy id, or the post the person applies for ("" if none).
    target: str = ""
    #: Members of a team, or applicants in a list or export (1 for a profile).
    count: int = 1


def examples_dir() -> Path:
    """The bundled examples: ``staffcheck/_bundled/examples`` in a wheel, ``profiles/examples`` in a clone."""
    # Beside this module, as importlib.resources would find it in an installed wheel (which
    # costs an import of importlib.resources and zipfile at every start).
    packaged = Path(__file__).parent / "_bundled" / "examples"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "profiles" / "examples"


def example_files(root: Path | None = None) -> list[PurePosixPath]:
    """Every example file, relative to `root` (default: the bundled examples), sorted."""
    base = examples_dir() if root is None else root
    found = [
        PurePosixPath(path.relative_to(base).as_posix())
        for path in base.rglob("*")
        if path.is_file() and not any(part.startswith((".", "__")) for part in path.parts)
    ]
    return sorted(found)


def bundled_examples(root: Path | None = None) -> list[Example]:
    """What each example file holds: teams first, then profiles, then lists of applicants."""
    base = examples_dir() if root is None else root
    examples = [_read(base, relative) for relative in example_files(base)]
    order = list(Kind)
    return sorted(examples, key=lambda e: (order.index(e.kind), e.path.count("/"), e.path))


def describe(example: Example) -> str:
    """One line saying what an example holds, in the language in use."""
    if example.kind is Kind.TEAM:
        return tr(
            "“{name}”: strategy {strategy}, {count} members",
            name=example.name,
            strategy=example.target,
            count=example.count,
        )
    if example.kind is Kind.PROFILE and not example.target:
        return tr("{name} ({ident}), an open application: no post named", name=example.name,
                  ident=example.ident)  # fmt: skip
    if example.kind is Kind.PROFILE:
        return tr("{name} ({ident}), applying for {post}", name=example.name,
                  ident=example.ident, post=example.target)  # fmt: skip
    if example.path.endswith((".csv", ".jsonl")):
        return tr("{count} applicants, exported from a hiring system", count=example.count)
    return tr("{count} applicants in one file", count=example.count)


def clashes(destination: Path, root: Path | None = None) -> list[Path]:
    """The entries a copy into `destination` would replace, in the order they would be copied:
    files, and links even when they lead nowhere (a link is looked at, never followed)."""
    return [
        destination / relative
        for relative in example_files(root)
        if os.path.lexists(destination / relative)
    ]


def is_link(path: Path) -> bool:
    """Whether `path` is a symbolic link; False, not an error, where it cannot be looked at."""
    return os.path.islink(path)  # noqa: PTH114 -- Path.is_symlink raises on EACCES (3.11)


def linked_directories(destination: Path, root: Path | None = None) -> list[Path]:
    """The folders inside `destination` the copy would go through that are symbolic links:
    a copy never writes through one, so it would land outside `destination`."""
    folders = {parent for relative in example_files(root) for parent in relative.parents}
    return [
        destination / folder
        for folder in sorted(folders - {PurePosixPath(".")})
        if is_link(destination / folder)
    ]


def refuse_linked_directories(destination: Path, root: Path | None = None) -> None:
    """Raise, naming the first, if a folder the copy would go through is a symbolic link."""
    linked = linked_directories(destination, root)
    if linked:
        raise StaffcheckError.at(
            tr("is a symbolic link; the examples are never copied through a link"),
            linked[0],
            hint=tr("remove the link, or copy into another directory"),
        )


def copy_examples(destination: Path, root: Path | None = None) -> list[PurePosixPath]:
    """Copy every example into `destination` (created if needed), keeping the tree; returns the
    files copied. Existing files are overwritten and a link in a file's place is replaced by the
    file (its target left alone): callers check `clashes` first. A folder inside `destination`
    that is a link is refused: nothing is ever written through a link."""
    base = examples_dir() if root is None else root
    copied = example_files(base)
    try:
        if destination.exists() and not destination.is_dir():
            raise StaffcheckError.at(
                tr("not a directory"),
                destination,
                hint=tr("name a new directory, or an existing one, to copy the examples into"),
            )
        refuse_linked_directories(destination, base)
        for relative in copied:
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy_file(base / relative, target)
    except OSError as exc:
        raise StaffcheckError.at(
            tr("cannot copy the examples: {reason}", reason=exc.strerror or str(exc)),
            exc.filename or destination,
            hint=tr("choose a directory you can write to"),
        ) from None
    return copied


def _copy_file(source: Path, target: Path) -> None:
    """Copy one file as a new regular file: a link in its place is removed first, and the file is
    opened with O_NOFOLLOW, so a link made in between fails instead of being written through."""
    if is_link(target):
        target.unlink()
    if target.exists() and not target.is_file():  # a FIFO would hang the copy, a device eat it
        raise StaffcheckError.at(
            tr("{name} is a special file, not a copy of an example", name=target.name),
            target,
            hint=tr("remove it, or copy the examples into another directory"),
        )
    # O_NONBLOCK: a FIFO put there since is refused at once (ENXIO) rather than waited on.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags | getattr(os, "O_NONBLOCK", 0), 0o666)
    os.set_blocking(descriptor, True)
    with os.fdopen(descriptor, "wb") as out, source.open("rb") as data:
        shutil.copyfileobj(data, out)


def _read(base: Path, relative: PurePosixPath) -> Example:
    """What one example file holds (its kind, name, target and size)."""
    path = base / relative
    shown = str(relative)
    if relative.suffix == ".csv":
        rows = list(csv.reader(read_text(path, shown).splitlines()))
        return Example(shown, Kind.APPLICANTS, count=sum(1 for row in rows[1:] if any(row)))
    if relative.suffix == ".jsonl":
        lines = read_text(path, shown).splitlines()
        return Example(shown, Kind.APPLICANTS, count=sum(1 for line in lines if line.strip()))
    data: Any = load_yaml(path, shown).data
    if isinstance(data, list):
        return Example(shown, Kind.APPLICANTS, count=len(data))
    if isinstance(data, dict) and isinstance(data.get("members"), list):
        return Example(
            shown, Kind.TEAM, _text(data, "team"), target=_text(data, "strategy"),
            count=len(data["members"]),
        )  # fmt: skip
    fields: dict[str, Any] = data if isinstance(data, dict) else {}
    return Example(
        shown, Kind.PROFILE, _text(fields, "name"), _text(fields, "id"),
        _text(fields, "applying_for"),
    )  # fmt: skip


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)
