"""An evidence rule: what a profile's titles, channels and years of experience say about skills
it does not state.

It runs before the diagnosis. When the profile matches `when` (every condition given: a title
containing one of `titles_any`, case-insensitive, a Latin word at the start of a word and an
acronym of up to 4 letters as a whole word, so SEO does not match "Seoul" nor SEM "seminar";
a channel of `channels_any`; at least `min_years` of experience), each skill of `implies` the profile does not state is taken to be at
that level, with the rule's `certainty` (0–1: how strongly the evidence supports the level). A
stated level always wins, an explicit 0 included; where several rules imply a skill, the highest
level wins. The diagnosis then reasons over the inferred level like a stated one, marks what rests
on it as *inferred*, and, where an inferred level is one the person's post requires, the rule
fires (a finding of its severity, normally `info`) so that the report says where it came from.

```yaml
  - id: seo-job-title
    kind: skill-evidence
    severity: info
    when: {titles_any: ["SEO", "搜索引擎优化"]}
    implies: {seo: 3, keyword-research: 2}
    certainty: 0.7
    message: "{person}'s {evidence} suggests {skills}"
```
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from staffcheck.facts import (
    AS,
    MATCH,
    SALIENCE_FINDINGS,
    TEST,
    Fact,
    Holding,
    Inferred,
    RoleProfile,
    declare_finding,
    pack_rule,
)
from staffcheck.kinds._base import Explanation, Firing, PackIds, Param, Ref, optional_refs, words
from staffcheck.kinds._text import tr
from staffcheck.model import Inference, KnowledgeBase, Profile, Role, Rule, Severity
from staffcheck.schema import (
    MAX_LEVEL,
    Cursor,
    Field,
    did_you_mean,
    field_named,
    field_names,
    limits,
    optional_names,
    required_names,
)

NAME = "skill-evidence"
TEAM_LEVEL = False
PLACEHOLDERS = frozenset({"person", "role", "evidence", "skills", "certainty"})
#: Evidence says where a level comes from; it is never a finding against the person.
MAX_SEVERITY = Severity.LOW
#: Title words are matched literally (never as a regex); this keeps them short.
MAX_PATTERN_LENGTH = 100
#: `when`: the titles (words matched literally) or channels that are evidence, and the years.
WHEN = (
    Field("titles_any", "text_list", max_length=MAX_PATTERN_LENGTH),
    Field("channels_any", "references", target="channels"),
    Field("min_years", "number", low=0, high=60),
)
PARAMS: tuple[Field, ...] = (
    Field("when", "mapping", required=True, fields=WHEN),
    Field("implies", "by_id", required=True, target="skills", min_items=1,
          fields=(Field("level", "integer", low=1, high=MAX_LEVEL),)),
    # above 0 and at most 1: the loader's own check (`_certainty`) also refuses 0
    Field("certainty", "number", required=True, low=0, high=1),
)  # fmt: skip
REQUIRED = required_names(PARAMS)
OPTIONAL = optional_names(PARAMS)
#: A title word this short is an acronym: it matches only as a whole word.
ACRONYM_LENGTH = 4


@dataclass(frozen=True, slots=True)
class EvidenceSpec:
    """What a profile must show, the levels it then implies, and how sure that is."""

    implies: tuple[tuple[str, int], ...]
    certainty: float
    titles_any: tuple[str, ...] = ()
    channels_any: tuple[str, ...] = ()
    min_years: float | None = None


def parse(c: Cursor, ids: PackIds) -> EvidenceSpec | None:
    """Read `when: {titles_any, channels_any, min_years}`, `implies` and `certainty`."""
    when = c.child("when")
    if not when.mapping(optional=field_names(WHEN)):
        return None
    titles = _titles(when.child("titles_any")) if when.has("titles_any") else ()
    channels = optional_refs(when, "channels_any", ids.channels, "channel")
    years = _years(when.child("min_years")) if when.has("min_years") else None
    if titles is None:
        return None  # its problem is reported: not also "needs titles_any"
    if not titles and not channels:
        when.report(
            "an evidence rule needs 'titles_any' or 'channels_any'",
            "years of experience alone say nothing about which skill",
        )
        return None
    implies = _implies(c.child("implies"), ids)
    certainty = _certainty(c.child("certainty"))
    if not implies or certainty is None or years == -1.0:
        return None
    return EvidenceSpec(tuple(implies), certainty, titles, channels, years)


def _titles(c: Cursor) -> tuple[str, ...] | None:
    found = []
    for item in c.items():
        text = item.text()
        if text is None:
            return None
        if not text.strip() or len(text) > MAX_PATTERN_LENGTH:
            item.report(
                "a title pattern must be 1 to 100 characters", "write a word of the job title"
            )
            return None
        found.append(text.strip())
    return tuple(found)


def _years(c: Cursor) -> float:
    value = c.value
    low, high = limits(field_named(WHEN, "min_years"))
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        c.report(f"min_years {value!r} is not a number of years from 0 to 60")
        return -1.0
    return float(value)


def _implies(c: Cursor, ids: PackIds) -> list[tuple[str, int]]:
    found = []
    for skill, level_cursor in c.entries():
        if skill not in ids.skills:
            level_cursor.report(
                f"unknown skill {skill!r}", did_you_mean(skill, ids.skills), key=True
            )
            continue
        level = level_cursor.integer(1, MAX_LEVEL, "an implied level")
        if level is not None:
            found.append((skill, level))
    if not found and not c.value:
        c.report("an evidence rule must imply at least one skill level")
    return found


def _certainty(c: Cursor) -> float | None:
    value = c.value
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        c.report(
            f"certainty {value!r} is not a number above 0 and at most 1",
            "0.9: the evidence nearly proves the level; 0.5: as likely as not",
        )
        return None
    return float(value)


def describe(spec: EvidenceSpec) -> list[Param]:
    """The evidence it looks for, the levels it implies, and its certainty."""
    params = []
    if spec.titles_any:
        params.append(Param(tr("a title containing"), tuple(Ref("", t) for t in spec.titles_any)))
    if spec.channels_any:
        channels = tuple(Ref("channel", ch) for ch in spec.channels_any)
        params.append(Param(tr("worked on"), channels))
    if spec.min_years is not None:
        years = tr("at least {years} years", years=f"{spec.min_years:g}")
        params.append(words(tr("experience"), years))
    implied = tuple(Ref("skill", skill, f" ≥ {lvl}") for skill, lvl in spec.implies)
    params.append(Param(tr("implies"), implied))
    params.append(words(tr("certainty"), f"{spec.certainty:g}"))
    return params


def _matched(spec: EvidenceSpec, profile: Profile) -> str | None:
    """The evidence in words when the profile matches every condition, else None."""
    shown = []
    if spec.titles_any:
        words = _TitleWords.of(spec.titles_any)
        title = next((t for t in profile.titles if words.search(t)), None)
        if title is None:
            return None
        shown.append(tr("title {title!r}", title=title))
    if spec.channels_any:
        channels = [ch for ch in spec.channels_any if ch in profile.channels]
        if not channels:
            return None
        shown.append(tr("work on {channels}", channels=tr(", ").join(channels)))
    if spec.min_years is not None:
        years = profile.experience_years
        if years is None or not math.isfinite(years) or years < spec.min_years:
            return None
        shown.append(tr("{years} years of experience", years=f"{years:g}"))
    return tr(" and ").join(shown)


@dataclass(frozen=True, slots=True)
class _TitleWords:
    """A rule's title words, matched case-insensitively: a Latin word at the start of a word
    ("search engine optimi" matches "optimisation"), a short one (an acronym of up to 4 letters)
    only as a whole word (SEO, not "Seoul"; SEM, not "seminar"), Chinese anywhere.

    Titles of ASCII and uncased characters (Chinese, digits, punctuation) are searched with
    `str.find` in lower case; a title or word with another cased letter (é, İ, ı, ſ, σ, the
    Kelvin sign, ...) with the case-insensitive regex, whose case folding `str.lower` does not
    follow letter for letter. The pack's 16 regexes took 10 ms to compile in every process, a
    fifth of one applicant's screening: now only a title that needs one compiles it."""

    titles: tuple[str, ...]
    #: each word in lower case, whether it must start a word, and whether it must end one
    words: tuple[tuple[str, bool, bool], ...]
    #: whether the words are all ASCII or uncased (else every title goes to the regex)
    plain: bool

    @staticmethod
    @functools.lru_cache(maxsize=256)
    def of(titles: tuple[str, ...]) -> _TitleWords:
        return _TitleWords(
            titles,
            tuple((text.lower(), *_edges(text)) for text in titles),
            all(map(_plain, titles)),
        )

    def search(self, title: str) -> bool:
        if not (self.plain and _plain(title)):
            return _title_pattern(self.titles).search(title) is not None
        lowered = title.lower()
        for word, starts, ends in self.words:
            at = lowered.find(word)
            while at >= 0:
                after = at + len(word)
                if not (starts and _word_char(lowered, at - 1)) and not (
                    ends and _word_char(lowered, after)
                ):
                    return True
                at = lowered.find(word, at + 1)
        return False


def _edges(text: str) -> tuple[bool, bool]:
    """Whether a title word must start a word (it begins with a Latin letter or digit), and
    whether it must end one (an acronym of up to `ACRONYM_LENGTH`, ending in one)."""
    starts = text[:1].isascii() and text[:1].isalnum()
    ends = len(text) <= ACRONYM_LENGTH and text[-1:].isascii() and text[-1:].isalnum()
    return starts, ends


def _plain(text: str) -> bool:
    """ASCII, or no cased letter beyond it: where `str.lower` and the regex's folding agree."""
    return text.isascii() or all(c.isascii() or c.lower() == c.upper() for c in text)


def _word_char(text: str, at: int) -> bool:
    """Whether `text` has an ASCII letter or digit at `at` (not before its start, nor past its end)."""
    return 0 <= at < len(text) and text[at].isascii() and text[at].isalnum()


@functools.lru_cache(maxsize=256)
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    """`_TitleWords` as one case-insensitive regex, for a title with other cased letters."""
    parts = []
    for text in titles:
        starts, ends = _edges(text)
        part = re.escape(text)
        if starts:
            part = r"(?<![A-Za-z0-9])" + part
        if ends:
            part += r"(?![A-Za-z0-9])"
        parts.append(part)
    return re.compile("|".join(parts), re.IGNORECASE)


def infer(rule: Rule, spec: EvidenceSpec, profile: Profile) -> tuple[Inference, ...]:
    """The implied levels, when the profile shows the evidence (stated skills included: the
    evidence pass keeps the stated level, and notes the skill as one the profile signals)."""
    evidence = _matched(spec, profile)
    if evidence is None:
        return ()
    return tuple(
        Inference(skill, level, spec.certainty, rule.id, evidence) for skill, level in spec.implies
    )


def explain(spec: EvidenceSpec, firing: Firing) -> Explanation:
    """The evidence the profile shows, and what the rule concludes from it."""
    b, person = firing.bindings, firing.person
    assert person is not None
    return Explanation(
        (
            tr(
                "the profile of {person} shows {evidence} and does not state {skills}",
                person=person.name,
                evidence=b["evidence"],
                skills=b["skills"],
            ),
            tr(
                "the pack reads it as {skills} (certainty {certainty})",
                skills=b["skills"],
                certainty=b["certainty"],
            ),
        )
    )


def references(spec: EvidenceSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The skills it implies."""
    return tuple(skill for skill, _ in spec.implies), ()


def fires_for(spec: EvidenceSpec, role: Role) -> bool:
    """A finding only where the levels it implies bear on the post (`bears_on_post` below)."""
    return any(skill in role.essential for skill, _ in spec.implies)


def compile_rule(rule: Rule, spec: EvidenceSpec, kb: KnowledgeBase) -> Any:
    """Records the inference the evidence pass made, as a finding on the person's post."""

    names = {skill.id: skill.name for skill in kb.skills.values()}

    def bears_on_post(levels: tuple[tuple[str, int], ...], requirements: Any) -> bool:
        return bool({skill for skill, _ in levels} & {skill for skill, _ in requirements})

    # Said only where it bears on the post: a level the post's requirements rest on.
    @pack_rule(
        rule,
        SALIENCE_FINDINGS,
        AS.inferred
        << Inferred(cid=MATCH.cid, rule=rule.id, levels=MATCH.levels, evidence=MATCH.evidence),
        Holding(cid=MATCH.cid, role=MATCH.role),
        RoleProfile(role=MATCH.role, requirements=MATCH.requirements),
        TEST(bears_on_post),
    )
    def inferred(
        engine: Any,
        inferred: Fact,
        cid: str,
        role: str,
        levels: tuple[tuple[str, int], ...],
        evidence: str,
    ) -> None:
        skills = tr(", ").join(f"{names.get(skill, skill)} ≥ {level}" for skill, level in levels)
        declare_finding(
            engine, rule, cid, role, (inferred,),
            evidence=evidence, skills=skills, certainty=f"{spec.certainty:g}",
        )  # fmt: skip

    return inferred
