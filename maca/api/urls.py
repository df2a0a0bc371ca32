"""Included at the site root: the API under /api/v1/, its schema and docs, and the token pages
under /account/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularJSONAPIView

from maca.api.views import audits, learning, pages, reports, returns
from maca.api.views.base import NotFoundView


class IdConverter:
    """A database id: at most 18 digits, so an id too big for the database is a 404 (from the
    JSON catch-all below), not an overflow inside the query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "api"

AUDIT = "api/v1/audits/<slug:slug>/"
RETURN = f"{AUDIT}cases/<id:case_id>/returns/<id:agency_id>/"

urlpatterns = [
    path("account/api-tokens/", pages.tokens, name="tokens"),
    path("account/api-tokens/<id:token_id>/revoke/", pages.token_revoke, name="token-revoke"),
    path("api/docs/", pages.docs, name="docs"),
    path("api/schema/", login_not_required(SpectacularJSONAPIView.as_view()), name="schema"),
    path("api/v1/me/", audits.MeView.as_view(), name="me"),
    path("api/v1/audits/", audits.AuditListView.as_view(), name="audits"),
    path(AUDIT, audits.AuditDetailView.as_view(), name="audit"),
    path(f"{AUDIT}tool/", audits.AuditToolView.as_view(), name="audit-tool"),
    path(f"{AUDIT}cases/", audits.CaseListView.as_view(), name="cases"),
    path(f"{AUDIT}cases/<id:case_id>/", audits.CaseDetailView.as_view(), name="case"),
    path(f"{AUDIT}returns/", returns.ReturnListView.as_view(), name="returns"),
    path(RETURN, returns.ReturnDetailView.as_view(), name="return"),
    path(f"{RETURN}submit/", returns.ReturnSubmitView.as_view(), name="return-submit"),
    path(f"{AUDIT}escalations/", returns.EscalationListView.as_view(), name="escalations"),
    path(
        f"{AUDIT}escalations/<id:escalation_id>/",
        returns.EscalationDetailView.as_view(),
        name="escalation",
    ),
    path(f"{AUDIT}findings/", learning.FindingListView.as_view(), name="findings"),
    path(f"{AUDIT}figures/", reports.FiguresView.as_view(), name="figures"),
    path(f"{AUDIT}brief/", reports.BriefView.as_view(), name="brief"),
    path("api/v1/actions/", learning.ActionListView.as_view(), name="actions"),
    path("api/v1/actions/<id:action_id>/", learning.ActionDetailView.as_view(), name="action"),
    path(
        "api/v1/actions/<id:action_id>/status/",
        learning.ActionStatusView.as_view(),
        name="action-status",
    ),
    path("api/v1/tools/", audits.ToolListView.as_view(), name="tools"),
    path(
        "api/v1/tools/<slug:slug>/versions/<id:number>/",
        audits.ToolVersionView.as_view(),
        name="tool-version",
    ),
    # Last: every other address under /api/ answers with the API's JSON 404.
    re_path(r"^api/", NotFoundView.as_view(), name="not-found"),
]
