"""Property tests for knowledge packs: a mangled pack is validated or refused, never a crash.

Each example copies the bundled pack and changes one value, key or line of one of its files in
a random way (a wrong type, an unknown id, a number out of range, a deleted line, random text).
`staffcheck rules validate` must then either pass, or list problems, each on its own line as
``file:line[:col]: message``, and exit 2; `staffcheck rules list` must print a report or one
error line. Never a traceback, never an internal error.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffcheck.cli import main

from .conftest import RULES

EXAMPLES = max(10, int(os.environ.get("STAFFCHECK_FUZZ_EXAMPLES", "300")) // 6)
PACK_FILES = sorted(p.name for p in RULES.glob("*.yaml"))
PROBLEM_LINE = re.compile(r"^.+?:\d+(:\d+)?: .+|^\d+ problems? in .+$|^.+: no such|^.+warning: .+")

REPLACEMENTS = st.one_of(
    st.sampled_from(["7", "-1", "3.5", "true", "null", "~", "[]", "{}", "'[bold]x'", "&a x",
                     "*missing", "taobao-operater", "critical", "nosuch-kind", "!!python/none x",
                     "'{persn}'", "0x10", "1e999", "\"\\x07\""]),
    st.text(max_size=12),
)  # fmt: skip


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    file=st.sampled_from(PACK_FILES),
    line_choice=st.integers(min_value=0, max_value=10_000),
    action=st.sampled_from(["value", "delete", "key"]),
    replacement=REPLACEMENTS,
)
def test_mangled_pack_is_validated_or_refused(
    file: str, line_choice: int, action: str, replacement: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "pack"
        shutil.copytree(RULES, pack, ignore=shutil.ignore_patterns("fixtures"))
        target = pack / file
        lines = target.read_text(encoding="utf-8").splitlines()
        index = line_choice % len(lines)
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "key" and ":" in line:
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = indent + replacement.replace(":", "") + ":" + line.split(":", 1)[1]
        elif ":" in line:
            lines[index] = line.split(":", 1)[0] + ": " + replacement
        else:
            lines[index] = line + replacement
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")

        code, out, err = _run("rules", "validate", str(pack))
        assert "Traceback" not in err and "internal error" not in err, err
        assert code in (0, 2), (code, err)
        if code == 2:
            problems = err.strip().splitlines()
            assert problems, "a refused pack names its problems"
            for problem in problems:
                assert PROBLEM_LINE.match(problem), problem

        code, out, err = _run("rules", "list", "--rules", str(pack))
        assert "internal error" not in err, err
        if code == 2:
            # Every problem on its own line: at most 20, then "… and N more".
            lines = err.strip().splitlines()
            assert 1 <= len(lines) <= 21, err
            assert all(line.startswith("staffcheck: error: ") for line in lines), err
        else:
            assert code == 0 and out
