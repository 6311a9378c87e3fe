"""Limits a ``STAFFCHECK_*`` environment variable may change, read one way (docs/limits.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from staffcheck.errors import StaffcheckError
from staffcheck.i18n import tr

__all__ = ["limit_from_environment"]


def limit_from_environment(
    variable: str, default: int, environ: Mapping[str, str] | None = None
) -> int:
    """`default`, or the positive whole number `variable` is set to; anything else is one error
    line naming the variable (unset or empty is the default, as every STAFFCHECK_* variable)."""
    raw = (os.environ if environ is None else environ).get(variable, "")
    text = raw.strip()
    if not text:
        return default
    if text.isascii() and text.isdigit() and len(text) <= 18 and int(text) >= 1:
        return int(text)
    raise StaffcheckError.at(
        tr("{variable}={value} is not a positive whole number", variable=variable,
           value=repr(raw[:40])),
        hint=tr("set it to a whole number such as {default}, or unset it", default=default),
    )  # fmt: skip
