"""The brief templates' pages, outside /audits/ because a template belongs to no audit."""

from django.urls import path

from maca.reports import template_views

app_name = "brief_templates"
urlpatterns = [
    path("", template_views.brief_template_list, name="list"),
    path(
        "<slug:template_slug>/<int:version_number>/",
        template_views.brief_template_version,
        name="version",
    ),
]
