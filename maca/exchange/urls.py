"""Included at the site root, so every path is written in full."""

from django.urls import path

from maca.exchange import views

app_name = "exchange"
urlpatterns = [
    path("audits/<slug:slug>/export.json", views.export, name="export"),
    path("audit-import/", views.import_audit, name="import"),
    path("audit-import/<uuid:public_id>/", views.choose_matches, name="choose"),
    path("audit-import/audit-export.schema.json", views.schema, name="schema"),
]
