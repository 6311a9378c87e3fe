"""The pack speaks Chinese: it declares its languages, `rules validate` names every missing label,
bad translations are one-line errors, and `--lang zh` swaps the labels in (ids stay English)."""

from __future__ import annotations

from pathlib import Path

from staffcheck.knowledge import load_knowledge

from .conftest import CANDIDATES, RULES

SUN_LI = CANDIDATES / "sun-li.yaml"
RULE = "seo-specialist-in-taobao-post"


def _pack(root: Path, body: str) -> Path:
    folder = root / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(body, encoding="utf-8")
    return folder


_SKILL = "skills:\n  - id: seo\n    name: SEO\n    description: Search engine optimisation\n"


def test_the_bundled_pack_declares_english_then_chinese() -> None:
    assert load_knowledge(RULES).languages == ("en", "zh")


def test_the_bundled_pack_has_every_label_in_chinese(cli) -> None:
    # Every skill, channel, module, post, strategy and rule has its Chinese labels.
    run = cli("rules", "validate", RULES)
    assert run.code == 0
    missing = [line for line in run.err.splitlines() if "translation of" in line]
    assert not missing, "\n".join(missing)


def test_a_missing_chinese_label_is_a_warning_with_file_line_entry_and_field(
    cli, tmp_path: Path
) -> None:
    body = (
        "pack: {name: P, languages: [en, zh]}\n" + _SKILL + "    translations:\n"
        "      zh: {name: 搜索引擎优化}\n"
        "roles:\n  - id: seo-specialist\n    name: SEO specialist\n    essential: {seo: 3}\n"
        "    translations: {zh: {name: SEO 专员}}\n"
    )
    pack = _pack(tmp_path, body)
    run = cli("rules", "validate", pack)
    assert run.code == 0
    assert (
        f"{pack / 'pack.yaml'}:3: warning: skill 'seo' has no zh translation of description"
        in run.err
    )
    assert "role 'seo-specialist' has no" not in run.err  # fully translated: no warning


def test_a_pack_that_declares_no_languages_is_not_asked_for_translations(
    cli, tmp_path: Path
) -> None:
    pack = _pack(tmp_path, "pack: {name: P}\n" + _SKILL)
    run = cli("rules", "validate", pack)
    assert run.code == 0 and "translation" not in run.err


def test_a_translation_into_an_undeclared_language_is_an_error(cli, tmp_path: Path) -> None:
    body = (
        "pack: {name: P, languages: [en, zh]}\n" + _SKILL + "    translations: {fr: {name: SEO}}\n"
    )
    pack = _pack(tmp_path, body)
    run = cli("rules", "validate", pack)
    assert run.code == 2
    assert f"{pack / 'pack.yaml'}:6" in run.err
    assert "'fr', a language the pack does not declare" in run.err
    assert "languages: [en, zh, fr]" in run.err


def test_languages_must_start_with_english(cli, tmp_path: Path) -> None:
    run = cli("rules", "validate", _pack(tmp_path, "pack: {name: P, languages: [zh, en]}\n"))
    assert run.code == 2 and "must start with English" in run.err


def test_an_unknown_translated_field_is_an_error_with_a_suggestion(cli, tmp_path: Path) -> None:
    body = (
        "pack: {name: P, languages: [en, zh]}\n" + _SKILL + "    translations: {zh: {nme: 搜索}}\n"
    )
    run = cli("rules", "validate", _pack(tmp_path, body))
    assert run.code == 2 and "unknown field 'nme'" in run.err and "did you mean 'name'" in run.err


def test_a_translated_message_with_a_placeholder_the_kind_does_not_fill_is_an_error(
    cli, tmp_path: Path
) -> None:
    text = (RULES / "rules.yaml").read_text(encoding="utf-8")
    broken = text.replace("{person} 看起来是 SEO专员", "{persn} 看起来是 SEO专员", 1)
    assert broken != text
    pack = tmp_path / "rules"
    pack.mkdir()
    for path in RULES.glob("*.yaml"):
        (pack / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (pack / "rules.yaml").write_text(broken, encoding="utf-8")
    run = cli("rules", "validate", pack)
    assert run.code == 2
    line = next(line for line in run.err.splitlines() if "{persn}" in line)
    assert "rules.yaml:" in line and "unknown placeholder {persn}" in line
    assert "did you mean 'person'" in run.err


def test_screening_in_chinese_shows_the_rules_chinese_title_and_message(cli) -> None:
    run = cli("screen", SUN_LI, "--strategy", "taobao-store", "--lang", "zh")
    text = "".join(run.out.split())  # Chinese wraps anywhere: compare without the line breaks
    assert "看起来是SEO专员，不是淘宝运营" in text
    assert "SEO专员放在了淘宝店铺岗位" in text
    assert "lookslikeanSEOspecialist" not in text


def test_screening_in_english_is_unchanged(cli) -> None:
    run = cli("screen", SUN_LI, "--strategy", "taobao-store", "--lang", "en")
    text = " ".join(run.out.split())
    assert "looks like an SEO specialist, not a Taobao operator" in text
    assert "SEO specialist staffed on a Taobao store post" in text
    assert "淘宝" not in run.out


def test_json_in_chinese_keeps_ids_and_keys_in_english(cli) -> None:
    english = cli("screen", SUN_LI, "--strategy", "taobao-store", "--format", "json").json()
    chinese = cli(
        "screen", SUN_LI, "--strategy", "taobao-store", "--format", "json", "--lang", "zh"
    ).json()

    def shape(value: object) -> object:
        """Keys, ids and enum values kept; free text (messages, derivations, names) dropped."""
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items() if k not in ("message", "because")}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return value

    finding = chinese["candidates"][0]["findings"][0]
    assert finding["rule"] == RULE and finding["severity"] == "high"
    assert "淘宝运营" in finding["message"]
    assert shape(chinese["candidates"][0]["findings"]) == shape(
        english["candidates"][0]["findings"]
    )
    assert chinese["candidates"][0]["verdict"] == english["candidates"][0]["verdict"]


def test_labels_fall_back_to_english_field_by_field_and_keep_english_at_hand(
    tmp_path: Path,
) -> None:
    body = (
        "pack: {name: P, languages: [en, zh]}\n" + _SKILL + "    translations: {zh: {name: 搜索}}\n"
    )
    pack = _pack(tmp_path, body)
    chinese = load_knowledge(pack, "zh").skills["seo"]
    assert (chinese.id, chinese.name, chinese.description) == (
        "seo",
        "搜索",
        "Search engine optimisation",
    )
    assert chinese.translations["en"]["name"] == "SEO"
    assert load_knowledge(pack, "en").skills["seo"].name == "SEO"


def test_the_localised_pack_sees_an_edit_of_the_pack(tmp_path: Path) -> None:
    body = (
        "pack: {name: P, languages: [en, zh]}\n" + _SKILL + "    translations: {zh: {name: 搜索}}\n"
    )
    pack = _pack(tmp_path, body)
    assert load_knowledge(pack, "zh").skills["seo"].name == "搜索"
    (pack / "pack.yaml").write_text(body.replace("搜索", "搜索引擎优化技能"), encoding="utf-8")
    assert load_knowledge(pack, "zh").skills["seo"].name == "搜索引擎优化技能"


def test_an_extension_inherits_the_languages_and_an_override_keeps_the_translations(
    tmp_path: Path,
) -> None:
    body = (
        "pack: {name: P, extends: bundled}\n"
        f"overrides:\n  rules:\n    {RULE}: {{severity: medium}}\n"
    )
    kb = load_knowledge(_pack(tmp_path, body), "zh")
    assert kb.languages == ("en", "zh")
    rule = kb.rules[RULE]
    assert rule.severity.value == "medium" and rule.title == "SEO专员放在了淘宝店铺岗位"


def test_rules_test_passes_in_chinese(cli) -> None:
    # Fixtures compare rule ids, never the words, so they pass in any language.
    run = cli("rules", "test", "--lang", "zh")
    assert run.code == 0


def test_a_pack_may_add_a_language_the_program_does_not_speak(cli, tmp_path: Path) -> None:
    """`--lang fr` with a pack that declares French: the pack's labels in French, the
    program's own words in English (it has no French catalogue), ids unchanged."""
    body = (
        "pack: {name: P, languages: [en, fr]}\n"
        + _SKILL
        + "    translations: {fr: {name: Référencement naturel}}\n"
        + "roles:\n  - id: seo-specialist\n    name: SEO specialist\n"
        + "    essential: {seo: 3}\n    translations: {fr: {name: Spécialiste SEO}}\n"
    )
    pack = _pack(tmp_path, body)
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "id: p-1\nname: Anne\napplying_for: seo-specialist\nskills: {seo: 4}\n", encoding="utf-8"
    )
    run = cli("--lang", "fr", "--rules", pack, "screen", profile)
    assert run.code == 0, run.err
    assert "Spécialiste SEO" in run.out and "Shortlist" in run.out
    data = cli("--lang", "fr", "--rules", pack, "screen", profile, "--format", "json").json()
    assert data["candidates"][0]["role"] == "seo-specialist"
    # The bundled pack has no French: one line, the languages there are.
    refused = cli("--lang", "fr", "screen", profile)
    assert refused.code == 2
    assert refused.err == (
        "staffcheck: error: neither staffcheck nor the knowledge pack speaks 'fr' "
        "(use one of: en, zh)\n"
    )
