"""Agency returns (read, save, submit) and escalations, scoped like the returns pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from maca.api import selectors as api_selectors
from maca.api.errors import Conflict, FieldErrors
from maca.api.parsing import problem_fields, return_input
from maca.api.serializers.returns import (
    EscalationSerializer,
    ReturnDetailSerializer,
    ReturnFilterSerializer,
    ReturnSummarySerializer,
    ReturnWriteSerializer,
    SubmitSerializer,
)
from maca.api.views.base import ApiView, AuditScoped, ListView, as_caller
from maca.audits.models import AgencyReturn, Escalation
from maca.audits.selectors import escalations_for_audit, require_cases
from maca.returns.selectors import ReturnContext, escalation_detail, return_context
from maca.returns.services import (
    ReturnError,
    ReturnIncomplete,
    StaleReturn,
    return_save_draft,
    return_submit,
)
from maca.returns.structure import problems_for_submit


@extend_schema(
    tags=["returns"],
    summary="Returns you may see in this audit",
    description="Coordinators and panel see every agency's returns; an agency sees only its "
    "own. Filter by `case`, `agency` or `status`.",
    parameters=[ReturnFilterSerializer],
)
class ReturnListView(AuditScoped, ListView):
    serializer_class = ReturnSummarySerializer

    def get_queryset(self) -> QuerySet[AgencyReturn]:
        filters = ReturnFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        returns = api_selectors.returns_visible(self.audit_access())
        wanted = filters.validated_data
        if "case" in wanted:
            returns = returns.filter(case_id=wanted["case"])
        if "agency" in wanted:
            returns = returns.filter(agency_id=wanted["agency"])
        if "status" in wanted:
            returns = returns.filter(status=wanted["status"])
        return returns


def _detail(context: ReturnContext) -> dict[str, Any]:
    structure, saved, agency_return = context.structure, context.saved, context.agency_return
    answers = []
    for item in structure.questions:
        answer = saved.answers.get(item.question.pk)
        if answer is None:
            continue
        answers.append(
            {
                "question": item.question,
                "option": answer.option,
                "choices": list(answer.choices),
                "date_value": answer.date_value,
                "number_value": answer.number_value,
                "text_value": answer.text_value,
                "evidence": answer.evidence,
                "reason": answer.reason,
            }
        )
    sections = []
    for section in structure.sections:
        summary = saved.summaries.get(section.section.pk)
        if summary is not None:
            sections.append(
                {
                    "section": section.section,
                    "good_practice": summary.good_practice,
                    "areas_for_development": summary.areas_for_development,
                    "recommendations": summary.recommendations,
                    "grade": {"code": summary.grade} if summary.grade else None,
                    "grade_reason": summary.grade_reason,
                }
            )
    problems = problem_fields(structure, problems_for_submit(structure, saved))
    return {
        "case": context.case,
        "agency": context.agency,
        "status": context.status,
        "revision": context.revision,
        "due_date": context.due_date,
        "auditor_role": saved.auditor_role,
        "period_reviewed": saved.period_reviewed,
        "records_examined": saved.records_examined,
        "auditor_was_involved": saved.auditor_was_involved,
        "good_practice": saved.good_practice,
        "areas_for_development": saved.areas_for_development,
        "recommendations": saved.recommendations,
        "overall_grade": saved.overall_grade or None,
        "overall_reason": saved.overall_reason,
        "immediate_concern": saved.immediate_concern,
        "submitted_at": agency_return.submitted_at if agency_return else None,
        "review_comment": agency_return.review_comment if agency_return else "",
        "answers": answers,
        "sections": sections,
        "permissions": context.permissions,
        "problems_before_submit": [{"field": f, "message": m} for f, m in problems],
    }


class ReturnDetailView(AuditScoped, ApiView):
    serializer_class = ReturnDetailSerializer

    def _context(self, case_id: int, agency_id: int) -> ReturnContext:
        return return_context(self.audit_access(), case_id, agency_id, self.request.user)

    @extend_schema(tags=["returns"], summary="One agency's return for one child")
    def get(self, request: Request, slug: str, case_id: int, agency_id: int) -> Response:
        context = self._context(case_id, agency_id)
        return Response(ReturnDetailSerializer(_detail(context)).data)

    @extend_schema(
        tags=["returns"],
        summary="Save the return as a draft",
        description="Send the whole return as it should stand, with the `revision` you read; "
        "anything left out is saved empty. If someone saved it since, the answer is 409 and "
        "nothing is saved. Only the agency's own auditors and lead may save.",
        request=ReturnWriteSerializer,
        responses={200: ReturnDetailSerializer},
    )
    def put(self, request: Request, slug: str, case_id: int, agency_id: int) -> Response:
        context = self._context(case_id, agency_id)
        body = ReturnWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data, errors = return_input(context.structure, body.validated_data)
        if errors:
            raise FieldErrors("Some answers do not fit the audit tool.", errors)
        try:
            with as_caller(request):
                return_save_draft(
                    context=context,
                    user=request.user,
                    data=data,
                    revision=body.validated_data["revision"],
                    via="api",
                )
        except ReturnError as error:
            raise Conflict(error.text) from None
        return Response(ReturnDetailSerializer(_detail(self._context(case_id, agency_id))).data)


@extend_schema(
    tags=["returns"],
    summary="Submit the return as saved",
    description="Submits the return at the `revision` you read. If it lacks anything a return "
    "needs, the answer is 400 with every problem named, and it stays a draft.",
    request=SubmitSerializer,
    responses={200: ReturnDetailSerializer},
)
class ReturnSubmitView(AuditScoped, ApiView):
    def post(self, request: Request, slug: str, case_id: int, agency_id: int) -> Response:
        access = self.audit_access()
        context = return_context(access, case_id, agency_id, request.user)
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            with as_caller(request):
                return_submit(
                    context=context, user=request.user, revision=body.validated_data["revision"]
                )
        except ReturnIncomplete as error:
            raise FieldErrors(
                "The return cannot be submitted yet.",
                problem_fields(context.structure, error.problems),
            ) from None
        except StaleReturn as error:
            raise Conflict(error.text) from None
        except ReturnError as error:
            if context.agency_return is None:
                raise FieldErrors(error.text, [("revision", error.text)]) from None
            raise Conflict(error.text) from None
        fresh = return_context(access, case_id, agency_id, request.user)
        return Response(ReturnDetailSerializer(_detail(fresh)).data)


# --- Escalations ----------------------------------------------------------------------------


@extend_schema(
    tags=["escalations"],
    summary="Escalations of live risk you may see in this audit",
    description="All of them for coordinators and panel; otherwise those raised by or to your "
    "agency.",
)
class EscalationListView(AuditScoped, ListView):
    serializer_class = EscalationSerializer

    def get_queryset(self) -> QuerySet[Escalation]:
        access = self.audit_access()
        require_cases(access)
        return escalations_for_audit(access).order_by("-raised_at", "-id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema(tags=["escalations"], summary="One escalation")
class EscalationDetailView(AuditScoped, ApiView):
    serializer_class = EscalationSerializer

    def get(self, request: Request, slug: str, escalation_id: int) -> Response:
        escalation = escalation_detail(self.audit_access(), escalation_id)
        serializer = EscalationSerializer(escalation, context={"now": timezone.now()})
        return Response(serializer.data)
