"""The moderation page's repeated parts, written in Python: on the largest audits the page has
40 questions with 480 answer rows (40 questions x 12 agencies) and 120 rows of section grades,
and as template markup they took most of the time the page spent rendering.

Every value is escaped with `html.escape`, which is what Django's `escape` does underneath;
calling it directly, and joining plain strings, saves `format_html`'s work per value. The
result is marked safe once, at the end."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from maca.moderation.selectors import AnswerCell, QuestionRow, SectionSummaryCell, ShownAnswer

register = template.Library()

_ROW_HEADER = (
    '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header maca-normal-weight">'
)
_CELL = '</th><td class="govuk-table__cell">'
_NEXT_CELL = '</td><td class="govuk-table__cell">'
_ROW_END = "</td></tr>"
_NO_ANSWER = '<span class="maca-meta">No answer</span>'
_ANSWERS_HEAD = (
    '<thead class="govuk-table__head"><tr class="govuk-table__row">'
    '<th scope="col" class="govuk-table__header">Agency</th>'
    '<th scope="col" class="govuk-table__header">Answer</th>'
    '<th scope="col" class="govuk-table__header">Evidence and reason</th>'
    "</tr></thead>"
)
_DIFFER = (
    '<p class="govuk-body-s govuk-!-margin-bottom-2">'
    '<strong class="govuk-tag govuk-tag--orange">Agencies\' answers differ</strong></p>'
)


def _text(value: object) -> str:
    return escape(str(value))


def _evidence_and_reason(answer: ShownAnswer) -> str:
    if not answer.reason:
        return _text(answer.evidence)
    between = "<br>" if answer.evidence else ""
    return f'{_text(answer.evidence)}{between}<span class="maca-meta">{_text(answer.reason)}</span>'


def _answer_rows(cells: Iterable[AnswerCell]) -> str:
    return "".join(
        f"{_ROW_HEADER}{_text(cell.agency.short_name)}{_CELL}"
        + (
            f"{_text(cell.answer.value)}{_NEXT_CELL}{_evidence_and_reason(cell.answer)}"
            if cell.answer
            else f"{_NO_ANSWER}{_NEXT_CELL}"
        )
        + _ROW_END
        for cell in cells
    )


@register.simple_tag
def answer_rows(cells: tuple[AnswerCell, ...]) -> SafeString:
    """One table row per agency: its short name, its answer, and its evidence and reason."""
    return mark_safe(_answer_rows(cells))  # every value escaped by _text


def _question_block(row: QuestionRow, pseudonym: str) -> str:
    question = row.question
    code = _text(question.code)
    rows = _answer_rows(row.cells) or (
        '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="3">'
        f"No agency answered this question for {_text(pseudonym)}.</td></tr>"
    )
    warnings = "".join(
        '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" '
        'aria-hidden="true">!</span><strong class="govuk-warning-text__text">'
        '<span class="govuk-visually-hidden">Warning</span>Discrepancy between '
        + ", ".join(_text(agency.short_name) for agency in discrepancy.agencies.all())
        + f": {_text(discrepancy.description)}</strong></div>"
        for discrepancy in row.discrepancies
    )
    return (
        f'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">{code} {_text(question.text)}</h3>'
        f'<p class="govuk-body-s maca-meta govuk-!-margin-bottom-2">{_text(row.meta)}</p>'
        f"{_DIFFER if row.accounts_differ else ''}"
        '<div class="maca-grid-wrapper" tabindex="0" role="region" aria-label="'
        f"Each agency's answer to {code} (scrolls sideways on a small screen)\">"
        '<table class="govuk-table govuk-!-margin-bottom-4">'
        '<caption class="govuk-table__caption govuk-visually-hidden">'
        f"Each agency's answer to {code}</caption>{_ANSWERS_HEAD}"
        f'<tbody class="govuk-table__body">{rows}</tbody></table></div>{warnings}'
    )


@register.simple_tag
def question_blocks(rows: tuple[QuestionRow, ...], pseudonym: str) -> SafeString:
    """Each question of a section: its heading and standard, every agency's answer to it,
    and the discrepancies recorded about it."""
    return mark_safe("".join(_question_block(row, pseudonym) for row in rows))


@register.simple_tag
def section_grade_rows(cells: tuple[SectionSummaryCell, ...]) -> SafeString:
    """One table row per agency: its grade for the section, its reason and its areas for
    development."""
    parts = []
    for cell in cells:
        summary = cell.summary
        if summary is None:
            parts.append(f"{_ROW_HEADER}{_text(cell.agency.short_name)}{_CELL}Not graded")
            parts.append(f"{_NEXT_CELL}{_ROW_END}")
            continue
        areas = summary.areas_for_development
        parts.append(
            f"{_ROW_HEADER}{_text(cell.agency.short_name)}{_CELL}"
            f"{_text(summary.grade_label or 'Not graded')}{_NEXT_CELL}"
            f"{_text(summary.grade_reason)}"
            + (f'<br><span class="maca-meta">{_text(areas)}</span>' if areas else "")
            + _ROW_END
        )
    return mark_safe("".join(parts))  # every value escaped by _text
