"""How screening and team reports read: a drive leads with its counts and shortlist (never a red
NO), open applications have their own section, people are named and posts labelled, and Chinese
tables line up."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from staffcheck.diagnose import screen
from staffcheck.i18n import SOURCE, set_language
from staffcheck.knowledge import find_strategy
from staffcheck.model import (
    BatchSummary,
    CandidateResult,
    KnowledgeBase,
    Labels,
    Profile,
    Report,
    RoleFit,
    Verdict,
)
from staffcheck.reporters import RenderOptions, render
from staffcheck.reporters.drive import PersonNames, drive_view
from staffcheck.reporters.terminal import _drive_table
from staffcheck.sources import read_applicants

from .conftest import EXAMPLES

TAOBAO_CSV = EXAMPLES / "exports" / "taobao-drive.csv"
SPRING = EXAMPLES / "spring-launch.yaml"
FORMATS = ("table", "markdown", "html")
HOSTILE = "[red]Boss[/red] <script>x</script> *a|b*"


def _drive(kb: KnowledgeBase, path: Path = TAOBAO_CSV) -> Report:
    """A screening of every applicant of `path` under the Taobao store strategy."""
    profiles = [p for p in read_applicants([str(path)], kb) if isinstance(p, Profile)]
    return screen(kb, profiles, find_strategy(kb, "taobao-store"))


def _text(report: Report, fmt: str, width: int = 80) -> str:
    return render(report, fmt, RenderOptions(width=width))


def _visible(html: str) -> str:
    """The page's text, tags removed (entities kept)."""
    return re.sub(r"<[^>]+>", "", html)


# --- a drive reads as a drive ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_drive_leads_with_its_counts_and_never_a_red_no(kb: KnowledgeBase, fmt: str) -> None:
    report = _drive(kb)
    counted = Counter(c.verdict for c in report.candidates)
    assert counted == {Verdict.FIT: 2, Verdict.PARTIAL: 1, Verdict.MISMATCH: 3}
    out = _text(report, fmt)
    headline = "2 of 6 fit, 1 partial, 3 do not fit"
    assert headline in out
    # The counts come before any table: the answer first.
    assert out.index(headline) < out.index("Fang Yu")
    assert "Mismatches found" not in out and "finds mismatches" not in out
    if fmt == "html":
        assert ">NO<" not in out and 'class="tag mismatch">NO' not in out
        lead = re.search(r'<p class="lead">(.*?)</p>', out)
        assert lead is not None and "mismatch" not in lead.group(1)


def test_a_drive_headline_in_the_terminal_is_not_red(kb: KnowledgeBase) -> None:
    out = render(_drive(kb), "table", RenderOptions(width=80, color=True))
    first_lines = out.split("\n\n", 1)[0]
    assert "2 of 6 fit" in first_lines
    assert "\x1b[1;31m" not in first_lines and "\x1b[31m" not in first_lines


def test_the_headline_counts_the_whole_batch_when_top_cuts_it(kb: KnowledgeBase) -> None:
    report = _drive(kb)
    summary = BatchSummary(6, 3, None, fit=2, partial=1, mismatch=3)
    cut = replace(report, candidates=report.candidates[:2], batch=summary)
    out = _text(cut, "table")
    assert "2 of 6 fit, 1 partial, 3 do not fit" in out
    assert "Showing the first 2 of 6." in out  # in input order: nothing was ranked


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cut_says_best_only_when_the_report_is_ranked(kb: KnowledgeBase, fmt: str) -> None:
    report = _drive(kb)
    summary = BatchSummary(6, 3, None, fit=2, partial=1, mismatch=3)
    cut = replace(report, candidates=report.candidates[:2], batch=summary)
    assert not cut.ranked
    unranked = _visible(_text(cut, fmt))
    assert "Showing the first 2 of 6." in unranked and "best 2" not in unranked
    ranked = _visible(_text(replace(cut, ranked=True), fmt))
    assert "Showing the best 2 of 6." in ranked
    set_language("zh")
    try:
        zh_unranked = _visible(_text(cut, fmt))
        zh_ranked = _visible(_text(replace(cut, ranked=True), fmt))
    finally:
        set_language(SOURCE)
    assert "仅显示 6 人中的前 2 人" in zh_unranked and "最匹配" not in zh_unranked
    assert "仅显示 6 人中最匹配的 2 人" in zh_ranked


@pytest.mark.parametrize("ident", ["a b", 'x"y', "张三", "<i>&", "t-101"])
def test_html_links_reach_their_person_whatever_the_id(kb: KnowledgeBase, ident: str) -> None:
    report = _drive(kb)
    first, second = report.candidates[0], report.candidates[1]
    near = "a-b" if ident == "a b" else "x-y"  # what a careless slug would merge it with
    people = (replace(first, id=ident), replace(second, id=near), *report.candidates[2:])
    out = _text(replace(report, candidates=people), "html", width=100)
    targets = re.findall(r'<h3 id="([^"]*)"', out)
    links = re.findall(r'<a href="#([^"]*)"', out)
    assert all(re.fullmatch(r"person-[A-Za-z0-9_-]+", t) for t in targets), targets
    assert len(set(targets)) == len(targets) == len(people)
    person_links = [link for link in links if link.startswith("person-")]
    assert person_links and set(person_links) <= set(targets)
    own = re.search(r'<h3 id="([^"]*)">[^\n]*?' + re.escape(first.name), out)
    assert own is not None and own.group(1) in person_links  # the link reaches their section


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_shortlist_holds_the_fit_and_partial_best_first(kb: KnowledgeBase, fmt: str) -> None:
    report = _drive(kb)
    view = drive_view(report)
    shortlisted = [r.candidate.name for r in view.shortlist]
    assert shortlisted == ["Fang Yu", "Ye Ting", "Jiang Lan"]  # fit 100, 100, then partial 91
    assert [r.candidate.name for r in view.rest] == ["Kong Jie", "Shi Lei", "Qin Hao"]
    out = _visible(_text(report, fmt))
    shortlist = out.index("Shortlist")
    rest = out.index("Not a fit for the post they applied for")
    positions = [out.index(name, shortlist) for name in shortlisted]
    assert positions == sorted(positions) and positions[-1] < rest
    assert all(out.index(r.candidate.name, shortlist) > rest for r in view.rest)


def test_team_reports_keep_their_verdict_headline(kb: KnowledgeBase, cli) -> None:
    out = cli("team", SPRING, "--format", "html").out
    assert 'class="tag mismatch">NO</span> This team cannot run the strategy as staffed' in out
    table = cli("team", SPRING).out
    assert "This team cannot run the strategy as staffed: 1 mismatch, 2 uncovered posts" in table


# --- open applications -----------------------------------------------------------------------


def _with_open_application(kb: KnowledgeBase) -> tuple[Report, CandidateResult]:
    """The drive, with Qin Hao as an open applicant: best on the SEO post, then two others."""
    report = _drive(kb)
    others = (
        RoleFit("site-planner", 64, reason="Essential skill one level below: site planning"),
        RoleFit("taobao-operator", 14, reason="SEO specialist staffed on a Taobao store post"),
    )
    qin = next(c for c in report.candidates if c.name == "Qin Hao")
    opened = replace(
        qin,
        role="seo-specialist",
        fit=72,
        verdict=Verdict.PARTIAL,
        open_application=True,
        better_roles=others,
    )
    candidates = tuple(opened if c is qin else c for c in report.candidates)
    return replace(report, candidates=candidates), opened


@pytest.mark.parametrize("fmt", FORMATS)
def test_open_applications_have_their_own_section(kb: KnowledgeBase, fmt: str) -> None:
    report, _ = _with_open_application(kb)
    out = _visible(_text(report, fmt, width=100))
    assert "1 open application" in out
    section = out[out.index("Open applications") :]
    assert "Qin Hao" in section
    assert "best post SEO specialist, fit 72 (partial)" in section
    site = section.index("Site planner, fit 64: Essential skill one level below: site planning")
    taobao = section.index("Taobao store operator, fit 14: SEO specialist staffed on a Taobao")
    assert site < taobao  # the other posts best first


def test_an_open_applicant_is_shortlisted_for_the_best_post_without_a_better_one(
    kb: KnowledgeBase,
) -> None:
    report, _ = _with_open_application(kb)
    out = _text(report, "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| ") and "Qin Hao" in line)
    assert "SEO specialist (open application)" in row
    assert row.rstrip(" |").endswith("—")  # its other posts are not "better posts"


# --- names first -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_people_are_named_and_posts_labelled_not_ids(kb: KnowledgeBase, fmt: str, cli) -> None:
    out = cli("team", SPRING, "--format", fmt).out
    visible = _visible(out) if fmt == "html" else out
    coverage = visible[visible.index("Coverage") :]
    for name in ("Ma Jun", "Sun Li", "Guo Ping", "Luo Xia"):
        assert name in coverage
    tables = visible[: visible.index("Uncovered posts")]  # findings and advice: the data's words
    assert "Sun Li (c-1042)" not in tables and "Ma Jun (e-1)" not in tables
    assert "Taobao store operator" in coverage
    assert "taobao-operator" not in tables and "soft-text" not in tables
    assert "profit-model" not in tables and "Profit model" in tables
    if fmt == "html":
        assert "<title>c-1042</title>Sun Li</text>" in out  # the id on hover


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_people_with_one_name_get_their_ids(kb: KnowledgeBase, fmt: str) -> None:
    report = _drive(kb)
    first, second = report.candidates[0], report.candidates[1]
    twins = [replace(first, name="Wang Fang"), replace(second, name="Wang Fang")]
    report = replace(report, candidates=(*twins, *report.candidates[2:]))
    out = _text(report, fmt, width=100)
    if fmt == "html":
        assert f'<span class="person-id">({first.id})</span>' in out
        assert f'<span title="{second.id}">Wang Fang' in out
    else:
        assert f"Wang Fang ({first.id})" in out and f"Wang Fang ({second.id})" in out
    third = report.candidates[2]
    assert f"{third.name} ({third.id})" not in _visible(out)


def test_skills_in_reasons_and_questions_are_labelled(kb: KnowledgeBase) -> None:
    view = drive_view(_drive(kb))
    jiang = next(r.candidate for r in view.shortlist if r.candidate.name == "Jiang Lan")
    assert jiang.findings[0].skill == "merchandise-operations"
    ranked = replace(_drive(kb), ranked=True, candidates=(jiang,))
    assert "one level below: Merchandise operations" in _text(ranked, "markdown")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hostile_name_stays_text_with_names_first(kb: KnowledgeBase, fmt: str) -> None:
    report = _drive(kb)
    hostile = [replace(c, name=HOSTILE) for c in report.candidates[:2]]  # shared: ids shown
    report = replace(report, candidates=(*hostile, *report.candidates[2:]))
    out = _text(report, fmt, width=120)
    assert fmt == "table" or "<script>" not in out
    if fmt == "table":
        assert "[red]Boss[/red]" in out
    if fmt == "markdown":
        assert r"\[red\]Boss\[/red\] &lt;script&gt;x&lt;/script&gt; \*a\|b\*" in out
    if fmt == "html":
        assert "[red]Boss[/red] &lt;script&gt;x&lt;/script&gt; *a|b*" in out


# --- Chinese ---------------------------------------------------------------------------------

ZH_LABELS = Labels(
    posts={
        "taobao-operator": "淘宝店铺运营",
        "customer-service-rep": "网店客服",
        "portal-promoter": "门户网站推广专员",
        "seo-specialist": "SEO专员",
    },
    skills={"merchandise-operations": "商品运营", "taobao-operations": "淘宝店铺运营"},
)
ZH_NAMES = ("方宇", "秦浩", "江岚", "石磊", "叶婷", "孔杰")


def _chinese_drive(kb: KnowledgeBase) -> Report:
    report = _drive(kb)
    named = tuple(replace(c, name=ZH_NAMES[i]) for i, c in enumerate(report.candidates))
    return replace(report, candidates=named, labels=ZH_LABELS)


def test_zh_report_speaks_chinese_and_tags_the_page(kb: KnowledgeBase) -> None:
    set_language("zh")
    try:
        report = _chinese_drive(kb)
        table = _text(report, "table")
        html = _text(report, "html")
    finally:
        set_language(SOURCE)
    assert "6 人中 2 人匹配，1 人部分匹配，3 人不匹配" in table
    assert "入围名单" in table and "Shortlist" not in table
    assert '<html lang="zh">' in html
    assert "Screening report" not in html and "候选人筛选报告" in html


def test_zh_tables_line_up(kb: KnowledgeBase) -> None:
    """Every line of a Chinese table is as wide on screen as the others: borders align."""
    set_language("zh")
    try:
        report = _chinese_drive(kb)
        view = drive_view(report)
        for rows in (view.shortlist, view.rest):
            buffer = io.StringIO()
            console = Console(file=buffer, width=80, color_system=None, legacy_windows=False)
            console.print(_drive_table(report, rows, PersonNames(report)))
            lines = buffer.getvalue().rstrip("\n").split("\n")
            assert len(lines) >= len(rows) + 2  # heading, rule, a line or more a person
            assert len({cell_len(line) for line in lines}) == 1, lines
            assert max(cell_len(line) for line in lines) <= 80
        out = _text(report, "table")
    finally:
        set_language(SOURCE)
    # In the printed report (trailing blanks trimmed) the fit column ends in one screen column.
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("#  "))
    fit_end = cell_len(lines[head][: lines[head].index("匹配度") + 3])
    table = lines[head + 2 : lines.index("", head)]  # the shortlist, to its blank line
    rows = [line for line in table if re.match(r"\d+ ", line)]
    assert len(rows) == 3
    for row in rows:
        number = re.search(r"(\d+)\s+(匹配|部分匹配)", row)
        assert number is not None
        assert cell_len(row[: number.end(1)]) == fit_end, row
    assert all(cell_len(line) <= 80 for line in lines)


def test_cli_zh_renders_the_drive_in_chinese(cli) -> None:
    run = cli("screen", TAOBAO_CSV, "--post", "taobao-operator", "--format", "html", "--lang", "zh")
    assert run.code == 0, run.err
    assert '<html lang="zh">' in run.out
    assert "6 人中 2 人匹配，1 人部分匹配，3 人不匹配" in run.out


def test_a_chinese_team_report_never_starts_a_cell_line_with_closing_punctuation(cli) -> None:
    out = cli("--lang", "zh", "team", EXAMPLES / "spring-launch.yaml").out
    # Table cells and wrapped lines alike: every run of text after two spaces or a line start.
    pieces = [p for line in out.splitlines() for p in re.split(r"\s{2,}", line.strip()) if p]
    assert not [p for p in pieces if p[0] in "）」』】〉》，、。：；！？"]
    assert "电商美工（视觉设计）" in out  # the post's name, whole where the column has room
