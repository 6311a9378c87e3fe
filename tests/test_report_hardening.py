"""Issue 14, reports: no link injected into Markdown, nothing user-controlled obeyed by the
terminal, rejects shown in every report, no entity cut in two, explanations and wide heatmaps
printed, and every report saying when, by what and with which pack it was made."""

from __future__ import annotations

import datetime
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from staffcheck.cli import main
from staffcheck.errors import StaffcheckError
from staffcheck.escaping import escape_markdown, inert_json
from staffcheck.model import Location, Reject, Report
from staffcheck.reporters import RenderOptions, render
from staffcheck.reporters.console import clip
from staffcheck.reporters.consultation import retry_text
from staffcheck.reporters.meta import EPOCH_VARIABLE, made_on
from staffcheck.reporters.phrases import REJECTS_LISTED

from .conftest import EXAMPLES, ROOT

# What must never reach a terminal live (as tests/test_hostile_corpus.py): C0 controls but tab
# and newline, DEL, C1 controls, bidi overrides and isolates.
LIVE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_NAME = "evil \x1b]0;PWNED\x07 \x1b[31mred \u202eRLO \x9b2J"
DRIVE_CSV = EXAMPLES / "exports" / "taobao-drive.csv"

# --- 1. Markdown: no autolink -----------------------------------------------------------------

LINKS = [
    "https://evil.example/login",
    "http://evil.example",
    "ftp://evil.example",
    "www.evil.example",
    "WWW.Evil.example",
    "(www.evil.example)",
    "_www.evil.example_",
    "a@evil.example",
    "x.y+z@e-v.example.com",
    "mailto:a@evil.example",
    "xmpp:a@evil.example",
    "![x](https://evil.example/i.png)",
    "<https://evil.example>",
    "see https://a.example, www.b.example or c@d.example",
]
# What GitHub-flavoured Markdown's autolink extension turns into a link (cmark-gfm's rules,
# simplified to be stricter): a scheme's ``://``, ``www.``, or an address's ``@`` before a
# domain character, none of them broken by a backslash or an entity.
GFM_AUTOLINK = re.compile(r"(?i)[a-z0-9]://|(?<![a-z0-9])www\.|@[a-z0-9_.+-]")


@pytest.mark.parametrize("text", LINKS)
def test_escaped_markdown_holds_no_autolink(text: str) -> None:
    escaped = escape_markdown(text)
    assert not GFM_AUTOLINK.search(escaped), escaped
    assert "<" not in escaped and "](" not in escaped.replace("\\](", "")


@pytest.mark.parametrize("text", LINKS)
def test_a_gfm_renderer_makes_no_link(text: str) -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")  # the renderer GitHub uses, when installed
    html = cmarkgfm.github_flavored_markdown_to_html(f"| a |\n|---|\n| {escape_markdown(text)} |")
    assert "<a " not in html and "<img" not in html


def test_markdown_report_does_not_link_a_hostile_name(cli, tmp_path: Path) -> None:
    drive = tmp_path / "drive.csv"
    rows = DRIVE_CSV.read_text(encoding="utf-8").splitlines()
    head, first = rows[0], rows[1].split(",")
    first[1] = "https://evil.example/login www.evil.example boss@evil.example"
    drive.write_text(f"{head}\n{','.join(first)}\n", encoding="utf-8")
    run = cli("screen", drive, "--format", "markdown")
    assert run.code == 0, run.err
    assert "https\\://evil.example/login www\\.evil.example boss@&#8203;evil.example" in run.out
    assert not GFM_AUTOLINK.search(run.out.split("\n---\n")[0])


# --- 2. rules list/validate/test and usage errors: inert ----------------------------------------


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs' extension of the bundled pack, in a directory, under a name and with a fixture
    file whose names hold escapes, an OSC title change and RLO."""
    pack = tmp_path_factory.mktemp("packs") / "evil\x1b]0;DIR\x07\x1b[31m\u202eDIR"
    shutil.copytree(ROOT / "docs" / "examples" / "live-stream-pack", pack)
    fixture = pack / "fixtures" / "sound-live-host.yaml"
    fixture.rename(fixture.with_name("sound\x1b[2J\u202e.yaml"))
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    quoted = json.dumps(HOSTILE_NAME)  # a JSON string is a YAML double-quoted scalar
    (pack / "pack.yaml").write_text(
        text.replace("name: Our live-commerce pack", f"name: {quoted}"), encoding="utf-8"
    )
    return pack


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("action", ["list", "validate", "test"])
def test_rules_commands_print_nothing_live(cli, hostile_pack: Path, action: str, fmt: str) -> None:
    run = cli("rules", action, "--rules", hostile_pack, "--format", fmt)
    assert run.code == 0, run.err
    assert not LIVE_CONTROL.search(run.out + run.err)
    if fmt == "json":
        data = run.json()
        assert data.get("name", HOSTILE_NAME) == HOSTILE_NAME  # the same data, escaped
    else:
        assert "\\u202e" in run.out


def test_usage_error_quotes_the_argument_inertly(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["rules", "list", "extra\x1b]0;T\x07\u202e"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert not LIVE_CONTROL.search(err)
    assert "extra\\x1b]0;T\\x07\\u202e" in err


def test_json_documents_escape_c1_and_bidi_characters() -> None:
    document = json.dumps({"name": "a\x9b2J\u202eb\u2028c"}, ensure_ascii=False)
    safe = inert_json(document)
    assert not LIVE_CONTROL.search(safe) and "\u2028" not in safe
    assert json.loads(safe) == json.loads(document)


# --- 3. rejects in every report -----------------------------------------------------------------


@pytest.fixture
def drive_with_a_reject(tmp_path: Path) -> Path:
    drive = tmp_path / "drive.csv"
    text = DRIVE_CSV.read_text(encoding="utf-8").rstrip("\n")
    drive.write_text(text + "\nt-999,<b>x</b>,no-such-post|<i>,3,,,,,,,,,\n", encoding="utf-8")
    return drive


@pytest.mark.parametrize(
    ("fmt", "heading", "reason"),
    [
        ("markdown", "## Rejected records (1)", "unknown role 'no-such-post\\|&lt;i&gt;'"),
        ("html", '<section id="rejects"><h2>Rejected records (1)</h2>', "no-such-post|&lt;i&gt;"),
        ("table", "Rejected records (1)", "unknown role 'no-such-post|<i>'"),
    ],
)
def test_a_batch_report_lists_its_rejects(
    cli, drive_with_a_reject: Path, fmt: str, heading: str, reason: str
) -> None:
    run = cli("screen", drive_with_a_reject, "--format", fmt)
    assert run.code == 2
    assert heading in run.out
    where = {"markdown": escape_markdown, "html": html.escape}.get(fmt, str)
    assert where(f"{drive_with_a_reject}:8") in run.out and reason in run.out


def test_json_report_lists_its_rejects(cli, drive_with_a_reject: Path) -> None:
    run = cli("screen", drive_with_a_reject, "--format", "json")
    assert [r["row"] for r in run.json()["rejects"]] == [8]


def test_a_long_list_of_rejects_is_cut_with_a_count() -> None:
    rejects = tuple(Reject(Location("x.csv", n), "bad") for n in range(REJECTS_LISTED + 3))
    report = Report(strategy=None, candidates=(), rejects=rejects)
    for fmt in ("markdown", "html"):
        text = render(report, fmt)
        assert f"Rejected records ({REJECTS_LISTED + 3})" in text
        assert f"x.csv:{REJECTS_LISTED - 1}" in text and f"x.csv:{REJECTS_LISTED}<" not in text
        assert "and 3 more" in text


# --- 4. truncation before escaping --------------------------------------------------------------


def test_heatmap_cuts_names_before_escaping(cli, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    text = (EXAMPLES / "spring-launch.yaml").read_text(encoding="utf-8")
    text = text.replace("candidates/", f"{EXAMPLES}/candidates/")
    team.write_text(text.replace("name: Ma Jun", 'name: "' + "<&>" * 20 + '"'), encoding="utf-8")
    run = cli("team", team, "--format", "html")
    assert run.code in (0, 1), run.err
    svg = run.out[run.out.index("<svg") : run.out.index("</svg>")]
    assert not re.search(r"&(?!(?:lt|gt|amp|quot|#x27);)", svg)  # every & starts a whole entity


def test_clip_counts_cells_of_wide_characters() -> None:
    cut = clip("运营" * 30, 24)
    assert cut.endswith("…") and len(cut) == 12  # 11 characters of two cells, and …
    assert clip("short", 24) == "short"


def test_a_typed_answer_is_cut_before_it_is_escaped() -> None:
    shown = retry_text("x" * 17 + "\x1b")  # 21 characters once escaped: cut after, "\x1" showed
    assert "'" + "x" * 17 + "\\x1b'" in shown


# --- 5. printing the HTML report ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")


def _print_to_pdf(tmp_path: Path, page: Path) -> str:
    """The words of the page printed by headless Chromium, with their boxes (pdftotext -bbox)."""
    assert CHROMIUM is not None and PDFTOTEXT is not None
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
         "--no-pdf-header-footer", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    words = tmp_path / "words.html"
    subprocess.run([PDFTOTEXT, "-bbox", pdf, words], capture_output=True, timeout=60, check=True)
    return words.read_text(encoding="utf-8")


@pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None, reason="no Chromium or pdftotext")
def test_printed_report_has_explanations_and_the_whole_heatmap(cli, tmp_path: Path) -> None:
    members = "".join(
        f"  - {{role: customer-service-rep, id: m-{n}, name: Member{n:02d}, "
        "skills: {customer-service: 4}}\n"
        for n in range(40)
    )
    team = tmp_path / "wide.yaml"
    team.write_text(f"team: Wide\nstrategy: taobao-store\nmembers:\n{members}", encoding="utf-8")
    page = tmp_path / "report.html"
    assert cli("team", team, "--format", "html", "--output", page).code in (0, 1)
    words = re.findall(r"<word [^>]*>([^<]*)</word>", _print_to_pdf(tmp_path, page))
    # each member holds their post: 40 cells marked "100*", none cut off at the page's edge
    assert sum(1 for w in words if re.fullmatch(r"\d+\*", w)) == 40
    # an explanation ("because ...") of an uncovered post, folded on screen, is on paper
    assert "monitoring" in words and "Marketing" in words


def test_narrow_screens_drop_the_fit_bar_not_the_verdict(cli) -> None:
    run = cli("team", EXAMPLES / "spring-launch.yaml", "--format", "html")
    assert '<td class="bar"><svg' in run.out
    css = run.out[run.out.index("<style>") : run.out.index("</style>")]
    narrow = css[css.index("@media (max-width: 40rem)") :]
    assert ".bar { display: none; }" in narrow[: narrow.index("@media print")]


# --- 6. when, by what, with which pack ------------------------------------------------------------


def test_made_on_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EPOCH_VARIABLE, "0")
    assert made_on() == datetime.date(1970, 1, 1)
    monkeypatch.setenv(EPOCH_VARIABLE, "soon")
    with pytest.raises(StaffcheckError, match="SOURCE_DATE_EPOCH='soon' is not a time"):
        made_on()
    monkeypatch.delenv(EPOCH_VARIABLE)
    assert made_on() == datetime.date.today()


def test_team_report_records_when_what_and_which_pack(cli) -> None:
    team = EXAMPLES / "search-team.yaml"
    meta = cli("team", team, "--format", "json", "--as-of", "2027-06-01").json()["meta"]
    assert meta == {
        "made_on": "2026-12-01",  # tests/conftest.py pins SOURCE_DATE_EPOCH
        "as_of": "2027-06-01",
        "staffcheck": meta["staffcheck"],
        "pack": {"name": "staffcheck bundled knowledge base", "version": "1"},
    }
    table = cli("team", team).out
    assert "Made on 2026-12-01 by staffcheck" in table
    assert "Waivers judged as of 2026-12-01." in table  # the default --as-of is that day


@pytest.mark.parametrize(
    ("fmt", "args"),
    [
        ("table", ("screen", DRIVE_CSV)),
        ("json", ("screen", DRIVE_CSV)),
        ("markdown", ("explain", EXAMPLES / "spring-launch.yaml")),
        ("table", ("plan", "--strategy", "taobao-store")),
        ("json", ("plan", "--strategy", "taobao-store")),
    ],
)
def test_every_report_says_when_it_was_made(cli, fmt: str, args: tuple[str | Path, ...]) -> None:
    run = cli(*args, "--format", fmt)
    assert run.code in (0, 1), run.err
    if fmt == "json":
        assert run.json()["meta"]["made_on"] == "2026-12-01"
    else:
        assert "Made on 2026-12-01 by staffcheck" in run.out.replace("\n", " ")


def test_a_hostile_pack_name_in_the_footer_is_inert(cli, hostile_pack: Path) -> None:
    run = cli("screen", DRIVE_CSV, "--rules", hostile_pack, "--format", "markdown")
    assert run.code == 0, run.err
    footer = run.out.split("\n---\n")[-1]
    assert not LIVE_CONTROL.search(footer) and "\\x1b\\]0;PWNED" in footer
    html = cli("screen", DRIVE_CSV, "--rules", hostile_pack, "--format", "html").out
    assert not LIVE_CONTROL.search(html)


def test_without_meta_a_report_has_no_footer() -> None:
    report = Report(strategy=None, candidates=())
    assert "Made on" not in render(report, "table", RenderOptions())
