"""Writing audit tools: tools, versions, sections and questions.

A version that has answers is frozen: nothing in it may change, because returns point at its
questions. Every edit locks the version row and checks this in the same transaction, so an
edit cannot slip in after the first answer (`tool_version_freeze`, called by the return
service when it saves an answer, takes the same lock). Editing a frozen tool means making a
new version (`tool_version_edit_copy`); audits keep the version they chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from maca.accounts.models import Agency
from maca.audits.models import (
    Answer,
    AuditTool,
    GradingScale,
    Question,
    ToolSection,
    ToolVersion,
)
from maca.core.errors import Refused
from maca.learning.models import LearningPoint
from maca.planning.errors import ToolVersionFrozen
from maca.planning.library import READY_TOOLS
from maca.planning.library.cla_out_of_area import question_values, section_values

UP = "up"
DOWN = "down"


# --- Tools and versions ---------------------------------------------------------------------


@transaction.atomic
def tool_create(*, name: str, description: str = "") -> AuditTool:
    """A new tool with an empty version 1 to build."""
    name = name.strip()
    if AuditTool.objects.filter(name__iexact=name).exists():
        raise Refused({"name": f"There is already a tool called {name}. Choose another name."})
    tool = AuditTool.objects.create(
        name=name, slug=_unique_tool_slug(name), description=description
    )
    ToolVersion.objects.create(tool=tool, number=1, notes="First version.")
    return tool


@transaction.atomic
def tool_update(*, tool: AuditTool, name: str, description: str) -> AuditTool:
    """Name and description belong to the tool, not a version, so they may change any time."""
    name = name.strip()
    if AuditTool.objects.filter(name__iexact=name).exclude(pk=tool.pk).exists():
        raise Refused({"name": f"There is already a tool called {name}. Choose another name."})
    tool.name = name
    tool.description = description
    tool.save(update_fields=["name", "description", "updated_at"])
    return tool


@transaction.atomic
def tool_copy(*, version: ToolVersion, name: str | None = None) -> AuditTool:
    """A new tool, "Copy of …", whose version 1 is a deep copy of `version`."""
    source_tool = version.tool
    name = name.strip() if name else _unique_tool_name(f"Copy of {source_tool.name}")
    if AuditTool.objects.filter(name__iexact=name).exists():
        raise Refused({"name": f"There is already a tool called {name}. Choose another name."})
    tool = AuditTool.objects.create(
        name=name,
        slug=_unique_tool_slug(name),
        description=source_tool.description,
        copied_from=source_tool,
    )
    copy = ToolVersion.objects.create(
        tool=tool,
        number=1,
        notes=f"Copied from version {version.number} of {source_tool.name}.",
    )
    _copy_contents(source=version, target=copy)
    return tool


@transaction.atomic
def tool_version_edit_copy(*, version: ToolVersion) -> ToolVersion:
    """The next version of the tool, a deep copy of `version`, open for editing.

    Audits keep the version they chose; only audits that choose the new one use it.
    """
    tool = AuditTool.objects.select_for_update().get(pk=version.tool_id)
    latest = tool.versions.aggregate(latest=Max("number"))["latest"] or 0
    copy = ToolVersion.objects.create(
        tool=tool,
        number=latest + 1,
        notes=f"Made from version {version.number}.",
    )
    _copy_contents(source=version, target=copy)
    return copy


@transaction.atomic
def tool_version_update(*, version: ToolVersion, notes: str) -> ToolVersion:
    """Notes say what changed in a version; they may be written after it is frozen."""
    version.notes = notes
    version.save(update_fields=["notes", "updated_at"])
    return version


@transaction.atomic
def tool_version_freeze(*, version: ToolVersion) -> ToolVersion:
    """Mark the version frozen; call when the first answer against it is saved. Idempotent.

    Takes the same row lock as every edit, so an edit in flight finishes first and none
    starts after.
    """
    locked = ToolVersion.objects.select_for_update().get(pk=version.pk)
    if locked.frozen_at is None:
        locked.frozen_at = timezone.now()
        locked.save(update_fields=["frozen_at", "updated_at"])
    version.frozen_at = locked.frozen_at
    return version


def tool_version_is_frozen(version: ToolVersion) -> bool:
    """Frozen when marked so, or when any answer points at one of its questions."""
    if version.frozen_at is not None:
        return True
    return Answer.objects.filter(question__section__version_id=version.pk).exists()


@transaction.atomic
def ready_tool_add(*, slug: str) -> tuple[AuditTool, bool]:
    """Add a ready-made tool from the library; (tool, created). Adding it twice adds nothing."""
    ready = READY_TOOLS.get(slug)
    if ready is None:
        raise Refused("There is no ready-made tool of that name.")
    existing = AuditTool.objects.filter(slug=ready.slug).first()
    if existing is not None:
        return existing, False
    name = _unique_tool_name(ready.name)
    tool = AuditTool.objects.create(name=name, slug=ready.slug, description=ready.description)
    version = ToolVersion.objects.create(
        tool=tool, number=1, notes="The ready-made tool as shipped with maca."
    )
    scales = {scale.slug: scale for scale in GradingScale.objects.all()}
    sections = ToolSection.objects.bulk_create(
        [
            ToolSection(version=version, order=order, **section_values(spec, scales))
            for order, spec in enumerate(ready.sections, start=1)
        ]
    )
    Question.objects.bulk_create(
        [
            Question(section=section, order=order, **question_values(question, scales, {}))
            for section, spec in zip(sections, ready.sections, strict=True)
            for order, question in enumerate(spec.questions, start=1)
        ]
    )
    return tool, True


# --- Sections -------------------------------------------------------------------------------


@transaction.atomic
def section_create(
    *,
    version: ToolVersion,
    title: str,
    help_text: str = "",
    grading_scale: GradingScale | None = None,
) -> ToolSection:
    _lock_editable(version)
    order = (version.sections.aggregate(top=Max("order"))["top"] or 0) + 1
    return ToolSection.objects.create(
        version=version,
        order=order,
        title=title,
        help_text=help_text,
        grading_scale=grading_scale,
    )


@transaction.atomic
def section_update(
    *, section: ToolSection, title: str, help_text: str, grading_scale: GradingScale | None
) -> ToolSection:
    _lock_editable(section.version)
    section.title = title
    section.help_text = help_text
    section.grading_scale = grading_scale
    section.save(update_fields=["title", "help_text", "grading_scale"])
    return section


@transaction.atomic
def section_delete(*, section: ToolSection) -> None:
    """Deletes the section and its questions."""
    _lock_editable(section.version)
    section.delete()


@transaction.atomic
def section_move(*, section: ToolSection, direction: str) -> None:
    """Swap the section with its neighbour above or below; at either end nothing moves."""
    _lock_editable(section.version)
    siblings = ToolSection.objects.filter(version_id=section.version_id)
    _swap_with_neighbour(siblings, section, direction)


# --- Questions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    """What defines a question, already validated by the form."""

    code: str
    text: str
    kind: str
    help_text: str = ""
    scale: GradingScale | None = None
    choices: Sequence[str] = ()
    requires_reason: bool = False
    standard: str = ""
    applies_to_sectors: Sequence[str] = ()
    applies_to_agencies: Sequence[Agency] = field(default_factory=tuple)
    learning_point: LearningPoint | None = None

    def field_values(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "kind": self.kind,
            "help_text": self.help_text,
            "scale": self.scale,
            "choices": list(self.choices),
            "requires_reason": self.requires_reason,
            "standard": self.standard,
            "applies_to_sectors": list(self.applies_to_sectors),
            "learning_point": self.learning_point,
        }


@transaction.atomic
def question_create(*, section: ToolSection, data: QuestionInput) -> Question:
    _lock_editable(section.version)
    _check_code_free(section.version_id, data.code)
    order = (section.questions.aggregate(top=Max("order"))["top"] or 0) + 1
    question = Question.objects.create(section=section, order=order, **data.field_values())
    question.applies_to_agencies.set(list(data.applies_to_agencies))
    return question


@transaction.atomic
def question_update(*, question: Question, data: QuestionInput) -> Question:
    _lock_editable(question.section.version)
    _check_code_free(question.section.version_id, data.code, exclude=question.pk)
    for name, value in data.field_values().items():
        setattr(question, name, value)
    question.save()
    question.applies_to_agencies.set(list(data.applies_to_agencies))
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _lock_editable(question.section.version)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: str) -> None:
    """Move within its section; at either end nothing moves."""
    _lock_editable(question.section.version)
    siblings = Question.objects.filter(section_id=question.section_id)
    _swap_with_neighbour(siblings, question, direction)


# --- Helpers --------------------------------------------------------------------------------


def _lock_editable(version: ToolVersion) -> None:
    locked = ToolVersion.objects.select_for_update().select_related("tool").get(pk=version.pk)
    if tool_version_is_frozen(locked):
        raise ToolVersionFrozen(locked)


def _check_code_free(version_id: int, code: str, *, exclude: int | None = None) -> None:
    clash = Question.objects.filter(section__version_id=version_id, code__iexact=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Refused(
            {"code": f"{code} is already used by another question in this version. Use another."}
        )


def _swap_with_neighbour[Row: (ToolSection, Question)](
    siblings: QuerySet[Row], row: Row, direction: str
) -> None:
    if direction not in (UP, DOWN):
        raise Refused("Choose to move it up or down.")
    if direction == UP:
        neighbour = siblings.filter(order__lt=row.order).order_by("-order").first()
    else:
        neighbour = siblings.filter(order__gt=row.order).order_by("order").first()
    if neighbour is None:
        return
    # `order` is unique within the parent, so park one row out of the way first.
    parked = (siblings.aggregate(top=Max("order"))["top"] or 0) + 1
    mine, theirs = row.order, neighbour.order
    type(row).objects.filter(pk=row.pk).update(order=parked)
    type(row).objects.filter(pk=neighbour.pk).update(order=mine)
    type(row).objects.filter(pk=row.pk).update(order=theirs)
    row.order = theirs


def _copy_contents(*, source: ToolVersion, target: ToolVersion) -> None:
    """Deep-copy sections, questions and the agencies each question applies to."""
    source_sections = list(source.sections.order_by("order"))
    new_sections = ToolSection.objects.bulk_create(
        [
            ToolSection(
                version=target,
                order=section.order,
                title=section.title,
                help_text=section.help_text,
                grading_scale_id=section.grading_scale_id,
            )
            for section in source_sections
        ]
    )
    section_map = {old.pk: new.pk for old, new in zip(source_sections, new_sections, strict=True)}
    questions = list(
        Question.objects.filter(section__version=source)
        .order_by("section__order", "order")
        .prefetch_related("applies_to_agencies")
    )
    copies = Question.objects.bulk_create(
        [
            Question(
                section_id=section_map[question.section_id],
                order=question.order,
                code=question.code,
                text=question.text,
                help_text=question.help_text,
                kind=question.kind,
                scale_id=question.scale_id,
                choices=list(question.choices),
                requires_reason=question.requires_reason,
                standard=question.standard,
                applies_to_sectors=list(question.applies_to_sectors),
                learning_point_id=question.learning_point_id,
            )
            for question in questions
        ]
    )
    through = Question.applies_to_agencies.through
    through.objects.bulk_create(
        [
            through(question_id=copy.pk, agency_id=agency.pk)
            for question, copy in zip(questions, copies, strict=True)
            for agency in question.applies_to_agencies.all()
        ]
    )


def _unique_tool_name(wanted: str) -> str:
    taken = {
        name.lower()
        for name in AuditTool.objects.filter(name__istartswith=wanted).values_list(
            "name", flat=True
        )
    }
    if wanted.lower() not in taken:
        return wanted
    number = 2
    while f"{wanted} ({number})".lower() in taken:
        number += 1
    return f"{wanted} ({number})"


def _unique_tool_slug(name: str) -> str:
    return unique_slug(AuditTool, name, fallback="tool")


def unique_slug(model: type[Model], text: str, *, fallback: str, max_length: int = 40) -> str:
    """A short slug from `text`, cut at a word boundary, with -2, -3… if it is taken."""
    full = slugify(text)
    base = full[:max_length].strip("-") or fallback
    if len(full) > max_length and full[max_length : max_length + 1] != "-" and "-" in base:
        base = base.rsplit("-", 1)[0]
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
