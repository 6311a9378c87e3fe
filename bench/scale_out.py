"""Scale-out overhead: the same applicants through ``staffcheck screen --jobs 2`` and through
Dask's local cluster with 2 workers (docs/examples/scale_out_dask.py), side by side.

    python3 dev.py python bench/scale_out.py            # 100,000 applicants, 3 runs each
    python3 dev.py python bench/scale_out.py --quick    # 5,000 applicants: a smoke run

Applicants are generated as bench/screening.py does (same seed), written as one CSV export.
Each run is a fresh process, end to end: the CLI writes JSON Lines, the Dask example starts a
two-worker LocalCluster, reads the CSV in partitions, screens them with
`staffcheck.scale.screen_frame` and writes Parquet. Runs are paired and interleaved (CLI, Dask,
CLI, Dask…) so that a busy machine slows both alike; both outputs are checked to hold one
result per applicant. See bench/README.md for recorded figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screening import STRATEGY, generate, measure, staffcheck  # noqa: E402

from staffcheck.knowledge import load_knowledge  # noqa: E402

EXAMPLE = ROOT / "docs" / "examples" / "scale_out_dask.py"


def cli_run(data: Path, out: Path, jobs: int) -> tuple[float, float, int]:
    """Seconds and peak MiB of ``staffcheck screen --format jsonl --jobs N``; checks the lines."""
    result = out / "results.jsonl"
    seconds, peak = measure(
        staffcheck("screen", str(data), "--strategy", STRATEGY, "--format", "jsonl",
                   "--jobs", str(jobs), "--quiet", "-o", str(result))
    )  # fmt: skip
    with result.open(encoding="utf-8") as handle:
        lines = sum(1 for _ in handle)
    result.unlink()
    return seconds, peak, lines


def dask_run(data: Path, out: Path, workers: int, blocksize: int) -> tuple[float, float, int]:
    """Seconds and peak MiB of the Dask example on a fresh local cluster; counts the rows."""
    import pyarrow.parquet as pq

    target = out / "results.parquet"
    seconds, peak = measure(
        [sys.executable, str(EXAMPLE), str(data), str(target), "--strategy", STRATEGY,
         "--workers", str(workers), "--blocksize", str(blocksize)]
    )  # fmt: skip
    rows = sum(pq.read_metadata(part).num_rows for part in target.glob("*.parquet"))
    shutil.rmtree(target)
    return seconds, peak, rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="applicants (default 100,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--partitions", type=int, default=16, help="Dask partitions (default 16)")
    parser.add_argument("--quick", action="store_true", help="5,000 applicants, 3 runs")
    args = parser.parse_args()
    count = 5_000 if args.quick else args.count
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{count:,} applicants, {args.runs} runs each, interleaved; 2 processes either way"
    )
    kb = load_knowledge()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        data = out / "applicants.csv"
        generate(kb, count, data)
        blocksize = max(1, data.stat().st_size // args.partitions + 1)
        times: dict[str, list[float]] = {"cli": [], "dask": []}
        peaks: dict[str, float] = {"cli": 0.0, "dask": 0.0}
        for run in range(args.runs):
            for name, go in (
                ("cli", lambda: cli_run(data, out, 2)),
                ("dask", lambda: dask_run(data, out, 2, blocksize)),
            ):
                seconds, peak, results = go()
                if results != count:
                    sys.exit(f"bench: {name} gave {results} results for {count} applicants")
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
                print(f"  run {run + 1} {name:4}  {seconds:7.2f} s", flush=True)
    report(times, peaks, count)
    return 0


def report(times: dict[str, list[float]], peaks: dict[str, float], count: int) -> None:
    print()
    print(f"{'':28}{'min s':>9}{'median s':>10}{'per s':>9}{'peak MiB':>10}")
    labels = {"cli": "staffcheck screen --jobs 2", "dask": "Dask LocalCluster, 2 workers"}
    for name, label in labels.items():
        best, middle = min(times[name]), statistics.median(times[name])
        print(f"{label:28}{best:9.2f}{middle:10.2f}{count / middle:9,.0f}{peaks[name]:10.0f}")
    ratio_min = min(times["dask"]) / min(times["cli"])
    ratio_median = statistics.median(times["dask"]) / statistics.median(times["cli"])
    print(f"\noverhead Dask/CLI: {ratio_min:.2f}x (min), {ratio_median:.2f}x (median)")
    print(time.strftime("measured %Y-%m-%d %H:%M UTC", time.gmtime()))


if __name__ == "__main__":
    sys.exit(main())
