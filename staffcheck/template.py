"""An empty import sheet for a post (``staffcheck template``): the columns the reader expects.

The profile fields come first, then one column per skill of the post, essential ones first.
Headers are in the language in use (the pack's translated skill names, `columns.TEMPLATE_HEADERS`
for the fields), and each is checked to read back as what it stands for, so a filled-in
template always imports; a header that would not (two skills with one translated name) falls
back to the id. The XLSX version adds a 0–5 dropdown on the skill columns and offers the post
under ``applying_for``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from staffcheck.columns import FIELDS, Vocabulary, normal, template_header
from staffcheck.i18n import tr
from staffcheck.model import KnowledgeBase

#: Rows of the XLSX template that carry the dropdowns.
TEMPLATE_ROWS = 500


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    """One column of the template: its header, and the field or skill it reads back as."""

    header: str
    kind: str  # "field" or "skill"
    target: str
    essential: bool = False


def template_columns(kb: KnowledgeBase, post: str, lang: str) -> tuple[TemplateColumn, ...]:
    """The template's columns for `post` in language `lang`."""
    role = kb.roles[post]
    words = Vocabulary(kb)
    columns = [
        _checked(words, TemplateColumn(template_header(name, lang), "field", name), name)
        for name in FIELDS
    ]
    skills = [*role.essential, *(s for s in role.optional if s not in role.essential)]
    for skill in skills:
        label = kb.skills[skill].translations.get(lang, {}).get("name", "") if lang != "en" else ""
        column = TemplateColumn(label or skill, "skill", skill, skill in role.essential)
        columns.append(_checked(words, column, skill))
    headers = [c.header for c in columns]
    return tuple(
        c
        if headers.count(c.header) == 1
        else TemplateColumn(c.target, c.kind, c.target, c.essential)
        for c in columns
    )


def _checked(words: Vocabulary, column: TemplateColumn, ident: str) -> TemplateColumn:
    """`column`, or the same with its id as header if its header would read back as another."""
    read = words.column(column.header)
    if read.kind == column.kind and read.target == column.target:
        return column
    return TemplateColumn(ident, column.kind, column.target, column.essential)


def template_csv(columns: tuple[TemplateColumn, ...]) -> str:
    """The header row of the template as CSV text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([c.header for c in columns])
    return out.getvalue()


def template_xlsx(columns: tuple[TemplateColumn, ...], post_label: str) -> bytes:
    """The template as an XLSX workbook: the header row frozen and bold, dropdowns below it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = tr("Applicants")
    sheet.append([c.header for c in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.essential else None)
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(column.header) + 4)
    levels = DataValidation(
        type="whole", operator="between", formula1="0", formula2="5", allow_blank=True,
        showErrorMessage=True, errorTitle=tr("Skill level"),
        error=tr("A skill level is a whole number from 0 (none) to 5 (expert)."),
        showInputMessage=True, promptTitle=tr("Skill level"),
        prompt=tr("0 (none) to 5 (expert); leave empty if unknown"),
    )  # fmt: skip
    sheet.add_data_validation(levels)
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        if column.kind == "skill":
            levels.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        elif column.target == "applying_for" and not set(post_label) & set('",'):
            # Offered, not imposed: another post may be typed in.
            posts = DataValidation(
                type="list", formula1=f'"{post_label}"', allow_blank=True, showErrorMessage=False
            )
            sheet.add_data_validation(posts)
            posts.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post_label(kb: KnowledgeBase, post: str, lang: str) -> str:
    """The post as the template offers it under ``applying_for``: its name in `lang` if that
    reads back as the post, else its id."""
    name = kb.roles[post].translations.get(lang, {}).get("name", "") if lang != "en" else ""
    return name if name and Vocabulary(kb).posts.get(normal(name)) == post else post
