"""Big teams: ``explain --actions`` and the team report, against the previous release, in one run.

    python3 dev.py python bench/team.py                        # 200 and 1,000 members, 3 runs
    python3 dev.py python bench/team.py --sizes 200 --runs 1   # a quick look
    python3 dev.py python bench/team.py --write DIR            # only write the generated teams
    python3 dev.py python bench/team.py --sizes 1000 --commands team   # the team report only

Teams are generated from the bundled pack with a fixed seed (`generate`), like the applicants
of bench/screening.py: members on the posts of the ``taobao-store`` strategy, most of them
shaped like their post give or take a level (training), some like another post (mismatches,
reassignments), a few weak, and the least important post held by few (uncovered: cover and
hires). Each command runs end to end in a fresh process (start-up, loading, the engine, the
default table on its standard output): ``staffcheck explain TEAM --actions`` and ``staffcheck
team TEAM``, for this tree and for the previous release (``git archive`` of `BASELINE`,
extracted to a temporary directory and run with the same interpreter and ``PYTHONPATH`` set to
it). Runs are paired and interleaved (this tree, the release, this tree, …) so that load from
elsewhere slows both alike; min and median wall seconds and the CPU seconds of the process are
reported side by side, and both outputs are checked to be the same bytes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from staffcheck.knowledge import load_knowledge  # noqa: E402
from staffcheck.model import KnowledgeBase  # noqa: E402

STRATEGY = "taobao-store"
SEED = 20261202
#: The previous release: the last landed submission.
BASELINE = "698f5f7"
TARGET_SECONDS = 3.0
#: How each member is shaped: like their post (give or take a level), like another post, weak.
SHAPES = (("own", 0.7), ("other", 0.2), ("weak", 0.1))


def generate(kb: KnowledgeBase, members: int, seed: int = SEED) -> str:
    """A team file of `members` people on the strategy's posts (critical posts held most)."""
    rng = random.Random(seed)
    posts = kb.strategies[STRATEGY].posts()
    # The least important post is held by two people at most: it ends up uncovered, often.
    scarce = min(posts, key=lambda role: (posts[role][1].weight, role))
    held = [role for role in posts if role != scarce]
    weights = [posts[role][1].weight + 1 for role in held]
    roles = [scarce] * min(2, members)
    roles += rng.choices(held, weights, k=members - len(roles))
    rng.shuffle(roles)
    others = [role for role in kb.roles if role not in posts] + list(posts)
    lines = [f"team: Bench team of {members}", f"strategy: {STRATEGY}", "members:"]
    for index, role in enumerate(roles):
        shape = rng.choices([s for s, _ in SHAPES], [w for _, w in SHAPES])[0]
        like = kb.roles[rng.choice(others) if shape == "other" else role]
        shift = (-2, -1) if shape == "weak" else (-1, 0, 0, 1)
        levels = {s: max(0, min(5, need + rng.choice(shift))) for s, need in like.essential.items()}
        skills = ", ".join(f"{skill}: {level}" for skill, level in levels.items())
        lines += [f"  - role: {role}", f"    id: m-{index}", f"    name: Member {index}",
                  f"    skills: {{{skills}}}"]  # fmt: skip
    return "\n".join(lines) + "\n"


@dataclass
class Runs:
    """One command's wall and CPU seconds over the runs, and its output of the first run."""

    label: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    output: bytes | None = None
    failure: str = ""

    def line(self) -> str:
        if self.failure:
            return f"{self.label:<34} failed: {self.failure}"
        return (
            f"{self.label:<34} {min(self.walls):>7.2f} {statistics.median(self.walls):>9.2f}"
            f" {min(self.cpus):>7.2f}"
        )


def timed(command: Sequence[str], env: dict[str, str], runs: Runs) -> None:
    """Run `command` once in a fresh process: wall and CPU seconds (its own and its children's)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # Not from the project's directory: ``python -m`` puts the current directory first on the
    # path, and the release would run this tree's code.
    done = subprocess.run(
        command, capture_output=True, env=env, check=False, cwd=tempfile.gettempdir()
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        lines = done.stderr.decode(errors="replace").strip().splitlines() or ["(no message)"]
        runs.failure = f"exit {done.returncode}: {lines[-1]}"
        return
    runs.walls.append(wall)
    runs.cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if runs.output is None:
        runs.output = done.stdout


def extract_baseline(revision: str, into: Path) -> Path:
    """The tree of `revision` (``git archive``), extracted under `into`."""
    archive = into / "baseline.tar"
    with archive.open("wb") as handle:
        subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
            stdout=handle,
            check=True,
        )
    tree = into / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="200,1000", help="team sizes (comma-separated)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument(
        "--baseline", default=BASELINE, help=f"release to compare (default {BASELINE})"
    )
    parser.add_argument("--no-baseline", action="store_true", help="time this tree only")
    parser.add_argument("--write", type=Path, metavar="DIR", help="write the teams to DIR and stop")
    parser.add_argument(
        "--commands",
        default="explain,team",
        help="commands to time (comma-separated: explain, team; default both)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kb = load_knowledge()
    if args.write is not None:
        args.write.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            (args.write / f"team-{size}.yaml").write_text(generate(kb, size), encoding="utf-8")
        return 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": ROOT}
        if not args.no_baseline:
            trees[f"release {args.baseline}"] = extract_baseline(args.baseline, Path(tmp))
        for size in sizes:
            team = Path(tmp) / f"team-{size}.yaml"
            team.write_text(generate(kb, size), encoding="utf-8")
            for name, command in (
                ("explain --actions", ["explain", str(team), "--actions"]),
                ("team", ["team", str(team)]),
            ):
                if command[0] in args.commands.split(","):
                    _compare(f"{name}, {size} members", command, trees, args.runs)
    return 0


def _compare(title: str, command: list[str], trees: dict[str, Path], count: int) -> None:
    """Time `command` in each tree, interleaved, and print the figures side by side."""
    runs = {name: Runs(name) for name in trees}
    for _ in range(count):
        for name, tree in trees.items():
            if not runs[name].failure:
                env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "100"}
                timed([sys.executable, "-m", "staffcheck", *command], env, runs[name])
    print(f"\n{title} ({count} runs each, interleaved)")
    print(f"{'':<34} {'min s':>7} {'median s':>9} {'CPU s':>7}")
    for result in runs.values():
        print(result.line())
    outputs = {r.output for r in runs.values() if r.output is not None}
    if len(runs) > 1 and len(outputs) > 1:
        print("  outputs DIFFER between the trees")
    mine = runs["this tree"]
    if not mine.failure:
        met = "met" if min(mine.walls) <= TARGET_SECONDS else "NOT met"
        print(f"  this tree: {min(mine.walls):.2f} s (min; target ≤ {TARGET_SECONDS:.0f} s): {met}")


if __name__ == "__main__":
    sys.exit(main())
