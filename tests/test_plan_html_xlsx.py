"""A plan as an HTML page with an SVG Gantt chart, and as an XLSX workbook with bars in cells."""

from __future__ import annotations

import dataclasses
import datetime
import html
import io
import itertools
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from staffcheck.i18n import speaking
from staffcheck.project_plan import ProjectPlan
from staffcheck.reporters import render, render_bytes
from staffcheck.reporters.plan_gantt import DAY_W, LONG_DAY_W, LONG_PLAN

from .plan_html_samples import (
    HOSTILE_CJK,
    HOSTILE_QUOTES,
    HOSTILE_SCRIPT,
    START,
    hostile_plan,
    sample_plan,
)
from .plan_samples import unknowns_plan, years_plan
from .xlsx_dump import dump_xlsx, glyph_of


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each SVG <text>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.svg_texts: list[str] = []
        self._in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_text = tag == "text"

    def handle_endtag(self, tag: str) -> None:
        self._in_text = False

    def handle_data(self, data: str) -> None:
        if self._in_text:
            self.svg_texts.append(data)


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def _bars(page: str) -> dict[str, dict[str, str]]:
    return {a["data-step"]: a for t, a in _parse(page).tags if t == "rect" and "data-step" in a}


def _page(plan: ProjectPlan | None = None) -> str:
    return render(plan or sample_plan(), "html")


# --- HTML ---------------------------------------------------------------------------------------


def test_the_page_has_every_section_in_the_language_in_use() -> None:
    page = _page()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    for section in ("summary", "goals", "analysis", "implementation", "steps", "preparations",
                    "operating", "costs", "what-if"):  # fmt: skip
        assert f'id="{section}"' in page
    assert "<title>Plan: SEO launch</title>" in page
    assert "6 Jan 2027 → 4 Feb 2027: 22 working days" in page
    assert "Total cost: ¥18,500" in page
    assert "What if: hire a Data analyst" in page
    assert "@page { size: A4 landscape" in page


def test_one_bar_per_step_at_its_working_day_on_the_week_grid() -> None:
    plan = sample_plan()
    page = _page(plan)
    bars = _bars(page)
    assert set(bars) == {s.id for s in plan.steps}
    origins = {int(bars[s.id]["x"]) - s.start_day * DAY_W for s in plan.steps}
    assert len(origins) == 1  # every bar measured from one day 0
    (origin,) = origins
    for step in plan.steps:
        assert int(bars[step.id]["width"]) == (step.end_day - step.start_day) * DAY_W
    # The plan starts on a Wednesday: Monday 11 Jan is working day 3, Monday 18 Jan day 8.
    lines = {int(x) for x in re.findall(r'<line class="week" x1="(\d+)"', page)}
    assert {origin, origin + 3 * DAY_W, origin + 8 * DAY_W} <= lines
    dates = dict(re.findall(r'<text class="week" x="(\d+)"[^>]*>([^<]+)</text>', page))
    assert dates[str(origin + 2)] == "6 Jan" and dates[str(origin + 8 * DAY_W + 2)] == "18 Jan"
    # 11 Jan, three days after the start's date, keeps its line but not a label over 6 Jan's
    assert "11 Jan" not in dates.values()
    finish = re.search(r'<line class="finish" x1="(\d+)"', page)
    assert finish is not None and int(finish.group(1)) == origin + plan.days * DAY_W


def test_a_long_plan_gets_narrower_days_and_dates_that_never_overlap() -> None:
    plan = sample_plan()
    late = dataclasses.replace(plan.steps[-1], start_day=LONG_PLAN + 40, end_day=LONG_PLAN + 50)
    plan = dataclasses.replace(plan, steps=(*plan.steps[:-1], late), days=LONG_PLAN + 50)
    page = _page(plan)
    bars = _bars(page)
    origin = int(bars["goals-workshop"]["x"])
    assert int(bars["ads"]["x"]) == origin + (LONG_PLAN + 40) * LONG_DAY_W
    assert int(bars["ads"]["width"]) == 10 * LONG_DAY_W
    labels = sorted(int(x) for x in re.findall(r'<text class="week" x="(\d+)"', page))
    lines = re.findall(r'<line class="week"', page)
    assert len(lines) > len(labels) > 10  # every Monday has its line; every other one its date
    assert min(b - a for a, b in itertools.pairwise(labels)) >= 40


def test_critical_steps_are_marked_in_colour_and_in_words() -> None:
    plan = sample_plan()
    page = _page(plan)
    bars = _bars(page)
    critical = {s.id for s in plan.steps if s.critical}
    assert {i for i, a in bars.items() if "critical" in a["class"]} == critical
    texts = _parse(page).svg_texts
    assert "★ Agree goals and KPIs" in texts and "Write the first articles" in texts
    assert (
        "Scan the market — Li Na (member), 8 Jan 2027 – 14 Jan 2027 · on the critical path" in page
    )
    # preparations are hatched, with the person beside the bar
    assert page.count('class="bar preparation"') == len(plan.preparations)
    assert 'fill="url(#gantt-hatch)"' in page and "Zhou Min" in texts


def test_hostile_names_stay_text_in_html_svg_and_attributes() -> None:
    plan = hostile_plan()
    page = _page(plan)
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in page
    parsed = _parse(page)
    assert not any(tag == "script" or any(k.startswith("on") for k in a) for tag, a in parsed.tags)
    # the step id with a quote comes back whole from its attribute
    assert 'x"><svg onload=alert(1)>' in _bars(page)
    assert f"★ {HOSTILE_SCRIPT}" in parsed.svg_texts and HOSTILE_QUOTES in parsed.svg_texts
    # the person beside the bar is clipped to 24 cells before escaping, never inside an entity
    assert "<script>alert('x')</scr…" in parsed.svg_texts
    # a long Chinese name is clipped in the chart (whole in the table and the hover title)
    clipped = [t for t in parsed.svg_texts if t.startswith("★ 搜索引擎")]
    assert clipped and clipped[0].endswith("…") and len(clipped[0]) < len(HOSTILE_CJK)
    assert page.count(HOSTILE_CJK) >= 2
    # every & begins a whole entity: nothing was cut after escaping
    assert not re.search(r"&(?!(amp|lt|gt|quot|#x27);)", page)


def test_the_page_asks_for_nothing_from_the_network() -> None:
    page = _page()
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "<script" not in page and "@import" not in page and "url(http" not in page
    assert re.findall(r"https?://[^\s\"'<]+", page) == ["http://www.w3.org/2000/svg"]


def test_without_a_team_the_analysis_lists_the_posts_to_fill() -> None:
    page = _page(sample_plan(team=False))
    assert "No team file: every post is a hire." in page
    analysis = page[page.index('id="analysis"') : page.index('id="implementation"')]
    assert "Posts to fill" in analysis and "SEO specialist" in analysis
    assert "Verdict" not in analysis


def test_the_page_in_chinese() -> None:
    with speaking("zh"):
        page = _page()
    assert '<html lang="zh">' in page
    assert "<title>实施方案：SEO launch</title>" in page
    assert "1. 设定目标" in page and "3. 分解实施" in page and "关键路径" in page
    assert "2027年1月6日 → 2027年2月4日：共 22 个工作日" in page
    follow_up = page[page.index('id="operating"') :]
    assert "<th>任职者</th>" in follow_up and "<th>人数</th>" not in follow_up  # names, not a count


# --- XLSX ---------------------------------------------------------------------------------------


def _book(plan: ProjectPlan | None = None, lang: str = "en"):  # type: ignore[no-untyped-def]
    with speaking(lang):
        data = render_bytes(plan or sample_plan(), "xlsx")
    return load_workbook(io.BytesIO(data))


def _week_of(day: datetime.date) -> int:
    """The calendar week of `day`, counted from the week of the plan's start (by the calendar)."""
    monday = START - datetime.timedelta(days=START.weekday())
    return (day - monday).days // 7


def test_the_plan_sheet_has_a_row_per_step_and_its_bar_in_the_right_weeks() -> None:
    plan = sample_plan()
    sheet = _book(plan)["Plan"]
    header = [c.value for c in sheet[1]]
    first_week = header.index("Cost") + 2  # 1-based column of the first week
    assert sheet.freeze_panes == f"{sheet.cell(1, first_week).column_letter}2"
    assert sheet.cell(1, first_week).value == datetime.datetime(2027, 1, 4)  # the start's Monday
    weeks = len(header) - first_week + 1
    assert weeks == _week_of(plan.finish) + 1
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(plan.preparations) + len(plan.steps)
    for row, step in zip(rows[len(plan.preparations) :], plan.steps, strict=True):
        assert row[1].value == step.name and row[4].value == datetime.datetime.combine(
            step.start, datetime.time()
        )
        assert row[4].number_format == "yyyy-mm-dd"
        drawn = {i for i, c in enumerate(row[first_week - 1 :]) if glyph_of(c) != " "}
        assert drawn == set(range(_week_of(step.start), _week_of(step.end) + 1))
        assert {glyph_of(row[first_week - 1 + i]) for i in drawn} == {"█" if step.critical else "▓"}
    hiring = rows[1]
    assert {glyph_of(c) for c in hiring[first_week - 1 :]} == {"░"}


def test_no_cell_is_a_formula_even_when_the_text_looks_like_one() -> None:
    book = _book(hostile_plan())
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    assert '=HYPERLINK("http://x")' in texts and "=SUM(A1:A9) leads" in texts
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value[:1] == "=")
    assert HOSTILE_SCRIPT in texts


def test_the_workbook_is_the_same_bytes_every_time_and_dumps_readably() -> None:
    first = render_bytes(sample_plan(), "xlsx")
    assert first == render_bytes(sample_plan(), "xlsx")
    dump = dump_xlsx(first)
    assert [line for line in dump.splitlines() if line.startswith("==")] == [
        "== Summary ==", "== Plan ==", "== Goals ==", "== Follow-up ==", "== Costs ==",
        "== What if ==",
    ]  # fmt: skip
    assert "Research | Agree goals and KPIs | Li Na | SEO specialist | 2027-01-06 | 2027-01-07 " \
           "| 2 | yes | 1000 |█    |" in dump  # fmt: skip
    assert "| 2027-01-15 | 2027-01-19 | 3 |  | 1500 | ▓▓  |" in dump
    assert "More leads | '=SUM(A1:A9) leads | yes" in dump


def test_the_other_sheets_hold_goals_follow_up_and_costs() -> None:
    book = _book()
    goals = [[c.value for c in r] for r in book["Goals"].iter_rows(min_row=2)]
    assert goals[0][:2] == ["Grow organic search traffic", "10,000 visits a month"]
    follow = {r[0].value: r for r in book["Follow-up"].iter_rows(min_row=2)}
    assert follow["Content writer"][3].value is not None
    assert (
        "Advanced SEO course: Zhou Min, 2027-01-06 – 2027-01-11"
        in follow["Content writer"][3].value
    )
    assert (follow["Data analyst"][4].value, follow["Data analyst"][5].value) == (15000, 22000)
    costs = [[c.value for c in r] for r in book["Costs"].iter_rows(min_row=2)]
    assert costs[-1] == ["Total", "Total", 8500, 6000, 3000, 1000, 18500]


def test_the_workbook_in_chinese() -> None:
    book = _book(lang="zh")
    assert book.sheetnames == ["概要", "方案", "目标", "跟进", "成本", "假设"]
    header = [c.value for c in book["方案"][1]]
    assert header[:9] == [
        "模块",
        "步骤",
        "姓名",
        "岗位",
        "开始",
        "结束",
        "工作日",
        "关键路径上",
        "成本",
    ]
    assert book["方案"].cell(1, header.index("成本") + 2).number_format == 'm"月"d"日"'


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_a_plan_with_no_steps_still_renders(fmt: str) -> None:
    plan = dataclasses.replace(sample_plan(), steps=(), preparations=(), days=0, what_if=None)
    out = render(plan, fmt) if fmt == "html" else render_bytes(plan, fmt)
    assert out


# --- in a real browser (skipped without Chromium, as tests/test_browser.py is) ------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Chromium's own service traffic (updates, accounts) shows in the net log whatever the page does.
CHROMIUM_SERVICES = re.compile(
    r"^(https?://)?([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com)(:\d+)?(/|$)"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip


@pytest.fixture
def hostile_page(tmp_path: Path) -> Path:
    page = tmp_path / "plan.html"
    page.write_text(_page(hostile_plan()), encoding="utf-8")
    return page


@needs_chromium
def test_the_browser_draws_the_chart_and_runs_nothing(tmp_path: Path, hostile_page: Path) -> None:
    dom = _chromium(tmp_path, "--dump-dom", hostile_page.as_uri()).stdout
    assert "<title>Plan: &lt;script&gt;alert('x')&lt;/script&gt;</title>" in dom
    assert "<script" not in dom
    assert dom.count('class="bar ') == len(hostile_plan().steps) + len(hostile_plan().preparations)
    shot = tmp_path / "plan.png"
    _chromium(tmp_path, "--window-size=1400,1800", f"--screenshot={shot}", hostile_page.as_uri())
    # A blank white page compresses to a few KB; the chart and tables do not.
    assert shot.stat().st_size > 30_000


@needs_chromium
def test_the_page_makes_no_network_request(tmp_path: Path, hostile_page: Path) -> None:
    log = tmp_path / "netlog.json"
    _chromium(tmp_path, f"--log-net-log={log}", "--virtual-time-budget=3000", "--dump-dom",
              hostile_page.as_uri())  # fmt: skip
    events = json.loads(log.read_text(encoding="utf-8")).get("events", [])
    urls = {str(e["params"]["url"]) for e in events if "url" in e.get("params", {})}
    assert {
        u for u in urls if not CHROMIUM_SERVICES.match(u) and not u.startswith(("file:", "data:"))
    } == set()


@needs_chromium
def test_the_printed_pdf_holds_every_step(tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    page.write_text(_page(), encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed: the PDF's text is not checked")
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    for step in sample_plan().steps:
        assert step.name in text


# --- red-team defects ---------------------------------------------------------------------------


def _texts(book) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]


@pytest.mark.parametrize(
    "name", ["\x1b[31mRED", "a\x00b\x07c\x1fd", "Evil\u202eFIG.exe", "x\u200by"]
)
def test_control_and_bidi_characters_reach_no_cell_raw(name: str) -> None:
    plan = sample_plan()
    person = dataclasses.replace(plan.steps[0].assignee, name=name)
    steps = (dataclasses.replace(plan.steps[0], name=name, assignee=person), *plan.steps[1:])
    texts = _texts(_book(dataclasses.replace(plan, steps=steps, team=name)))
    raw = re.compile("[\x00-\x08\x0b-\x1f\u200b\u202a-\u202e]")
    assert not [t for t in texts if raw.search(t)]
    shown = name.encode("unicode_escape").decode("ascii")  # ``\x1b[31mRED``: visible, inert
    assert any(shown in t for t in texts)


def test_the_workbook_sums_the_plan_up_and_shows_its_what_if() -> None:
    plan = sample_plan()
    book = _book(plan)
    summary = [c.value for c in book["Summary"]["A"]]
    assert summary[0] == f"Plan · strategy {plan.strategy.name} ({plan.strategy.id})"
    assert summary[1] == f"Team: {plan.team}"
    assert "6 Jan 2027 → " in summary[2] and f"{plan.days} working days" in summary[2]
    assert (
        summary[3]
        == "Critical path: Agree goals and KPIs → Scan the market → Refine the keyword list"
    )
    what_if = [[c.value for c in row] for row in book["What if"].iter_rows()]
    assert what_if[0][0] == "What if: hire a Data analyst"
    # the last working days 29 and 21 counted from Wed 6 Jan: Tue 16 Feb and Thu 4 Feb
    assert what_if[1][0] == "Finish: 16 Feb → 4 Feb"
    assert "total ¥12,000 → ¥18,500" in what_if[2][0]
    moved = what_if[5]
    assert moved[:2] == ["Run the launch ads", "Li Na"] and moved[4] == "hire: Data analyst"
    assert moved[5] == datetime.datetime(2027, 2, 3)  # working day 20 after Wed 6 Jan
    assert "What if" not in _book(dataclasses.replace(plan, what_if=None)).sheetnames


def test_the_chinese_workbook_names_people_and_the_strategy_in_chinese_forms() -> None:
    book = _book(lang="zh")
    assert book["概要"]["A1"].value.startswith("实施方案 · 策略：")
    follow = book["跟进"]
    assert follow["B1"].value == "任职者"  # the people holding the post, not a headcount
    assert "人数" not in [c.value for c in follow[1]]
    held = {r[0].value: r[1].value for r in follow.iter_rows(min_row=2)}
    assert any(v == "Zhou Min（培训后）" for v in held.values())
    assert not [t for t in _texts(book) if "(培训后)" in t]


def _twins() -> ProjectPlan:
    plan = sample_plan()
    twin = dataclasses.replace(plan.steps[-1].assignee, id="li-na-2", name="Li Na")
    return dataclasses.replace(
        plan, steps=(*plan.steps[:-1], dataclasses.replace(plan.steps[-1], assignee=twin))
    )


def test_two_people_of_one_name_are_told_apart_in_the_svg_and_the_workbook() -> None:
    plan = _twins()
    persons = [t for t in _parse(_page(plan)).svg_texts if t.startswith("Li Na")]
    assert "Li Na (li-na-2)" in persons and "Li Na (li-na)" in persons
    rows = {r[1].value: r[2].value for r in _book(plan)["Plan"].iter_rows(min_row=2)}
    assert rows["Run the launch ads"] == "Li Na (li-na-2)"
    assert rows["Agree goals and KPIs"] == "Li Na (li-na)"
    alone = [t for t in _parse(_page()).svg_texts if t.startswith("Li Na")]
    assert alone and set(alone) == {"Li Na"}  # a name nobody shares keeps no id


def test_a_hire_s_bar_does_not_call_the_hire_a_hire_twice() -> None:
    page = _page()
    tips = re.findall(r"<title>([^<]*)</title>", page)
    assert any("hire: Data analyst" in t for t in tips)
    assert not [t for t in tips if "(to hire)" in t]


def test_a_plan_of_years_keeps_its_chart_to_a_page_width() -> None:
    plan = years_plan()  # five years of working days
    page = _page(plan)
    width = int(re.search(r'<svg[^>]* width="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert width <= 1600  # on screen without scrolling far; scaled to A4 landscape in print
    bars = _bars(page)
    xs = [int(bars[f"phase-{n}"]["x"]) for n in range(5)]
    spans = {b - a for a, b in itertools.pairwise(xs)}
    assert max(spans) - min(spans) <= 1  # equal steps stay equal bars
    last = bars["phase-4"]
    assert int(last["x"]) + int(last["width"]) <= width
    # weeks this narrow would be a grey wash: the grid marks months, labelled with their year
    assert len(re.findall(r'<line class="week"', page)) < 80
    labels = re.findall(r'<text class="week"[^>]*>([^<]*)</text>', page)
    assert "Jan 2028" in labels


# --- what the plan does not know ------------------------------------------------------------


def _section(page: str, ident: str) -> str:
    start = page.index(f'<section id="{ident}"')
    return page[start : page.index("</section>", start)]


def test_the_page_says_what_the_plan_does_not_know() -> None:
    page = _page(unknowns_plan())
    assert "4 Jan 2027 (2 Jan 2027 is a weekend day) → 12 Feb 2027" in _section(page, "summary")
    stage3 = _section(page, "implementation")
    assert "No work steps in the pack for: Paid search ads" in stage3
    assert "¥5,000 + unpriced" in stage3  # the step whose spend is unknown
    preparations = stage3[stage3.index('<h3 id="preparations">') :]
    hiring = next(row for row in preparations.split("<tr>") if "recruit a Data analyst" in row)
    assert ">unpriced<" in hiring and "¥0" not in hiring
    costs = _section(page, "costs")
    assert "The totals count the cost of the plan's work" in html.unescape(costs)
    assert "Not priced: spend: Plan the site structure, recruit a Data analyst" in costs
    assert costs.count("recruit a Data analyst") == 1
    assert "Not priced: pay: Data analyst" in _section(page, "what-if")


def test_a_page_that_knows_everything_says_nothing_of_unknowns() -> None:
    page = _page()
    for words in ("weekend", "No work steps", "Not priced", "unpriced"):
        assert words not in page


def test_the_workbook_says_what_the_plan_does_not_know() -> None:
    book = _book(unknowns_plan())
    summary = [r[0].value for r in book["Summary"].iter_rows()]
    assert any("(2 Jan 2027 is a weekend day)" in (v or "") for v in summary)
    plan = {r[1].value: [c.value for c in r[:9]] for r in book["Plan"].iter_rows(min_row=2)}
    assert plan["recruit a Data analyst"][8] == "unpriced"
    assert plan["Plan the site structure"][8] == "¥5,000 + unpriced"
    assert plan["Audit the site"][8] == 1500  # a known cost stays a number
    notes = [r[0].value for r in book["Plan"].iter_rows() if r[0].value]
    assert "No work steps in the pack for: Paid search ads" in notes
    costs = [r[0].value for r in book["Costs"].iter_rows() if r[0].value]
    assert "Not priced: spend: Plan the site structure, recruit a Data analyst" in costs
    assert any(str(v).startswith("The totals count the cost") for v in costs)
    what_if = [r[0].value for r in book["What if"].iter_rows() if r[0].value]
    assert "Not priced: pay: Data analyst" in what_if


def test_the_unknowns_in_chinese_on_the_page_and_in_the_workbook() -> None:
    with speaking("zh"):
        page = render(unknowns_plan(), "html")
    assert "知识包中以下模块没有工作步骤" in page
    assert "未计价：pay: Data analyst" in page
    assert "Not priced" not in page and "weekend" not in page
    book = _book(unknowns_plan(), "zh")
    costs = [str(r[0].value) for r in book["成本"].iter_rows() if r[0].value]
    assert any(v.startswith("合计包括") for v in costs)
