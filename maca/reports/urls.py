from django.urls import path

from maca.reports import template_views, views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/brief/", views.brief, name="brief"),
    path(
        "<slug:slug>/brief/template/",
        template_views.brief_template_choice,
        name="brief-template-choice",
    ),
    path("<slug:slug>/brief/audits/", template_views.brief_audit_links, name="brief-audits"),
    path("<slug:slug>/brief/draft/", views.brief_draft, name="brief-draft"),
    path("<slug:slug>/brief.pdf", views.brief_download, {"extension": "pdf"}, name="brief-pdf"),
    path("<slug:slug>/brief.docx", views.brief_download, {"extension": "docx"}, name="brief-docx"),
    path("<slug:slug>/brief.md", views.brief_download, {"extension": "md"}, name="brief-md"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report.pdf", views.report_download, {"extension": "pdf"}, name="report-pdf"),
    path(
        "<slug:slug>/report.docx", views.report_download, {"extension": "docx"}, name="report-docx"
    ),
    path("<slug:slug>/drafts/<uuid:public_id>/", views.draft_render, name="draft-render"),
    path(
        "<slug:slug>/drafts/<uuid:public_id>/status/",
        views.draft_render_status,
        name="draft-render-status",
    ),
    path(
        "<slug:slug>/drafts/<uuid:public_id>/download/",
        views.draft_render_download,
        name="draft-render-download",
    ),
    path("<slug:slug>/disclosure/", views.disclosure, name="disclosure"),
    path("<slug:slug>/compare/", views.compare, name="compare"),
    path("<slug:slug>/7-minute-briefing/", views.briefing, name="briefing"),
    path("<slug:slug>/7-minute-briefing.pdf", views.briefing_pdf, name="briefing-pdf"),
]
