"""Waivers in a team file: accept one finding for one person, with a reason, an approver, an expiry."""

from __future__ import annotations

from pathlib import Path

from .conftest import EXAMPLES

SEARCH = EXAMPLES / "search-team.yaml"  # waives Lu Kai's data-analysis gap until 2027-03-31


def _lu_kai(run) -> dict:
    return next(c for c in run.json()["candidates"] if c["id"] == "e-9")


def test_a_live_waiver_keeps_the_finding_visible_but_out_of_the_verdict(cli) -> None:
    run = cli("team", SEARCH, "--as-of", "2026-11-23", "--format", "json")
    lu = _lu_kai(run)
    assert lu["verdict"] == "fit"
    [finding] = lu["findings"]
    assert finding["waiver"] == {
        "reason": "Google Analytics course booked for January; the data analyst reviews his "
        "reports until then",
        "approved_by": "Tang Wei (project manager)",
        "expires": "2027-03-31",
        "expired": False,
    }


def test_a_waived_finding_does_not_reach_fail_on(cli) -> None:
    # Only team-level findings (medium) remain; the waived gap would be medium too.
    live = cli("team", SEARCH, "--as-of", "2026-11-23", "--fail-on", "high")
    assert live.code == 0


def test_an_expired_waiver_makes_the_finding_count_again_marked_as_such(cli) -> None:
    run = cli("team", SEARCH, "--as-of", "2027-04-01", "--format", "json")
    lu = _lu_kai(run)
    assert lu["verdict"] == "partial"
    assert lu["findings"][0]["waiver"]["expired"] is True
    table = cli("team", SEARCH, "--as-of", "2027-04-01")
    assert "[WAIVER EXPIRED] waiver expired on 2027-03-31" in table.out


def _team(tmp_path: Path, waiver: str) -> Path:
    text = SEARCH.read_text(encoding="utf-8").split("waivers:")[0] + "waivers:\n" + waiver
    text = text.replace("profile: candidates/", f"profile: {EXAMPLES}/candidates/")
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_critical_rules_cannot_be_waived(cli, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        "  - {post: data-analyst, rule: uncovered-post, reason: r, approved_by: a, expires: 2027-01-01}\n",
    )
    # uncovered-post is 'high' in the bundled pack; make the check about a critical rule instead:
    run = cli("team", team, "--as-of", "2026-11-23")
    assert run.code == 0
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "pack: {name: strict, extends: bundled}\n"
        "overrides:\n  rules:\n    uncovered-post: {severity: critical}\n",
        encoding="utf-8",
    )
    strict = cli("team", team, "--rules", pack)
    assert strict.code == 2
    assert "rule 'uncovered-post' is critical and cannot be waived" in strict.err


def test_waiver_for_someone_not_in_the_team(cli, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        "  - {person: e-99, rule: essential-skill-below-level, reason: r, approved_by: a, "
        "expires: 2027-01-01}\n",
    )
    run = cli("team", team)
    assert run.code == 2
    assert "unknown member 'e-99'" in run.err
    assert len(run.err.splitlines()) == 1


def test_waiver_needs_a_real_date(cli, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        "  - {person: e-9, rule: essential-skill-below-level, reason: r, approved_by: a, "
        "expires: next spring}\n",
    )
    run = cli("team", team)
    assert run.code == 2
    assert "expires must be a date written YYYY-MM-DD" in run.err


def test_a_finding_that_is_critical_when_it_fires_cannot_be_waived(cli, tmp_path: Path) -> None:
    # uncovered-post is 'high' as declared, but critical for a critical post.
    team = tmp_path / "team.yaml"
    text = (EXAMPLES / "spring-launch.yaml").read_text(encoding="utf-8")
    text = text.replace("profile: candidates/", f"profile: {EXAMPLES}/candidates/")
    text += (
        "waivers:\n  - {post: taobao-operator, rule: uncovered-post, reason: hiring, "
        "approved_by: Boss, expires: 2030-01-01}\n"
    )
    team.write_text(text, encoding="utf-8")
    run = cli("team", team, "--fail-on", "critical")
    assert run.code == 2
    assert "critical findings cannot be waived" in run.err
    assert len(run.err.splitlines()) == 1
