"""A rule's inline `examples:` — small scenarios it must fire on or stay quiet on, read from the pack."""

from __future__ import annotations

from pathlib import Path

from staffcheck.model import KnowledgeBase, RuleExamples, Scenario
from staffcheck.profiles import read_profile, read_team
from staffcheck.schema import Cursor

SCENARIO_FIELDS = ("description", "strategy", "profile", "team")


def read_examples(c: Cursor, kb: KnowledgeBase, team_level: bool) -> RuleExamples | None:
    """`{fires: [...], quiet: [...]}`, each item a scenario checked against `kb`."""
    if not c.mapping(optional=("fires", "quiet")):
        return None
    found: dict[str, tuple[Scenario, ...]] = {}
    for outcome in ("fires", "quiet"):
        if not c.has(outcome):
            continue
        scenarios = [read_scenario(item, kb) for item in c.child(outcome).items()]
        if any(s is None for s in scenarios):
            return None
        found[outcome] = tuple(s for s in scenarios if s is not None)
    if team_level and c.has("fires"):
        for scenario, item in zip(found["fires"], c.child("fires").items(), strict=True):
            if scenario.team is None:
                # A team rule never fires on one profile: the example could only fail.
                item.report("a team rule fires only on a team", "give the example a 'team:'")
                return None
    return RuleExamples(found.get("fires", ()), found.get("quiet", ()))


def read_scenario(c: Cursor, kb: KnowledgeBase) -> Scenario | None:
    """A description and either a profile (screened under `strategy`, if given) or a team."""
    if not c.mapping(required=("description",), optional=SCENARIO_FIELDS):
        return None
    if c.has("profile") == c.has("team"):
        c.report("an example holds exactly one of 'profile:' or 'team:'")
        return None
    if c.has("team") and c.has("strategy"):
        c.child("strategy").report(
            "a team example names its strategy inside 'team:'", "remove this 'strategy:'"
        )
        return None
    description = c.child("description").text()
    strategy = (
        c.child("strategy").reference(kb.strategies, "strategy") if c.has("strategy") else None
    )
    source = c.defined_at
    if c.has("team"):
        team = read_team(c.child("team"), Path(c.doc.path).parent, kb)
        return Scenario(description, source, team=team) if team and description else None
    profile = read_profile(c.child("profile"), kb)
    if profile is not None and profile.applying_for is None:
        c.child("profile").report(
            "an example profile needs 'applying_for:'", "name the post it is screened for"
        )
        return None
    if profile is None or description is None or (c.has("strategy") and strategy is None):
        return None
    return Scenario(description, source, profile=profile, strategy=strategy)
