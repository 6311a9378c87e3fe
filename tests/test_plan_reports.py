"""The three-stage plan in the terminal (a Gantt chart by week), as Markdown (a Mermaid gantt
block) and as ``staffcheck.plan/2`` JSON, on plans built by hand (tests/plan_samples.py)."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Callable

import pytest
from rich.cells import cell_len

from staffcheck import i18n
from staffcheck.escaping import escape_markdown, inert
from staffcheck.project_plan import Assignee, AssigneeKind, ProjectPlan
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.plan_json import render_json
from staffcheck.reporters.plan_markdown import mermaid_text, render_markdown
from staffcheck.reporters.plan_text import CRITICAL_MARK, WORK, render_table
from staffcheck.reporters.plan_text_gantt import Unit, bar, month_columns, scale_for, week_columns
from tests.plan_samples import (
    HOSTILE_NAMES,
    hostile_plan,
    long_plan,
    small_plan,
    unknowns_plan,
    years_plan,
)

PLAIN = RenderOptions(color=False, width=80)
SAMPLES = {"small": small_plan, "long": long_plan, "hostile": hostile_plan}


def _chart(text: str) -> list[str]:
    """The Gantt chart's lines: from its header row to its legend."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  Step "))
    last = next(i for i, line in enumerate(lines) if i > first and line.startswith(WORK))
    return lines[first : last + 1]


def _row(chart: list[str], name: str) -> str:
    return next(line for line in chart if line[2:].startswith(name))


# --- terminal ---------------------------------------------------------------------------------


def test_the_terminal_plan_has_its_three_stages_and_follow_up_in_order() -> None:
    text = render_table(small_plan(), PLAIN)
    headings = [
        "Plan · strategy Search-centred growth (search-growth)",
        "1 · Set goals: goals and KPIs",
        "2 · Analyse: the team against the strategy",
        "Gaps and who fills them",
        "3 · Implement: the steps, people and dates (Gantt chart)",
        "Finish: 12 Feb 2027",
        "Critical path: Define the traffic goals → Audit the site",
        "Follow-up: the operating system",
        "Who trains or is hired, and when",
        "Costs (CNY)",
        "What if: hire a Data analyst",
    ]
    places = [text.index(heading) for heading in headings]
    assert places == sorted(places)
    assert "4 Jan 2027 → 12 Feb 2027: 30 working days, ¥28,500 in all" in text
    assert "20,000 organic visits a month by June *" in text  # the company's KPI, marked
    assert "Finish: 5 Mar → 12 Feb" in text
    assert "+¥14,000/month" in text


def test_without_a_team_the_analysis_lists_the_posts_to_fill() -> None:
    text = render_table(long_plan(), PLAIN)
    assert "No team file: every post is a hire." in text
    assert "2 · Analyse: the posts to fill" in text
    assert re.search(r"Data analyst\s+critical\s+2\n", text)
    assert "What if" not in text


def test_chart_rows_sit_under_their_module_in_plan_order() -> None:
    plan = small_plan()
    chart = _chart(render_table(plan, PLAIN))
    headings = {chart.index(plan.labels.module(m)): m for m in ("site", "seo", "analytics")}
    for step in plan.steps:
        at = chart.index(_row(chart, step.name))
        module_above = headings[max(h for h in headings if h < at)]
        assert module_above == step.module, step.name
    preparations = chart.index("Hiring and training")
    assert preparations < min(headings)
    assert _row(chart, "Content writing course").index("░") > 0


def test_a_step_of_weeks_two_and_three_is_drawn_in_those_weeks() -> None:
    chart = _chart(render_table(small_plan(), PLAIN))
    bars_at = chart[0].index("4 Jan")  # the ruler starts at the first week's column
    row = _row(chart, "Plan the site structure")  # working days 5-14: weeks 2 and 3
    weeks = row[bars_at:]
    assert weeks == "  ████", "two cells a week: week 1 empty, weeks 2-3 drawn"
    first_step = _row(chart, "Define the traffic goals")[bars_at:]
    assert first_step == "██"


@pytest.mark.parametrize("start", [datetime.date(2027, 1, 4), datetime.date(2027, 1, 6)])
def test_week_columns_follow_the_calendar_weeks(start: datetime.date) -> None:
    columns = week_columns(start, 30, 1)
    # Each column is the working days of one calendar week: each starts on a Monday but the first.
    assert all(column.date.weekday() == 0 for column in columns[1:])
    assert columns[0].date == start
    assert [c.first for c in columns[1:]] == [c.end for c in columns[:-1]]
    monday_of_week_2 = 5 - start.weekday()
    scale = scale_for(start, 30, 100)
    assert scale is not None
    drawn = bar(scale, monday_of_week_2, monday_of_week_2 + 1, "#")
    assert drawn.strip() == "##" and drawn.index("#") == 2


def test_a_long_plan_scales_its_columns_down_to_fit() -> None:
    plan = long_plan()  # 200 working days: 40 weeks
    assert scale_for(plan.start, plan.days, 80) is not None
    assert scale_for(plan.start, plan.days, 80).unit is Unit.WEEK  # type: ignore[union-attr]
    assert scale_for(plan.start, plan.days, 30).unit is Unit.FORTNIGHT  # type: ignore[union-attr]
    assert scale_for(plan.start, plan.days, 12).unit is Unit.MONTH  # type: ignore[union-attr]
    assert len(month_columns(plan.start, plan.days)) == 10  # January to October 2027
    narrow = render_table(plan, RenderOptions(width=60))
    words = " ".join(narrow.split())
    assert "one column = 2 weeks" in words or "one column = 1 month" in words
    chart = _chart(narrow)
    last, first = _row(chart, "Step number 9"), _row(chart, "Step number 0")
    bars_at = chart[0].index("4 Jan")
    assert first[bars_at] == WORK and last[bars_at] == " "
    assert len(last) == max(len(line) for line in chart if line.startswith("!"))


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_no_line_is_wider_than_the_terminal(sample: str, lang: str, width: int) -> None:
    with i18n.speaking(lang):
        text = render_table(SAMPLES[sample](), RenderOptions(width=width))
    wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert not wide


def test_critical_steps_are_marked_and_the_legend_says_so() -> None:
    plan = small_plan()
    chart = _chart(render_table(plan, PLAIN))
    for step in plan.steps:
        assert _row(chart, step.name).startswith(CRITICAL_MARK) == step.critical, step.name
    assert f"{CRITICAL_MARK} critical path" in chart[-1]
    coloured = render_table(plan, RenderOptions(color=True, width=80))
    red = [line for line in coloured.splitlines() if "\x1b[1;31m" in line]
    assert any("Refine the keyword list" in line for line in red)
    assert not any("Write the content plan" in line for line in red)


def test_hostile_names_stay_text_in_the_terminal() -> None:
    text = render_table(hostile_plan(), RenderOptions(color=True, width=80))
    assert "[bold red]Boss" in text  # rich markup shown, not obeyed
    assert "\x1b]" not in text and "\x1b[31m" not in text and "\x07" not in text
    assert "\\x1b[31mRed" in text  # the escape is shown as text
    assert "数据分析与搜索引擎优化" in text


# --- Markdown and Mermaid ---------------------------------------------------------------------

_DATE = r"\d{4}-\d{2}-\d{2}"
#: A task of Mermaid's gantt syntax: a name without the characters that end or comment it,
#: then ``:``, optional tags, an id, a start and an end date.
TASK = re.compile(
    rf"^    (?P<name>[^:;#%`<>\n]+?) :(?P<tags>(?:(?:crit|active|done|milestone), )*)"
    rf"(?P<id>t\d+), (?P<start>{_DATE}), (?P<end>{_DATE})$"
)
STATEMENT = re.compile(
    r"^(gantt|    title [^:;#%`<>\n]+|    dateFormat YYYY-MM-DD|    axisFormat [^:;#`<>\n]+|"
    r"    section [^:;#%`<>\n]+)$"
)
KEYWORD_START = re.compile(
    r"(?i)^\s*(section|title|click|dateformat|axisformat|excludes|acctitle|weekday|\d{4}-\d\d-\d\d)"
)


def _mermaid(markdown: str) -> list[str]:
    blocks = re.findall(r"```mermaid\n(.*?)\n```", markdown, re.S)
    assert len(blocks) == 1
    return str(blocks[0]).splitlines()


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_every_line_of_the_mermaid_block_is_a_statement_or_a_task(sample: str) -> None:
    plan: ProjectPlan = SAMPLES[sample]()
    lines = _mermaid(render_markdown(plan, PLAIN))
    tasks = [TASK.match(line) for line in lines]
    assert all(task or STATEMENT.match(line) for task, line in zip(tasks, lines, strict=True))
    found = [task for task in tasks if task]
    assert len(found) == len(plan.steps) + len(plan.preparations)
    for task in found:  # a name never reads as a statement of its own
        assert not KEYWORD_START.match(task["name"])
    steps = found[len(plan.preparations) :]
    for task, step in zip(steps, plan.steps, strict=True):
        assert task["start"] == step.start.isoformat()
        # Mermaid's end is exclusive: the day after the step's last working day
        assert task["end"] == (step.end + datetime.timedelta(days=1)).isoformat()
        assert ("crit" in task["tags"]) == step.critical
    sections = [line for line in lines if line.startswith("    section ")]
    assert len(sections) == len({s.module for s in plan.steps}) + bool(plan.preparations)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_mermaid_text_neutralises_hostile_names(name: str) -> None:
    text = mermaid_text(name)
    assert not set(text) & set(":;#`<>{}\n\r\x1b")
    assert "%%" not in text and not KEYWORD_START.match(text)
    assert TASK.match(f"    {text} :crit, t1, 2027-01-04, 2027-01-05")


@pytest.mark.parametrize(
    "name",
    [
        "section Evil",
        "click t1 href javascript:alert(1)",
        "TITLE x",
        "  dateFormat X",
        "accTitle: x",
        "weekday monday",
        "2027-01-04 kick-off",
    ],
)
def test_a_name_starting_with_a_mermaid_keyword_is_not_a_statement(name: str) -> None:
    assert not KEYWORD_START.match(mermaid_text(name))
    assert mermaid_text(name).endswith(name.split()[-1].replace(":", "："))


def test_the_markdown_plan_has_every_section_and_table() -> None:
    markdown = render_markdown(small_plan(), PLAIN)
    for heading in (
        "# Plan · strategy Search-centred growth (`search-growth`)",
        "## 1 · Set goals: goals and KPIs",
        "## 2 · Analyse: the team against the strategy",
        "### Gaps and who fills them",
        "## 3 · Implement: the steps, people and dates (Gantt chart)",
        "## Follow-up: the operating system",
        "### Who trains or is hired, and when",
        "## Costs (CNY)",
        "### By stage",
        "### By module",
        "### By month",
        "## What if: hire a Data analyst",
    ):
        assert f"\n{heading}\n" in f"\n{markdown}", heading
    assert (
        "| Site building | Plan the site structure | Zhou Min (member) | 11 Jan | 22 Jan | **!** "
        "| 10 | ¥5,000 |" in markdown
    )
    assert "| Monitor and analyse the data | Zhou Min, 22 Feb – 5 Mar |" in markdown


def test_hostile_names_cannot_break_the_markdown() -> None:
    markdown = render_markdown(hostile_plan(), PLAIN)
    outside = re.sub(r"```mermaid\n.*?\n```", "", markdown, flags=re.S)
    assert "<script>" not in markdown and "\x1b" not in markdown
    assert not re.search(r"(?<!\\)\]\(http", outside)  # no link: brackets are escaped
    tables = re.findall(r"(?m)(?:^\|.*\n)+", outside)
    assert len(tables) == 10
    for table in tables:  # a name's "|" never adds a cell: every row has the header's cells
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


# --- JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_the_json_plan_round_trips_with_every_step(sample: str) -> None:
    plan: ProjectPlan = SAMPLES[sample]()
    text = render_json(plan, PLAIN)
    data = json.loads(text)
    assert json.dumps(data, indent=2, ensure_ascii=False) + "\n" == text
    assert data["schema"] == "staffcheck.plan/2"
    assert [s["id"] for s in data["steps"]] == [s.id for s in plan.steps]
    for found, step in zip(data["steps"], plan.steps, strict=True):
        assert datetime.date.fromisoformat(found["start"]) == step.start
        assert datetime.date.fromisoformat(found["end"]) == step.end
        assert (found["start_day"], found["end_day"]) == (step.start_day, step.end_day)
        assert found["person"]["id"] == step.assignee.id
        assert found["person"]["kind"] == step.assignee.kind.value
        assert found["depends"] == list(step.after) and found["critical"] == step.critical
        assert found["stage"] == step.stage.value and found["module"] == step.module
    assert data["critical_path"] == list(plan.critical_path)
    assert data["costs"]["total"]["total"] == plan.costs.total.total
    assert data["finish"] == plan.finish.isoformat()


def test_json_keeps_ids_and_values_whatever_the_language() -> None:
    plan = small_plan()
    with i18n.speaking("zh"):
        chinese = json.loads(render_json(plan, PLAIN))
    english = json.loads(render_json(plan, PLAIN))
    assert chinese == english
    assert english["what_if"]["moved"][0]["after"]["person"]["kind"] == "hire"
    assert english["preparations"][0]["kind"] == "training"
    assert english["analysis"]["people"][1]["verdict"] == "partial"
    assert english["analysis"]["staffing"]["posts"][0]["role"] == "seo-specialist"


# --- Chinese ----------------------------------------------------------------------------------

_ENGLISH_WORD = re.compile(r"\b(?!CNY\b|KPI\b)[A-Za-z]{2,}\b")


def test_chinese_headings_have_no_english_left() -> None:
    plan = small_plan()
    with i18n.speaking("zh"):
        markdown = render_markdown(plan, PLAIN)
        terminal = render_table(plan, PLAIN)
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    # The strategy's own name (pack text) is in the title: only the program's words must go.
    english = [h for h in headings[1:] if _ENGLISH_WORD.search(h.replace(plan.what_if.change, ""))]  # type: ignore[union-attr]
    assert not english
    for words in ("Set goals", "Gantt", "Follow-up", "Costs", "Critical path", "one column"):
        assert words not in terminal and words not in markdown
    for header in ("Step", "Person", "Labour", "Total", "Before"):
        assert not re.search(rf"\b{header}\b", terminal)


# --- red-team defects ---------------------------------------------------------------------------


def test_a_plan_of_years_draws_every_row_by_month_or_says_where_it_is_cut() -> None:
    plan = years_plan()  # 5 chained steps of 250 working days: almost five years
    wide = _chart(render_table(plan, RenderOptions(color=False, width=160)))
    assert "cut" not in wide[-1]
    for number in range(5):
        assert WORK in _row(wide, f"Phase {number}"), number
    text = render_table(plan, PLAIN)
    words = " ".join(text.split())
    assert "one column = 1 month" in words
    chart = _chart(text)
    assert WORK in _row(chart, "Phase 1")  # not only the first row is drawn
    # 80 columns hold about four years of months: the legend names the last day drawn
    cut = re.search(r"the chart is cut at (\d+ \w+ \d{4})", words)
    assert cut is not None
    last = datetime.datetime.strptime(cut.group(1), "%d %b %Y").date()
    assert plan.start < last < plan.finish
    # the last phase runs past the cut: its bar reaches the chart's last column
    assert _row(chart, "Phase 4").endswith(WORK)
    assert max(cell_len(line) for line in chart[:-2]) <= 80


def test_a_chinese_date_span_never_breaks_across_lines() -> None:
    plan = small_plan()
    late = datetime.date(2027, 10, 11), datetime.date(2027, 12, 22)
    preps = tuple(dataclasses.replace(p, start=late[0], end=late[1]) for p in plan.preparations)
    with i18n.speaking("zh"):
        text = render_table(dataclasses.replace(plan, preparations=preps), PLAIN)
    table = text[text.index("谁参加培训或待招聘，何时") :]
    spans = [line for line in table.splitlines() if "10月11日" in line]
    assert len(spans) == len(preps)
    assert all("10月11日 – 12月22日" in line for line in spans)


def test_a_hire_is_not_called_a_hire_twice() -> None:
    plan = small_plan()
    for lang, hire, kind in (("en", "hire: Data analyst", "to hire"), ("zh", "待招聘：", "待招聘")):
        named = dataclasses.replace(
            plan,
            preparations=tuple(
                dataclasses.replace(p, assignee=dataclasses.replace(p.assignee, name=hire + "X"))
                if p.assignee.kind is AssigneeKind.HIRE
                else p
                for p in plan.preparations
            ),
        )
        with i18n.speaking(lang):
            outputs = [render_table(named, PLAIN), render_markdown(named, PLAIN)]
        for out in outputs:
            assert hire in out
            assert f"({kind})" not in out and f"（{kind}）" not in out
            assert "招聘：招聘" not in out
            # the recruiting's Mermaid task does not name the hire again
            tasks = [line for line in out.splitlines() if line.startswith("    recruit a")]
            assert all(hire not in line for line in tasks)
    assert tasks  # the last language's Markdown had its recruiting task
    with i18n.speaking("zh"):
        trainee = render_table(plan, PLAIN)
    assert "Li Lei（培训后）" in trainee  # a trainee still says how they come to the work


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_title_names_the_strategy_as_a_strategy(lang: str) -> None:
    with i18n.speaking(lang):
        terminal = render_table(small_plan(), PLAIN).splitlines()[0]
        markdown = render_markdown(small_plan(), PLAIN).splitlines()[0]
    if lang == "zh":
        assert terminal == "实施方案 · 策略：Search-centred growth（search-growth）"
        assert markdown == "# 实施方案 · 策略：Search-centred growth（`search-growth`）"
    else:
        assert terminal == "Plan · strategy Search-centred growth (search-growth)"


def _twins() -> ProjectPlan:
    """The small plan where the hire's steps go to a second member also called Zhou Min."""
    plan = small_plan()
    twin = Assignee("zhou-min-2", "Zhou Min", AssigneeKind.MEMBER, "data-analyst")
    steps = tuple(
        dataclasses.replace(s, assignee=twin) if s.assignee.kind is AssigneeKind.HIRE else s
        for s in plan.steps
    )
    return dataclasses.replace(plan, steps=steps)


def test_two_people_of_one_name_are_told_apart_by_their_id() -> None:
    plan = _twins()
    chart = _chart(render_table(plan, RenderOptions(color=False, width=120)))
    people = [line for line in chart if "Zh" in line]
    assert any(re.search(r"Zh.*\(zhou-min-2\)", line) for line in people)
    assert any(re.search(r"Zh.*\(zhou-min\)", line) for line in people)
    markdown = render_markdown(plan, PLAIN)
    tasks = _mermaid(markdown)
    assert any("(Zhou Min (zhou-min-2))" in line for line in tasks)
    assert any("(Zhou Min (zhou-min))" in line for line in tasks)
    assert "Li Lei (li-lei)" not in markdown  # a name nobody shares keeps no id
    alone = render_markdown(small_plan(), PLAIN)
    assert "zhou-min" not in alone.replace("`search-growth`", "")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u200b", "\ufeff", "\u2060", "\u200e"])
def test_invisible_and_line_breaking_characters_are_made_inert(char: str) -> None:
    name = f"Wang{char}Fang | x"
    assert char not in escape_markdown(name) and char not in inert(name)
    assert "\n" not in escape_markdown(name)
    plan = small_plan()
    steps = (dataclasses.replace(plan.steps[0], name=name), *plan.steps[1:])
    markdown = render_markdown(dataclasses.replace(plan, steps=steps), PLAIN)
    assert char not in markdown
    outside = re.sub(r"```mermaid\n.*?\n```", "", markdown, flags=re.S)
    row = next(line for line in outside.splitlines() if "Wang" in line)
    assert row.startswith("| ") and row.endswith(" |")
    assert len(re.split(r"(?<!\\)\|", row)) == 10  # the steps' 8 cells, nothing more


# --- what the plan does not know: a moved start, modules without steps, unpriced money --------


def _costs_part(text: str) -> str:
    """From the costs heading to the what-if heading."""
    return text[text.index("Costs (CNY)") : text.index("What if:")]


@pytest.mark.parametrize("render", [render_table, render_markdown])
def test_the_text_reports_say_what_the_plan_does_not_know(
    render: Callable[[ProjectPlan, RenderOptions], str],
) -> None:
    text = render(unknowns_plan(), RenderOptions(color=False, width=120))
    # the weekend day asked for, beside the Monday the plan starts on
    assert "4 Jan 2027 (2 Jan 2027 is a weekend day) → 12 Feb 2027" in text
    stage3 = text[text.index("3 · Implement") : text.index("Follow-up: the operating system")]
    assert "No work steps in the pack for: Paid search ads" in stage3
    costs = _costs_part(text)
    assert "Not priced: spend: Plan the site structure, recruit a Data analyst" in costs
    # what the totals count, said once: the unknowns are on their own line, not repeated
    assert "The totals count the cost of the plan's work" in costs
    assert costs.count("recruit a Data analyst") == 1
    what_if = text[text.index("What if:") :]
    assert "Not priced: pay: Data analyst" in what_if
    # the hiring with no known cost is "unpriced", never ¥0
    hiring = next(
        line for line in text.splitlines() if "recruit a Data analyst" in line and "Jan –" in line
    )
    assert "unpriced" in hiring and "¥0" not in hiring


def test_markdown_marks_a_step_whose_spend_is_unknown() -> None:
    text = render_markdown(unknowns_plan(), PLAIN)
    row = next(line for line in text.splitlines() if "| Plan the site structure |" in line)
    assert row.rstrip(" |").endswith("¥5,000 + unpriced")
    known = next(line for line in text.splitlines() if "| Audit the site |" in line)
    assert "unpriced" not in known


def test_a_plan_that_knows_everything_says_nothing_of_unknowns() -> None:
    for render in (render_table, render_markdown):
        text = render(small_plan(), RenderOptions(color=False, width=120))
        assert "weekend" not in text
        assert "No work steps" not in text
        assert "Not priced" not in text
        assert "unpriced" not in text


def test_a_basis_in_other_words_is_printed_as_it_is() -> None:
    plan = unknowns_plan()
    odd = dataclasses.replace(plan.costs, basis="pay and spend, nothing else")
    text = render_table(dataclasses.replace(plan, costs=odd), RenderOptions(width=120))
    assert "The totals count pay and spend, nothing else." in text


def test_the_unknowns_in_chinese() -> None:
    with i18n.speaking("zh"):
        plan = unknowns_plan()
        texts = [render_table(plan, RenderOptions(width=120)), render_markdown(plan, PLAIN)]
    for text in texts:
        assert re.search(r"2027年1月4日（2027年1月2日 ?是周末） → 2027年2月12日", text)
        assert "知识包中以下模块没有工作步骤：Paid search ads" in text
        assert "未计价：" in text
        assert "合计包括" in text
        assert "Not priced" not in text and "weekend" not in text


def test_json_carries_the_unknowns() -> None:
    data = json.loads(render_json(unknowns_plan(), PLAIN))
    assert data["start"] == "2027-01-04"
    assert data["start_moved_from"] == "2027-01-02"
    assert data["modules_without_steps"] == ["ads"]
    assert data["costs"]["unpriced"] == ["spend: Plan the site structure", "recruit a Data analyst"]
    assert data["costs"]["basis"].startswith("the cost of the plan's work")
    assert data["what_if"]["unpriced"] == ["pay: Data analyst"]
    spend_known = {s["id"]: s["spend_known"] for s in data["steps"]}
    assert spend_known["site-structure"] is False
    assert spend_known["audit"] is True
    assert [p["cost_known"] for p in data["preparations"]] == [True, False]
    plain = json.loads(render_json(small_plan(), PLAIN))
    assert plain["start_moved_from"] is None
    assert plain["modules_without_steps"] == []
    assert plain["costs"]["unpriced"] == []
    assert plain["what_if"]["unpriced"] == []
