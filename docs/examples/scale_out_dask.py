"""Screen CSV exports on a Dask cluster, Parquet out: the worked example of docs/scale-out.md.

    python docs/examples/scale_out_dask.py 'exports/*.csv' results/ --strategy taobao-store

Every partition is screened by `staffcheck.scale.screen_frame` on a worker; each worker loads the
pack and builds the engine once, then reuses them for every partition it is given. A rejected row
names its partition in `source` ("exports/*.csv partition 3") and its place in it in `row`
(from 1): `trace_reject` gives back the very input row.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import dask.dataframe as dd
from dask.distributed import Client, LocalCluster

from staffcheck.scale import frame_meta, screen_frame


def screen_to_parquet(
    inputs: str | list[str],
    output: str | Path,
    *,
    strategy: str | None = None,
    lang: str | None = None,
    encoding: str = "utf-8-sig",
    blocksize: str | int = "64MB",
) -> None:
    """Screen every row of `inputs` (CSV files with the same header) into Parquet at `output`.

    Every cell is read as text, and an empty cell stays empty (no "NA" turned into a missing
    value): the rows then reach staffcheck as a CSV's rows reach ``staffcheck screen``. The
    default encoding drops Excel's byte-order mark; use ``gb18030`` for a GBK export.
    """
    frame = read_exports(inputs, encoding=encoding, blocksize=blocksize)
    name = inputs if isinstance(inputs, str) else ", ".join(inputs)
    results = frame.map_partitions(
        screen_partition, name=name, strategy=strategy, lang=lang, meta=frame_meta()
    )
    results.to_parquet(output, write_index=False)


def read_exports(
    inputs: str | list[str], *, encoding: str = "utf-8-sig", blocksize: str | int = "64MB"
) -> Any:
    """A Dask DataFrame of the rows of `inputs`, every cell text, in partitions of `blocksize` bytes of CSV."""
    return dd.read_csv(
        inputs, dtype=str, keep_default_na=False, encoding=encoding, blocksize=blocksize
    )


def screen_partition(
    frame: Any,
    *,
    name: str,
    strategy: str | None,
    lang: str | None,
    partition_info: dict[str, Any] | None = None,
) -> Any:
    """`screen_frame` on one partition, its rejects naming it: Dask passes `partition_info`
    (the partition's number) to a function that takes it."""
    number = partition_info["number"] if partition_info else 0
    source = f"{name} partition {number}"
    return screen_frame(frame, strategy=strategy, lang=lang, source=source)


def trace_reject(
    reject: dict[str, Any],
    inputs: str | list[str],
    *,
    encoding: str = "utf-8-sig",
    blocksize: str | int = "64MB",
) -> dict[str, str]:
    """The input row a reject of `screen_to_parquet` came from: read `inputs` again in the same
    partitions (the same files, encoding and blocksize), take the partition its `source` names
    and the row its `row` counts."""
    number = int(reject["source"].rsplit(" partition ", 1)[1])
    partition = read_exports(inputs, encoding=encoding, blocksize=blocksize).get_partition(number)
    row: dict[str, str] = partition.compute().iloc[reject["row"] - 1].to_dict()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", help="CSV files (a glob pattern), all with the same header")
    parser.add_argument("output", help="the Parquet directory to write")
    parser.add_argument("--strategy", help="strategy id or YAML file, as for staffcheck screen")
    parser.add_argument("--lang", help="language of the findings (default: the workers')")
    parser.add_argument("--encoding", default="utf-8-sig", help="the files' encoding")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--blocksize", default="64MB", help="bytes of CSV per partition")
    args = parser.parse_args()
    # A local cluster stands in for a real one: pass a scheduler's address to Client instead.
    with LocalCluster(n_workers=args.workers, threads_per_worker=1) as cluster, Client(cluster):
        screen_to_parquet(
            args.inputs, args.output, strategy=args.strategy, lang=args.lang,
            encoding=args.encoding, blocksize=args.blocksize,
        )  # fmt: skip


if __name__ == "__main__":
    main()
