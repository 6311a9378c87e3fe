"""Plan speed: `staffcheck plan --team` against the team report on the same team, in one run.

    python3 dev.py python bench/plan.py              # 200 members, 60 steps, 3 runs of each
    python3 dev.py python bench/plan.py --runs 1     # a quicker look

A pack extending the bundled one is generated (fixed seed, in a temporary directory) with a
strategy of six modules holding 60 steps over three stages, and a team of 200 members on that
strategy's posts (some a level short, so that training, cover and hires all occur). Three
commands are timed end to end, each a fresh process (start-up, loading the pack and the team,
the engine, rendering the default table): the plan with the team, the baseline ``staffcheck
team`` on the same team and pack, and the plan without a team (every post hired). Runs are
paired and interleaved (plan, team, plan without team, plan, …) so that load from elsewhere
slows all three alike; min and median are reported, with ratios to the baseline. Peak memory
is each process's own (``wait4``'s ``ru_maxrss``). See bench/README.md for recorded figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from staffcheck.knowledge import load_knowledge  # noqa: E402
from staffcheck.model import KnowledgeBase  # noqa: E402
from staffcheck.scheduling import Resource, Task, schedule  # noqa: E402

SEED = 20261202
STRATEGY = "bench-plan"
START = "2027-03-01"
#: The posts of the generated strategy, by module: (module's posts, leading post first).
MODULES = (
    ("bench-planning", ("project-manager", "data-analyst")),
    ("bench-research", ("data-analyst", "seo-specialist")),
    ("bench-site", ("site-planner", "web-developer", "visual-designer")),
    ("bench-search", ("seo-specialist", "sem-specialist")),
    ("bench-content", ("marketing-copywriter", "information-editor", "visual-designer")),
    ("bench-promotion", ("social-media-operator", "community-promoter", "sem-specialist")),
)
TARGET_SECONDS = 2.0


@dataclass
class Runs:
    """One command's timings over the runs, or the reason it failed."""

    label: str
    command: list[str]
    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    failure: str = ""


@dataclass(frozen=True)
class BenchStep:
    """A generated step: its module and the fields the pack gives it."""

    module: str
    id: str
    posts: tuple[str, ...]
    effort: int
    stage: str
    after: tuple[str, ...]
    spend: int

    def entry(self, number: int) -> dict[str, object]:
        """The step as the pack writes it."""
        entry: dict[str, object] = {
            "id": self.id,
            "name": f"Bench step {number}",
            "post": self.posts[0] if len(self.posts) == 1 else list(self.posts),
            "effort": self.effort,
            "stage": self.stage,
        }
        if self.after:
            entry["after"] = list(self.after)
        if self.spend:
            entry["spend"] = self.spend
        return entry


def generate_steps(steps: int, rng: random.Random) -> list[BenchStep]:
    """The steps: the first tenth sets goals, the next fifth analyses, the rest implements."""
    ids = [f"bench-step-{index}" for index in range(steps)]
    per_module = -(-steps // len(MODULES))
    found = []
    for index, step_id in enumerate(ids):
        module, posts = MODULES[min(index // per_module, len(MODULES) - 1)]
        stage = ("goals" if index < steps // 10 else
                 "analysis" if index < steps * 3 // 10 else "implementation")  # fmt: skip
        earlier = ids[max(0, index - 12) : index]
        after = sorted(set(rng.sample(earlier, min(len(earlier), rng.randint(0, 2)))))
        chosen = (rng.choice(posts),) if rng.random() < 0.7 else tuple(rng.sample(posts, 2))
        spend = rng.randrange(1000, 20000, 500) if rng.random() < 0.2 else 0
        effort = rng.randint(2, 15)
        found.append(BenchStep(module, step_id, chosen, effort, stage, tuple(after), spend))
    return found


def pack_file(path: Path, steps: list[BenchStep], with_steps: bool) -> None:
    """A pack extending the bundled one: six modules holding the steps, one strategy on them."""
    modules = []
    for number, (module, _) in enumerate(MODULES):
        entry: dict[str, object] = {"id": module, "name": f"Bench module {number}",
                                    "description": "Generated for bench/plan.py."}  # fmt: skip
        own = [step.entry(n) for n, step in enumerate(steps) if step.module == module]
        if with_steps and own:
            entry["steps"] = own
        modules.append(entry)
    strategy = {
        "id": STRATEGY,
        "name": "Plan benchmark",
        "description": "Generated for bench/plan.py.",
        "channels": ["own-site"],
        "modules": [
            {"module": module, "roles": {post: "critical" if i == 0 else "high"
                                         for i, post in enumerate(posts)}}
            for module, posts in MODULES
        ],
    }  # fmt: skip
    pack = {"pack": {"name": "Plan benchmark", "extends": "bundled"}, "modules": modules,
            "strategies": [strategy]}  # fmt: skip
    path.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(pack, sort_keys=False, allow_unicode=True)
    (path / "pack.yaml").write_text(text, encoding="utf-8")


def schedule_alone(steps: list[BenchStep], members: int) -> float:
    """Best of 5, in ms: the scheduler alone on the steps, each open to every holder of its post."""
    posts = sorted({post for _, module_posts in MODULES for post in module_posts})
    holders = {post: [f"m-{i}" for i in range(members) if posts[i % len(posts)] == post]
               for post in posts}  # fmt: skip
    tasks = []
    for step in steps:
        tasks.append(Task(step.id, step.effort, step.after, tuple(holders[step.posts[0]])))
    people = [Resource(f"m-{i}") for i in range(members)]
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        schedule(tasks, people)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def team_file(kb: KnowledgeBase, path: Path, members: int, rng: random.Random) -> None:
    """`members` people on the strategy's posts, in turn; about one in six a level short."""
    posts = sorted({post for _, module_posts in MODULES for post in module_posts})
    lines = ["team: Plan benchmark team", f"strategy: {STRATEGY}", "members:"]
    for index in range(members):
        role = kb.roles[posts[index % len(posts)]]
        skills = ", ".join(f"{skill}: {max(0, min(5, need + rng.choice((-1, 0, 0, 0, 0, 1))))}"
                           for skill, need in role.essential.items())  # fmt: skip
        lines += [f"  - role: {role.id}", f"    id: m-{index}", f"    name: Member {index}",
                  f"    skills: {{{skills}}}"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_once(runs: Runs, output: Path) -> None:
    """Time one cold run of the command (stdout to a file); note the failure, if any."""
    errors_path = output.with_suffix(".err")
    with output.open("wb") as sink, errors_path.open("wb") as errors_sink:
        started = time.perf_counter()
        process = subprocess.Popen(runs.command, stdout=sink, stderr=errors_sink)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # reaped by wait4: tell Popen, so it does not wait again
    errors = errors_path.read_text(encoding="utf-8", errors="replace")
    if code not in (0, 1):  # 1: the team report found something, which is a result
        first = next((line for line in errors.splitlines() if line.strip()), "no message")
        runs.failure = f"exit {code}: {first.strip()}"
        return
    runs.walls.append(wall)
    runs.peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux


def staffcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "staffcheck", *args]


def loads(pack: Path) -> str:
    """'' if the pack loads, else its first problem (the loader may not read steps yet)."""
    done = subprocess.run(staffcheck("rules", "validate", str(pack)), capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode == 0:
        return ""
    return next((line for line in (done.stdout + done.stderr).splitlines() if line.strip()), "?")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--members", type=int, default=200, help="team members (default 200)")
    parser.add_argument("--steps", type=int, default=60, help="steps of the strategy (default 60)")
    args = parser.parse_args()
    kb = load_knowledge()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"generated: strategy {STRATEGY}, {len(MODULES)} modules, {args.steps} steps; "
          f"team of {args.members} members; start {START}; {args.runs} runs of each\n")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        pack, team = Path(tmp) / "pack", Path(tmp) / "team.yaml"
        steps = generate_steps(args.steps, random.Random(SEED))
        pack_file(pack, steps, with_steps=True)
        team_file(kb, team, args.members, random.Random(SEED))
        baseline_pack = pack
        problem = loads(pack)
        if problem:
            print(f"bench: the generated pack does not load: {problem}")
            baseline_pack = Path(tmp) / "pack-without-steps"
            pack_file(baseline_pack, steps, with_steps=False)
            print("bench: the baseline runs on the same pack without its steps\n")
        commands = [
            Runs("plan --team", staffcheck("plan", "--strategy", STRATEGY, "--team", str(team),
                                           "--start", START, "--rules", str(pack))),
            Runs("team (baseline)", staffcheck("team", str(team), "--rules", str(baseline_pack))),
            Runs("plan, no team", staffcheck("plan", "--strategy", STRATEGY, "--start", START,
                                             "--rules", str(pack))),
        ]  # fmt: skip
        for number in range(1, args.runs + 1):
            for runs in commands:
                if not runs.failure:
                    run_once(runs, Path(tmp) / "out.txt")
                    if runs.walls and not runs.failure:
                        print(f"  run {number} {runs.label:<16} {runs.walls[-1]:>7.2f} s")
        alone = schedule_alone(steps, args.members)
    report(commands)
    print(f"the scheduler alone on these steps and members (best of 5): {alone:.1f} ms")
    return 0 if not any(runs.failure for runs in commands) else 1


def report(commands: list[Runs]) -> None:
    """Min, median, peak memory and the ratio to the baseline; failures in one line each."""
    print(
        f"\n{'':<18}{'min s':>8}{'median s':>10}{'peak MiB':>10}{'/team min':>11}{'/team med':>11}"
    )
    baseline = commands[1]
    for runs in commands:
        if runs.failure:
            print(f"{runs.label:<18}FAILED ({runs.failure})")
            continue
        low, middle = min(runs.walls), statistics.median(runs.walls)
        ratios = ""
        if baseline.walls and runs is not baseline:
            ratios = (f"{low / min(baseline.walls):>10.2f}x"
                      f"{middle / statistics.median(baseline.walls):>10.2f}x")  # fmt: skip
        print(f"{runs.label:<18}{low:>8.2f}{middle:>10.2f}{max(runs.peaks):>10.0f}{ratios}")
    plan = commands[0]
    if plan.walls:
        verdict = "met" if min(plan.walls) < TARGET_SECONDS else "NOT met"
        print(f"\nplan --team, 200 members / 60 steps: {min(plan.walls):.2f} s (min; target < "
              f"{TARGET_SECONDS:.0f} s): {verdict}")  # fmt: skip
    else:
        print("\nplan --team could not be timed (above): the 2 s target is not measured")


if __name__ == "__main__":
    sys.exit(main())
