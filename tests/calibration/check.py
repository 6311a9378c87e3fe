"""Compare one screened candidate (the JSON report's ``candidates[i]``) with a case's ``expect``."""

from __future__ import annotations

from typing import Any


def allowed_verdicts(expect: dict[str, Any]) -> list[str]:
    return list(expect.get("verdict_any") or [expect["verdict"]])


def allowed_better(expect: dict[str, Any]) -> list[str]:
    better = expect["better_post"]
    return list(better["any_of"]) if isinstance(better, dict) else [better]


def better_posts(candidate: dict[str, Any]) -> list[str]:
    return [str(b["role"]) for b in candidate.get("better_roles", [])]


def questions(candidate: dict[str, Any]) -> list[str]:
    # `questions` is new with the evidence model (issue 10); older reports have none.
    return [str(q.get("skill")) for q in candidate.get("questions", [])]


def failures(expect: dict[str, Any], candidate: dict[str, Any]) -> list[str]:
    """What differs from the expectation, one short phrase each; empty when the case passes."""
    found: list[str] = []
    verdict = candidate["verdict"]
    if verdict not in allowed_verdicts(expect):
        found.append(f"verdict {verdict}, expected {' or '.join(allowed_verdicts(expect))}")
    offered = better_posts(candidate)
    first = offered[0] if offered else "none"
    if first not in allowed_better(expect):
        found.append(f"better post {first}, expected {' or '.join(allowed_better(expect))}")
    nonsense = [post for post in expect.get("not_better", []) if post in offered]
    if nonsense:
        found.append("offered " + ", ".join(nonsense))
    asked = questions(candidate)
    missing = [skill for skill in expect.get("questions_include", []) if skill not in asked]
    if missing:
        found.append("not asked " + ", ".join(missing))
    return found


def expected_text(expect: dict[str, Any]) -> str:
    return f"{' / '.join(allowed_verdicts(expect))}; better {' / '.join(allowed_better(expect))}"
