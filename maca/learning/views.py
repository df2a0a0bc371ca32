from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maca.audits.selectors import audit_access_for
from maca.learning import selectors


def findings(request: HttpRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    context = {
        "access": access,
        "audit": access.audit,
        "findings": selectors.findings_by_heading(access),
        "nav_section": "audits",
        "tab": "findings",
    }
    return render(request, "learning/findings.html", context)


def actions(request: HttpRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    context = {
        "access": access,
        "audit": access.audit,
        "actions": selectors.actions_for_audit(access),
        "nav_section": "audits",
        "tab": "actions",
    }
    return render(request, "learning/actions.html", context)
