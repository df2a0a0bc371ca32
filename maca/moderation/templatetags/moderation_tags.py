"""The moderation page's answer rows, written in Python: on the largest audits the page has
480 of them (40 questions x 12 agencies), and as template markup they took most of the time
the page spent rendering. Each value is escaped by `format_html`."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from maca.moderation.selectors import AnswerCell, ShownAnswer

register = template.Library()

_ROW = (
    '<tr class="govuk-table__row">'
    '<th scope="row" class="govuk-table__header maca-normal-weight">{}</th>'
    '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>'
)
_NO_ANSWER = mark_safe('<span class="maca-meta">No answer</span>')


def _evidence_and_reason(answer: ShownAnswer) -> SafeString:
    if not answer.reason:
        return format_html("{}", answer.evidence)
    between = mark_safe("<br>") if answer.evidence else ""
    return format_html(
        '{}{}<span class="maca-meta">{}</span>', answer.evidence, between, answer.reason
    )


@register.simple_tag
def answer_rows(cells: tuple[AnswerCell, ...]) -> SafeString:
    """One table row per agency: its short name, its answer, and its evidence and reason."""
    return format_html_join(
        "",
        _ROW,
        (
            (
                cell.agency.short_name,
                cell.answer.value if cell.answer else _NO_ANSWER,
                _evidence_and_reason(cell.answer) if cell.answer else "",
            )
            for cell in cells
        ),
    )
