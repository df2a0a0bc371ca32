from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maca.core import data_inventory


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    """What maca holds and why, for the partnership's DPIA: generated from the models and
    the settings, so it stays true as they change."""
    context = {
        "categories": data_inventory.data_held(),
        "lawful_basis": data_inventory.lawful_basis(),
        "retention": data_inventory.retention_settings(),
    }
    return render(request, "core/privacy.html", context)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a refused form post gets the service's own 403 page, saying
    what to do next (and never the technical reason, which is for the log)."""
    return render(request, "403_csrf.html", status=403)
