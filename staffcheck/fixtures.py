"""A pack's self-tests: fixtures that say which rules must and must not fire on a profile or team."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from staffcheck.diagnose import assess_team, screen
from staffcheck.errors import Problem, StaffcheckError
from staffcheck.i18n import tr
from staffcheck.knowledge import FIXTURES_DIR
from staffcheck.model import (
    KnowledgeBase,
    Location,
    Profile,
    Report,
    Rule,
    Scenario,
    Strategy,
    Team,
)
from staffcheck.profiles import read_profile, read_team
from staffcheck.schema import Cursor
from staffcheck.yamlio import load_yaml

FIXTURE_FIELDS = ("description", "strategy", "profile", "team", "expect")


@dataclass(frozen=True, slots=True)
class Fixture:
    """One annotated example: a profile (screened under `strategy`) or a team, and expectations."""

    path: str
    description: str
    fires: frozenset[str]
    quiet: frozenset[str]
    profile: Profile | None = None
    strategy: Strategy | None = None
    team: Team | None = None
    #: what `rules test` calls it: a rule's inline example by the rule and outcome it shows
    label: str = ""

    @property
    def name(self) -> str:
        """The fixture file's name, or the rule and outcome an inline example shows."""
        return self.label or Path(self.path).name


@dataclass(frozen=True, slots=True)
class FixtureOutcome:
    """What fired on a fixture, against what it expects."""

    fixture: Fixture
    fired: frozenset[str]

    @property
    def missing(self) -> frozenset[str]:
        """Rules that should have fired and did not."""
        return self.fixture.fires - self.fired

    @property
    def unexpected(self) -> frozenset[str]:
        """Rules that fired although the fixture says they must stay quiet."""
        return self.fixture.quiet & self.fired

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


def fixture_files(root: Path) -> list[Path]:
    """The fixture files of the pack at `root`, in a stable order."""
    directory = root / FIXTURES_DIR
    if directory.is_symlink() and not directory.exists():  # not "no fixtures": a broken link
        raise StaffcheckError.at(
            tr("a symbolic link to nothing: its target is missing, or the link loops"),
            directory,
            hint=tr("remove the link, or point it at the pack's fixtures"),
        )
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml"))


def load_fixture(path: Path, kb: KnowledgeBase) -> Fixture:
    """One fixture file, checked against `kb`; a StaffcheckError lists all its problems."""
    doc = load_yaml(path)
    problems: list[Problem] = []
    top = Cursor(doc, (), problems)
    fixture = None
    if top.mapping(required=("description", "expect"), optional=FIXTURE_FIELDS):
        has_profile, has_team = top.has("profile"), top.has("team")
        if has_profile == has_team:
            top.report("a fixture holds exactly one of 'profile:' or 'team:'")
        expect = top.child("expect")
        fires: tuple[str, ...] = ()
        quiet: tuple[str, ...] = ()
        if expect.mapping(optional=("fires", "quiet")):
            fires = (
                expect.child("fires").references(kb.rules, "rule") if expect.has("fires") else ()
            )
            quiet = (
                expect.child("quiet").references(kb.rules, "rule") if expect.has("quiet") else ()
            )
            for rule in set(fires) & set(quiet):
                expect.report(f"rule {rule!r} is expected both to fire and to stay quiet")
        strategy = None
        if top.has("strategy"):
            ident = top.child("strategy").reference(kb.strategies, "strategy")
            strategy = kb.strategies.get(ident or "")
        profile = read_profile(top.child("profile"), kb) if has_profile else None
        team = read_team(top.child("team"), path.parent, kb) if has_team else None
        if not problems:
            fixture = Fixture(
                str(path),
                top.child("description").text() or "",
                frozenset(fires),
                frozenset(quiet),
                profile,
                strategy,
                team,
            )
    if problems or fixture is None:
        raise StaffcheckError(problems or [Problem("not a fixture", Location(str(path)))])
    return fixture


def load_fixtures(root: Path, kb: KnowledgeBase) -> list[Fixture]:
    """Every fixture of the pack at `root`; one StaffcheckError lists the problems of all of them."""
    fixtures: list[Fixture] = []
    problems: list[Problem] = []
    for path in fixture_files(root):
        try:
            fixtures.append(load_fixture(path, kb))
        except StaffcheckError as exc:
            problems.extend(exc.problems)
    if problems:
        raise StaffcheckError(problems)
    return fixtures


def example_fixtures(kb: KnowledgeBase) -> list[Fixture]:
    """The inline `examples:` of this pack's active rules, as fixtures about the one rule each."""
    fixtures = []
    for rule in _own_rules(kb):
        for outcome, scenarios in (("fires", rule.examples.fires), ("quiet", rule.examples.quiet)):
            for scenario in scenarios:
                fixtures.append(_example_fixture(kb, rule, outcome, scenario))
    return fixtures


def _example_fixture(kb: KnowledgeBase, rule: Rule, outcome: str, scenario: Scenario) -> Fixture:
    expected = frozenset({rule.id})
    shows = f"{rule.id} {'fires' if outcome == 'fires' else 'stays quiet'}"
    return Fixture(
        str(scenario.source),
        f"{shows}: {scenario.description}",
        expected if outcome == "fires" else frozenset(),
        expected if outcome == "quiet" else frozenset(),
        scenario.profile,
        kb.strategies[scenario.strategy] if scenario.strategy else None,
        scenario.team,
        label=f"{shows} ({Path(scenario.source.path).name}:{scenario.source.line})",
    )


def _own_rules(kb: KnowledgeBase) -> list[Rule]:
    """Active rules of this pack, not of a pack it extends (whose own tests cover those)."""
    root = Path(kb.root).resolve()
    return [r for r in kb.active_rules() if Path(r.source.path).resolve().is_relative_to(root)]


def fired_rules(report: Report) -> frozenset[str]:
    """Every rule that fired anywhere in a report."""
    fired = {g.rule for c in report.candidates for f in c.findings for g in (f, *f.explains)}
    if report.team is not None:
        fired |= {g.rule for g in report.team.gaps} | {f.rule for f in report.team.findings}
        fired |= {f.rule for g in report.team.gaps for f in g.restated}
    return frozenset(fired)


def run_fixture(kb: KnowledgeBase, fixture: Fixture) -> FixtureOutcome:
    """Screen the fixture's profile, or assess its team, and compare what fired."""
    if fixture.team is not None:
        report = assess_team(kb, fixture.team)
    else:
        assert fixture.profile is not None
        report = screen(kb, [fixture.profile], fixture.strategy)
    return FixtureOutcome(fixture, fired_rules(report))


def untested_rules(kb: KnowledgeBase, fixtures: list[Fixture]) -> list[str]:
    """Rules of this pack (not of a pack it extends) with no fixture that fires or stays quiet."""
    gaps = []
    for rule in _own_rules(kb):
        if not any(rule.id in f.fires for f in fixtures):
            gaps.append(f"rule {rule.id!r} has no fixture in which it fires")
        if not any(rule.id in f.quiet for f in fixtures):
            gaps.append(f"rule {rule.id!r} has no fixture in which it stays quiet")
    return gaps


@dataclass(frozen=True, slots=True)
class FixtureRun:
    """``rules test``: each fixture's outcome, the fixture files that would not load, untested rules."""

    outcomes: tuple[FixtureOutcome, ...]
    #: the problems of each fixture file that would not load (one entry per file)
    broken: tuple[tuple[Problem, ...], ...] = ()
    #: rules of the pack with no fixture that fires, or none that stays quiet
    untested: tuple[str, ...] = ()

    @property
    def passed(self) -> int:
        """Fixtures whose expectations held."""
        return sum(outcome.passed for outcome in self.outcomes)

    @property
    def failed(self) -> int:
        """Fixtures that failed, coverage gaps, and fixture files that would not load."""
        return len(self.outcomes) - self.passed + len(self.untested) + len(self.broken)

    @property
    def ok(self) -> bool:
        """Nothing failed: ``rules test`` exits 0."""
        return self.failed == 0


def run_fixtures(kb: KnowledgeBase, root: Path) -> FixtureRun:
    """Run the inline examples of `kb`'s rules and the fixture files under `root`, and check
    that every rule of the pack has a fixture in which it fires and one in which it is quiet."""
    fixtures = example_fixtures(kb)
    broken: list[tuple[Problem, ...]] = []
    for path in fixture_files(root):
        try:
            fixtures.append(load_fixture(path, kb))
        except StaffcheckError as exc:
            broken.append(tuple(exc.problems))
    outcomes = tuple(run_fixture(kb, fixture) for fixture in fixtures)
    return FixtureRun(outcomes, tuple(broken), tuple(untested_rules(kb, fixtures)))
