"""Brief templates: the list, one version's sections (edit, copy, new version) and an audit's
choice. Coordinators only; the services in brief_templates.py do the writing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from maca.accounts.requests import SignedInRequest
from maca.core.errors import Refused, add_refusal
from maca.planning.selectors import setup_access_for
from maca.reports import brief_templates as templates
from maca.reports import programmes
from maca.reports.models import BriefTemplateVersion
from maca.reports.selectors import audit_links_for
from maca.reports.template_forms import (
    AddSectionForm,
    AuditLinkForm,
    SectionForm,
    TemplateChoiceForm,
)

NAV = {"nav_section": "tools"}


def _version_url(version: BriefTemplateVersion) -> str:
    return reverse("brief_templates:version", args=[version.template.slug, version.number])


def brief_template_list(request: SignedInRequest) -> HttpResponse:
    context = {**NAV, "brief_templates": templates.brief_templates_for(request.user)}
    return render(request, "reports/templates/list.html", context)


def brief_template_version(
    request: SignedInRequest, template_slug: str, version_number: int
) -> HttpResponse:
    version = templates.brief_template_version_for(request.user, template_slug, version_number)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "copy":
        copy = templates.brief_template_copy(version=version)
        messages.success(
            request, f"{copy.name} made. Change it below, then choose it for an audit."
        )
        return redirect("brief_templates:version", copy.slug, 1)
    if action == "new-version" and not version.template.is_shipped:
        made = templates.brief_template_version_edit_copy(version=version)
        messages.success(request, f"Version {made.number} made. Change it below.")
        return redirect(_version_url(made))
    data = request.POST if action in {"save", "add"} else None
    forms = [
        SectionForm(data if action == "save" else None, section=row)
        for row in version.sections.all()
    ]
    add_form = AddSectionForm(data if action == "add" else None)
    try:
        if action == "save" and all(form.is_valid() for form in forms):
            templates.brief_template_sections_update(version=version, changes=_changes(forms))
            messages.success(request, "Sections saved.")
            return redirect(_version_url(version))
        if action == "add" and add_form.is_valid():
            templates.brief_template_section_add(
                version=version,
                kind=add_form.cleaned_data["kind"],
                heading=add_form.cleaned_data["new_heading"],
            )
            messages.success(request, "Section added at the end.")
            return redirect(_version_url(version))
    except Refused as refusal:
        return _frozen(request, version, refusal)
    errors = _errors(forms, add_form)
    context = {
        **NAV,
        "version": version,
        "template": version.template,
        "is_frozen": templates.is_frozen(version),
        "forms": forms,
        "add_form": add_form,
        "extra_errors": errors,
    }
    status = 400 if errors else 200
    return render(request, "reports/templates/version.html", context, status=status)


def _errors(forms: list[SectionForm], add_form: AddSectionForm) -> list[tuple[str, str]]:
    """Every error on the page, as (field id, message) for the one error summary."""
    return [
        (form[name].id_for_label, str(error))
        for form in [*forms, add_form]
        for name, errs in form.errors.items()
        for error in errs
    ]


def _changes(forms: list[SectionForm]) -> list[templates.SectionChange]:
    return [
        templates.SectionChange(section_id=form.section.pk, **form.cleaned_data) for form in forms
    ]


def _frozen(request: HttpRequest, version: BriefTemplateVersion, refusal: Refused) -> HttpResponse:
    messages.error(request, refusal.text)
    response = redirect(_version_url(version))
    response.status_code = 303
    return response


def brief_template_choice(request: SignedInRequest, slug: str) -> HttpResponse:
    """Which template the audit's brief follows (coordinators of the audit only)."""
    access = setup_access_for(request.user, slug)
    choices = templates.template_choices()
    current = templates.chosen_version(access.audit)
    form = TemplateChoiceForm(
        request.POST or None,
        choices=choices,
        initial={"version": current.pk if current else _learning_brief_pk(choices)},
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        templates.audit_brief_template_choose(audit=access.audit, version=version)
        messages.success(request, f"The brief now follows {version.template.name}.")
        return redirect("reports:brief", access.audit.slug)
    context = {"access": access, "audit": access.audit, "form": form, "nav_section": "audits"}
    return render(request, "reports/templates/choice.html", context)


def _learning_brief_pk(choices: list[BriefTemplateVersion]) -> int | None:
    return next((v.pk for v in choices if v.template.slug == "learning-brief"), None)


def brief_audit_links(request: SignedInRequest, slug: str) -> HttpResponse:
    """The other audits the brief covers (coordinators of the audit only)."""
    access = setup_access_for(request.user, slug)
    audit = access.audit
    if request.method == "POST" and request.POST.get("action") == "remove":
        try:
            programmes.audit_link_remove(audit=audit, link_id=int(request.POST.get("link", 0)))
        except (Refused, ValueError):
            messages.error(request, "That audit is no longer part of this brief.")
        else:
            messages.success(request, "Audit taken out of the brief.")
        return redirect("reports:brief-audits", audit.slug)
    form = AuditLinkForm(
        request.POST or None, audits=programmes.audits_to_link(request.user, audit)
    )
    if request.method == "POST" and form.is_valid():
        try:
            programmes.audit_link_add(user=request.user, audit=audit, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Audit added to the brief.")
            return redirect("reports:brief-audits", audit.slug)
    context = {
        "access": access,
        "audit": audit,
        "form": form,
        "links": audit_links_for(access),
        "nav_section": "audits",
    }
    return render(request, "reports/templates/audit_links.html", context)
