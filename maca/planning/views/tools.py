"""The tool builder: tools, versions, sections and questions (coordinators only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maca.accounts.requests import SignedInRequest
from maca.audits.models import Question, ToolSection, ToolVersion
from maca.core.errors import Refused, add_refusal
from maca.planning import selectors, services
from maca.planning.errors import ToolVersionFrozen
from maca.planning.forms.tools import (
    MoveForm,
    QuestionForm,
    SectionForm,
    ToolForm,
    VersionNotesForm,
)

NAV = {"nav_section": "tools"}


def _editor_url(version: ToolVersion, anchor: str = "") -> str:
    url = reverse("planning:version", args=[version.tool.slug, version.number])
    return f"{url}#{anchor}" if anchor else url


def _frozen(request: HttpRequest, version: ToolVersion) -> HttpResponse:
    """Explain that the version cannot change, and offer a new version; a refused change
    answers 409 Conflict."""
    context = {**NAV, "version": version, "tool": version.tool}
    status = 409 if request.method == "POST" else 200
    return render(request, "planning/tools/frozen.html", context, status=status)


def tool_list(request: SignedInRequest) -> HttpResponse:
    tools = selectors.tools_for(request.user)
    context = {**NAV, "tools": tools, "ready_tools": selectors.ready_tools_for(request.user)}
    return render(request, "planning/tools/tool_list.html", context)


def tool_create(request: SignedInRequest) -> HttpResponse:
    selectors.require_tool_builder(request.user)
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.tool_create(
                name=form.cleaned_data["name"], description=form.cleaned_data["description"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{tool.name} created. Add its first section.")
            return redirect("planning:version", tool.slug, 1)
    return render(request, "planning/tools/tool_form.html", {**NAV, "form": form, "tool": None})


@require_POST
def ready_tool_add(request: SignedInRequest, slug: str) -> HttpResponse:
    selectors.require_tool_builder(request.user)
    try:
        tool, created = services.ready_tool_add(slug=slug)
    except Refused as refusal:
        messages.error(request, refusal.text)
        return redirect("planning:tools")
    if created:
        messages.success(request, f"{tool.name} added as version 1. Copy it or edit it here.")
    else:
        messages.info(request, f"{tool.name} is already in your tools.")
    return redirect("planning:tool", tool.slug)


def tool_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    tool = selectors.tool_for(request.user, slug)
    return render(request, "planning/tools/tool_detail.html", {**NAV, "tool": tool})


def tool_edit(request: SignedInRequest, slug: str) -> HttpResponse:
    tool = selectors.tool_for(request.user, slug)
    initial = {"name": tool.name, "description": tool.description}
    form = ToolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tool_update(
                tool=tool,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Tool details saved.")
            return redirect("planning:tool", tool.slug)
    return render(request, "planning/tools/tool_form.html", {**NAV, "form": form, "tool": tool})


def version_detail(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    editor = selectors.version_editor(request.user, slug, number)
    context = {
        **NAV,
        "editor": editor,
        "version": editor.version,
        "tool": editor.version.tool,
    }
    return render(request, "planning/tools/version.html", context)


@require_POST
def version_new(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    """Make the next version from this one ('Edit this tool' on a frozen version)."""
    version = selectors.version_for(request.user, slug, number)
    copy = services.tool_version_edit_copy(version=version)
    messages.success(
        request,
        f"Version {copy.number} made from version {version.number}. Edit it here; audits "
        f"using version {version.number} keep it.",
    )
    return redirect("planning:version", slug, copy.number)


@require_POST
def tool_copy(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    tool = services.tool_copy(version=version)
    messages.success(request, f"{tool.name} made from version {version.number} of {version.tool}.")
    return redirect("planning:version", tool.slug, 1)


def version_notes(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    form = VersionNotesForm(request.POST or None, initial={"notes": version.notes})
    if request.method == "POST" and form.is_valid():
        services.tool_version_update(version=version, notes=form.cleaned_data["notes"])
        messages.success(request, "Notes saved.")
        return redirect("planning:version", slug, number)
    context = {**NAV, "form": form, "version": version, "tool": version.tool}
    return render(request, "planning/tools/notes_form.html", context)


# --- Sections -------------------------------------------------------------------------------


def section_create(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    if selectors.version_is_frozen(version):
        return _frozen(request, version)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_create(version=version, **form.cleaned_data)
        except ToolVersionFrozen:
            return _frozen(request, version)
        messages.success(request, f"Section {section.title} added. Add its questions.")
        return redirect(_editor_url(version, f"section-{section.pk}"))
    return _section_page(request, version, form, None)


def section_edit(request: SignedInRequest, slug: str, number: int, section_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    section = selectors.section_for(version, section_id)
    if selectors.version_is_frozen(version):
        return _frozen(request, version)
    initial = {
        "title": section.title,
        "help_text": section.help_text,
        "grading_scale": section.grading_scale_id,
    }
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(section=section, **form.cleaned_data)
        except ToolVersionFrozen:
            return _frozen(request, version)
        messages.success(request, f"Section {section.title} saved.")
        return redirect(_editor_url(version, f"section-{section.pk}"))
    return _section_page(request, version, form, section)


def _section_page(
    request: HttpRequest, version: ToolVersion, form: SectionForm, section: ToolSection | None
) -> HttpResponse:
    context = {**NAV, "form": form, "version": version, "tool": version.tool, "section": section}
    return render(request, "planning/tools/section_form.html", context)


def section_delete(
    request: SignedInRequest, slug: str, number: int, section_id: int
) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    section = selectors.section_for(version, section_id)
    if selectors.version_is_frozen(version):
        return _frozen(request, version)
    if request.method == "POST":
        try:
            services.section_delete(section=section)
        except ToolVersionFrozen:
            return _frozen(request, version)
        messages.success(request, f"Section {section.title} deleted.")
        return redirect(_editor_url(version))
    context = {
        **NAV,
        "version": version,
        "tool": version.tool,
        "thing": f"the section {section.title}",
        "consequence": f"Its {section.questions.count()} questions are deleted with it.",
    }
    return render(request, "planning/tools/confirm_delete.html", context)


@require_POST
def section_move(request: SignedInRequest, slug: str, number: int, section_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    section = selectors.section_for(version, section_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.section_move(section=section, direction=form.cleaned_data["direction"])
        except ToolVersionFrozen:
            return _frozen(request, version)
    return redirect(_editor_url(version, f"section-{section.pk}"))


# --- Questions ------------------------------------------------------------------------------


def _question_form(request: HttpRequest, initial: dict[str, Any] | None = None) -> QuestionForm:
    return QuestionForm(
        request.POST or None,
        initial=initial,
        learning_points=selectors.learning_points_by_review(),
    )


def question_create(
    request: SignedInRequest, slug: str, number: int, section_id: int
) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    section = selectors.section_for(version, section_id)
    if selectors.version_is_frozen(version):
        return _frozen(request, version)
    position = list(version.sections.order_by("order").values_list("pk", flat=True)).index(
        section.pk
    )
    suggested = f"Q{position + 1}.{section.questions.count() + 1}"
    form = _question_form(request, {"code": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(section=section, data=form.to_input())
        except ToolVersionFrozen:
            return _frozen(request, version)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Question {question.code} added.")
            return redirect(_editor_url(version, f"question-{question.pk}"))
    return _question_page(request, version, section, form, None)


def question_edit(
    request: SignedInRequest, slug: str, number: int, question_id: int
) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    question = selectors.question_for(version, question_id)
    if selectors.version_is_frozen(version):
        return _frozen(request, version)
    form = _question_form(request, QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, data=form.to_input())
        except ToolVersionFrozen:
            return _frozen(request, version)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Question {question.code} saved.")
            return redirect(_editor_url(version, f"question-{question.pk}"))
    return _question_page(request, version, question.section, form, question)


def _question_page(
    request: HttpRequest,
    version: ToolVersion,
    section: ToolSection,
    form: QuestionForm,
    question: Question | None,
) -> HttpResponse:
    context = {
        **NAV,
        "form": form,
        "version": version,
        "tool": version.tool,
        "section": section,
        "question": question,
    }
    return render(request, "planning/tools/question_form.html", context)


def question_delete(
    request: SignedInRequest, slug: str, number: int, question_id: int
) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    question = selectors.question_for(version, question_id)
    if selectors.version_is_frozen(version):
        return _frozen(request, version)
    if request.method == "POST":
        try:
            services.question_delete(question=question)
        except ToolVersionFrozen:
            return _frozen(request, version)
        messages.success(request, f"Question {question.code} deleted.")
        return redirect(_editor_url(version, f"section-{question.section_id}"))
    context = {
        **NAV,
        "version": version,
        "tool": version.tool,
        "thing": f"question {question.code}",
        "consequence": question.text,
    }
    return render(request, "planning/tools/confirm_delete.html", context)


@require_POST
def question_move(
    request: SignedInRequest, slug: str, number: int, question_id: int
) -> HttpResponse:
    version = selectors.version_for(request.user, slug, number)
    question = selectors.question_for(version, question_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.question_move(question=question, direction=form.cleaned_data["direction"])
        except ToolVersionFrozen:
            return _frozen(request, version)
    return redirect(_editor_url(version, f"question-{question.pk}"))
