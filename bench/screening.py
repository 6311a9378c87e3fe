"""Screening speed and memory, staffcheck against a plain-Python floor, in one run.

    python3 dev.py python bench/screening.py                 # N = 1,000, 10,000 and 100,000
    python3 dev.py python bench/screening.py --sizes 1000    # a quick look
    python3 dev.py python bench/screening.py --sizes 10000,100000   # --role/--top memory ratio

Applicants are generated from the bundled knowledge base with a fixed seed, written as a CSV
export, and screened end to end by the real command (``staffcheck screen FILE --format jsonl``,
process start included) in a fresh process per measurement, so peak RSS is that run's own.
The floor reads the same CSV and evaluates the same essential-skill requirements in a plain
Python loop: what any engine must pay at least. Then the same files are ranked for one post
(``--post``, as JSON Lines; ``--post --top 50``, as a table): the peak memory of each, and its
ratio to the smallest size's, which issue 15 wants at most 1.5 for ten times the applicants.
See bench/README.md for recorded figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _baseline import (  # noqa: E402
    PREVIOUS_RELEASE,
    Timings,
    baseline_tree,
    compiled,
    environment,
    run_measured,
    staffcheck_command,
)

from staffcheck.knowledge import load_knowledge  # noqa: E402
from staffcheck.model import KnowledgeBase  # noqa: E402

STRATEGY = "taobao-store"
RANKED_POST = "taobao-operator"  # the post --role/--top rank applicants for
SEED = 20261123


def generate(kb: KnowledgeBase, count: int, path: Path, seed: int = SEED) -> None:
    """Realistic applicants: each is built around a post (often not the one applied for)."""
    rng = random.Random(seed)
    roles = list(kb.roles.values())
    skills = list(kb.skills)
    channels = list(kb.channels)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "applying_for", "experience_years", "channels", *skills])
        for index in range(count):
            applies = rng.choice(roles)
            # Half the applicants have the profile of the post they apply for; the rest look
            # like another post, which is where mismatches come from.
            shape = applies if rng.random() < 0.5 else rng.choice(roles)
            levels = dict.fromkeys(skills, 0)
            for skill, need in shape.essential.items():
                levels[skill] = max(0, min(5, need + rng.choice((-2, -1, 0, 0, 1))))
            for skill in rng.sample(skills, 3):
                levels[skill] = max(levels[skill], rng.randint(0, 3))
            writer.writerow(
                [f"a-{index}", f"Applicant {index}", applies.id, rng.randint(0, 12),
                 ";".join(rng.sample(channels, rng.randint(0, 3))),
                 *(levels[s] for s in skills)]
            )  # fmt: skip


def floor(kb: KnowledgeBase, path: Path) -> float:
    """Seconds for a plain-Python loop: read the CSV, check every essential skill, score fit."""
    started = time.perf_counter()
    requirements = {role.id: tuple(role.essential.items()) for role in kb.roles.values()}
    mismatches = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            needs = requirements[row["applying_for"]]
            ratios = []
            for skill, need in needs:
                have = int(row[skill])
                ratios.append(min(have / need, 1.0))
                if need - have >= 2 or have == 0:
                    mismatches += 1
            _fit = round(100 * sum(ratios) / len(ratios))
    return time.perf_counter() - started


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB, the process and its workers together)."""
    timings = Timings("")
    run_measured(command, environment(None), timings)
    return timings.walls[0], timings.peaks[0]


def staffcheck(*args: str) -> list[str]:
    return staffcheck_command(*args)


def paired(
    commands: list[tuple[str, list[str]]], runs: int, trees: dict[str, Path | None]
) -> dict[tuple[str, str], Timings]:
    """Each command under each tree (the previous release, this one), interleaved run by run so
    that load from elsewhere slows both alike: (tree label, command label) -> figures."""
    figures: dict[tuple[str, str], Timings] = {}
    for _ in range(runs):
        for label, command in commands:
            for tree_label, tree in trees.items():
                key = (tree_label, label)
                timings = figures.setdefault(key, Timings(f"{tree_label} {label}"))
                run_measured(command, environment(tree), timings)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="applicant counts (comma-separated)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes for staffcheck (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="paired runs of each (default 3)")
    parser.add_argument("--baseline", default=PREVIOUS_RELEASE,
                        help=f"git revision to compare with (default {PREVIOUS_RELEASE})")  # fmt: skip
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kb = load_knowledge()
    trees = {"release": baseline_tree(args.baseline), "now": None}
    for tree in (trees["release"], ROOT):
        compiled(tree)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"knowledge base: {len(kb.roles)} roles, {len(kb.rules)} rules; strategy {STRATEGY}; "
          f"--jobs {args.jobs}; release = {args.baseline}; {args.runs} paired runs, min / median\n")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        _screening_table(kb, tmp, sizes, args)
        rankings = _ranking_memory(tmp, sizes, args.jobs)
        _print_rankings(rankings)
        _single_runs(kb, tmp, trees, args.runs)
    return 0


def _screening_table(
    kb: KnowledgeBase, tmp: str, sizes: list[int], args: argparse.Namespace
) -> None:
    header = (f"{'N':>8}  {'release s':>13}  {'now s':>13}  {'now/s':>7}  {'CPU s':>6}  "
              f"{'MiB':>5}  {'speed-up':>8}  {'floor/s':>9}  {'÷ floor':>7}")  # fmt: skip
    print(header)
    print("-" * len(header))
    trees = {"release": baseline_tree(args.baseline), "now": None}
    for count in sizes:
        source = Path(tmp) / f"applicants-{count}.csv"
        generate(kb, count, source)
        command = staffcheck("screen", str(source), "--strategy", STRATEGY, "--format", "jsonl",
                             "--jobs", str(args.jobs), "--quiet", "--output", f"{tmp}/out.jsonl")  # fmt: skip
        runs = args.runs if count <= 10_000 else 1
        figures = paired([("screen", command)], runs, trees)
        old, new = figures[("release", "screen")], figures[("now", "screen")]
        base = floor(kb, source)
        print(f"{count:>8,}  {old.best():>6.2f}/{old.median():<6.2f}  {new.best():>6.2f}/{new.median():<6.2f}  "
              f"{count / new.best():>7,.0f}  {new.cpu():>6.1f}  {max(new.peaks):>5.0f}  "
              f"{old.best() / new.best():>7.2f}x  {count / base:>9,.0f}  {new.best() / base:>6.0f}x")  # fmt: skip
    print("targets: ≥ 2,000 applicants/s (10,000, --jobs 2); staffcheck ÷ floor ≤ 120x")


def _single_runs(kb: KnowledgeBase, tmp: str, trees: dict[str, Path | None], runs: int) -> None:
    """The commands a user waits for, each a cold process, paired with the previous release."""
    one = Path(tmp) / "one.yaml"
    one.write_text((ROOT / "profiles/examples/candidates/sun-li.yaml").read_text(encoding="utf-8"),
                   encoding="utf-8")  # fmt: skip
    commands = [("--version", staffcheck("--version"), 0.15),
                ("one applicant", staffcheck("screen", str(one), "--strategy", STRATEGY), 0.25),
                ("one applicant, jsonl",
                 staffcheck("screen", str(one), "--strategy", STRATEGY, "--format", "jsonl"), 0.25)]  # fmt: skip
    for members, target in ((200, 2.0), (1000, 3.0)):
        team = Path(tmp) / f"team-{members}.yaml"
        _team_file(kb, team, members)
        commands.append((f"team of {members:,}", staffcheck("team", str(team)), target))
    team = Path(tmp) / "team-200.yaml"
    commands.append(("explain --actions, 200", staffcheck("explain", str(team), "--actions"), 3.0))
    figures = paired([(label, command) for label, command, _ in commands], max(runs, 5), trees)
    print(
        f"\n{'command (cold process)':<24}  {'release s':>13}  {'now s':>13}  {'speed-up':>8}  target"
    )
    for label, _, target in commands:
        old, new = figures[("release", label)], figures[("now", label)]
        print(f"{label:<24}  {old.best():>6.2f}/{old.median():<6.2f}  {new.best():>6.2f}/{new.median():<6.2f}  "
              f"{old.best() / new.best():>7.2f}x  ≤ {target} s")  # fmt: skip


def _ranking_memory(tmp: str, sizes: list[int], jobs: int) -> list[tuple[int, float, float]]:
    """Peak memory (MiB, the process tree) of a ranking for one post, ``--post`` as JSON Lines
    and ``--post --top 50`` as a table, at each size: (N, role MiB, top MiB)."""
    figures = []
    for count in sizes:
        source = Path(tmp) / f"applicants-{count}.csv"  # written by the speed run above
        common = ["screen", str(source), "--strategy", STRATEGY, "--post", RANKED_POST,
                  "--jobs", str(jobs), "--quiet"]  # fmt: skip
        _, role = measure(staffcheck(*common, "--format", "jsonl", "-o", f"{tmp}/ranked.jsonl"))
        _, top = measure(staffcheck(*common, "--top", "50", "-o", f"{tmp}/top.txt"))
        figures.append((count, role, top))
    return figures


def _print_rankings(figures: list[tuple[int, float, float]]) -> None:
    """The ranking table, and each peak's ratio to the smallest size's (target ≤ 1.5 at 10×)."""
    print(f"\nranking for one post (peak MiB of the process tree; ratio to N = {figures[0][0]:,})")
    header = f"{'N':>8}  {'--role MiB':>10}  {'ratio':>6}  {'--top MiB':>9}  {'ratio':>6}"
    print(header)
    print("-" * len(header))
    _, role_first, top_first = figures[0]
    for count, role, top in figures:
        print(f"{count:>8,}  {role:>10.0f}  {role / role_first:>6.2f}  {top:>9.0f}  "
              f"{top / top_first:>6.2f}")  # fmt: skip
    print("target: peak at 100,000 ≤ 1.5× that at 10,000 (--sizes 10000,100000)")


def _team_file(kb: KnowledgeBase, path: Path, members: int) -> None:
    rng = random.Random(SEED)
    strategy = kb.strategies[STRATEGY]
    posts = list(strategy.posts())
    lines = ["team: Bench team", f"strategy: {STRATEGY}", "members:"]
    for index in range(members):
        role = kb.roles[posts[index % len(posts)]]
        skills = ", ".join(f"{skill}: {max(0, min(5, need + rng.choice((-1, 0, 0, 1))))}"
                           for skill, need in role.essential.items())  # fmt: skip
        lines += [f"  - role: {role.id}", f"    id: m-{index}", f"    name: Member {index}",
                  f"    skills: {{{skills}}}"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
