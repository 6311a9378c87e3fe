"""Interactive steps: one answer of ``staffcheck ask``, one what-if of ``staffcheck plan``.

    python3 dev.py python bench/steps.py                 # 5 runs of each step
    python3 dev.py python bench/steps.py --runs 2 --no-cli

A user steps through ``staffcheck ask`` one answer at a time: the level given is added to the
profile, the person is screened again, and the next question (or the settled verdict) is
written. One step is timed from the moment an answer is read to the moment the next one is
waited for (the last step: to the diagnosis rendered), in process, with ``ask``'s own asker
reading scripted answers (each question answered with the level the post needs) — for every
candidate of the bundled examples, and for each on the posts of the ``taobao-store`` strategy.

A user steps through ``plan`` what-ifs by running ``staffcheck plan --team T --without MEMBER``
or ``--hire POST`` again and again. One step is timed in process, the pack and team loaded: the
plan with and without the change, compared, and its table (``plan_for`` and ``render``), for
every team of the bundled examples and a generated team of 200 (bench/team.py's). The whole
command, a cold process (start-up and loading included), is timed too, paired with the
previous release (``bench/_baseline.py``) unless ``--no-cli``.

Times are CPU seconds of this process (the machine is shared: wall time measures the others),
min / median / max over the steps and runs; the target is 0.2 s a step.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _baseline as release  # noqa: E402
from team import generate  # noqa: E402

from staffcheck.cli.ask import _Asker  # noqa: E402
from staffcheck.consult import consult  # noqa: E402
from staffcheck.knowledge import find_strategy, load_knowledge  # noqa: E402
from staffcheck.model import KnowledgeBase, Profile, Team  # noqa: E402
from staffcheck.operating import plan_for  # noqa: E402
from staffcheck.profiles import load_profiles, load_team  # noqa: E402
from staffcheck.reporters import RenderOptions, render  # noqa: E402

EXAMPLES = ROOT / "profiles" / "examples"
STRATEGY = "taobao-store"
TARGET_SECONDS = 0.2


class _Answers(io.StringIO):
    """Scripted answers for ``ask``'s asker: the level each question's post needs. Notes the
    CPU time each answer is read at and each next one is asked for: a step lies between."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, float]] = []
        self.level = "3"

    def readline(self, size: int | None = -1, /) -> str:
        self.marks.append(("asked", time.process_time()))
        self.marks.append(("read", time.process_time()))
        return self.level + "\n"


class _Asker(_Asker):
    """``ask``'s asker, answering every question with the level the post needs."""

    def __call__(self, question, now):  # type: ignore[no-untyped-def]
        assert isinstance(self.answers, _Answers)
        self.answers.level = str(question.need)
        return super().__call__(question, now)


def ask_steps(kb: KnowledgeBase, profile: Profile, post: str | None) -> list[float]:
    """CPU seconds of each step of a consultation of `profile` (on `post`)."""
    answers = _Answers()
    asker = _Asker(kb, answers, io.StringIO())
    strategy = find_strategy(kb, STRATEGY) if post is not None else None
    result = consult(kb, profile, strategy, post, asker, asker.told)
    render(result, "table", RenderOptions(width=100))
    ended = time.process_time()
    reads = [t for kind, t in answers.marks if kind == "read"]
    if not reads:  # settled before any question
        return []
    asks = [*[t for kind, t in answers.marks if kind == "asked"][1:], ended]
    return [next_ask - read for read, next_ask in zip(reads, asks, strict=True)]


def plan_step(kb: KnowledgeBase, team: Team, change: dict[str, list[str]]) -> float:
    """CPU seconds of one what-if of `team`'s plan: both plans, compared, and the table."""
    strategy = find_strategy(kb, team.strategy)
    started = time.process_time()
    plan = plan_for(kb, strategy, team, None, **change)
    render(plan, "table", RenderOptions(width=100))
    return time.process_time() - started


def _figures(label: str, seconds: Sequence[float]) -> str:
    worst = max(seconds)
    verdict = "met" if worst <= TARGET_SECONDS else "NOT met"
    return (
        f"{label:<46} {len(seconds):>5} {min(seconds):>7.3f} {statistics.median(seconds):>8.3f}"
        f" {worst:>7.3f}  {verdict}"
    )


def _header() -> str:
    return f"{'':<46} {'steps':>5} {'min s':>7} {'median s':>8} {'max s':>7}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each step (default 5)")
    parser.add_argument("--no-cli", action="store_true", help="in-process steps only")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    kb = load_knowledge()
    candidates = [
        profile
        for path in sorted((EXAMPLES / "candidates").glob("*.yaml"))
        for profile in load_profiles(path, kb)
    ]
    print("\nask: one answer, from reading it to the next question (CPU, in process)")
    print(_header())
    for post, label in ((None, "each candidate, the post they apply for"),
                        ("taobao-operator", "each candidate, taobao-operator")):  # fmt: skip
        seconds = [
            step for _ in range(args.runs) for p in candidates for step in ask_steps(kb, p, post)
        ]
        print(_figures(label, seconds))
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "team-200.yaml"
        big.write_text(generate(kb, 200), encoding="utf-8")
        teams = [*sorted(p for p in EXAMPLES.glob("*.yaml")), big]
        print("\nplan: one what-if, both plans compared and the table (CPU, in process)")
        print(_header())
        commands = []
        for path in teams:
            team = load_team(path, kb, ())
            strategy = find_strategy(kb, team.strategy)
            leaver = team.members[len(team.members) // 2].profile.id
            post = next(iter(strategy.posts()))
            name = path.name if path != big else "generated team of 200"
            for option, value in (("without", leaver), ("hire", post)):
                seconds = [plan_step(kb, team, {option: [value]}) for _ in range(args.runs)]
                print(_figures(f"{name} --{option}", seconds))
            commands.append(("plan --team " + name + " --without", path, leaver))
        if not args.no_cli:
            _cold(commands, args.runs)
    return 0


def _cold(commands: list[tuple[str, Path, str]], runs: int) -> None:
    """The what-if commands end to end, a cold process each, paired with the previous release."""
    trees = {"this tree": None, "release": release.baseline_tree()}
    for tree in trees.values():
        release.compiled(tree or ROOT)  # bytecode for both, as an install compiles it
    print(f"\nthe whole command, a cold process (wall s, {runs} runs each, paired)")
    print(f"{'':<46} {'tree':<10} {'min s':>7} {'median s':>8}")
    for label, path, leaver in commands:
        timings = {name: release.Timings(name) for name in trees}
        for _ in range(runs):
            for name, tree in trees.items():
                command = release.staffcheck_command(
                    "plan", "--team", str(path), "--without", leaver
                )
                release.run_measured(command, release.environment(tree), timings[name])
        for name, measured in timings.items():
            print(f"{label:<46} {name:<10} {measured.best():>7.2f} {measured.median():>8.2f}")


if __name__ == "__main__":
    sys.exit(main())
