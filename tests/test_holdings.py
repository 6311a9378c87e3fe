"""A variant's holdings, re-counted from the last team's, are the holdings counted afresh.

`Holdings.variant` re-counts only the members a what-if changes; what the team rules read of a
team (`Holdings.key`) must not depend on how it was counted. Random teams and random chains of
variants — members replaced, moved, blocked, trained, hired at the end, let go — are keyed both
ways.
"""

from __future__ import annotations

import random

from staffcheck.holdings import Held, Holdings

POSTS = ("operator", "designer", "writer", "analyst", "host")
SKILLS = ("seo", "copy", "data", "visual", "live")


def _member(rng: random.Random, person: str) -> Held:
    skills = rng.sample(SKILLS, rng.randint(0, 3))
    levels = tuple((skill, rng.randint(0, 5)) for skill in sorted(skills))
    return Held(rng.choice(POSTS), person, rng.random() < 0.2, levels)


def _variant(rng: random.Random, team: list[Held]) -> list[Held]:
    changed = list(team)
    for _ in range(rng.choice((1, 1, 2, 3, 20))):
        kind = rng.choice(("replace", "hire", "leave"))
        if kind == "replace" and changed:
            position = rng.randrange(len(changed))
            changed[position] = _member(rng, changed[position].person)
        elif kind == "hire":
            changed.append(_member(rng, f"hire-{rng.randrange(10**6)}"))
        elif changed:
            del changed[rng.randrange(len(changed))]
    return changed


def test_a_variant_is_keyed_as_a_fresh_count() -> None:
    needed = POSTS[:4]  # a post outside the strategy is no holding of the team's
    for seed in range(40):
        rng = random.Random(seed)
        team = [_member(rng, f"m-{i}") for i in range(rng.randint(0, 30))]
        holdings = Holdings(team)
        for _ in range(15):
            team = _variant(rng, team)
            holdings = holdings.variant(team)
            assert holdings.key(needed) == Holdings(team).key(needed)


def test_one_holder_is_named_and_several_are_not() -> None:
    alone = Held("operator", "m-1", True, (("seo", 3),))
    first, second = Held("writer", "m-2", True, ()), Held("writer", "m-3", False, ())
    key = Holdings([alone, first, second]).key(POSTS)
    assert key == ((("operator", "m-1", True), ("writer", True)), (("seo", 3),))
