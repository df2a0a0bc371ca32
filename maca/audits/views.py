from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from maca.accounts.requests import SignedInRequest
from maca.audits import selectors
from maca.audits.models import AuditStatus, ReturnStatus


def audit_list(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    filters = selectors.AuditFilters(
        search=request.GET.get("q", "").strip()[:100],
        status=status if status in AuditStatus.values else "",
        year=request.GET.get("year", "")[:4],
        theme=request.GET.get("theme", "")[:200],
    )
    listing = selectors.audit_list_for(request.user, filters)
    context = {
        "audits": listing.audits,
        "listing": listing,
        "filters": filters,
        "statuses": AuditStatus.choices,
        "nav_section": "audits",
    }
    return render(request, "audits/audit_list.html", context)


def audit_overview(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.audit_access_for(request.user, slug)
    audit = access.audit
    context = {
        "access": access,
        "audit": audit,
        "profile": selectors.cohort_profile(audit),
        "agencies": selectors.audit_agencies(audit),
        "lines_of_enquiry": list(audit.lines_of_enquiry.all()),
        "statuses": selectors.status_steps(audit),
        "nav_section": "audits",
        "tab": "overview",
    }
    return render(request, "audits/audit_overview.html", context)


def returns_grid(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.audit_access_for(request.user, slug)
    grid = selectors.returns_grid(access, today=timezone.localdate())
    filters = _grid_filters(request, grid)
    context = {
        "access": access,
        "audit": access.audit,
        "grid": grid.filtered(filters) if filters.any else grid,
        "filters": filters,
        "return_statuses": [("none", "No return begun"), *ReturnStatus.choices],
        "nav_section": "audits",
        "tab": "returns",
    }
    return render(request, "audits/returns_grid.html", context)


def _grid_filters(request: HttpRequest, grid: selectors.ReturnsGrid) -> selectors.GridFilters:
    """The grid's filters from the address; anything not on offer is ignored."""
    agency = request.GET.get("agency", "")
    agency_ids = {str(item.pk): item.pk for item in grid.agencies}
    status = request.GET.get("status", "")
    return selectors.GridFilters(
        agency_id=agency_ids.get(agency),
        status=status if status in {"none", *ReturnStatus.values} else "",
        late_only=request.GET.get("late") == "yes",
    )


def case_detail(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    access = selectors.audit_access_for(request.user, slug)
    detail = selectors.case_detail(access, case_id)
    context = {
        "access": access,
        "audit": access.audit,
        "detail": detail,
        "case": detail.case,
        "nav_section": "audits",
        "tab": "returns",
    }
    return render(request, "audits/case_detail.html", context)
