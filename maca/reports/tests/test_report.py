"""The audit report: figures computed from the returns (N/A out of the denominator), learning
embedded child by child, charts with a text alternative and a table, in three formats, for the
right people, at a cost that does not grow with the audit."""

from __future__ import annotations

import io
import re
from html import escape as html_escape
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from maca.accounts.models import Role
from maca.audits.models import Answer, GradeLevel, PanelGrade
from maca.moderation.tests.builders import build_moderated_audit
from maca.reports import figures
from maca.reports.brief import build_brief, system_access
from maca.reports.renderers import render
from maca.reports.report import build_report
from maca.reports.tests.conftest import docx_text, download, markdown_text, pdf_text
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def baseline_rule(case: int, agency: int, question: int) -> str:
    return {(0, 0, 0): "no", (1, 1, 1): "na", (0, 1, 2): "partial"}.get(
        (case, agency, question), "yes"
    )


def _small(**kwargs):
    return build_moderated_audit(
        cases=2, agencies=2, questions=4, sections=2, rule=baseline_rule, **kwargs
    )


def _by_standard(audit) -> dict[str, figures.OutcomeCounts]:
    return {item.standard: item.counts for item in figures.compliance_by_standard(audit)}


def _set(answer: Answer, level: GradeLevel) -> None:
    answer.grade = level
    answer.save()


def test_compliance_per_standard_is_computed_from_the_answers():
    built = _small()
    rates = _by_standard(built.audit)
    assert rates["Fictional standard 1"] == figures.OutcomeCounts(3, 0, 1, 0)
    assert rates["Fictional standard 1"].percent == 75
    assert rates["Fictional standard 2"] == figures.OutcomeCounts(3, 0, 0, 1)
    assert rates["Fictional standard 2"].percent == 100  # N/A left out: 3 of 3
    assert rates["Fictional standard 3"] == figures.OutcomeCounts(3, 1, 0, 0)
    assert rates["Fictional standard 3"].percent == 75  # partly met is not met
    overall = figures.overall_compliance(figures.compliance_by_standard(built.audit))
    assert (overall.met, overall.applicable, overall.percent) == (13, 15, 87)


def test_changing_an_answer_moves_the_rate_and_na_leaves_the_denominator(client):
    built = _small()
    answer = built.answer(0, 0, 0)  # the one "No" for standard 1
    client.force_login(built.coordinator)
    url = reverse("reports:report", args=[built.audit.slug])
    assert "75%" in _row(client.get(url).text, "Fictional standard 1")

    _set(answer, built.level("ynpna", "yes"))
    assert _by_standard(built.audit)["Fictional standard 1"].percent == 100

    _set(answer, built.level("ynpna", "na"))
    counts = _by_standard(built.audit)["Fictional standard 1"]
    assert (counts.met, counts.applicable, counts.not_applicable) == (3, 3, 1)
    row = _row(client.get(url).text, "Fictional standard 1")
    assert "100%" in row and ">1<" in row  # one N/A, shown but left out

    _set(answer, built.level("ynpna", "partial"))
    assert _by_standard(built.audit)["Fictional standard 1"].percent == 75


def test_draft_returns_are_not_counted():
    built = _small()
    built.returns[(0, 0)].status = "draft"
    built.returns[(0, 0)].save()
    assert _by_standard(built.audit)["Fictional standard 1"] == figures.OutcomeCounts(3, 0, 0, 0)


def _row(html: str, label: str) -> str:
    """The table row headed by `label` (the chart has the label too, as SVG text)."""
    start = html.index(f'maca-normal-weight">{label}</th>')
    return html[start : html.index("</tr>", start)]


def test_learning_embedded_is_worked_out_child_by_child():
    built = _small()
    review = figures.learning_embedded(built.audit)[0]
    first, second = review.points
    # Point 1 (questions 1 and 3): child 1 has a No and a Partial, so not met; child 2 met.
    assert first.counts == figures.OutcomeCounts(met=1, partly=0, not_met=1, not_applicable=0)
    assert first.met_cases == ("Child 2",) and first.not_met_cases == ("Child 1",)
    assert first.sentence == "Met for 1 of 2 children (50%); not met for 1."
    # Point 2: child 2's N/A from one agency does not stop it being met.
    assert second.counts == figures.OutcomeCounts(met=2)


def test_a_child_with_only_na_answers_is_left_out():
    built = build_moderated_audit(
        cases=2,
        agencies=1,
        questions=4,
        sections=2,
        rule=lambda c, a, q: "na" if c == 0 and q in (0, 2) else "partial",
    )
    point = figures.learning_embedded(built.audit)[0].points[0]
    assert point.counts == figures.OutcomeCounts(partly=1, not_applicable=1)
    assert point.counts.percent == 0
    assert "Not applicable for 1 child, left out of the figure." in point.sentence


def test_self_grade_against_agreed_grade():
    built = _small()
    # Builder: child 1 agency 1 graded RI, the rest good.
    PanelGrade.objects.create(
        case=built.cases[0], grade=built.level("ofsted-4", "good"), reason="Agreed."
    )
    PanelGrade.objects.create(
        case=built.cases[1], grade=built.level("ofsted-4", "requires-improvement"), reason="x"
    )
    rows = {row.agency: row for row in figures.self_against_agreed(built.audit)}
    first, second = (rows[agency.short_name] for agency in built.agencies)
    assert (first.more_positive, first.same, first.less_positive) == (1, 0, 1)
    assert (second.more_positive, second.same, second.less_positive) == (1, 1, 0)


# --- The page, PDF and Word -----------------------------------------------------------------


def test_every_chart_has_a_text_alternative_and_a_table(client):
    built = _small()
    client.force_login(built.coordinator)
    html = client.get(reverse("reports:report", args=[built.audit.slug])).text
    report = build_report(system_access(built.audit))
    assert len(report.charts) == 7
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert svgs, "no chart drawn"
    for chart in report.charts:
        start = html.index(f'id="chart-{chart.key}"')
        block = html[start : html.index("</table>", start)]
        assert chart.summary and html_escape(chart.summary) in block  # said in words
        assert "<table" in block and "<caption" in block  # and the numbers beside it
        if chart.table.rows:
            assert f'aria-labelledby="chart-{chart.key}-title"' in block
            assert f'<title id="chart-{chart.key}-title">' in block
    for tag in svgs:
        assert 'role="img"' in tag and "style=" not in tag
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_report_downloads_as_a_tagged_pdf_and_a_word_document_with_alt_text(client):
    built = _small()
    client.force_login(built.coordinator)
    pdf = download(client, reverse("reports:report-pdf", args=[built.audit.slug]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert "/StructTreeRoot" in cast(Any, reader.trailer["/Root"])
    text = pdf_text(pdf.content)
    assert "Compliance with standards" in text and "Fictional standard 1" in text

    docx = download(client, reverse("reports:report-docx", args=[built.audit.slug]))
    document = Document(io.BytesIO(docx.content))
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    drawn = [c for c in build_report(system_access(built.audit)).charts if c.table.rows]
    assert descriptions == [chart.summary for chart in drawn]
    assert len(document.tables) >= 7
    assert "Compliance with standards" in docx_text(docx.content)


def test_pseudonyms_behind_the_figures_only_for_coordinator_and_panel(client):
    built = _small(status="published")
    url = reverse("reports:report", args=[built.audit.slug])
    client.force_login(built.panel)
    assert "Not met: Child 1" in client.get(url).text
    client.force_login(person_with_role(Role.READER))
    page = client.get(url)
    assert page.status_code == 200
    assert "Child 1" not in page.text and "Child 2" not in page.text


def test_draft_report_is_404_for_readers_and_agencies(client):
    built = _small(status="moderation")
    url = reverse("reports:report", args=[built.audit.slug])
    client.force_login(person_with_role(Role.READER))
    assert client.get(url).status_code == 404
    client.force_login(person_with_role(Role.AGENCY_LEAD, agency=built.agencies[0]))
    assert client.get(url).status_code == 404


def test_report_query_count_does_not_grow_with_cases_agencies_or_questions(client):
    small = build_moderated_audit(cases=2, agencies=2, questions=4, sections=2)
    large = build_moderated_audit(cases=10, agencies=6, questions=16, sections=4)
    counts = []
    for built in (small, large):
        client.force_login(built.coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:report", args=[built.audit.slug])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- Learning embedded in the brief ---------------------------------------------------------


def test_brief_shows_learning_embedded_in_all_four_formats():
    built = _small(status="published")
    brief = build_brief(system_access(built.audit))
    review = brief.reviews[0]
    assert [(check.label, check.sentence) for check in review.embedded] == [
        ("Learning point 1", "Met for 1 of 2 children (50%); not met for 1."),
        ("Learning point 2", "Met for 2 of 2 children (100%)."),
    ]
    readers = {
        "html": lambda data: data.decode(),
        "md": lambda data: markdown_text(data.decode()),
        "docx": docx_text,
        "pdf": pdf_text,
    }
    for extension, read in readers.items():
        text = read(render(brief, extension).content)
        assert "Met for 1 of 2 children (50%); not met for 1." in text, extension
        assert "Child 1" not in text, extension
