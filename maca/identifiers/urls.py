from django.urls import path

from maca.identifiers import views

app_name = "identifiers"
urlpatterns = [
    path(
        "audits/<slug:slug>/cases/<int:case_id>/identifiers/",
        views.reveal,
        name="reveal",
    ),
    path(
        "audits/<slug:slug>/cases/<int:case_id>/agency-reference/<int:agency_id>/",
        views.agency_reference,
        name="agency-reference",
    ),
    path("audits/<slug:slug>/retention/", views.retention, name="retention"),
    path("identifiers/access-log/", views.access_log, name="access-log"),
    path("identifiers/access-log.csv", views.access_log_csv, name="access-log-csv"),
]
