"""Reports written as they are made: a document as an iterator of parts, each a batch of lines.

A drive ranked for one post may have a million applicants: its report is never one string. A
renderer that can yields its document in parts (`joined` lines, batched to `PART_CHARS`), and
its ``render`` is the parts joined, so the text in memory and the text streamed are one code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

#: Characters gathered before a part is handed on: large enough that writing costs little.
PART_CHARS = 1 << 16


def joined(lines: Iterable[str], separator: str = "\n") -> Iterator[str]:
    """``separator.join(lines)``, in parts of about `PART_CHARS` (lines are never split)."""
    batch: list[str] = []
    size = 0
    first = True
    for line in lines:
        if not first:
            batch.append(separator)
        first = False
        batch.append(line)
        size += len(line) + 1
        if size >= PART_CHARS:
            yield "".join(batch)
            batch, size = [], 0
    if batch:
        yield "".join(batch)


def batched(parts: Iterable[str]) -> Iterator[str]:
    """The same text in parts of about `PART_CHARS` (small ones gathered)."""
    batch: list[str] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= PART_CHARS:
            yield "".join(batch)
            batch, size = [], 0
    if batch:
        yield "".join(batch)
