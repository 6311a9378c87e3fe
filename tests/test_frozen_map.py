"""The read-only mappings every frozen result is built from (model.frozen_map)."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

from staffcheck.model import frozen_map


def test_a_frozen_map_cannot_be_changed_in_place() -> None:
    skills = frozen_map({"seo": 3})
    for change in (
        lambda: skills.__setitem__("seo", 5),  # type: ignore[attr-defined]
        lambda: skills.update(seo=5),  # type: ignore[attr-defined]
        lambda: skills.pop("seo"),  # type: ignore[attr-defined]
        lambda: skills.clear(),  # type: ignore[attr-defined]
        lambda: skills.setdefault("copywriting", 1),  # type: ignore[attr-defined]
    ):
        with pytest.raises(TypeError, match="read-only"):
            change()
    assert skills == {"seo": 3}


def test_a_frozen_map_is_hashable_by_content_picklable_and_json_ready() -> None:
    first = frozen_map({"seo": 3, "copywriting": 2})
    second = frozen_map({"copywriting": 2, "seo": 3})
    assert hash(first) == hash(second) and first == second
    assert len({first, second}) == 1
    for clone in (pickle.loads(pickle.dumps(first)), copy.deepcopy(first), copy.copy(first)):
        assert clone == first and hash(clone) == hash(first)
    assert json.loads(json.dumps(first)) == {"seo": 3, "copywriting": 2}
