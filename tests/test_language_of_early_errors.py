"""Errors told before or while the language is chosen are still in the language asked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from staffcheck.api import load_pack
from staffcheck.errors import StaffcheckError

from .conftest import EXAMPLES, Run

DRIVE = EXAMPLES / "exports" / "taobao-drive.csv"


def test_a_configurations_lang_tells_a_bad_environment_pack_in_that_language(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "staffcheck.yaml").write_text("lang: zh\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STAFFCHECK_NO_CONFIG", raising=False)  # the tests' default: read it
    monkeypatch.setenv("STAFFCHECK_RULES", str(tmp_path / "nowhere"))
    run = cli("screen", DRIVE)
    assert run.code == 2
    assert "不是知识包目录" in run.err and "knowledge-pack" not in run.err
    assert "no knowledge-pack directory" in cli("--lang", "en", "screen", DRIVE).err


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("missing", "知识包目录不存在（请检查 --rules）"),
        ("empty", "知识包中没有 .yaml 文件（请让 --rules 指向一个知识包）"),
        ("a file", "知识包应是一个存放 YAML 文件的目录（请指定知识包所在的目录）"),
    ],
)
def test_a_pack_that_is_not_there_is_told_in_chinese(
    tmp_path: Path, what: str, message: str
) -> None:
    pack = tmp_path / "pack"
    if what == "empty":
        pack.mkdir()
    elif what == "a file":
        pack.write_text("x\n", encoding="utf-8")
    with pytest.raises(StaffcheckError) as raised:
        load_pack(pack, lang="zh")
    assert message in str(raised.value)
