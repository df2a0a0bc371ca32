"""Pages for importing a 903 extract, building the cohort and drawing the sample. Views parse
input, call one selector or service, and render; access is decided in those."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maca.accounts.requests import SignedInRequest
from maca.audits.selectors import AuditAccess
from maca.core.errors import Refused, add_refusal
from maca.sampling import codes, selectors, services
from maca.sampling.cohort import CohortFilters, describe_filters
from maca.sampling.forms import CohortForm, DecisionForm, ImportForm, SampleForm
from maca.sampling.models import ImportBatch


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _base(access: AuditAccess, **extra: Any) -> dict[str, Any]:
    return {
        "access": access,
        "audit": access.audit,
        "nav_section": "audits",
        "tab": "sample",
        **extra,
    }


@require_GET
def imports(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.coordinator_access(request.user, slug)
    context = _base(
        access,
        batches=list(selectors.imports_for(access)),
        draws=list(selectors.draws_for(access)),
    )
    return render(request, "sampling/imports.html", context)


@require_http_methods(["GET", "POST"])
def import_new(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.coordinator_access(request.user, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.import_903_start(
            access=access,
            user=request.user,
            files=form.file_years(),
            home_districts=form.cleaned_data["home_districts"],
        )
        page = reverse("sampling:import", args=[slug, batch.public_id])
        if _wants_json(request):
            status = reverse("sampling:import-status", args=[slug, batch.public_id])
            return JsonResponse({"url": page, "status_url": status})
        return redirect(page)
    if request.method == "POST" and _wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    return render(request, "sampling/import_new.html", _base(access, form=form))


@require_GET
def import_detail(request: SignedInRequest, slug: str, public_id: str) -> HttpResponse:
    access = selectors.coordinator_access(request.user, slug)
    batch = selectors.import_for(access, public_id)
    context = _base(access, batch=batch, decision_form=DecisionForm())
    return render(request, "sampling/import_detail.html", context)


@require_GET
def import_status(request: SignedInRequest, slug: str, public_id: str) -> JsonResponse:
    access = selectors.coordinator_access(request.user, slug)
    batch = selectors.import_for(access, public_id)
    response = JsonResponse(
        {
            "status": batch.status,
            "status_label": batch.get_status_display(),
            "progress": batch.progress,
            "message": batch.progress_message,
            "finished": batch.is_finished,
            "url": reverse("sampling:import", args=[slug, batch.public_id]),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def import_decide(request: SignedInRequest, slug: str, public_id: str) -> HttpResponse:
    access = selectors.coordinator_access(request.user, slug)
    batch = selectors.import_for(access, public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.import_903_decide(
                access=access,
                batch=batch,
                decision=form.cleaned_data["decision"],
                user=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            if batch.status == ImportBatch.Status.READY:
                messages.success(request, "The rows with problems will be left out.")
            else:
                messages.info(request, "The import was refused and its data deleted.")
            return redirect("sampling:import", slug, batch.public_id)
    context = _base(access, batch=batch, decision_form=form)
    return render(request, "sampling/import_detail.html", context, status=400)


def _csv_safe(value: Any) -> Any:
    # Spreadsheets run cells that start with these characters as formulas.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def import_problems(request: SignedInRequest, slug: str, public_id: str) -> HttpResponse:
    access = selectors.coordinator_access(request.user, slug)
    batch = selectors.import_for(access, public_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="903-problems-{batch.public_id}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    for row in selectors.problem_rows(batch):
        writer.writerow([_csv_safe(value) for value in row])
    return response


def _cohort_context(
    request: HttpRequest,
    access: AuditAccess,
    batch: ImportBatch,
    query: QueryDict,
    sample_form: SampleForm,
) -> dict[str, Any]:
    census = selectors.default_census_date(batch)
    form = CohortForm(
        query if "census_year" in query else None, initial=CohortForm.initial_for(census)
    )
    filters: CohortFilters | None = None
    if form.is_bound and form.is_valid():
        filters = form.filters()
    elif not form.is_bound:
        filters = CohortFilters(census_date=census, location="out")
    built = selectors.cohort_for(batch, filters) if filters else None
    hidden = []
    if filters:
        hidden = [
            ("census_day", filters.census_date.day),
            ("census_month", filters.census_date.month),
            ("census_year", filters.census_date.year),
            ("location", filters.location),
            ("uasc", filters.uasc),
            ("missing", filters.missing),
            ("placements", filters.placements),
        ]
        for name in ("distance_bands", "age_bands", "legal_statuses", "placement_types"):
            hidden += [(name, value) for value in getattr(filters, name)]
    return _base(
        access,
        batch=batch,
        form=form,
        cohort=built,
        filters=filters,
        filter_lines=describe_filters(filters) if filters else [],
        hidden=hidden,
        sample_form=sample_form,
        year_label=codes.year_label,
    )


@require_GET
def cohort(request: SignedInRequest, slug: str, public_id: str) -> HttpResponse:
    access = selectors.coordinator_access(request.user, slug)
    batch = selectors.import_for(access, public_id)
    context = _cohort_context(request, access, batch, request.GET, SampleForm())
    return render(request, "sampling/cohort.html", context)


@require_POST
def sample(request: SignedInRequest, slug: str, public_id: str) -> HttpResponse:
    access = selectors.coordinator_access(request.user, slug)
    batch = selectors.import_for(access, public_id)
    cohort_form = CohortForm(request.POST)
    form = SampleForm(request.POST)
    if cohort_form.is_valid() and form.is_valid():
        try:
            draw = services.sample_draw(
                access=access,
                batch=batch,
                filters=cohort_form.filters(),
                method=form.cleaned_data["method"],
                stratify_by=form.cleaned_data.get("stratify_by") or "",
                size=form.cleaned_data["size"],
                seed=form.cleaned_data["seed"],
                exclusions=services.parse_exclusions(form.cleaned_data.get("exclusions") or ""),
                user=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{draw.size} children were drawn and added as cases.")
            return redirect("sampling:draw", slug, draw.pk)
    context = _cohort_context(request, access, batch, request.POST, form)
    return render(request, "sampling/cohort.html", context, status=400)


@require_GET
def draw_detail(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    from maca.audits.selectors import audit_access_for

    access = audit_access_for(request.user, slug)
    draw = selectors.draw_for(access, pk)
    context = _base(access, draw=draw, cases=selectors.draw_cases(draw))
    return render(request, "sampling/draw.html", context)


@require_GET
def case_facts(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    access, case = selectors.case_for_facts(request.user, slug, case_id)
    context = _base(access, case=case, facts=selectors.case_facts(case), tab="returns")
    return render(request, "sampling/case_facts.html", context)
