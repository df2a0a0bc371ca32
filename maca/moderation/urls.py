from django.urls import path

from maca.moderation import views

app_name = "moderation"
urlpatterns = [
    path("<slug:slug>/moderation/", views.moderation_list, name="list"),
    path("<slug:slug>/moderation/<int:case_id>/", views.moderate_case, name="case"),
    path("<slug:slug>/moderation/<int:case_id>/grades/", views.record_grades, name="grades"),
    path(
        "<slug:slug>/moderation/<int:case_id>/discrepancies/",
        views.record_discrepancy,
        name="discrepancy",
    ),
    path("<slug:slug>/moderation/<int:case_id>/findings/", views.record_finding, name="finding"),
]
