"""The plan's knowledge (issue 13): a pack's currency, goals, steps, KPIs, training and post terms,
and a team file's ``plan:`` section — read right, each mistake one located line with a fix."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from staffcheck.file_schemas import file_schema
from staffcheck.knowledge import load_knowledge
from staffcheck.model import PostTerms, Stage, TrainingTerms
from staffcheck.profiles import load_team
from staffcheck.yamlio import load_yaml

from .conftest import Run
from .test_file_schemas import json_view

CLI = Callable[..., Run]

#: A small pack with every field of the plan's knowledge; each line a test changes is unique.
PACK = """\
pack: {name: tiny, languages: [en, zh], currency: USD}
skills:
  - {id: seo, name: SEO, translations: {zh: {name: 搜索优化}}}
  - {id: writing, name: Writing, translations: {zh: {name: 写作}}}
modules:
  - id: search
    name: Search
    translations: {zh: {name: 搜索}}
    steps:
      - id: structure
        name: Plan the site structure
        post: seo-specialist
        effort: 5
        stage: analysis
        translations: {zh: {name: 规划网站结构}}
      - id: keywords
        name: Refine keywords
        post: [editor, seo-specialist]
        effort: 3
        after: [structure]
        spend: 500
        translations: {zh: {name: 提炼关键词}}
roles:
  - id: seo-specialist
    name: SEO specialist
    essential: {seo: 3}
    kpis:
      - {name: Pages indexed, translations: {zh: {name: 收录页数}}}
    training:
      - id: seo-course
        name: SEO course
        skills: [seo]
        days: 5
        cost: 3000
        translations: {zh: {name: 搜索优化课程}}
    salary: [8000, 12000]
    hiring: {lead_time: 30, cost: 6000}
    translations: {zh: {name: 搜索优化专员}}
  - {id: editor, name: Editor, essential: {writing: 3}, translations: {zh: {name: 编辑}}}
strategies:
  - id: search-site
    name: Search site
    translations: {zh: {name: 搜索网站}}
    goals:
      - id: traffic
        name: Grow traffic
        kpi: 10,000 visits a month
        translations: {zh: {name: 增长流量, kpi: 每月一万次访问}}
    modules:
      - module: search
        roles: {seo-specialist: critical, editor: medium}
"""

TEAM = """\
team: Tiny
strategy: search-site
members:
  - {id: p1, name: Li Lei, role: seo-specialist, skills: {seo: 3}}
plan:
  start: 2027-01-04
  currency: CNY
  goals: {traffic: "20,000 visits a month by June"}
  posts:
    editor: {salary: [9000, 13000], hiring: {cost: 8000, lead_time: 25}}
  training:
    seo-course: {days: 4, cost: 2500}
"""


def _write(folder: Path, text: str, name: str = "pack.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is not one line of the text"
    return text.replace(old, new)


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


# -- read right ---------------------------------------------------------------------------------


def test_every_field_is_read(tmp_path: Path) -> None:
    kb = load_knowledge(_write(tmp_path / "pack", PACK), "en")
    assert kb.currency == "USD"
    structure, keywords = kb.modules["search"].steps
    assert (structure.id, structure.posts, structure.effort, structure.stage) == (
        "structure",
        ("seo-specialist",),
        5,
        Stage.ANALYSIS,
    )
    assert (structure.after, structure.spend) == ((), 0)
    assert keywords.posts == ("editor", "seo-specialist")  # preferred first, as written
    assert (keywords.after, keywords.stage, keywords.spend) == (
        ("structure",),
        Stage.IMPLEMENTATION,
        500,
    )
    assert structure.source is not None and structure.source.line == _line_of(PACK, "structure")
    seo = kb.roles["seo-specialist"]
    assert [kpi.name for kpi in seo.kpis] == ["Pages indexed"]
    (course,) = seo.training
    assert (course.id, course.skills, course.days, course.cost) == ("seo-course", ("seo",), 5, 3000)
    assert seo.terms == PostTerms(salary=(8000, 12000), hiring_cost=6000, lead_time=30)
    assert kb.roles["editor"].terms == PostTerms()
    (goal,) = kb.strategies["search-site"].goals
    assert (goal.id, goal.name, goal.kpi) == ("traffic", "Grow traffic", "10,000 visits a month")


def test_the_currency_defaults_to_cny(tmp_path: Path) -> None:
    pack = _changed(PACK, ", currency: USD}", "}")
    assert load_knowledge(_write(tmp_path / "pack", pack), "en").currency == "CNY"


def test_every_label_of_the_plan_is_localised_and_english_kept(tmp_path: Path) -> None:
    kb = load_knowledge(_write(tmp_path / "pack", PACK), "zh")
    structure, keywords = kb.modules["search"].steps
    assert (structure.name, keywords.name) == ("规划网站结构", "提炼关键词")
    assert structure.translations["en"]["name"] == "Plan the site structure"
    (goal,) = kb.strategies["search-site"].goals
    assert (goal.name, goal.kpi) == ("增长流量", "每月一万次访问")
    assert goal.translations["en"] == {"name": "Grow traffic", "kpi": "10,000 visits a month"}
    seo = kb.roles["seo-specialist"]
    assert [kpi.name for kpi in seo.kpis] == ["收录页数"]
    assert [item.name for item in seo.training] == ["搜索优化课程"]
    assert seo.training[0].translations["en"]["name"] == "SEO course"


# -- a mistake is one located line --------------------------------------------------------------

#: (what is changed, into what, what the one error line says, the line it points at)
BAD_PACKS = [
    ("currency: USD}", "currency: usd}", "'usd' is not a currency code", "currency: usd"),
    ("        effort: 5\n", "        effort: 0\n", "effort is 0, outside 1..250", "effort: 0"),
    ("        effort: 3\n", "        effort: 2.5\n", "not float 2.5", "effort: 2.5"),
    ("        spend: 500\n", "        spend: -1\n", "spend is -1, outside", "spend: -1"),
    ("stage: analysis", "stage: analysys", "'analysys' is not allowed (did you mean 'analysis'?)",
     "analysys"),
    ("post: seo-specialist\n", "post: seo-specialst\n",
     "unknown role 'seo-specialst' (did you mean 'seo-specialist'?)", "seo-specialst"),
    ("post: [editor, seo-specialist]", "post: []", "a step's post list is empty", "post: []"),
    ("after: [structure]", "after: [structur]",
     "unknown step 'structur' (did you mean 'structure'?)", "after: [structur]"),
    ("after: [structure]", "after: [keywords]", "step 'keywords' waits for itself",
     "after: [keywords]"),
    ("        spend: 500\n", "        spend: 500\n        stage: goals\n",
     "step 'keywords' (goals) waits for 'structure' (analysis), a later stage",
     "after: [structure]"),
    ("      - id: keywords\n", "      - id: structure  # again\n", "duplicate step id 'structure'",
     "# again"),
    ("skills: [seo]", "skills: [seoo]", "unknown skill 'seoo' (did you mean 'seo'?)",
     "skills: [seoo]"),
    ("skills: [seo]", "skills: []", "a training item lifts at least one skill", "skills: []"),
    ("        days: 5\n", "        days: 251\n", "days is 251, outside 1..250", "days: 251"),
    ("        cost: 3000\n", "        cost: -5\n", "cost is -5, outside", "cost: -5"),
    ("salary: [8000, 12000]", "salary: [12000, 8000]",
     "the salary band's low end 12000 is above its high end 8000", "salary: [12000, 8000]"),
    ("salary: [8000, 12000]", "salary: 8000", "must be a band [low, high] of two amounts",
     "salary: 8000"),
    ("lead_time: 30", "lead_time: 501", "lead_time is 501, outside 0..500", "lead_time: 501"),
    ("hiring: {lead_time: 30, cost: 6000}", "hiring: {lead_time: 30, fee: 6000}",
     "unknown field 'fee'", "fee: 6000"),
    ("        kpi: 10,000 visits a month\n", "", "missing required field 'kpi'", "- id: traffic"),
    ("      - {name: Pages indexed, translations: {zh: {name: 收录页数}}}",
     "      - {name: Pages indexed, weight: 3}", "unknown field 'weight'", "weight: 3"),
    ("translations: {zh: {name: 提炼关键词}}", "translations: {fr: {name: Mots-clés}}",
     "translation into 'fr', a language the pack does not declare", "fr:"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "said", "where"), BAD_PACKS, ids=lambda v: str(v)[:24])
def test_a_bad_value_is_one_located_line_and_exit_2(
    cli: CLI, tmp_path: Path, old: str, new: str, said: str, where: str
) -> None:
    pack = _changed(PACK, old, new)
    run = cli("rules", "validate", _write(tmp_path / "pack", pack))
    assert run.code == 2
    problems = [line for line in run.err.splitlines() if "pack.yaml:" in line]
    assert len(problems) == 1, run.err
    assert said in problems[0]
    assert f"pack.yaml:{_line_of(pack, where)}:" in problems[0]


def test_a_duplicate_goal_id_is_located_within_its_strategy(cli: CLI, tmp_path: Path) -> None:
    pack = _changed(
        PACK,
        "kpi: 每月一万次访问}}\n",
        "kpi: 每月一万次访问}}\n      - {id: traffic, name: Again, kpi: more}\n",
    )
    run = cli("rules", "validate", _write(tmp_path / "pack", pack))
    assert run.code == 2
    assert f"pack.yaml:{_line_of(pack, 'name: Again')}:" in run.err
    assert "duplicate goal id 'traffic'" in run.err


def test_steps_waiting_for_each_other_name_the_cycle(cli: CLI, tmp_path: Path) -> None:
    pack = _changed(PACK, "        stage: analysis\n", "        after: [keywords]\n")
    run = cli("rules", "validate", _write(tmp_path / "pack", pack))
    assert run.code == 2
    (line,) = run.err.splitlines()[:-1] or run.err.splitlines()
    assert "depend on each other" in line
    assert "structure → keywords → structure" in line or "keywords → structure → keywords" in line
    assert "pack.yaml:" in line


# -- a pack that extends another ----------------------------------------------------------------

EXTENSION = """\
pack: {name: ours, extends: ../base}
modules:
  - id: social
    name: Social
    steps:
      - {id: posts, name: Write posts, post: editor, effort: 2, after: [keywords]}
roles:
  - id: writer
    name: Writer
    essential: {writing: 2}
    training:
      - {id: writing-course, name: Writing course, skills: [writing], days: 3}
strategies:
  - id: social-site
    name: Social site
    modules:
      - {module: social, roles: {writer: high}}
overrides:
  roles:
    seo-specialist: {salary: [9000, 14000]}
    editor: {hiring: {lead_time: 10, cost: 2000}}
"""


def test_an_extension_inherits_the_currency_and_overrides_post_terms(tmp_path: Path) -> None:
    _write(tmp_path / "base", PACK)
    kb = load_knowledge(_write(tmp_path / "ours", EXTENSION), "en")
    assert kb.currency == "USD"
    assert kb.roles["seo-specialist"].terms == PostTerms((9000, 14000), 6000, 30)
    assert kb.roles["editor"].terms == PostTerms(None, 2000, 10)
    assert kb.modules["social"].steps[0].after == ("keywords",)  # a step of the base
    assert kb.roles["writer"].training[0].cost == 0
    same = _changed(EXTENSION, "extends: ../base}", "extends: ../base, currency: USD}")
    assert load_knowledge(_write(tmp_path / "usd", same), "en").currency == "USD"


def test_an_extension_in_another_currency_is_a_located_error(cli: CLI, tmp_path: Path) -> None:
    """Its base's amounts would be read in its currency: ¥ as $, seven times too much."""
    _write(tmp_path / "base", PACK)
    own = _changed(EXTENSION, "extends: ../base}", "extends: ../base, currency: EUR}")
    path = _write(tmp_path / "eur", own)
    run = cli("rules", "validate", "--rules", str(path))
    assert run.code == 2
    line, summary = run.err.splitlines()
    assert summary.startswith("1 problem")
    assert f"pack.yaml:{_line_of(own, 'currency: EUR')}:" in line
    assert "currency EUR differs from the extended pack's USD" in line
    assert "team file's plan:" in line


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("{id: posts,", "{id: keywords,", "step 'keywords' is already defined by the pack this"),
        ("{id: writing-course,", "{id: seo-course,", "training item 'seo-course' is already"),
        ("salary: [9000, 14000]}", "salary: [9000, 14000], pay: 1}", "unknown field 'pay'"),
        ("    editor: {hiring:", "    editr: {hiring:", "unknown role 'editr'"),
    ],
)
def test_an_extension_cannot_reuse_a_base_id_or_override_unknowns(
    cli: CLI, tmp_path: Path, old: str, new: str, said: str
) -> None:
    _write(tmp_path / "base", PACK)
    run = cli("rules", "validate", _write(tmp_path / "ours", _changed(EXTENSION, old, new)))
    assert run.code == 2
    assert said in run.err and len(run.err.splitlines()) == 2  # the problem, and the count


# -- rules validate's warnings -------------------------------------------------------------------


def test_a_missing_label_of_a_part_names_it(cli: CLI, tmp_path: Path) -> None:
    pack = _changed(PACK, "        translations: {zh: {name: 提炼关键词}}\n", "")
    pack = _changed(pack, "        translations: {zh: {name: 增长流量, kpi: 每月一万次访问}}\n",
                    "        translations: {zh: {name: 增长流量}}\n")  # fmt: skip
    pack = _changed(pack, "{name: Pages indexed, translations: {zh: {name: 收录页数}}}",
                    "{name: Pages indexed}")  # fmt: skip
    run = cli("rules", "validate", _write(tmp_path / "pack", pack))
    assert run.code == 0
    said = run.out + run.err
    line = _line_of(pack, "id: keywords")
    assert f"pack.yaml:{line}: warning: step 'keywords' has no zh translation of name" in said
    assert "goal 'traffic' has no zh translation of kpi" in said
    assert "KPI 'Pages indexed' has no zh translation of name" in said


def test_a_step_whose_posts_carry_its_module_nowhere_is_warned(cli: CLI, tmp_path: Path) -> None:
    pack = _changed(PACK, "roles: {seo-specialist: critical, editor: medium}",
                    "roles: {seo-specialist: critical}")  # fmt: skip
    pack = _changed(pack, "post: [editor, seo-specialist]", "post: [editor]")
    run = cli("rules", "validate", _write(tmp_path / "pack", pack))
    assert run.code == 0
    said = run.out + run.err
    assert f"pack.yaml:{_line_of(pack, 'id: keywords')}: warning: step 'keywords'" in said
    assert "the module's leading post does it" in said
    assert "step 'structure'" not in said  # its post carries the module


def test_a_skill_no_training_lifts_is_no_warning(cli: CLI, tmp_path: Path) -> None:
    run = cli("rules", "validate", _write(tmp_path / "pack", PACK))
    assert run.code == 0
    assert "writing" not in run.out + run.err  # the editor's skill has no training: fine


# -- a team file's plan: ------------------------------------------------------------------------


def test_a_team_plan_is_read(tmp_path: Path) -> None:
    kb = load_knowledge(_write(tmp_path / "pack", PACK), "en")
    plan = load_team(_write(tmp_path / "teams", TEAM, "team.yaml") / "team.yaml", kb).plan
    assert plan.start == datetime.date(2027, 1, 4) and plan.currency == "CNY"
    assert plan.goals == {"traffic": "20,000 visits a month by June"}
    assert plan.posts == {"editor": PostTerms((9000, 13000), 8000, 25)}
    assert plan.training == {"seo-course": TrainingTerms(4, 2500)}


def test_a_team_without_a_plan_has_empty_settings(tmp_path: Path) -> None:
    kb = load_knowledge(_write(tmp_path / "pack", PACK), "en")
    team = TEAM.split("plan:")[0]
    plan = load_team(_write(tmp_path / "teams", team, "team.yaml") / "team.yaml", kb).plan
    assert plan.start is None and plan.currency is None and not plan.posts


BAD_TEAMS = [
    ("start: 2027-01-04", "start: next monday", "plan.start must be a date written YYYY-MM-DD"),
    ("start: 2027-01-04", "start: 2027-13-04", "'2027-13-04' is not a day of the calendar"),
    ("currency: CNY", "currency: RMB1", "'RMB1' is not a currency code"),
    ("{traffic: ", "{trafic: ", "'trafic' is not a goal of the team's strategy (did you mean"),
    ("    editor: {salary", "    editr: {salary", "unknown post 'editr' (did you mean 'editor'?)"),
    ("[9000, 13000]", "[9000, 100]", "the salary band's low end 9000 is above its high end 100"),
    ("cost: 8000", "cost: -1", "cost is -1, outside 0..1000000000"),
    ("seo-course: {", "seo-cours: {", "unknown training item 'seo-cours' (did you mean"),
    ("{days: 4,", "{days: 0,", "days is 0, outside 1..250"),
    ("  currency: CNY\n", "  currency: CNY\n  budget: 3\n", "unknown field 'budget'"),
]


@pytest.mark.parametrize(("old", "new", "said"), BAD_TEAMS, ids=lambda v: str(v)[:20])
def test_a_bad_team_plan_is_one_located_line_and_exit_2(
    cli: CLI, tmp_path: Path, old: str, new: str, said: str
) -> None:
    pack = _write(tmp_path / "pack", PACK)
    team = _changed(TEAM, old, new)
    run = cli("team", _write(tmp_path / "teams", team, "team.yaml") / "team.yaml", "--rules", pack)
    assert run.code == 2
    (line,) = run.err.splitlines()
    assert said in line
    assert f"team.yaml:{_line_of(team, new.strip().splitlines()[-1].split(':')[0])}:" in line


def test_a_team_plan_error_is_in_the_readers_language(cli: CLI, tmp_path: Path) -> None:
    pack = _write(tmp_path / "pack", PACK)
    team = _write(tmp_path / "teams", _changed(TEAM, "{traffic: ", "{trafic: "), "team.yaml")
    run = cli("--lang", "zh", "team", team / "team.yaml", "--rules", pack)
    assert run.code == 2 and "不是该团队策略的目标" in run.err


# -- the JSON Schemas, rules show, rules docs ----------------------------------------------------


def test_the_schemas_describe_the_plan_fields(tmp_path: Path) -> None:
    kb = load_knowledge(_write(tmp_path / "pack", PACK), "en")
    teams = _write(tmp_path / "teams", TEAM, "team.yaml")
    team_schema = Draft202012Validator(file_schema("team", kb))
    assert team_schema.is_valid(json_view(load_yaml(teams / "team.yaml").data))
    bad = json_view(load_yaml(teams / "team.yaml").data)
    bad["plan"]["posts"]["editor"]["salary"] = [9000]
    assert not team_schema.is_valid(bad)
    pack_schema = Draft202012Validator(file_schema("pack", kb))
    assert pack_schema.is_valid(load_yaml(tmp_path / "pack" / "pack.yaml").data)
    bad_pack = load_yaml(tmp_path / "pack" / "pack.yaml").data
    bad_pack["modules"][0]["steps"][0]["effort"] = 300
    assert not pack_schema.is_valid(bad_pack)
    plan = file_schema("team", kb)["properties"]["plan"]
    assert "start date, currency" in plan["description"]
    assert set(plan["properties"]) == {"start", "currency", "goals", "posts", "training"}
    role = file_schema("pack", kb)["properties"]["roles"]["items"]["properties"]
    assert {"kpis", "training", "salary", "hiring"} <= set(role)


def test_rules_show_gives_goals_steps_and_post_terms(cli: CLI, tmp_path: Path) -> None:
    pack = _write(tmp_path / "pack", PACK)
    role = cli("rules", "show", "seo-specialist", "--rules", pack)
    assert "assessed on: Pages indexed" in role.out
    assert "SEO course (seo-course): SEO (seo), 5 working days, $3,000" in role.out
    assert "salary: $8,000–$12,000 a month" in role.out
    assert "hiring: 30 working days, $6,000" in role.out
    strategy = cli("rules", "show", "search-site", "--rules", pack)
    assert "goal Grow traffic (traffic): 10,000 visits a month" in strategy.out
    module = " ".join(cli("rules", "show", "search", "--rules", pack).out.split())
    assert "step Refine keywords (keywords), Implement: Editor (editor), SEO specialist" in module
    assert "3 working days; after structure; spend $500" in module
    data = cli("rules", "show", "seo-specialist", "--rules", pack, "--format", "json").json()
    assert data["salary"] == [8000, 12000] and data["hiring"] == {"lead_time": 30, "cost": 6000}
    assert data["training"][0]["id"] == "seo-course" and data["currency"] == "USD"


def test_rules_docs_lists_goals_steps_and_post_terms(cli: CLI, tmp_path: Path) -> None:
    run = cli("rules", "docs", "--rules", _write(tmp_path / "pack", PACK))
    assert "Amounts of money are in USD." in run.out
    assert "- Goal Grow traffic (`traffic`): KPI 10,000 visits a month" in run.out
    assert "| `keywords` | Refine keywords | implementation |" in run.out
    assert "| 3 | `structure` | $500 |" in run.out
    assert "- Salary: $8,000–$12,000 a month" in run.out
    assert "- Hiring: lead time 30 working days; recruiting cost $6,000" in run.out


def test_a_module_a_strategy_uses_without_steps_is_warned_and_noted(
    cli: CLI, tmp_path: Path
) -> None:
    """Its plan would otherwise say "0 working days" while a recruiting bar runs on."""
    pack = PACK.replace("    steps:\n", "    steps: []\n    old_steps:\n", 1)
    start = pack.index("    old_steps:\n")
    pack = pack[:start] + pack[pack.index("roles:\n", start) :]
    folder = _write(tmp_path / "pack", pack)
    run = cli("rules", "validate", folder)
    assert run.code == 0
    said = run.out + run.err
    line = _line_of(pack, "  - id: search")
    assert f"pack.yaml:{line}: warning: module 'search' has no steps" in said
    assert "search-site" in said
    run = cli("plan", "--rules", folder, "--strategy", "search-site", "--start", "2027-01-04")
    assert run.code == 0
    assert "staffcheck: note: no work steps: Search" in run.err


def test_a_module_with_steps_is_no_warning(cli: CLI, tmp_path: Path) -> None:
    run = cli("rules", "validate", _write(tmp_path / "pack", PACK))
    assert run.code == 0 and "has no steps" not in run.out + run.err
