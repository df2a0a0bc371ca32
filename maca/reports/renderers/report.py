"""The audit report as a tagged PDF (from the same HTML as the page) and as a Word document
(charts as PNG pictures with their summary as alt text, numbers in real Word tables)."""

from __future__ import annotations

import io
from importlib import resources
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from maca.reports.charts import Chart, Table
from maca.reports.report import AuditReport

REPORT_TEMPLATE = "reports/report_print.html"


def print_css(*names: str) -> str:
    """The print stylesheets, kept beside this package rather than in static/: WeasyPrint
    reads them directly, and no web page ever links them."""
    folder = resources.files("maca.reports.print")
    return "\n".join((folder / f"{name}.css").read_text(encoding="utf-8") for name in names)


def write_pdf(html: str, *names: str) -> bytes:
    from weasyprint import CSS, HTML

    from maca.reports.renderers.pdf import BASE_URL, StaticFilesFetcher, font_config

    fonts = font_config()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    pdf = document.write_pdf(
        stylesheets=[CSS(string=print_css(*names), font_config=fonts)],
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )
    assert isinstance(pdf, bytes)
    return pdf


def render_report_pdf(report: AuditReport) -> bytes:
    html = render_to_string(REPORT_TEMPLATE, {"report": report})
    return write_pdf(html, "common", "report")


# --- Word -----------------------------------------------------------------------------------


def render_report_docx(report: AuditReport) -> bytes:
    from docx import Document
    from docx.shared import Cm

    from maca.reports.renderers.word import _set_up_styles

    document = Document()
    _set_up_styles(document)
    properties = document.core_properties
    properties.title = report.document_title
    properties.subject = report.theme
    properties.author = report.partnership_name
    properties.language = "en-GB"
    properties.keywords = "audit report; multi-agency case audit"
    properties.comments = f"Audit report – {report.partnership_name}"
    properties.last_modified_by = report.partnership_name
    properties.created = properties.modified = timezone.now()

    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(f"Audit report – {report.partnership_name}", style="Subtitle")
    if report.is_draft:
        document.add_paragraph(
            "Draft: the audit is not published yet, so these figures may change."
        )

    def chart(item: Chart) -> None:
        document.add_paragraph(item.title, style="Heading 3")
        if item.table.rows:
            document.add_picture(io.BytesIO(item.png()), width=Cm(15.5))
            picture = document.inline_shapes[-1]
            # The text alternative screen readers and "Check accessibility" look for.
            picture._inline.docPr.set("descr", item.summary)
            picture._inline.docPr.set("title", item.title)
        document.add_paragraph(item.summary)
        table(item.table)

    def table(item: Table) -> None:
        document.add_paragraph(item.caption, style="Caption")
        grid = document.add_table(rows=1, cols=len(item.columns))
        grid.style = "Table Grid"
        header = grid.rows[0]
        _mark_header(header)
        for cell, text in zip(header.cells, item.columns, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for label, values in item.rows:
            cells = grid.add_row().cells
            cells[0].text = label
            for cell, value in zip(cells[1:], values, strict=True):
                cell.text = value
        document.add_paragraph()

    document.add_paragraph("Scope and cohort", style="Heading 1")
    for label, value in report.scope:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph(report.cohort_text)
    chart(report.needs)

    document.add_paragraph("Grades", style="Heading 1")
    chart(report.section_grades)
    table(report.agreed_sections)
    chart(report.agency_grades)

    document.add_paragraph("Compliance with standards", style="Heading 1")
    document.add_paragraph(report.compliance_text)
    chart(report.compliance)

    document.add_paragraph("Agency self-grade against the agreed grade", style="Heading 1")
    chart(report.self_against_agreed)

    document.add_paragraph("Escalations and outcomes", style="Heading 1")
    document.add_paragraph(report.escalation_text)
    for escalation in report.escalations.items:
        outcome = escalation.public_outcome or "Outcome not recorded yet"
        document.add_paragraph(
            f"{escalation.public_summary} ({escalation.get_urgency_display()}, "
            f"{escalation.get_status_display().lower()}). {outcome}",
            style="List Bullet",
        )

    document.add_paragraph("Learning from earlier reviews", style="Heading 1")
    if report.learning_chart is not None:
        chart(report.learning_chart)
    for review in report.learning:
        document.add_paragraph(review.title, style="Heading 2")
        for check in review.points:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{check.point.text} ").bold = True
            paragraph.add_run(check.sentence)
            if report.shows_cases:
                for label, cases in (
                    ("Met", check.met_cases),
                    ("Partly met", check.partly_cases),
                    ("Not met", check.not_met_cases),
                ):
                    if cases:
                        document.add_paragraph(f"{label}: {', '.join(cases)}")
    if not report.learning:
        document.add_paragraph("This audit is not linked to any earlier review.")

    document.add_paragraph("Actions", style="Heading 1")
    chart(report.actions)
    for action in report.action_figures.items:
        owners = ", ".join(agency.short_name for agency in action.owners.all())
        due = str(action.due) if action.due else "no date set"
        document.add_paragraph(
            f"{action.description} Owners: {owners or 'not assigned'}. Due: {due}. "
            f"Status: {action.get_status_display()}.",
            style="List Bullet",
        )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _mark_header(row: Any) -> None:
    """Repeat the header row on each page and tell assistive technology it is a header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
