"""The kinds' `tr` and template filling: `staffcheck.spacing` (CJK-aware spacing), which the
layers above the kinds use too; re-exported so each kind imports it from its own package."""

from __future__ import annotations

from staffcheck.spacing import (
    Piece,
    fill_pattern,
    is_cjk,
    join_spaced,
    join_spaced_words,
    tr,
)

__all__ = ["Piece", "fill_pattern", "is_cjk", "join_spaced", "join_spaced_words", "tr"]
