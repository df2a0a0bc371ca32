"""Writing an audit's set-up: the plan, its stage, agencies, tool and earlier reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from maca.accounts.models import Agency, User
from maca.audits.models import (
    AUDIT_STATUS_ORDER,
    ESCALATION_CLOSED_STATUSES,
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    AuditStatus,
    Escalation,
    GradingScale,
    LineOfEnquiry,
    PanelGrade,
    ReturnStatus,
    ToolVersion,
)
from maca.core.errors import Refused
from maca.core.history import record_event
from maca.core.partial_dates import PartialDate
from maca.learning.models import AuditReview, LearningPoint, Review
from maca.planning.selectors import MOVED_ON
from maca.planning.services.tools import unique_slug

# Returns whose due date may follow the plan: nobody has finished them yet.
OPEN_RETURN_STATUSES = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.SENT_BACK)
FORWARD = "forward"
BACK = "back"


# --- The audit and its plan -----------------------------------------------------------------


@transaction.atomic
def audit_create(*, title: str, theme: str, by: User, slug: str = "") -> Audit:
    """A draft audit; the person who starts it becomes its coordinator."""
    if slug:
        _check_slug_free(slug)
    else:
        slug = unique_slug(Audit, title, fallback="audit")
    audit = Audit.objects.create(
        title=title.strip(), theme=theme.strip(), slug=slug, status=AuditStatus.DRAFT
    )
    audit.coordinators.add(by)
    return audit


@dataclass(frozen=True)
class PlanInput:
    title: str
    theme: str
    slug: str
    rationale: str = ""
    aim: str = ""
    terms_of_reference: str = ""
    cohort_definition: str = ""
    lines_of_enquiry: Sequence[str] = ()
    lookback_months: int | None = None
    lawful_basis: str = ""
    partnership_names: str = ""
    audit_date: PartialDate | None = None
    audit_date_until: PartialDate | None = None
    returns_due: dt.date | None = None
    panel_date: dt.date | None = None
    reaudit_due: PartialDate | None = None

    FIELDS = (
        "title",
        "theme",
        "slug",
        "rationale",
        "aim",
        "terms_of_reference",
        "cohort_definition",
        "lookback_months",
        "lawful_basis",
        "partnership_names",
        "audit_date",
        "audit_date_until",
        "returns_due",
        "panel_date",
        "reaudit_due",
    )


@transaction.atomic
def audit_plan_update(*, audit: Audit, data: PlanInput) -> Audit:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if data.slug != audit.slug:
        _check_slug_free(data.slug, exclude=audit.pk)
    _check_date_range(data.audit_date, data.audit_date_until)
    old_due = audit.returns_due
    for name in PlanInput.FIELDS:
        setattr(audit, name, getattr(data, name))
    audit.save()
    _replace_lines_of_enquiry(audit, list(data.lines_of_enquiry))
    if old_due != audit.returns_due:
        # Agencies with their own date keep it; the rest follow the audit's.
        for link in AuditAgency.objects.filter(audit=audit, returns_due__isnull=True):
            _move_due_dates(audit, link.agency_id, old_due, audit.returns_due)
    return audit


def _check_date_range(start: PartialDate | None, end: PartialDate | None) -> None:
    if end is None:
        return
    if start is None:
        raise Refused({"audit_date": "Enter when the audit started, or leave when it ended blank"})
    if end.latest() < start.earliest():
        raise Refused({"audit_date_until": "When the audit ended must be after it started"})


def _replace_lines_of_enquiry(audit: Audit, lines: list[str]) -> None:
    current = list(audit.lines_of_enquiry.order_by("order").values_list("text", flat=True))
    if current == lines:
        return
    audit.lines_of_enquiry.all().delete()
    LineOfEnquiry.objects.bulk_create(
        [LineOfEnquiry(audit=audit, order=order, text=text) for order, text in enumerate(lines, 1)]
    )


def _check_slug_free(slug: str, *, exclude: int | None = None) -> None:
    clash = Audit.objects.filter(slug=slug)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Refused({"slug": f"The web address {slug} is already used by another audit."})


# --- Stage ----------------------------------------------------------------------------------


def audit_status_target(audit: Audit, direction: str) -> str | None:
    """The stage one step forward or back, or None at either end."""
    index = AUDIT_STATUS_ORDER.index(audit.status)
    index += 1 if direction == FORWARD else -1 if direction == BACK else len(AUDIT_STATUS_ORDER)
    return AUDIT_STATUS_ORDER[index] if 0 <= index < len(AUDIT_STATUS_ORDER) else None


# What apps above planning check before an audit may move to a stage (the reports' disclosure
# check before publishing): each registers in its AppConfig.ready, as planning may not import
# them. A check returns its blockers, empty when it has none.
StageCheck = Callable[[Audit], list[str]]
_stage_checks: dict[str, dict[str, StageCheck]] = {}


def register_stage_check(target: str, name: str, check: StageCheck) -> None:
    """Run `check` before an audit moves to `target`; `name` keeps a second registration from
    running it twice."""
    _stage_checks.setdefault(target, {})[name] = check


def audit_status_blockers(audit: Audit, target: str) -> list[str]:
    """Why the audit cannot move to `target` yet; empty when it can."""
    blockers = []
    if target == AuditStatus.RETURNS_OPEN:
        if audit.tool_version_id is None:
            blockers.append("Choose the audit tool version.")
        if not audit.audit_agencies.exists():
            blockers.append("Add the agencies taking part.")
        if not audit.cases.exists():
            blockers.append("Add the children to audit.")
    if target == AuditStatus.MODERATION and not audit.panel_memberships.exists():
        blockers.append("Name the audit's panel (set-up: Coordinators and panel) first.")
    if target == AuditStatus.PUBLISHED:
        blockers += _immediate_escalations_unacknowledged(audit)
    if target == AuditStatus.CLOSED:
        open_count = audit.escalations.exclude(status__in=ESCALATION_CLOSED_STATUSES).count()
        if open_count:
            blockers.append(
                f"{open_count} escalation{'s are' if open_count != 1 else ' is'} still open: "
                "record each outcome first."
            )
    for check in _stage_checks.get(target, {}).values():
        blockers.extend(check(audit))
    return blockers


def _immediate_escalations_unacknowledged(audit: Audit) -> list[str]:
    """An immediate safeguarding escalation nobody has acknowledged by its deadline: a child
    may be at risk now, so the learning waits until an agency has taken it up, whatever
    reason is given."""
    overdue = audit.escalations.filter(
        status=Escalation.Status.RAISED,
        urgency=Escalation.Urgency.IMMEDIATE,
        acknowledge_by__lt=timezone.now(),
    ).count()
    if not overdue:
        return []
    what = _plural(overdue, "escalation has", "escalations have")
    return [
        f"{what} been raised for immediate safeguarding and not acknowledged by "
        f"{'its' if overdue == 1 else 'their'} deadline: the agency must acknowledge "
        f"{'it' if overdue == 1 else 'them'} first."
    ]


# Returns an agency has finished with (the others are still to come).
FINISHED_RETURN_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.SIGNED_OFF, ReturnStatus.ACCEPTED)
_AFTER_RETURNS = (AuditStatus.MODERATION, AuditStatus.FINDINGS, AuditStatus.PUBLISHED)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _setup_outstanding(audit: Audit) -> list[str]:
    items = []
    if not (audit.aim and audit.cohort_definition and audit.lines_of_enquiry.exists()):
        items.append("The plan is incomplete: it needs an aim, a cohort and lines of enquiry.")
    if audit.returns_due is None:
        items.append("No date is set for the returns to be due.")
    unanswered = _involvement_unanswered(audit)
    if unanswered > 0:
        items.append(
            f"Whether each agency knew each child is not answered for "
            f"{_plural(unanswered, 'pairing', 'pairings')} of child and agency."
        )
    return items


def _involvement_unanswered(audit: Audit) -> int:
    """Pairings of child and agency nobody has said whether the agency knew the child: no
    return is asked of them, so theirs may be missing."""
    expected = audit.cases.count() * audit.audit_agencies.count()
    answered = AgencyInvolvement.objects.filter(
        case__audit=audit, agency__audit_agencies__audit=audit
    ).exclude(status=AgencyInvolvement.Status.NOT_KNOWN)
    return max(expected - answered.count(), 0)


def _returns_outstanding(audit: Audit, today: dt.date) -> list[str]:
    unfinished = AgencyReturn.objects.filter(case__audit=audit).exclude(
        status__in=FINISHED_RETURN_STATUSES
    )
    late = unfinished.filter(due_date__lt=today).count()
    others = unfinished.count() - late
    items = []
    if late:
        items.append(f"{_plural(late, 'return is', 'returns are')} late and not submitted.")
    if others:
        items.append(f"{_plural(others, 'return is', 'returns are')} not submitted yet.")
    unanswered = _involvement_unanswered(audit)
    if unanswered:
        items.append(
            f"Whether each agency knew each child is still not answered for "
            f"{_plural(unanswered, 'pairing', 'pairings')} of child and agency, so "
            f"{'its return is' if unanswered == 1 else 'their returns are'} missing."
        )
    return items


def _escalations_outstanding(audit: Audit, now: dt.datetime) -> list[str]:
    waiting = audit.escalations.filter(status=Escalation.Status.RAISED)
    count = waiting.count()
    if not count:
        return []
    overdue = waiting.filter(acknowledge_by__lt=now).count()
    immediate = waiting.filter(urgency=Escalation.Urgency.IMMEDIATE).count()
    details = [
        f"{overdue} past its deadline" if overdue else "",
        f"{immediate} immediate safeguarding" if immediate else "",
    ]
    detail = "; ".join(part for part in details if part)
    return [
        f"{_plural(count, 'escalation has', 'escalations have')} not been acknowledged"
        + (f" ({detail})." if detail else ".")
    ]


def _moderation_outstanding(audit: Audit) -> list[str]:
    graded = PanelGrade.objects.filter(case__audit=audit, section__isnull=True)
    count = audit.cases.exclude(pk__in=graded.values("case_id")).count()
    if not count:
        return []
    return [f"{_plural(count, 'child has', 'children have')} no agreed overall grade yet."]


def audit_status_outstanding(
    audit: Audit, target: str, *, now: dt.datetime | None = None
) -> list[str]:
    """What is still open before moving forward to `target` that does not stop the move, but
    needs a reason to move on regardless (the blockers are `audit_status_blockers`)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    items: list[str] = []
    if target == AuditStatus.RETURNS_OPEN:
        items += _setup_outstanding(audit)
    if target in _AFTER_RETURNS:
        items += _returns_outstanding(audit, today)
        items += _escalations_outstanding(audit, now)
    if target in (AuditStatus.FINDINGS, AuditStatus.PUBLISHED):
        items += _moderation_outstanding(audit)
    return items


@transaction.atomic
def audit_status_advance(
    *, audit: Audit, direction: str, expected: str, override_reason: str | None = None
) -> Audit:
    """Move one step forward or back in the audit's life.

    `expected` is the stage the person saw when they confirmed; if someone else moved the
    audit meanwhile, nothing changes (so a double submit cannot move it two steps).

    Blockers always refuse the move. What is merely outstanding (`audit_status_outstanding`)
    is for the person confirming on the stage page, who passes `override_reason`: it must be
    given when anything is outstanding, and is kept in the audit's history with the list.
    Callers that confirm nothing (imports, tests) pass None.
    """
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != expected:
        raise Refused(
            f"The audit is now at {audit.get_status_display()}, not "
            f"{AuditStatus(expected).label}: someone else moved it. Check and try again."
        )
    target = audit_status_target(audit, direction)
    if target is None:
        raise Refused(f"The audit cannot move {direction} from {audit.get_status_display()}.")
    blockers = audit_status_blockers(audit, target) if direction == FORWARD else []
    if blockers:
        raise Refused(blockers)
    outstanding = []
    if direction == FORWARD and override_reason is not None:
        outstanding = audit_status_outstanding(audit, target)
        if outstanding and not override_reason.strip():
            raise Refused(
                {"reason": "Give the reason for moving on while these are still outstanding"}
            )
    audit.status = target
    # When it closed starts the retention clock for its children's identifiers; moving back
    # out of closed stops it again.
    audit.closed_at = timezone.now() if target == AuditStatus.CLOSED else None
    audit.save(update_fields=["status", "closed_at", "updated_at"])
    if direction == FORWARD:
        _notify_stage_reached(audit)
    if outstanding:
        record_event(
            audit,
            action=MOVED_ON,
            changes={
                "Stage": ["", AuditStatus(target).label],
                "Outstanding": ["", " ".join(outstanding)],
                "Reason for moving on": ["", (override_reason or "").strip()],
            },
            audit_id=audit.pk,
        )
    return audit


def _notify_stage_reached(audit: Audit) -> None:
    """Returns open and a published brief are e-mailed by the worker once the move is saved."""
    from maca.planning import tasks

    by_stage = {
        str(AuditStatus.RETURNS_OPEN): tasks.notify_returns_open,
        str(AuditStatus.PUBLISHED): tasks.notify_brief_published,
    }
    task = by_stage.get(audit.status)
    if task is not None:
        audit_id = audit.pk
        transaction.on_commit(lambda: task.enqueue(audit_id))


# --- Agencies -------------------------------------------------------------------------------


@transaction.atomic
def audit_agencies_set(*, audit: Audit, chosen: dict[int, dt.date | None]) -> None:
    """Make the agencies taking part exactly `chosen` (agency id → its own due date or None).

    An agency whose returns have begun cannot be removed: the request is refused whole.
    """
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    links = {link.agency_id: link for link in AuditAgency.objects.filter(audit=audit)}
    removed = [agency_id for agency_id in links if agency_id not in chosen]
    _refuse_removing_agencies_with_work(audit, removed)
    _remove_agencies(audit, removed)
    top = max((link.order for link in links.values()), default=-1)
    for agency_id, due in chosen.items():
        link = links.get(agency_id)
        if link is None:
            top += 1
            AuditAgency.objects.create(audit=audit, agency_id=agency_id, order=top, returns_due=due)
        elif link.returns_due != due:
            old = link.returns_due or audit.returns_due
            link.returns_due = due
            link.save(update_fields=["returns_due"])
            _move_due_dates(audit, agency_id, old, due or audit.returns_due)


def _refuse_removing_agencies_with_work(audit: Audit, agency_ids: list[int]) -> None:
    if not agency_ids:
        return
    busy = set(
        Answer.objects.filter(
            agency_return__case__audit=audit, agency_return__agency_id__in=agency_ids
        ).values_list("agency_return__agency_id", flat=True)
    ) | set(
        AgencyReturn.objects.filter(case__audit=audit, agency_id__in=agency_ids)
        .exclude(status=ReturnStatus.NOT_STARTED)
        .values_list("agency_id", flat=True)
    )
    if busy:
        names = ", ".join(
            Agency.objects.filter(pk__in=busy).order_by("name").values_list("name", flat=True)
        )
        raise Refused(
            {
                "agencies": f"{names} cannot be removed: returns for this audit already have "
                "answers. Keep the agency, or ask it to withdraw its returns first."
            }
        )


def _remove_agencies(audit: Audit, agency_ids: list[int]) -> None:
    if not agency_ids:
        return
    AgencyReturn.objects.filter(case__audit=audit, agency_id__in=agency_ids).delete()
    AgencyInvolvement.objects.filter(case__audit=audit, agency_id__in=agency_ids).delete()
    AuditAgency.objects.filter(audit=audit, agency_id__in=agency_ids).delete()


def _move_due_dates(audit: Audit, agency_id: int, old: dt.date | None, new: dt.date | None) -> None:
    """Returns that followed the old date follow the new one; others keep theirs."""
    AgencyReturn.objects.filter(
        case__audit=audit,
        agency_id=agency_id,
        due_date=old,
        status__in=OPEN_RETURN_STATUSES,
    ).update(due_date=new)


@dataclass(frozen=True)
class AgencyInput:
    name: str
    short_name: str
    sector: str
    description: str = ""


def refuse_taken_agency_names(data: AgencyInput, *, exclude: int | None = None) -> None:
    """Agencies' names and short names are unique, whatever their capitals."""
    others = Agency.objects.exclude(pk=exclude) if exclude is not None else Agency.objects.all()
    problems = {}
    if others.filter(name__iexact=data.name).exists():
        problems["name"] = f"There is already an agency called {data.name}."
    if others.filter(short_name__iexact=data.short_name).exists():
        problems["short_name"] = f"The short name {data.short_name} is already used."
    if problems:
        raise Refused(problems)


@transaction.atomic
def agency_create(
    *, data: AgencyInput, audit: Audit | None = None, returns_due: dt.date | None = None
) -> Agency:
    """A new agency for the partnership, added to `audit` when given."""
    refuse_taken_agency_names(data)
    agency = Agency.objects.create(
        name=data.name, short_name=data.short_name, sector=data.sector, description=data.description
    )
    if audit is not None:
        top = audit.audit_agencies.aggregate(top=Max("order"))["top"]
        AuditAgency.objects.create(
            audit=audit,
            agency=agency,
            order=(top if top is not None else -1) + 1,
            returns_due=returns_due,
        )
    return agency


# --- Tool and scale -------------------------------------------------------------------------


@transaction.atomic
def audit_tool_set(
    *, audit: Audit, tool_version: ToolVersion | None, overall_scale: GradingScale | None
) -> Audit:
    """Choose the tool version and overall scale. Once returns have answers the version stays."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    changing_version = audit.tool_version_id != (tool_version.pk if tool_version else None)
    if changing_version and Answer.objects.filter(agency_return__case__audit=audit).exists():
        raise Refused(
            {
                "tool_version": "Returns for this audit already have answers against "
                f"{audit.tool_version}, so the audit must keep that version."
            }
        )
    audit.tool_version = tool_version
    audit.overall_scale = overall_scale
    audit.save(update_fields=["tool_version", "overall_scale", "updated_at"])
    return audit


# --- Earlier reviews ------------------------------------------------------------------------


@transaction.atomic
def audit_review_link(
    *, audit: Audit, review: Review, relationship: str, note: str = ""
) -> AuditReview:
    if AuditReview.objects.filter(audit=audit, review=review).exists():
        raise Refused({"review": f"{review.short_name} is already linked to this audit."})
    top = audit.review_links.aggregate(top=Max("order"))["top"]
    return AuditReview.objects.create(
        audit=audit,
        review=review,
        relationship=relationship,
        note=note,
        order=(top if top is not None else -1) + 1,
    )


@transaction.atomic
def audit_review_unlink(*, link: AuditReview) -> None:
    """Unlinks the review; the review and its learning points stay for other audits."""
    link.delete()


@dataclass(frozen=True)
class ReviewInput:
    title: str
    short_name: str
    kind: str
    learning_points: Sequence[str]
    published: PartialDate | None = None
    summary: str = ""
    url: str = ""


@transaction.atomic
def review_create(
    *, data: ReviewInput, audit: Audit, relationship: str, note: str = ""
) -> AuditReview:
    """Record an earlier review with its learning points, and link it to the audit."""
    problems = {}
    if Review.objects.filter(title__iexact=data.title).exists():
        problems["title"] = f"There is already a review called {data.title}. Link that one."
    if Review.objects.filter(short_name__iexact=data.short_name).exists():
        problems["short_name"] = f"The short name {data.short_name} is already used."
    if problems:
        raise Refused(problems)
    review = Review.objects.create(
        title=data.title,
        short_name=data.short_name,
        kind=data.kind,
        published=data.published,  # type: ignore[misc]  # PartialDateField takes a PartialDate
        summary=data.summary,
        url=data.url,
    )
    LearningPoint.objects.bulk_create(
        [
            LearningPoint(review=review, order=order, text=text)
            for order, text in enumerate(data.learning_points, start=1)
        ]
    )
    return audit_review_link(audit=audit, review=review, relationship=relationship, note=note)
