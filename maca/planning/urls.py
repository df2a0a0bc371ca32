"""Included at the site root. Set-up pages sit under audits/<slug>/plan/, which no other
app uses; starting an audit is plan/new-audit/ so it can never be read as an audit's slug."""

from django.urls import path

from maca.planning.views import setup, tools

app_name = "planning"

VERSION = "tools/<slug:slug>/v<int:number>/"
SETUP = "audits/<slug:slug>/plan/"

urlpatterns = [
    # Tool builder
    path("tools/", tools.tool_list, name="tools"),
    path("tools/new/", tools.tool_create, name="tool-new"),
    path("tools/library/<slug:slug>/add/", tools.ready_tool_add, name="ready-tool-add"),
    path("tools/<slug:slug>/", tools.tool_detail, name="tool"),
    path("tools/<slug:slug>/edit/", tools.tool_edit, name="tool-edit"),
    path(VERSION, tools.version_detail, name="version"),
    path(VERSION + "new-version/", tools.version_new, name="version-new"),
    path(VERSION + "copy/", tools.tool_copy, name="tool-copy"),
    path(VERSION + "notes/", tools.version_notes, name="version-notes"),
    path(VERSION + "sections/new/", tools.section_create, name="section-new"),
    path(VERSION + "sections/<int:section_id>/edit/", tools.section_edit, name="section-edit"),
    path(
        VERSION + "sections/<int:section_id>/delete/", tools.section_delete, name="section-delete"
    ),
    path(VERSION + "sections/<int:section_id>/move/", tools.section_move, name="section-move"),
    path(
        VERSION + "sections/<int:section_id>/questions/new/",
        tools.question_create,
        name="question-new",
    ),
    path(VERSION + "questions/<int:question_id>/edit/", tools.question_edit, name="question-edit"),
    path(
        VERSION + "questions/<int:question_id>/delete/",
        tools.question_delete,
        name="question-delete",
    ),
    path(VERSION + "questions/<int:question_id>/move/", tools.question_move, name="question-move"),
    # Setting up an audit
    path("plan/new-audit/", setup.audit_create, name="audit-new"),
    path(SETUP, setup.setup, name="setup"),
    path(SETUP + "details/", setup.plan, name="plan"),
    path(SETUP + "stage/", setup.status, name="status"),
    path(SETUP + "stage/<str:direction>/", setup.status_change, name="status-change"),
    path(SETUP + "agencies/", setup.agencies, name="agencies"),
    path(SETUP + "agencies/new/", setup.agency_create, name="agency-new"),
    path(SETUP + "tool/", setup.tool, name="tool-choice"),
    path(SETUP + "people/", setup.people, name="people"),
    path(SETUP + "figures/", setup.figures, name="figures"),
    path(SETUP + "reviews/", setup.reviews, name="reviews"),
    path(SETUP + "reviews/new/", setup.review_create, name="review-new"),
    path(SETUP + "reviews/<int:link_id>/remove/", setup.review_unlink, name="review-unlink"),
    path(SETUP + "children/", setup.cases, name="cases"),
    path(SETUP + "children/new/", setup.case_create, name="case-new"),
    path(SETUP + "children/<int:case_id>/edit/", setup.case_edit, name="case-edit"),
    path(SETUP + "children/<int:case_id>/remove/", setup.case_delete, name="case-delete"),
    path(SETUP + "involvement/", setup.involvement, name="involvement"),
]
