"""The kinds' `tr` (`staffcheck.i18n`'s, which fills templates with CJK-aware spacing) and the
spacing helpers of `staffcheck.spacing`; re-exported so each kind imports them from its own
package."""

from __future__ import annotations

from staffcheck.i18n import tr
from staffcheck.spacing import (
    Piece,
    fill_pattern,
    is_cjk,
    join_spaced,
    join_spaced_words,
)

__all__ = ["Piece", "fill_pattern", "is_cjk", "join_spaced", "join_spaced_words", "tr"]
