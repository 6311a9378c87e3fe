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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from staffcheck.knowledge import load_knowledge  # noqa: E402
from staffcheck.model import KnowledgeBase  # noqa: E402

STRATEGY = "taobao-store"
RANKED_POST = "taobao-operator"  # the post --role/--top rank applicants for
PAGE = os.sysconf("SC_PAGE_SIZE")
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


def _tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        try:
            fields = Path(f"/proc/{pid}/statm").read_text().split()
            total += int(fields[1]) * PAGE
            for task in Path(f"/proc/{pid}/task").iterdir():
                frontier += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total / 2**20


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB, the process and its workers together)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mib(process.pid))
        time.sleep(0.02)  # fine enough not to round short runs up
    wall = time.perf_counter() - started
    if process.returncode not in (0, 1):
        detail = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"bench: {' '.join(command)} failed:\n{detail}")
    return wall, peak


def _wall(command: list[str]) -> float:
    """Wall seconds of one short command, without the memory sampling that would round it up."""
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def staffcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "staffcheck", *args]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="applicant counts (comma-separated)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes for staffcheck (default 2)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kb = load_knowledge()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"knowledge base: {len(kb.roles)} roles, {len(kb.rules)} rules; strategy {STRATEGY}; --jobs {args.jobs}\n"
    )
    header = (f"{'N':>8}  {'staffcheck s':>12}  {'per s':>8}  {'ms/app':>7}  {'peak MiB':>8}  "
              f"{'floor s':>8}  {'floor/s':>10}  {'ratio':>6}")  # fmt: skip
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        for count in sizes:
            source = Path(tmp) / f"applicants-{count}.csv"
            generate(kb, count, source)
            wall, peak = measure(staffcheck("screen", str(source), "--strategy", STRATEGY,
                                            "--format", "jsonl", "--jobs", str(args.jobs),
                                            "--quiet", "--output", str(out)))  # fmt: skip
            base = floor(kb, source)
            print(f"{count:>8,}  {wall:>12.2f}  {count / wall:>8,.0f}  {1000 * wall / count:>7.3f}  "
                  f"{peak:>8.0f}  {base:>8.3f}  {count / base:>10,.0f}  {wall / base:>6.0f}x")  # fmt: skip
        rankings = _ranking_memory(tmp, sizes, args.jobs)
        one = Path(tmp) / "one.yaml"
        one.write_text((ROOT / "profiles/examples/candidates/sun-li.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")  # fmt: skip
        single = min(
            _wall(staffcheck("screen", str(one), "--strategy", STRATEGY)) for _ in range(5)
        )
        team = Path(tmp) / "team-200.yaml"
        _team_file(kb, team, 200)
        team_wall, team_peak = measure(
            staffcheck("team", str(team), "--output", str(Path(tmp) / "team-report.txt"))
        )
    _print_rankings(rankings)
    print(f"\none applicant end to end (best of 5): {single:.2f} s   (target ≤ 0.4 s)")
    print(
        f"team of 200 members (terminal report): {team_wall:.2f} s, peak {team_peak:.0f} MiB   (target ≤ 2 s)"
    )
    return 0


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
