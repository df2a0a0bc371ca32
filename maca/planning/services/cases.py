"""Writing the children of an audit and which agencies knew them.

Identifiers (name, date of birth, LA child id, UPN, NHS number) go only to `ChildIdentity`,
encrypted; nothing else in maca holds them, and no set-up page shows them again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    AuditStatus,
    Case,
    Need,
    ReturnStatus,
)
from maca.core.errors import Refused
from maca.identifiers.models import ChildIdentity

Status = AgencyInvolvement.Status


@dataclass(frozen=True)
class CaseInput:
    pseudonym: str
    age_weeks: int
    gender: str = ""
    needs: Sequence[Need] = field(default_factory=tuple)
    legal_status: str = ""
    placement_type: str = ""
    placement_provider: str = ""
    placed_out_of_area: bool | None = None
    placement_distance_miles: Decimal | None = None
    placement_area: str = ""
    placement_moves_12m: int | None = None
    missing_episodes_12m: int | None = None
    is_uasc: bool = False

    FIELDS = (
        "pseudonym",
        "age_weeks",
        "gender",
        "legal_status",
        "placement_type",
        "placement_provider",
        "placed_out_of_area",
        "placement_distance_miles",
        "placement_area",
        "placement_moves_12m",
        "missing_episodes_12m",
        "is_uasc",
    )


@dataclass(frozen=True)
class IdentifiersInput:
    """Blank values mean "not given"; on an update they leave what is stored alone."""

    full_name: str = ""
    date_of_birth: dt.date | None = None
    la_child_id: str = ""
    upn: str = ""
    nhs_number: str = ""

    def values(self) -> dict[str, str]:
        given = {
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "la_child_id": self.la_child_id,
            "upn": self.upn,
            "nhs_number": self.nhs_number,
        }
        return {name: value for name, value in given.items() if value}


@transaction.atomic
def case_create(
    *, audit: Audit, data: CaseInput, identifiers: IdentifiersInput | None = None
) -> Case:
    _check_pseudonym_free(audit, data.pseudonym)
    top = audit.cases.aggregate(top=Max("order"))["top"]
    values = {name: getattr(data, name) for name in CaseInput.FIELDS}
    try:
        with transaction.atomic():
            case = Case.objects.create(audit=audit, order=(top or 0) + 1, **values)
    except IntegrityError:  # two people adding the same pseudonym at once
        raise Refused({"pseudonym": _pseudonym_taken(data.pseudonym)}) from None
    case.needs.set(list(data.needs))
    _store_identifiers(case, identifiers)
    return case


@transaction.atomic
def case_update(
    *, case: Case, data: CaseInput, identifiers: IdentifiersInput | None = None
) -> Case:
    _check_pseudonym_free(case.audit, data.pseudonym, exclude=case.pk)
    for name in CaseInput.FIELDS:
        setattr(case, name, getattr(data, name))
    case.save()
    case.needs.set(list(data.needs))
    _store_identifiers(case, identifiers)
    return case


@transaction.atomic
def case_delete(*, case: Case) -> None:
    """Remove a child added by mistake; refused once anything has been recorded about them."""
    reasons = []
    if Answer.objects.filter(agency_return__case=case).exists() or (
        case.returns.exclude(status=ReturnStatus.NOT_STARTED).exists()
    ):
        reasons.append("agencies have already answered returns about them")
    if case.escalations.exists():
        reasons.append("escalations were raised about them")
    if case.panel_grades.exists() or case.discrepancies.exists():
        reasons.append("the panel has recorded grades or discrepancies")
    if reasons:
        raise Refused(
            f"{case.pseudonym} cannot be removed: {' and '.join(reasons)}. Their record is "
            "part of the audit now."
        )
    case.delete()


def _check_pseudonym_free(audit: Audit, pseudonym: str, *, exclude: int | None = None) -> None:
    clash = Case.objects.filter(audit=audit, pseudonym__iexact=pseudonym)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Refused({"pseudonym": _pseudonym_taken(pseudonym)})


def _pseudonym_taken(pseudonym: str) -> str:
    return f"{pseudonym} is already used in this audit. Give each child a different pseudonym."


def _store_identifiers(case: Case, identifiers: IdentifiersInput | None) -> None:
    values = identifiers.values() if identifiers else {}
    if not values:
        return
    identity = ChildIdentity.objects.filter(case=case).first()
    if identity is None:
        ChildIdentity.objects.create(case=case, **values)
        return
    for name, value in values.items():
        setattr(identity, name, value)
    identity.save(update_fields=list(values))


# --- Involvement ----------------------------------------------------------------------------


class InvolvementRefused(Refused):
    """Some changes cannot be made; `problems` maps (case id, agency id) to why, so the grid
    can show each beside its cell. Nothing saved."""

    def __init__(self, problems: dict[tuple[int, int], str]) -> None:
        self.problems = problems
        super().__init__(list(problems.values()))


@dataclass(frozen=True)
class InvolvementResult:
    changed: int
    returns_created: int
    returns_removed: int


def _notify_returns_added(audit: Audit, new_returns: Sequence[AgencyReturn]) -> None:
    """Returns opened while the audit takes returns are e-mailed to their agency by the
    worker, once the change is saved, as returns opening for everyone are."""
    from maca.planning import tasks

    added = Counter(agency_return.agency_id for agency_return in new_returns)
    for agency_id, count in sorted(added.items()):
        transaction.on_commit(
            partial(tasks.notify_returns_added.enqueue, audit.pk, agency_id, count)
        )


@transaction.atomic
def involvement_set(
    *, audit: Audit, statuses: Mapping[tuple[int, int], str], by: User
) -> InvolvementResult:
    """Record whether each agency knew each child; (case id, agency id) → status.

    "Not involved" is the agency's nil return. "Involved" opens the agency's return for the
    child (not started, due on the agency's or the audit's date). Moving a child away from
    "involved" removes a return nobody has begun, and is refused for one that has answers.
    All or nothing.
    """
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    case_ids = set(audit.cases.values_list("pk", flat=True))
    due_by_agency = {
        link.agency_id: link.returns_due or audit.returns_due
        for link in AuditAgency.objects.filter(audit=audit)
    }
    unknown = {
        key: "That child or agency is not part of this audit."
        for key in statuses
        if key[0] not in case_ids or key[1] not in due_by_agency
    }
    bad_status = {
        key: "Choose involved, not involved or not known yet."
        for key, status in statuses.items()
        if status not in Status.values
    }
    if unknown or bad_status:
        raise InvolvementRefused({**bad_status, **unknown})

    rows = {
        (row.case_id, row.agency_id): row
        for row in AgencyInvolvement.objects.filter(case__audit=audit)
    }
    returns = {
        (row.case_id, row.agency_id): row
        for row in AgencyReturn.objects.filter(case__audit=audit).only(
            "id", "case_id", "agency_id", "status"
        )
    }
    answered = set(
        Answer.objects.filter(agency_return__case__audit=audit)
        .values_list("agency_return__case_id", "agency_return__agency_id")
        .distinct()
    )
    changes = {
        key: status
        for key, status in statuses.items()
        if (rows[key].status if key in rows else Status.NOT_KNOWN) != status
    }
    problems = {
        key: "Its return has already been started, so this agency must stay involved."
        for key, status in changes.items()
        if status != Status.INVOLVED
        and key in returns
        and (key in answered or returns[key].status != ReturnStatus.NOT_STARTED)
    }
    if problems:
        raise InvolvementRefused(problems)

    now = timezone.now()
    to_create, to_update = [], []
    for (case_id, agency_id), status in changes.items():
        row = rows.get((case_id, agency_id))
        if row is None:
            to_create.append(
                AgencyInvolvement(
                    case_id=case_id,
                    agency_id=agency_id,
                    status=status,
                    recorded_by=by,
                    recorded_at=now,
                )
            )
        else:
            row.status, row.recorded_by, row.recorded_at = status, by, now
            to_update.append(row)
    AgencyInvolvement.objects.bulk_create(to_create)
    AgencyInvolvement.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])

    # Also mends an "involved" row that somehow lacks its return.
    new_returns = [
        AgencyReturn(case_id=case_id, agency_id=agency_id, due_date=due_by_agency[agency_id])
        for (case_id, agency_id), status in statuses.items()
        if status == Status.INVOLVED and (case_id, agency_id) not in returns
    ]
    AgencyReturn.objects.bulk_create(new_returns)
    if audit.status == AuditStatus.RETURNS_OPEN:
        _notify_returns_added(audit, new_returns)
    stale = [
        returns[key].pk
        for key, status in changes.items()
        if status != Status.INVOLVED and key in returns
    ]
    AgencyReturn.objects.filter(pk__in=stale).delete()
    return InvolvementResult(
        changed=len(changes), returns_created=len(new_returns), returns_removed=len(stale)
    )
