"""Who runs an audit: its coordinators, and the panel that moderates it with its chair."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

from maca.accounts.models import Role, User
from maca.audits.models import Audit, AuditStatus, PanelMembership
from maca.core.errors import Refused
from maca.planning.selectors import people_with_role

# The stages in which the panel moderates and agrees findings: moving to the first is refused
# without a panel, so the panel cannot be emptied while in them either.
PANEL_AT_WORK = frozenset({AuditStatus.MODERATION, AuditStatus.FINDINGS})


@transaction.atomic
def audit_people_set(
    *,
    audit: Audit,
    coordinator_ids: Collection[int],
    panel_ids: Collection[int],
    chair_id: int | None,
    by: User,
) -> None:
    """Make the audit's coordinators and panel exactly these; the chair sits on the panel.

    The person doing it stays a coordinator (another coordinator may remove them), so nobody
    locks themselves out of the audit's set-up by mistake."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    current_panel = set(audit.panel_memberships.values_list("user_id", flat=True))
    current_coordinators = set(audit.coordinators.values_list("pk", flat=True))
    allowed_coordinators = {
        u.pk for u in people_with_role(Role.COORDINATOR, keep=current_coordinators)
    }
    allowed_panel = {u.pk for u in people_with_role(Role.PANEL_MEMBER, keep=current_panel)}
    problems = {}
    if not coordinator_ids:
        problems["coordinators"] = "Choose at least one coordinator"
    elif by is not None and by.pk not in coordinator_ids and by.pk in current_coordinators:
        problems["coordinators"] = (
            "Keep yourself as a coordinator: another coordinator of the audit can remove you"
        )
    elif set(coordinator_ids) - allowed_coordinators:
        problems["coordinators"] = "Choose coordinators from the list"
    if set(panel_ids) - allowed_panel:
        problems["panel"] = "Choose panel members from the list"
    elif not panel_ids and audit.status in PANEL_AT_WORK:
        problems["panel"] = (
            f"Keep at least one panel member: the audit is at {audit.get_status_display()}, "
            "where the panel does its work"
        )
    if chair_id is not None and chair_id not in panel_ids:
        problems["chair"] = "The chair must be one of the panel members: tick them above too"
    if problems:
        raise Refused(problems)
    audit.coordinators.set(list(coordinator_ids))
    PanelMembership.objects.filter(audit=audit).exclude(user_id__in=list(panel_ids)).delete()
    memberships = {m.user_id: m for m in PanelMembership.objects.filter(audit=audit)}
    for user_id in panel_ids:
        is_chair = user_id == chair_id
        membership = memberships.get(user_id)
        if membership is None:
            PanelMembership.objects.create(audit=audit, user_id=user_id, is_chair=is_chair)
        elif membership.is_chair != is_chair:
            membership.is_chair = is_chair
            membership.save(update_fields=["is_chair"])
