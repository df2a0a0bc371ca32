"""The administrator's pages, under /manage/, and the invitation link people follow."""

from django.urls import path

from maca.manage import views

app_name = "manage"

PERSON = "manage/people/<int:person_id>/"
AGENCY = "manage/organisations/<int:agency_id>/"

urlpatterns = [
    path("manage/", views.index, name="index"),
    path("manage/people/", views.people, name="people"),
    path("manage/people/invite/", views.person_invite, name="person-invite"),
    path(PERSON, views.person, name="person"),
    path(PERSON + "resend-invitation/", views.invitation_resend, name="invitation-resend"),
    path(PERSON + "deactivate/", views.person_deactivate, name="person-deactivate"),
    path(PERSON + "reactivate/", views.person_reactivate, name="person-reactivate"),
    path(PERSON + "authenticator/reset/", views.authenticator_reset, name="authenticator-reset"),
    path(PERSON + "roles/add/", views.role_add, name="role-add"),
    path(PERSON + "roles/<int:role_id>/remove/", views.role_remove, name="role-remove"),
    path("manage/organisations/", views.organisations, name="organisations"),
    path("manage/organisations/new/", views.organisation_create, name="organisation-new"),
    path(AGENCY + "edit/", views.organisation_edit, name="organisation-edit"),
    path(AGENCY + "merge/", views.organisation_merge, name="organisation-merge"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
    path("background-work/", views.background_work, name="background-work"),
]
