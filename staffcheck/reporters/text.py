"""Making untrusted text inert, for the reporters; the implementation lives in the core."""

from __future__ import annotations

from staffcheck.escaping import inert

__all__ = ["inert"]
