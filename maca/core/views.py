from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("audits:list")
    return render(request, "core/home.html")


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
