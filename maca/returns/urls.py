"""Included at the site root, so every path is written in full."""

from django.urls import path

from maca.returns import views

app_name = "returns"

RETURN = "audits/<slug:slug>/cases/<int:case_id>/returns/<int:agency_id>/"
ESCALATIONS = "audits/<slug:slug>/escalations/"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(RETURN, views.return_page, name="return"),
    path(f"{RETURN}all/", views.return_all, name="return-all"),
    path(f"{RETURN}parts/<slug:part_slug>/", views.return_part, name="part"),
    path(f"{RETURN}autosave/", views.autosave, name="autosave"),
    path(f"{RETURN}sign-off/", views.sign_off, name="sign-off"),
    path(f"{RETURN}accept/", views.accept, name="accept"),
    path(f"{RETURN}send-back/", views.send_back, name="send-back"),
    path(f"{RETURN}workbook.xlsx", views.workbook, name="workbook"),
    path(f"{RETURN}upload/", views.upload, name="upload"),
    path("audits/<slug:slug>/reminders/", views.reminders_now, name="reminders-now"),
    path(ESCALATIONS, views.escalation_list, name="escalations"),
    path(f"{ESCALATIONS}new/", views.escalation_new, name="escalation-new"),
    path(f"{ESCALATIONS}<int:escalation_id>/", views.escalation_detail, name="escalation"),
    path(
        f"{ESCALATIONS}<int:escalation_id>/acknowledge/",
        views.escalation_acknowledge,
        name="escalation-acknowledge",
    ),
    path(
        f"{ESCALATIONS}<int:escalation_id>/action/",
        views.escalation_action,
        name="escalation-action",
    ),
    path(
        f"{ESCALATIONS}<int:escalation_id>/resolve/",
        views.escalation_resolve,
        name="escalation-resolve",
    ),
    path(
        f"{ESCALATIONS}<int:escalation_id>/withdraw/",
        views.escalation_withdraw,
        name="escalation-withdraw",
    ),
]
