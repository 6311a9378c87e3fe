"""``staffcheck ask``: the consultation as a user meets it, and the loop behind it on its own.

The loop (`staffcheck.consult.consult`) is driven here by scripted answer sources; the command by
answers on standard input (not a terminal, so they are read one a line and echoed).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from staffcheck.consult import SKIP, STOP, Ending, Reply, consult, parse_reply
from staffcheck.model import (
    CandidateResult,
    Confidence,
    KnowledgeBase,
    Location,
    Profile,
    Question,
    Verdict,
    frozen_map,
)
from staffcheck.profiles import load_profiles

from .conftest import CANDIDATES, EXAMPLES, ROOT, Run

COPYWRITER = "marketing-copywriter"
WEN_JIE = CANDIDATES / "wen-jie.yaml"

# A profile file as people write them: comments above, beside and between keys, its own order.
COMMENTED = """\
# Wen Jie, from the spring drive
id: c-2001   # HR id
name: Wen Jie
applying_for: marketing-copywriter
skills:
  copywriting: 4   # portfolio seen
  marketing: 4
# her own words, not checked
titles:
  - "Copywriter"
experience_years: 5
"""


def person(skills: dict[str, int], post: str = COPYWRITER) -> Profile:
    return Profile("w-1", "Wen", frozen_map(skills), Location("w.yaml"), applying_for=post)


def scripted(*replies: Reply) -> tuple[Callable[[Question, CandidateResult], Reply], list[str]]:
    """An answer source that gives `replies` in order (then stops), and the skills it was asked."""
    asked: list[str] = []
    queue = iter(replies)

    def answer(question: Question, now: CandidateResult) -> Reply:
        asked.append(question.skill)
        return next(queue, STOP)

    return answer, asked


# --- the consultation loop, without a terminal ---------------------------------------------------


def test_a_writer_is_asked_about_creativity_and_one_answer_settles_it(kb: KnowledgeBase) -> None:
    answer, asked = scripted(3)
    result = consult(kb, person({"copywriting": 4, "marketing": 4}), None, None, answer)
    assert asked == ["creativity"]
    assert result.ending is Ending.SETTLED
    assert (result.before.verdict, result.before.confidence) == (Verdict.PARTIAL, Confidence.LOW)
    assert (result.after.verdict, result.after.confidence) == (Verdict.FIT, Confidence.HIGH)
    assert result.answers == {"creativity": 3}
    assert result.open_questions == ()


def test_the_most_decisive_question_comes_first_and_a_stated_zero_settles(
    kb: KnowledgeBase,
) -> None:
    answer, asked = scripted(0)
    result = consult(kb, person({}), None, None, answer)
    assert asked == ["copywriting"]  # the post's heaviest requirement
    assert result.ending is Ending.SETTLED
    assert result.after.verdict is Verdict.MISMATCH and result.after.confidence is Confidence.HIGH


def test_a_skipped_question_is_not_asked_again(kb: KnowledgeBase) -> None:
    answer, asked = scripted(SKIP, 3)
    result = consult(kb, person({"copywriting": 4}), None, None, answer)
    assert asked == ["marketing", "creativity"]
    # Marketing could still change the verdict, but it was skipped: nothing left to ask.
    assert result.ending is Ending.SKIPPED
    assert result.skipped == ("marketing",)
    assert result.answers == {"creativity": 3}
    assert [q.skill for q in result.open_questions] == ["marketing"]


def test_stop_ends_the_consultation_with_the_answers_so_far(kb: KnowledgeBase) -> None:
    answer, asked = scripted(4, STOP)
    result = consult(kb, person({"copywriting": 4}), None, None, answer)
    assert asked == ["marketing", "creativity"]
    assert result.ending is Ending.STOPPED
    assert result.answers == {"marketing": 4}
    assert result.after.verdict is Verdict.PARTIAL


def test_a_settled_verdict_asks_nothing(kb: KnowledgeBase) -> None:
    answer, asked = scripted()
    result = consult(kb, person({"copywriting": 1, "marketing": 4}), None, None, answer)
    assert asked == []
    assert result.ending is Ending.SETTLED and not result.steps
    assert result.after.verdict is Verdict.MISMATCH


def test_each_step_is_told_with_the_verdict_after_it(kb: KnowledgeBase) -> None:
    answer, _ = scripted(SKIP, 3)
    heard: list[tuple[str, int | None, str]] = []
    consult(
        kb, person({"copywriting": 4}), None, None, answer,
        lambda step: heard.append((step.question.skill, step.level, step.after.verdict.value)),
    )  # fmt: skip
    assert heard == [("marketing", None, "partial"), ("creativity", 3, "partial")]


@pytest.mark.parametrize(
    ("typed", "reply"),
    [("3", 3), (" 0 \n", 0), ("5", 5), ("", SKIP), ("\n", SKIP), ("s", SKIP), ("S", SKIP),
     ("q", STOP), ("Q\n", STOP), ("6", None), ("7", None), ("-1", None), ("abc", None),
     ("3.5", None), ("٣", None), ("33", None)],
)  # fmt: skip
def test_replies_are_read_as_levels_skip_or_stop(typed: str, reply: Reply | None) -> None:
    assert parse_reply(typed) == reply


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture
def ask(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``staffcheck ask ARGS`` with `answers` as its standard input."""

    def run(*args: str | Path, answers: str = "") -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
        return cli("ask", *args)

    return run


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    path = tmp_path / "wen-jie.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def test_one_answer_settles_the_writer_and_is_written_back(ask, commented: Path) -> None:
    run = ask(commented, "--post", COPYWRITER, answers="3\n")
    assert run.code == 0, run.err
    assert "Question 1 · Creative ideas · the Marketing copywriter post needs level 3" in run.err
    assert "now\n  partial (low), fit 71" in run.err
    assert "Show us two campaign ideas" in run.err
    assert "Question 2" not in run.err
    assert run.out.startswith("The verdict is settled after 1 answer: partial (low) → fit (high).")
    assert "Wen Jie on post Marketing copywriter · fit 100 · fit" in run.out
    assert run.out.rstrip().endswith(f"Updated {commented}: added to skills: creativity 3")


def test_the_written_file_keeps_comments_and_order_and_screens_with_the_answer(
    ask, cli, commented: Path
) -> None:
    assert ask(commented, answers="3\n").code == 0
    assert commented.read_text(encoding="utf-8") == COMMENTED.replace(
        "  marketing: 4\n", "  marketing: 4\n  creativity: 3\n"
    )
    data = cli("screen", commented, "--format", "json").json()
    wen = data["candidates"][0]
    assert wen["verdict"] == "fit" and wen["questions"] == []
    assert "creativity" in wen["confidence"]["stated"]


def test_flow_style_skills_get_the_answer_inside_the_braces(ask, tmp_path: Path, kb) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(
        "id: w-1\nname: Wen\napplying_for: marketing-copywriter\n"
        "skills: {copywriting: 4, marketing: 4}  # from the CV\n",
        encoding="utf-8",
    )
    assert ask(path, answers="2\n").code == 0
    # The comment stays on its line (one space from the longer mapping: its column is taken).
    assert path.read_text(encoding="utf-8").endswith(
        "skills: {copywriting: 4, marketing: 4, creativity: 2} # from the CV\n"
    )
    assert load_profiles(path, kb)[0].skills["creativity"] == 2


def test_a_profile_without_skills_gets_a_skills_section(ask, tmp_path: Path, kb) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text("id: w-1\nname: Wen\napplying_for: marketing-copywriter\n", encoding="utf-8")
    run = ask(path, answers="4\n4\n3\n")
    assert run.code == 0, run.err
    assert path.read_text(encoding="utf-8") == (
        "id: w-1\nname: Wen\napplying_for: marketing-copywriter\n"
        "skills:\n  copywriting: 4\n  marketing: 4\n  creativity: 3\n"
    )
    assert load_profiles(path, kb)[0].skills == {"copywriting": 4, "marketing": 4, "creativity": 3}


def test_skipping_moves_on_to_the_next_question(ask, tmp_path: Path) -> None:
    path = tmp_path / "half.yaml"
    path.write_text(
        "id: w-1\nname: Wen\napplying_for: marketing-copywriter\nskills: {copywriting: 4}\n",
        encoding="utf-8",
    )
    run = ask(path, answers="\n3\n")
    assert run.code == 0, run.err
    assert "Question 1 · Marketing" in run.err and "Marketing: skipped" in run.err
    assert "Question 2 · Creative ideas · the Marketing copywriter post" in run.err
    assert "Question 3" not in run.err  # marketing is not asked again
    assert "Every question left was skipped: 1 question could still change the verdict" in run.out
    assert "skills: {copywriting: 4, creativity: 3}" in path.read_text(encoding="utf-8")


def test_an_unreadable_answer_is_asked_again_with_a_hint(ask, commented: Path) -> None:
    run = ask(commented, answers="7\nabc\n3\n")
    assert run.code == 0, run.err
    assert "'7' is not an answer: type a level 0–5" in run.err
    assert "'abc' is not an answer" in run.err
    assert run.err.count("Level 0–5, Enter to skip, q to stop:") == 3
    assert "Question 2" not in run.err
    assert "creativity: 3" in commented.read_text(encoding="utf-8")


def test_output_writes_a_new_file_and_leaves_the_original_byte_identical(
    ask, commented: Path, tmp_path: Path, kb
) -> None:
    before = commented.read_bytes()
    target = tmp_path / "answered.yaml"
    run = ask(commented, "--output", target, answers="3\n")
    assert run.code == 0, run.err
    assert commented.read_bytes() == before
    assert run.out.rstrip().endswith(f"Wrote {target}: added to skills: creativity 3")
    assert "# her own words, not checked" in target.read_text(encoding="utf-8")
    assert load_profiles(target, kb)[0].skills["creativity"] == 3


def test_a_settled_profile_asks_nothing_and_writes_nothing(ask, tmp_path: Path) -> None:
    path = tmp_path / "settled.yaml"
    text = "id: w-1\nname: Wen\napplying_for: marketing-copywriter\nskills: {copywriting: 1, marketing: 4}\n"
    path.write_text(text, encoding="utf-8")
    mtime = path.stat().st_mtime_ns
    run = ask(path, answers="3\n")
    assert run.code == 0, run.err
    assert run.err == ""
    assert run.out.startswith("Nothing to ask: the verdict is settled, mismatch (high).")
    assert "Nothing written: no answer was given." in run.out
    assert path.read_text(encoding="utf-8") == text and path.stat().st_mtime_ns == mtime


def test_end_of_input_midway_writes_the_answers_given_so_far(ask, tmp_path: Path) -> None:
    path = tmp_path / "half.yaml"
    path.write_text(
        "id: w-1\nname: Wen\napplying_for: marketing-copywriter\nskills: {copywriting: 4}\n",
        encoding="utf-8",
    )
    run = ask(path, answers="4\n")  # then Ctrl-D: the end of the input
    assert run.code == 0, run.err
    assert "Question 2 · Creative ideas" in run.err
    assert run.out.startswith("Stopped: 1 question could still change the verdict")
    assert "skills: {copywriting: 4, marketing: 4}" in path.read_text(encoding="utf-8")


def test_q_stops_and_nothing_answered_writes_nothing(ask, commented: Path) -> None:
    run = ask(commented, answers="q\n3\n")
    assert run.code == 0
    assert run.out.startswith(
        "Stopped: 1 question could still change the verdict: still partial (low)."
    )
    assert "Nothing written" in run.out
    assert commented.read_text(encoding="utf-8") == COMMENTED


class _Interrupted(io.StringIO):
    """Standard input on which the second answer is a Ctrl-C."""

    lines: Iterator[str] = iter(["4\n"])

    def readline(self, size: int | None = -1) -> str:
        line = next(self.lines, None)
        if line is None:
            raise KeyboardInterrupt
        return line


def test_ctrl_c_exits_130_and_writes_nothing(cli, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "half.yaml"
    text = "id: w-1\nname: Wen\napplying_for: marketing-copywriter\nskills: {copywriting: 4}\n"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", _Interrupted())
    run = cli("ask", path)
    assert run.code == 130
    assert "staffcheck: interrupted" in run.err
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["half.yaml"]  # no temporary file left


def test_a_hostile_name_shows_as_text_in_the_conversation_and_the_report(
    ask, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(
        'id: w-1\nname: "[bold red]Boss[/bold red] \\e[31mRED"\n'
        "applying_for: marketing-copywriter\nskills: {copywriting: 4, marketing: 4}\n",
        encoding="utf-8",
    )
    run = ask(path, "--no-color", answers="\x1b[31m\n3\n")
    assert run.code == 0, run.err
    assert "\x1b" not in run.out and "\x1b" not in run.err
    assert "[bold red]Boss[/bold red] \\x1b[31mRED" in run.out
    assert "'\\x1b[31m' is not an answer" in run.err  # the typed escape, shown not obeyed


def test_a_csv_source_is_refused_in_one_line_before_anything_is_asked(ask) -> None:
    drive = EXAMPLES / "exports" / "taobao-drive.csv"
    run = ask(drive, "--person", "t-101", answers="3\n")
    assert run.code == 2
    assert run.out == ""
    assert run.err.splitlines() == [
        f"staffcheck: error: {drive}: ask writes the answers into a YAML profile file; this is a "
        "CSV export (give --output FILE to write them into a new profile file)"
    ]


def test_a_csv_record_with_output_becomes_a_new_profile_file(ask, cli, tmp_path: Path, kb) -> None:
    drive = EXAMPLES / "exports" / "taobao-drive.csv"
    before = drive.read_bytes()
    target = tmp_path / "t-104.yaml"
    run = ask(
        drive, "--person", "t-104", "--post", COPYWRITER, "--output", target, answers="3\n" * 3
    )
    assert run.code == 0, run.err
    assert drive.read_bytes() == before
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Written by 'staffcheck ask' from {drive}:")
    assert "added to skills: copywriting 3, marketing 3, creativity 3" in text.splitlines()[0]
    profile = load_profiles(target, kb)[0]
    assert profile.id == "t-104" and profile.skills["portal-promotion"] == 4
    assert profile.skills["creativity"] == 3
    assert cli("screen", target, "--format", "json").json()["candidates"][0]["id"] == "t-104"


def test_a_file_of_several_people_needs_person_and_edits_only_theirs(
    ask, tmp_path: Path, kb
) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "# two applicants\n"
        "- id: a-1\n  name: Ann\n  applying_for: marketing-copywriter\n"
        "  skills: {copywriting: 4, marketing: 4}\n"
        "# the second one\n"
        "- id: b-2\n  name: Bo\n  applying_for: marketing-copywriter\n"
        "  skills: {copywriting: 4, marketing: 4}\n",
        encoding="utf-8",
    )
    refused = ask(path, answers="3\n")
    assert refused.code == 2
    assert "holds 2 people; ask one at a time (pick one with --person ID" in refused.err
    assert ask(path, "--person", "b-2", answers="3\n").code == 0
    text = path.read_text(encoding="utf-8")
    assert "# the second one\n" in text and text.startswith("# two applicants\n")
    people = {p.id: p for p in load_profiles(path, kb)}
    assert "creativity" not in people["a-1"].skills
    assert people["b-2"].skills["creativity"] == 3


def test_a_team_members_own_file_is_edited_and_asked_in_the_teams_strategy(
    ask, commented: Path
) -> None:
    team = commented.with_name("team.yaml")
    text = (
        "team: Content\nstrategy: content-marketing\nmembers:\n"
        "  - role: marketing-copywriter\n    profile: wen-jie.yaml\n"
        "  - role: writing-editor\n    id: e-9\n    name: Inline Ink\n"
        "    skills: {editing: 4}\n"
    )
    team.write_text(text, encoding="utf-8")
    run = ask(team, "--person", "c-2001", answers="3\n")
    assert run.code == 0, run.err
    assert "strategy Content marketing (content-marketing)" in run.out
    assert run.out.rstrip().endswith(f"Updated {commented}: added to skills: creativity 3")
    assert team.read_text(encoding="utf-8") == text
    inline = ask(team, "--person", "e-9", answers="3\n")
    assert inline.code == 2
    assert "this is a member inside a team file (give --output FILE" in inline.err


def test_the_profile_cannot_come_from_standard_input(ask) -> None:
    run = ask("-", answers="id: x\n")
    assert run.code == 2
    assert "ask reads its answers from standard input" in run.err


def test_json_gives_the_answers_and_the_verdict_before_and_after(ask, commented: Path) -> None:
    run = ask(commented, "--format", "json", answers="3\n")
    assert run.code == 0, run.err
    data = run.json()
    assert data["schema"] == "staffcheck.consultation/1"
    assert data["ending"] == "settled"
    assert data["before"] == {"verdict": "partial", "confidence": "low", "fit": 71}
    assert data["after"] == {"verdict": "fit", "confidence": "high", "fit": 100}
    assert data["answers"] == [{"skill": "creativity", "level": 3}]
    assert data["written"] == str(commented) and data["in_place"] is True
    assert data["candidate"]["id"] == "c-2001"


def test_help_text(capsys: pytest.CaptureFixture[str]) -> None:
    from staffcheck.cli import main

    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "printf '3\\n\\n1\\n' | staffcheck ask" in out
    assert "exit status:" in out and "130 interrupted" in out
    assert "--output FILE" in out and "--post POST" in out


def test_answers_piped_to_the_installed_command(tmp_path: Path) -> None:
    path = tmp_path / "wen-jie.yaml"
    path.write_bytes(WEN_JIE.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "staffcheck", "ask", str(path), "--post", COPYWRITER],
        input="3\n", capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "partial (low) → fit (high)" in run.stdout
    assert "  creativity: 3   # " not in path.read_text(encoding="utf-8")
    assert "  creativity: 3\n" in path.read_text(encoding="utf-8")


def test_a_file_changed_during_the_consultation_is_not_overwritten(
    commented: Path, kb: KnowledgeBase
) -> None:
    from staffcheck.errors import StaffcheckError
    from staffcheck.writeback import write_answers

    [profile] = load_profiles(commented, kb)
    edited = COMMENTED.replace("marketing: 4", "marketing: 2")  # someone else's edit meanwhile
    commented.write_text(edited, encoding="utf-8")
    with pytest.raises(StaffcheckError, match="would not read back as expected"):
        write_answers(kb, profile, {"creativity": 3}, commented, commented)
    assert commented.read_text(encoding="utf-8") == edited


# --- answers go to this person only, into a file that can take them --------------------------


def test_an_anchor_shared_with_another_person_is_not_changed_for_them(
    ask, tmp_path: Path, kb: KnowledgeBase
) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "- id: c-1\n  name: One\n  applying_for: marketing-copywriter\n"
        "  skills: &s {copywriting: 4, marketing: 4}\n"
        "- id: c-2\n  name: Two\n  applying_for: marketing-copywriter\n  skills: *s\n",
        encoding="utf-8",
    )
    run = ask(path, "--person", "c-1", answers="1\n")
    assert run.code == 0, run.err
    one, two = load_profiles(path, kb)
    assert dict(one.skills) == {"copywriting": 4, "marketing": 4, "creativity": 1}
    assert dict(two.skills) == {"copywriting": 4, "marketing": 4}


def test_an_id_a_yaml_library_would_read_as_a_number_is_found(ask, tmp_path: Path, kb) -> None:
    path = tmp_path / "n.yaml"
    path.write_text("id: 0042\nname: A\nskills: {copywriting: 4, marketing: 4}\n", encoding="utf-8")
    run = ask(path, "--post", COPYWRITER, answers="3\n")
    assert run.code == 0, run.err
    [profile] = load_profiles(path, kb)
    assert profile.id == "0042" and profile.skills["creativity"] == 3


def test_windows_line_ends_and_a_byte_order_mark_are_kept(ask, tmp_path: Path, kb) -> None:
    path = tmp_path / "w.yaml"
    text = "id: c-9\r\nname: W\r\napplying_for: marketing-copywriter\r\nskills:\r\n  copywriting: 4\r\n  marketing: 4\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert ask(path, answers="2\n").code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")
    assert load_profiles(path, kb)[0].skills["creativity"] == 2


def test_a_read_only_profile_is_refused_before_anything_is_asked(
    ask, commented: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root, os.access says yes to everything; ask the question a normal user's system would.
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == commented else real_access(p, mode)
    )
    before = commented.read_bytes()
    run = ask(commented, answers="3\n")
    assert run.code == 2 and "read-only" in run.err and len(run.err.splitlines()) == 1
    assert "Question" not in run.err and commented.read_bytes() == before


def test_output_to_a_device_writes_through_it(ask, commented: Path) -> None:
    before = commented.read_bytes()
    run = ask(commented, "--output", os.devnull, answers="3\n")
    assert run.code == 0, run.err
    assert Path(os.devnull).is_char_device() and commented.read_bytes() == before
