"""Run by test_engine.py in a fresh interpreter per PYTHONHASHSEED: print what a team run derives."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from staffcheck import engine as engine_module
from staffcheck.diagnose import find_strategy
from staffcheck.engine import Assignment, InferenceEngine
from staffcheck.knowledge import load_knowledge
from staffcheck.profiles import load_team

root = Path(__file__).resolve().parent.parent
kb = load_knowledge(root / "rules")
if sys.argv[1:] == ["experta-default"]:
    from experta.strategies import DepthStrategy

    engine_module.StableDepthStrategy = DepthStrategy  # type: ignore[misc]
team = load_team(root / "profiles/examples/spring-launch.yaml", kb)
inference = InferenceEngine(kb)
facts = inference.facts(
    [Assignment(m.profile, m.role) for m in team.members],
    find_strategy(kb, team.strategy),
    team=True,
)
conclusions = inference.infer(facts, one_at_a_time=True)
print(
    json.dumps(
        {
            "gaps": sorted(g.role for g in conclusions.gaps),
            "findings": sorted(
                [f.cid, f.rule, f.bindings.get("skill") or ""] for f in conclusions.findings
            ),
        }
    )
)
