"""The action tracker across all audits, at /actions/."""

from django.urls import path

from maca.learning import views

app_name = "tracker"
urlpatterns = [
    path("", views.tracker, name="list"),
    path("export.csv", views.tracker_export, {"extension": "csv"}, name="export-csv"),
    path("export.xlsx", views.tracker_export, {"extension": "xlsx"}, name="export-xlsx"),
    path("<int:action_id>/", views.action_detail, name="detail"),
    path("<int:action_id>/edit/", views.action_edit, name="edit"),
    path("<int:action_id>/status/", views.action_status, name="status"),
    path("<int:action_id>/note/", views.action_note, name="note"),
    path("<int:action_id>/verify/", views.action_verify, name="verify"),
]
