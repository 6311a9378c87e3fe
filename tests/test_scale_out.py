"""Scale-out: `staffcheck.scale` gives what ``staffcheck screen --format jsonl`` gives, record by
record, inside a distributed engine (docs/scale-out.md's Dask example on two worker processes)."""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import logging
import math
import pickle
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from staffcheck import diagnose, knowledge
from staffcheck.errors import StaffcheckError
from staffcheck.i18n import language, set_language
from staffcheck.scale import FRAME_COLUMNS, frame_meta, screen_frame, screen_records
from tests.conftest import EXAMPLES, ROOT, Run

pd = pytest.importorskip("pandas")

EXPORTS = EXAMPLES / "exports"
TAOBAO = EXPORTS / "taobao-drive.csv"
CONTENT = EXPORTS / "content-drive.csv"
REFERRALS = EXPORTS / "referrals.jsonl"
DOC_EXAMPLES = ROOT / "docs" / "examples"

#: A GBK export with Chinese headers, a post named in Chinese, a skills column, a column kept
#: aside (备注), an empty cell and a bad level (rejected, the rows around it screened).
GBK_ROWS = [
    ["编号", "姓名", "应聘岗位", "工作年限", "渠道", "技能", "备注"],
    ["c-1", "王芳", "淘宝运营", "3", "淘宝", "taobao-operations:4;data-analysis:2", "内推"],
    ["c-2", "李雷", "data-analyst", "", "", "data-analysis:4;marketing:1", ""],
    ["c-3", "韩梅", "seo-specialist", "2", "baidu", "seo:9", "复试"],
    ["c-4", "赵强", "seo-specialist", "5", "baidu", "seo:4;keyword-research:3", "外链"],
]


def jsonl(cli: Callable[..., Run], *args: str | Path) -> list[dict[str, Any]]:
    run = cli("screen", *args, "--format", "jsonl", "--jobs", "1")
    return [json.loads(line) for line in run.out.splitlines()]


def rows_of(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def gbk_export(tmp_path: Path) -> Path:
    path = tmp_path / "drive-gbk.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        csv.writer(handle).writerows(GBK_ROWS)
    return path


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOC_EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- records ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "strategy"), [(TAOBAO, "taobao-store"), (CONTENT, None), (TAOBAO, None)]
)
def test_rows_equal_the_cli_lines(
    cli: Callable[..., Run], path: Path, strategy: str | None
) -> None:
    extra = ("--strategy", strategy) if strategy else ()
    expected = jsonl(cli, path, *extra)
    assert list(screen_records(rows_of(path), strategy=strategy)) == expected


def test_profiles_in_yaml_shape_equal_the_cli_lines(cli: Callable[..., Run]) -> None:
    lines = REFERRALS.read_text(encoding="utf-8").splitlines()
    assert list(screen_records(json.loads(line) for line in lines)) == jsonl(cli, REFERRALS)


def test_chinese_headers_extra_column_and_a_bad_row(
    cli: Callable[..., Run], gbk_export: Path
) -> None:
    run = cli("screen", gbk_export, "--format", "jsonl", "--lang", "zh", "--jobs", "1")
    expected = [json.loads(line) for line in run.out.splitlines()]
    got = list(screen_records(rows_of(gbk_export, "gb18030"), lang="zh", source="drive"))
    assert [g for g in got if not g.get("rejected")] == expected
    assert expected[0]["extra"] == {"备注": "内推"} and expected[0]["role"] == "taobao-operator"
    (reject,) = [g for g in got if g.get("rejected")]
    assert reject["source"] == "drive" and reject["row"] == 3
    assert reject["reason"] in run.err  # the very reason the CLI prints
    assert [g.get("id") for g in got] == ["c-1", "c-2", None, "c-4"]  # in input order


def test_missing_cells_and_numbers_read_as_a_csv_reads_them() -> None:
    text = {"id": "n-1", "name": "Nan", "applying_for": "seo-specialist",
            "experience_years": "4", "seo": "3", "keyword-research": "", "channels": ""}  # fmt: skip
    typed = {**text, "experience_years": 4.0, "seo": 3, "keyword-research": math.nan,
             "channels": None}  # fmt: skip
    frame = pd.DataFrame([typed]).astype({"seo": "Int64"})
    frame.loc[0, "channels"] = pd.NA
    expected = list(screen_records([text]))
    assert expected[0]["fit"] >= 0 and "rejected" not in expected[0]
    assert list(screen_records([typed])) == expected
    assert list(screen_records(frame)) == expected  # a DataFrame: its rows
    assert list(screen_records(row for _, row in frame.iterrows())) == expected  # Series
    assert list(screen_records(frame.iterrows())) == expected  # (label, Series) pairs


def test_a_bad_record_is_a_reject_and_the_rest_is_screened() -> None:
    good = {"id": "g-1", "name": "Good", "applying_for": "seo-specialist", "seo": "4"}
    got = list(
        screen_records(
            [
                {"id": "b-1", "name": "Bad", "applying_for": "seo-specialist", "seo": "high"},
                "not a row",
                {"id": "b-2", "name": "Nowhere", "applying_for": "astronaut"},
                good,
                {**good, "name": "Twin"},
            ],
            source="part-7",
        )
    )
    assert [g.get("rejected", False) for g in got] == [True, True, True, False, True]
    assert "column seo" in got[0]["reason"] and got[0]["row"] == 1
    assert "not a record" in got[1]["reason"]
    assert "astronaut" in got[2]["reason"]
    assert "duplicate person id 'g-1' (first at part-7:4)" in got[4]["reason"]
    assert set(got[0]) == {"rejected", "source", "row", "column", "reason"}


def test_a_bad_pack_strategy_or_post_is_the_callers_error() -> None:
    with pytest.raises(StaffcheckError, match="unknown post"):
        next(screen_records([], post="astronaut"))
    with pytest.raises(StaffcheckError):
        next(screen_records([], strategy="no-such-strategy"))


def test_post_screens_everyone_for_it_unranked(cli: Callable[..., Run]) -> None:
    expected = jsonl(cli, TAOBAO, "--post", "data-analyst")
    got = list(screen_records(rows_of(TAOBAO), post="data-analyst"))
    assert {g["role"] for g in got} == {"data-analyst"}
    by_id = {e["id"]: {k: v for k, v in e.items() if k != "rank"} for e in expected}
    assert [g["id"] for g in got] == [r["id"] for r in rows_of(TAOBAO)]  # input order
    assert {g["id"]: g for g in got} == by_id


def test_ranking_after_collecting_gives_the_clis_order(cli: Callable[..., Run]) -> None:
    """docs/scale-out.md's sort of collected results is ``--post``'s ranking."""
    expected = jsonl(cli, TAOBAO, "--post", "taobao-operator")
    frame = pd.read_csv(TAOBAO, dtype=str, keep_default_na=False)
    halves = [screen_frame(frame.iloc[:3], post="taobao-operator"),
              screen_frame(frame.iloc[3:], post="taobao-operator")]  # fmt: skip
    best = (
        pd.concat(halves)
        .assign(order=lambda f: f.verdict.map({"fit": 0, "partial": 1, "mismatch": 2}))
        .sort_values(["shortlisted", "fit", "order", "id"], ascending=[False, False, True, True])
    )
    assert list(best.id) == [e["id"] for e in expected]
    assert [e["rank"] for e in expected] == list(range(1, len(expected) + 1))


# -- a good citizen of a worker ---------------------------------------------------------------


def test_language_is_restored_even_between_chunks() -> None:
    rows = [dict(row, id=f"x-{i}") for i, row in enumerate(rows_of(TAOBAO) * 20)]  # chunks
    set_language("en")
    stream = screen_records(rows, lang="zh")
    first = next(stream)
    assert language() == "en"  # a paused generator leaves nothing behind
    chinese = [first, *stream]
    assert language() == "en"
    english = list(screen_records(rows))
    assert [c["id"] for c in chinese] == [e["id"] for e in english] == [r["id"] for r in rows]
    messages = [f["message"] for c in chinese[:6] for f in c["findings"]]
    assert messages and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages)
    assert chinese[6:12] != english[6:12]  # the later chunks in Chinese too


def test_threads_with_different_languages_do_not_mix() -> None:
    rows = rows_of(TAOBAO)
    alone = {lang: list(screen_records(rows, lang=lang)) for lang in ("en", "zh")}
    found: dict[str, list[list[dict[str, Any]]]] = {"en": [], "zh": []}

    def work(lang: str) -> None:
        for _ in range(3):
            found[lang].append(list(screen_records(rows, lang=lang)))

    threads = [threading.Thread(target=work, args=(lang,)) for lang in ("en", "zh")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert found == {lang: [alone[lang]] * 3 for lang in ("en", "zh")}


def test_picklable_and_the_pack_loaded_once_per_process(
    capfd: pytest.CaptureFixture[str],
) -> None:
    task = functools.partial(screen_frame, strategy="taobao-store", lang="zh")
    again = pickle.loads(pickle.dumps(task))
    frame = pd.read_csv(TAOBAO, dtype=str, keep_default_na=False)
    first = again(frame)
    packs, engines = len(knowledge._LOADED), len(diagnose._ENGINES)
    for _ in range(3):
        pd.testing.assert_frame_equal(task(frame), first)
    assert (len(knowledge._LOADED), len(diagnose._ENGINES)) == (packs, engines)
    assert pickle.loads(pickle.dumps(screen_records)) is screen_records
    assert capfd.readouterr() == ("", "")  # nothing printed, notes or rejects alike
    assert not logging.getLogger().handlers or all(
        type(h).__module__.startswith("_pytest") for h in logging.getLogger().handlers
    )


def test_screen_frame_columns_and_meta() -> None:
    frame = pd.DataFrame(
        [{"id": "f-1", "name": "One", "applying_for": "seo-specialist", "seo": "4"},
         {"id": "f-2", "name": "Two", "applying_for": "seo-specialist", "seo": "9"}],
        index=[10, 11],
    )  # fmt: skip
    result = screen_frame(frame)
    assert tuple(result.columns) == FRAME_COLUMNS
    assert list(result.index) == [10, 11]
    assert result.dtypes.equals(frame_meta().dtypes) and frame_meta().empty
    one, two = result.to_dict("records")
    assert one["rejected"] is False and one["post"] == "seo-specialist"
    assert json.loads(one["result"]) == next(screen_records(frame.iloc[:1]))
    assert two["rejected"] is True and pd.isna(two["fit"]) and "9" in two["reason"]
    assert json.loads(two["result"])["reason"] == two["reason"]
    empty = screen_frame(pd.DataFrame(columns=["id", "name"]))  # an empty partition
    assert empty.empty and empty.dtypes.equals(frame_meta().dtypes)


def test_screen_frame_without_pandas_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(StaffcheckError, match="needs pandas"):
        frame_meta()


def test_the_spark_example_compiles() -> None:
    for name in ("scale_out_spark", "scale_out_dask"):
        path = DOC_EXAMPLES / f"{name}.py"
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


# -- the Dask example on a local cluster ------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
        silence_logs=logging.ERROR, death_timeout=120,
    )  # fmt: skip
    try:
        with distributed.Client(cluster, timeout=120) as client:
            yield client
    finally:
        cluster.close(timeout=60)


# A busy machine may make distributed warn (a slow start, a port taken): not ours to fail on.
@pytest.mark.filterwarnings("ignore::UserWarning:distributed")
@pytest.mark.parametrize(
    ("name", "encoding", "options"),
    [
        ("taobao-drive.csv", "utf-8-sig", ("--strategy", "taobao-store")),
        ("content-drive.csv", "utf-8-sig", ()),
        ("drive-gbk.csv", "gb18030", ("--lang", "zh")),
    ],
)
def test_the_dask_example_equals_the_cli(
    cli: Callable[..., Run],
    dask_client: Any,
    gbk_export: Path,
    tmp_path: Path,
    name: str,
    encoding: str,
    options: tuple[str, ...],
) -> None:
    import dask.dataframe as dd

    source = gbk_export if name == "drive-gbk.csv" else EXPORTS / name
    run = cli("screen", source, *options, "--format", "jsonl", "--jobs", "1")
    expected = [json.loads(line) for line in run.out.splitlines()]
    strategy = options[1] if options[:1] == ("--strategy",) else None
    lang = options[1] if options[:1] == ("--lang",) else None
    example = load_example("scale_out_dask")
    out = tmp_path / "results"
    # Small blocks: the file is split into several partitions, screened on both workers.
    example.screen_to_parquet(
        str(source), out, strategy=strategy, lang=lang, encoding=encoding, blocksize=100
    )
    assert len(list(out.glob("*.parquet"))) >= 2  # one file per partition
    back = dd.read_parquet(out).compute()
    results = [json.loads(text) for text in back["result"]]
    assert [r for r in results if not r.get("rejected")] == expected
    rejected = [r["reason"] for r in results if r.get("rejected")]
    assert len(rejected) == (1 if name == "drive-gbk.csv" else 0)
    assert all(reason in run.err for reason in rejected)  # as the CLI says it
    assert list(back["id"].dropna()) == [e["id"] for e in expected]


@pytest.mark.parametrize("argument", ["rules", "strategy", "post", "lang", "source"])
def test_an_argument_of_the_wrong_type_is_the_callers_error_named(argument: str) -> None:
    with pytest.raises(StaffcheckError, match=f"screen_records\\(\\): {argument} must be text"):
        next(screen_records([{"id": "a-1", "name": "A"}], **{argument: 3}))


def test_records_that_name_no_id_or_name_column_are_rejects_never_dropped() -> None:
    garbled = [{"applicant": "a-1", "who": "Ann", "wants": "seo-specialist"}, {1: "a-2", 2: "Bo"}]
    results = list(screen_records(garbled))
    assert [r["rejected"] for r in results] == [True, True]
    assert "no column names the id and the name" in results[0]["reason"]
    assert list(screen_records([{"applicant": None, "who": ""}])) == []  # an empty row says nothing


def test_a_frame_naming_two_columns_alike_is_read_as_the_cli_reads_the_file() -> None:
    pd = pytest.importorskip("pandas")
    two_ids = pd.DataFrame([["a-1", "b-1", "Ann", "seo-specialist"]],
                           columns=["id", "id", "name", "applying_for"])  # fmt: skip
    (reject,) = screen_records(two_ids)
    assert reject["rejected"] and reject["reason"] == "duplicate column 'id' (keep one)"
    two_notes = pd.DataFrame([["a-1", "Ann", "seo-specialist", "x", "y"]],
                             columns=["id", "name", "applying_for", "memo", "memo"])  # fmt: skip
    (result,) = screen_records(two_notes)
    assert result["extra"] == {"memo": "x", "memo (2)": "y"}


@pytest.mark.parametrize("records", [None, "abc", {"id": "a-1", "name": "Ann"}, 3])
def test_records_that_are_not_many_records_are_the_callers_error(records: object) -> None:
    with pytest.raises(StaffcheckError, match=r"screen_records\(\): records must be an iterable"):
        screen_records(records)  # type: ignore[arg-type]


def test_screen_frame_takes_a_frame() -> None:
    pytest.importorskip("pandas")
    with pytest.raises(
        StaffcheckError, match=r"screen_frame\(\): frame must be a pandas DataFrame"
    ):
        screen_frame([{"id": "a-1", "name": "Ann"}])


def test_the_api_and_screen_records_in_two_threads_take_turns() -> None:
    import staffcheck

    drive = rows_of(EXAMPLES / "exports" / "taobao-drive.csv")
    rows = [dict(r, id=f"{r['id']}-{i}") for i in range(6) for r in drive]
    people = sorted(p for p in (EXAMPLES / "candidates").glob("*.yaml") if "drive" not in p.name)
    expected_people = {p: staffcheck.screen(p).to_dict() for p in people}
    expected_rows = list(screen_records(rows, lang="zh"))
    wrong: list[str] = []

    def people_again() -> None:
        for _ in range(3):
            wrong.extend(
                p.name for p in people if staffcheck.screen(p).to_dict() != expected_people[p]
            )

    def rows_again() -> None:
        for _ in range(3):
            if list(screen_records(rows, lang="zh")) != expected_rows:
                wrong.append("the rows, screened in Chinese beside the English API")

    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads as often as possible: a shared state would show
    try:
        threads = [threading.Thread(target=people_again), threading.Thread(target=rows_again)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(before)
    assert wrong == []
