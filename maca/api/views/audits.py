"""Who am I, audits, tools and cases."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from maca.accounts.models import RoleAssignment
from maca.api import selectors as api_selectors
from maca.api.serializers.audits import (
    AuditDetailSerializer,
    AuditListSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    MeSerializer,
    ToolListSerializer,
    ToolVersionSerializer,
)
from maca.api.views.base import ApiView, AuditScoped, ListView
from maca.audits import selectors
from maca.audits.models import AgencyInvolvement, Audit, AuditTool, Case, Need


@extend_schema(tags=["people"], summary="Who the token belongs to, and their roles")
class MeView(ApiView):
    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        roles = (
            RoleAssignment.objects.filter(user=request.user)
            .select_related("agency")
            .order_by("role", "agency__name")
        )
        data = {
            "email": request.user.email,
            "full_name": request.user.full_name,
            "roles": [{"role": row.role, "agency": row.agency} for row in roles],
        }
        return Response(MeSerializer(data).data)


@extend_schema(tags=["audits"], summary="Audits you may open")
class AuditListView(ListView):
    serializer_class = AuditListSerializer

    def get_queryset(self) -> QuerySet[Audit]:
        return selectors.audits_visible_to(self.request.user).select_related(
            "tool_version__tool", "follow_up_of"
        )


@extend_schema(tags=["audits"], summary="One audit: its plan, agencies and your access")
class AuditDetailView(AuditScoped, ApiView):
    serializer_class = AuditDetailSerializer

    def get(self, request: Request, slug: str) -> Response:
        access = self.audit_access()
        audit = (
            selectors.audits_visible_to(request.user)
            .select_related("tool_version__tool", "follow_up_of", "overall_scale")
            .prefetch_related("lines_of_enquiry")
            .get(pk=access.audit.pk)
        )
        context = {"access": access, "agency_links": api_selectors.audit_agency_links(access)}
        return Response(AuditDetailSerializer(audit, context=context).data)


@extend_schema(
    tags=["tools"],
    summary="The audit's tool: sections, questions and the answers each allows",
    description="Use the question codes, section orders and option values from here when you "
    "save a return.",
)
class AuditToolView(AuditScoped, ApiView):
    serializer_class = ToolVersionSerializer

    def get(self, request: Request, slug: str) -> Response:
        view = api_selectors.tool_version_for_audit(self.audit_access())
        return Response(ToolVersionSerializer(view).data)


@extend_schema(tags=["tools"], summary="The tool library (coordinators only)")
class ToolListView(ListView):
    serializer_class = ToolListSerializer

    def get_queryset(self) -> QuerySet[AuditTool]:
        return api_selectors.tools_for_api(self.request.user)


@extend_schema(tags=["tools"], summary="One version of a tool (coordinators only)")
class ToolVersionView(ApiView):
    serializer_class = ToolVersionSerializer

    def get(self, request: Request, slug: str, number: int) -> Response:
        view = api_selectors.tool_version_for_api(request.user, slug, number)
        return Response(ToolVersionSerializer(view).data)


def _cases(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.prefetch_related(
        Prefetch("needs", queryset=Need.objects.order_by("order", "label"))
    ).order_by("order", "pseudonym")


@extend_schema(
    tags=["cases"],
    summary="The children in the audit you may see, by pseudonym",
    description="Coordinators and panel see every child; an agency sees the children it was "
    "asked about. Never an identifier.",
)
class CaseListView(AuditScoped, ListView):
    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[Case]:
        return _cases(selectors.cases_visible(self.audit_access()))


@extend_schema(tags=["cases"], summary="One child, with which agencies knew them")
class CaseDetailView(AuditScoped, ApiView):
    serializer_class = CaseDetailSerializer

    def get(self, request: Request, slug: str, case_id: int) -> Response:
        detail = selectors.case_detail(self.audit_access(), case_id)
        involvement = [
            {
                "agency": row.agency,
                "status": row.involvement.status
                if row.involvement
                else AgencyInvolvement.Status.NOT_KNOWN,
                "note": row.involvement.note if row.involvement else "",
            }
            for row in detail.agencies
        ]
        serializer = CaseDetailSerializer(detail.case, context={"involvement": involvement})
        return Response(serializer.data)
