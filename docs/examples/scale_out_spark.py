"""Screen CSV exports with Spark, Parquet out: the Spark equivalent of scale_out_dask.py.

    spark-submit docs/examples/scale_out_spark.py 'exports/*.csv' results/ --strategy taobao-store

staffcheck (and pandas and pyarrow) must be installed on every executor. `mapInPandas` hands each
task an iterator of pandas DataFrames; `staffcheck.scale.screen_frame` screens each of them, and
the pack and engine are loaded once per executor's Python worker, then reused.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from functools import partial
from typing import Any

from pyspark.sql import SparkSession

from staffcheck.scale import screen_frame

#: `screen_frame`'s columns (`staffcheck.scale.FRAME_COLUMNS`) as a Spark schema.
SCHEMA = (
    "id string, name string, post string, fit long, verdict string, confidence string, "
    "shortlisted boolean, rejected boolean, reason string, result string"
)


def screen_batches(
    frames: Iterator[Any], *, strategy: str | None = None, lang: str | None = None
) -> Iterator[Any]:
    """Each pandas batch screened; the index (the batch's row labels) is not a column."""
    for frame in frames:
        yield screen_frame(frame, strategy=strategy, lang=lang).reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", help="CSV files (a glob pattern), all with the same header")
    parser.add_argument("output", help="the Parquet directory to write")
    parser.add_argument("--strategy", help="strategy id or YAML file, as for staffcheck screen")
    parser.add_argument("--lang", help="language of the findings (default: the executors')")
    parser.add_argument("--encoding", default="UTF-8", help="the files' encoding (GBK: GB18030)")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("staffcheck-screen").getOrCreate()
    # Every cell as text (no schema inference), as `staffcheck screen` reads a CSV.
    rows = spark.read.csv(args.inputs, header=True, inferSchema=False, encoding=args.encoding)
    screen = partial(screen_batches, strategy=args.strategy, lang=args.lang)
    rows.mapInPandas(screen, schema=SCHEMA).write.parquet(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
