"""Findings, actions (read and move on) and the learning brief."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from maca.api.serializers.learning import (
    ActionDetailSerializer,
    ActionSerializer,
    ActionStatusWriteSerializer,
    FindingSerializer,
)
from maca.api.views.base import ApiView, AuditScoped, ListView, as_caller
from maca.audits.models import Question
from maca.audits.selectors import AuditAccess
from maca.learning import selectors
from maca.learning.models import Action, ActionStatus, ActionUpdate, Finding
from maca.learning.published import PublishedAction
from maca.learning.services import action_status_change, action_verify
from maca.reports.snapshots import published_frozen

FROZEN_FINDINGS = "api.findings"


def _findings(access: AuditAccess) -> QuerySet[Finding]:
    return selectors.findings_queryset(access).prefetch_related(
        Prefetch("questions", queryset=Question.objects.only("id", "code"))
    )


def frozen_findings(reader: AuditAccess) -> list[dict[str, Any]]:
    """The findings a reader gets once the audit is published: those in the brief, as they
    were when it was published."""
    findings = _findings(reader).filter(include_in_brief=True)
    return list(FindingSerializer(findings, many=True, context={"sees_cases": False}).data)


@extend_schema(
    tags=["findings"],
    summary="The audit's findings under the brief's three headings",
    description="Drafts are for the audit's coordinators and panel; once the audit is "
    "published, everyone else who may open it sees the findings of the brief as published "
    "(its latest version), never later edits. `cases` and `escalations` are shown only "
    "to those who see children.",
)
class FindingListView(AuditScoped, ListView):
    serializer_class = FindingSerializer

    def get_queryset(self) -> QuerySet[Finding]:
        return _findings(self.audit_access())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.audit_access()
        frozen = None if access.sees_every_agency else published_frozen(access, FROZEN_FINDINGS)
        if frozen is None:
            return super().list(request, *args, **kwargs)
        # Readers of a published audit get the findings as published, already serialised.
        page = self.paginate_queryset(frozen)
        return self.get_paginated_response(page)

    def get_serializer_context(self) -> dict[str, Any]:
        access = self.audit_access()
        return {**super().get_serializer_context(), "sees_cases": access.sees_every_agency}


class ActionFilterSerializer(serializers.Serializer):
    audit = serializers.SlugField(required=False, help_text="Only this audit's actions.")
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only actions past their due date."
    )


def _today() -> dt.date:
    return timezone.localdate()


@extend_schema(
    tags=["actions"],
    summary="Actions you may see, across every audit",
    description="Coordinators see their audits' actions, agencies the actions they own, the "
    "panel those of their audits, readers those of published audits' briefs as published "
    "(their latest version, never later edits).",
    parameters=[ActionFilterSerializer],
)
class ActionListView(ListView):
    serializer_class = ActionSerializer

    def _wanted(self) -> tuple[dict[str, Any], selectors.TrackerFilters]:
        """The query's filters, checked once per request."""
        if not hasattr(self, "_filters"):
            filters = ActionFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            wanted = filters.validated_data
            tracker = selectors.TrackerFilters(
                status=wanted.get("status", ""), overdue=wanted.get("overdue", False)
            )
            self._filters = (wanted, tracker)
        return self._filters

    def get_queryset(self) -> QuerySet[Action]:
        wanted, tracker = self._wanted()
        actions = selectors.tracker_actions(self.request.user, tracker, today=_today())
        if "audit" in wanted:
            actions = actions.filter(audit__slug=wanted["audit"])
        return (
            actions.select_related("audit", "lead")
            .prefetch_related(
                "owners",
                Prefetch("findings", queryset=Finding.objects.only("id")),
                Prefetch(
                    "updates", queryset=ActionUpdate.objects.select_related("by").order_by("at")
                ),
            )
            .order_by("audit__title", "order", "id")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Readers get published audits' actions as their latest versions have them, after
        # the rows of the audits they work on.
        wanted, tracker = self._wanted()
        readable = selectors.published_actions_filtered(request.user, tracker, today=_today())
        if "audit" in wanted:
            readable = [action for action in readable if action.audit.slug == wanted["audit"]]
        rows: list[Action | PublishedAction] = [*self.get_queryset(), *readable]
        rows.sort(key=selectors.tracker_order)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": _today()}


class ActionDetailView(ApiView):
    serializer_class = ActionDetailSerializer

    @extend_schema(tags=["actions"], summary="One action, its update log and what you may do")
    def get(self, request: Request, action_id: int) -> Response:
        detail = selectors.action_detail(request.user, action_id, today=_today())
        context = {"detail": detail, "today": _today()}
        return Response(ActionDetailSerializer(detail.action, context=context).data)


@extend_schema(
    tags=["actions"],
    summary="Move an action on: agreed, in progress, done, or verified",
    description="Owners, coordinators and panel may move an action on as the tracker allows. "
    "Only the audit's coordinator verifies, once it is done, with `evidence_of_impact`.",
    request=ActionStatusWriteSerializer,
    responses={200: ActionDetailSerializer},
)
class ActionStatusView(ApiView):
    def post(self, request: Request, action_id: int) -> Response:
        today = _today()
        detail = selectors.action_detail(request.user, action_id, today=today)
        body = ActionStatusWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        wanted = body.validated_data
        with as_caller(request):
            if wanted["status"] == ActionStatus.VERIFIED:
                if not detail.rights.can_verify:
                    raise PermissionDenied("Only the audit's coordinator can verify an action")
                action_verify(
                    rights=detail.rights,
                    action=detail.action,
                    by=request.user,
                    evidence_of_impact=wanted["evidence_of_impact"],
                )
            else:
                if not detail.rights.can_update_progress:
                    raise PermissionDenied("You cannot update this action")
                action_status_change(
                    rights=detail.rights,
                    action=detail.action,
                    by=request.user,
                    status=wanted["status"],
                    note=wanted["note"],
                    done_on=wanted["done_on"],
                    today=today,
                )
        fresh = selectors.action_detail(request.user, action_id, today=today)
        context = {"detail": fresh, "today": today}
        return Response(ActionDetailSerializer(fresh.action, context=context).data)
