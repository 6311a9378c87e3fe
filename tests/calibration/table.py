"""Print the calibration suite's results for one checkout as a Markdown table.

    python3 dev.py python tests/calibration/table.py [--repo DIR] > before.md

Profiles are built by this checkout (build.py, onet.yaml, mapping.yaml) and screened by the
``staffcheck`` of DIR (default: this checkout), run as ``python3 DIR/dev.py staffcheck screen``,
so one suite can be compared across commits. Data: O*NET 30.x Database by USDOL/ETA, used under
CC BY 4.0; ESCO classification of the European Commission.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from build import Case, load_cases, load_mapping, load_occupations, profile, write_profile
from check import expected_text, failures, questions

CHECKOUT = Path(__file__).resolve().parents[2]


def screen(repo: Path, case: Case, path: Path) -> dict[str, Any]:
    command = [sys.executable, str(repo / "dev.py"), "staffcheck", "screen", str(path)]
    command += ["--post", case.post, "--format", "json", "--jobs", "1", "--quiet"]
    if case.strategy:
        command += ["--strategy", case.strategy]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=repo)
    if done.returncode != 0:
        raise SystemExit(f"{case.name}: exit {done.returncode}\n{done.stderr}")
    [candidate] = json.loads(done.stdout)["candidates"]
    return dict(candidate)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "?"


def cell(text: str) -> str:
    return text.replace("|", "\\|") or "—"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=CHECKOUT, help="checkout to screen with")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    head = git(repo, "rev-parse", "--short", "HEAD")
    # The screening depends on the engine and the pack only, not on tests or docs.
    code = git(repo, "log", "-1", "--format=%h", "--", "staffcheck", "rules")
    occupations = {o.id: o for o in load_occupations()}
    mapping = load_mapping()
    cases = load_cases()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for number, case in enumerate(cases):
            directory = Path(tmp) / str(number)
            directory.mkdir()
            data = profile(occupations[case.occupation], mapping, case.post)
            paths.append(write_profile(data, directory))
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda c, p: screen(repo, c, p), cases, paths))
    rows = []
    passed = 0
    for case, candidate in zip(cases, results, strict=True):
        wrong = failures(case.expect, candidate)
        passed += not wrong
        offered = ", ".join(f"{b['role']} ({b['fit']})" for b in candidate.get("better_roles", []))
        post = case.post + (f" (strategy {case.strategy})" if case.strategy else "")
        rows.append(
            [occupations[case.occupation].title + f" ({occupations[case.occupation].code})",
             post, expected_text(case.expect), candidate["verdict"], str(candidate["fit"]),
             offered, ", ".join(questions(candidate)), "✓" if not wrong else "✗ " + "; ".join(wrong)]
        )  # fmt: skip
    print(f"Calibration suite screened by checkout `{repo.name}` at `{head}` (engine and pack "
          f"as of `{code}`): {passed} of {len(cases)} cases pass, {len(cases) - passed} fail.\n")  # fmt: skip
    columns = [
        "occupation",
        "post",
        "expected",
        "verdict",
        "fit",
        "better posts (fit)",
        "questions",
    ]
    print("| " + " | ".join([*columns, "✓/✗"]) + " |")
    print("|" + "---|" * (len(columns) + 1))
    for row in rows:
        print("| " + " | ".join(cell(c) for c in row) + " |")
    print(
        "\nProfiles built from O*NET 30.x Database ratings by USDOL/ETA (CC BY 4.0) with "
        "tests/calibration/mapping.yaml; see docs/calibration.md."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
