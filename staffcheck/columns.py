"""Spreadsheet headers as HR writes them: which column is which profile field or skill.

A header is compared in a normal form (`normal`): Unicode-compatible (full-width ``ＩＤ`` is
``id``), case-folded, with spaces, ``_`` and ``-`` alike. Each profile field has aliases in
English and Chinese (``姓名`` is ``name``, ``应聘岗位`` is ``applying_for``); a skill column is
named by the skill's id, its name, or its name in any language of the pack. A header that names
nothing is kept aside (an ``extra`` column), never fatal. Values under ``applying_for`` and
``channels`` may be a post's or channel's name in any pack language too (`Vocabulary`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from staffcheck.model import KnowledgeBase

#: The columns that make a row the header row (every profile needs them).
REQUIRED = ("id", "name")
#: Profile fields a column may hold, in the order an import template lists them.
FIELDS = ("id", "name", "applying_for", "experience_years", "channels", "titles")

#: field -> the headers that name it besides the field itself (compared in normal form).
#: ``序号`` (a row number) is not an id: it restarts in every export, so people would collide.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "id": ("ID", "candidate id", "applicant id", "person id", "编号", "工号", "候选人编号",
           "应聘者编号", "人员编号", "员工编号"),
    "name": ("full name", "candidate name", "applicant name", "姓名", "名字", "候选人姓名",
             "应聘者姓名", "候选人"),
    "applying_for": ("applying for", "post", "position", "position applied for", "applied for",
                     "applied position", "job", "role", "应聘岗位", "岗位", "申请岗位", "应聘职位",
                     "求职岗位", "目标岗位", "申请职位"),
    "experience_years": ("experience", "years", "years of experience", "work experience",
                         "工作年限", "年限", "工作经验", "经验年限", "从业年限"),
    "channels": ("channel", "platforms", "渠道", "推广渠道", "熟悉渠道", "平台"),
    "titles": ("title", "job title", "job titles", "职位", "头衔", "职位/头衔", "职称", "曾任职位"),
    "skills": ("skill levels", "技能", "技能等级", "技能水平"),
}  # fmt: skip

#: The headers of an import template in each language (the reader accepts them all back).
TEMPLATE_HEADERS: Mapping[str, Mapping[str, str]] = {
    "zh": {"id": "编号", "name": "姓名", "applying_for": "应聘岗位", "experience_years": "工作年限",
           "channels": "渠道", "titles": "职位/头衔"},
}  # fmt: skip

_SEPARATORS = re.compile(r"[\s_\-]+")
_TRAILING_NOTE = re.compile(r"\s*[(\[（【][^()\[\]（）【】]*[)\]）】]\s*$")


def normal(text: str) -> str:
    """`text` as headers and labels are compared: ``Applying_For`` = ``applying for`` =
    ``ApplyingFor``, ``工作 年限`` = ``工作年限`` (spaces, ``_`` and ``-`` are ignored)."""
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    return _SEPARATORS.sub("", folded)


Kind = Literal["field", "skill", "skills", "extra"]


@dataclass(frozen=True, slots=True)
class Column:
    """What one header names: a profile field, one skill, the ``skills`` list, or nothing."""

    header: str
    kind: Kind
    #: the field name or skill id (the header itself for an extra column)
    target: str


class Vocabulary:
    """Every way of naming a pack's posts, skills and channels: id, name, translated names."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.skills = label_index(kb.skills)
        self.posts = label_index(kb.roles)
        self.channels = label_index(kb.channels)
        self.fields: dict[str, str] = {}
        for field_name, aliases in ALIASES.items():
            for alias in (field_name, *aliases):
                self.fields[normal(alias)] = field_name
        for headers in TEMPLATE_HEADERS.values():
            for field_name, header in headers.items():
                self.fields[normal(header)] = field_name

    def column(self, header: str) -> Column:
        """What `header` names; a trailing note in brackets (``工作年限（年）``) is ignored."""
        for key in _keys(header):
            field_name = self.fields.get(key)
            if field_name == "skills":
                return Column(header, "skills", "skills")
            if field_name is not None:
                return Column(header, "field", field_name)
            skill = self.skills.get(key)
            if skill is not None and not skill.startswith(AMBIGUOUS):
                return Column(header, "skill", skill)
        return Column(header, "extra", header)


def _keys(header: str) -> list[str]:
    key = normal(header)
    bare = normal(_TRAILING_NOTE.sub("", header))
    return [key] if bare in ("", key) else [key, bare]


def label_index(entries: Mapping[str, object]) -> dict[str, str]:
    """Normal form of an id, or of a name in any language -> the entry's id (an id always
    means itself, whatever another entry is called)."""
    index: dict[str, str] = {}
    shorter: dict[str, set[str]] = {}  # a name without its bracketed note, or the note alone
    for ident, entry in entries.items():
        names = [str(getattr(entry, "name", ""))]
        translations: Mapping[str, Mapping[str, str]] = getattr(entry, "translations", {})
        names += [str(fields.get("name", "")) for fields in translations.values()]
        for name in names:
            if name.strip():
                index.setdefault(normal(name), ident)
            for part in _parts(name):
                shorter.setdefault(part, set()).add(ident)
    for key, idents in shorter.items():
        if key not in index:
            index[key] = idents.pop() if len(idents) == 1 else AMBIGUOUS + ",".join(sorted(idents))
    index.update({normal(ident): ident for ident in entries})
    return index


#: What `label_index` gives for a short name that two entries share, before their ids.
AMBIGUOUS = "\0ambiguous:"


def _parts(name: str) -> list[str]:
    """``搜索引擎优化（SEO）`` is also ``搜索引擎优化`` and ``SEO``."""
    match = _TRAILING_NOTE.search(name)
    if match is None:
        return []
    note = match.group(0).strip()[1:-1]
    return [normal(p) for p in (name[: match.start()], note) if normal(p)]


def template_header(field_name: str, lang: str) -> str:
    """The header of a profile field in an import template for language `lang`."""
    return TEMPLATE_HEADERS.get(lang, {}).get(field_name, field_name)
