"""staffcheck: can your people carry out your marketing strategy?

The public API is what ``__all__`` names (docs/api.md); every other module and name is private
and may change. Names are imported on first use (PEP 562), so ``import staffcheck`` and the
command line's start-up load nothing they do not need.
"""

# `typing.TYPE_CHECKING` without importing typing (8 ms at every start): type checkers take
# any constant of this name as true.
TYPE_CHECKING = False

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "Gap",
    "Location",
    "Member",
    "Pack",
    "PersonResult",
    "Problem",
    "Profile",
    "ProjectPlan",
    "Question",
    "RoleFit",
    "Screening",
    "Severity",
    "StaffcheckError",
    "Team",
    "TeamAssessment",
    "Verdict",
    "Waiver",
    "__version__",
    "assess_team",
    "examples_dir",
    "frame_meta",
    "load_pack",
    "plan",
    "screen",
    "screen_frame",
    "screen_records",
]

#: Public name -> the private module that defines it.
_HOMES = {
    **dict.fromkeys(
        ("Pack", "PersonResult", "Screening", "TeamAssessment", "assess_team", "load_pack",
         "plan", "screen"),
        "staffcheck.api",
    ),
    **dict.fromkeys(
        ("Finding", "Gap", "Location", "Member", "Profile", "Question", "RoleFit", "Severity",
         "Team", "Verdict", "Waiver"),
        "staffcheck.model",
    ),
    "Problem": "staffcheck.errors",
    "ProjectPlan": "staffcheck.project_plan",
    "StaffcheckError": "staffcheck.errors",
    "examples_dir": "staffcheck.examples",
    **dict.fromkeys(("frame_meta", "screen_frame", "screen_records"), "staffcheck.scale"),
}  # fmt: skip

if TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__ imports them
    from typing import Any

    from staffcheck.api import (
        Pack,
        PersonResult,
        Screening,
        TeamAssessment,
        assess_team,
        load_pack,
        plan,
        screen,
    )
    from staffcheck.errors import Problem, StaffcheckError
    from staffcheck.examples import examples_dir
    from staffcheck.model import (
        Finding,
        Gap,
        Location,
        Member,
        Profile,
        Question,
        RoleFit,
        Severity,
        Team,
        Verdict,
        Waiver,
    )
    from staffcheck.project_plan import ProjectPlan
    from staffcheck.scale import frame_meta, screen_frame, screen_records


def __getattr__(name: str) -> "Any":  # quoted: no __future__ import at start-up
    """A public name, imported from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'staffcheck' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # asked once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    """The public names (what tab completion offers)."""
    return sorted(__all__)
