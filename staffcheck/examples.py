"""The example profiles and teams bundled with staffcheck, reachable when installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def examples_dir() -> Path:
    """The bundled examples: ``staffcheck/_bundled/examples`` in a wheel, ``profiles/examples`` in a clone."""
    packaged = resources.files("staffcheck") / "_bundled" / "examples"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "profiles" / "examples"
