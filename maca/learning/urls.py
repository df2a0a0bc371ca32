from django.urls import path

from maca.learning import views

app_name = "learning"
urlpatterns = [
    path("<slug:slug>/findings/", views.findings, name="findings"),
    path("<slug:slug>/findings/new/", views.finding_new, name="finding-new"),
    path("<slug:slug>/findings/<int:finding_id>/edit/", views.finding_edit, name="finding-edit"),
    path("<slug:slug>/findings/<int:finding_id>/move/", views.finding_move, name="finding-move"),
    path("<slug:slug>/findings/<int:finding_id>/brief/", views.finding_brief, name="finding-brief"),
    path("<slug:slug>/findings/<int:finding_id>/merge/", views.finding_merge, name="finding-merge"),
    path(
        "<slug:slug>/findings/<int:finding_id>/actions/new/",
        views.action_new,
        name="finding-action-new",
    ),
    path("<slug:slug>/actions/", views.actions, name="actions"),
    path("<slug:slug>/actions/new/", views.action_new, name="action-new"),
    path("<slug:slug>/follow-up/", views.follow_up, name="follow-up"),
]
