"""Brief templates: reading them (selectors) and changing them (services).

A template version is a list of sections. The shipped templates (brief_sections.py) are
added on demand and are frozen; a partnership copies one to make its own. A version a brief
has been published with is frozen too: changing it makes the next version, as for audit tools
(maca.planning.services.tools), and audits keep the version they chose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from maca.accounts.models import Role, User
from maca.accounts.selectors import roles_of
from maca.audits.models import Audit
from maca.core import history
from maca.core.errors import Refused
from maca.reports.brief_sections import (
    LEARNING_BRIEF,
    SHIPPED_TEMPLATES,
    BriefSection,
    SectionKind,
    ShippedTemplate,
)
from maca.reports.models import (
    AuditBriefTemplate,
    BriefTemplate,
    BriefTemplateSection,
    BriefTemplateVersion,
)

# --- Reading --------------------------------------------------------------------------------


def sections_of(version: BriefTemplateVersion) -> tuple[BriefSection, ...]:
    """The sections a brief prints, in order; hidden ones are not part of the brief."""
    return tuple(
        BriefSection(
            kind=row.kind,
            heading=row.heading,
            lead_in=row.lead_in.strip(),
            text=tuple(line for line in _lines(row.text, row.kind)),
            if_empty=row.if_empty.strip(),
        )
        for row in version.sections.all()
        if row.is_shown
    )


def _lines(text: str, kind: str) -> tuple[str, ...]:
    from maca.reports.brief import paragraphs

    if kind == SectionKind.QUESTIONS:
        return tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return paragraphs(text)


def template_for_audit(audit: Audit) -> tuple[str, tuple[BriefSection, ...]]:
    """(what the document calls itself, its sections) for the audit's brief."""
    choice = (
        AuditBriefTemplate.objects.filter(audit=audit)
        .select_related("version__template")
        .prefetch_related("version__sections")
        .first()
    )
    if choice is None:
        return LEARNING_BRIEF.document_name, LEARNING_BRIEF.sections
    return choice.version.template.document_name, sections_of(choice.version)


def require_template_builder(user: User) -> None:
    """Any coordinator may shape briefs; everyone else is told there is nothing here."""
    if not roles_of(user).has(Role.COORDINATOR):
        raise Http404("No brief templates found")


def brief_templates_for(user: User) -> list[BriefTemplate]:
    require_template_builder(user)
    shipped_templates_ensure()
    return list(BriefTemplate.objects.prefetch_related("versions"))


def brief_template_version_for(user: User, slug: str, number: int) -> BriefTemplateVersion:
    require_template_builder(user)
    shipped_templates_ensure()
    version = (
        BriefTemplateVersion.objects.filter(template__slug=slug, number=number)
        .select_related("template")
        .prefetch_related("sections")
        .first()
    )
    if version is None:
        raise Http404("No such brief template")
    return version


def chosen_version(audit: Audit) -> BriefTemplateVersion | None:
    choice = AuditBriefTemplate.objects.filter(audit=audit).select_related("version").first()
    return choice.version if choice else None


def template_choices() -> list[BriefTemplateVersion]:
    """Every version an audit may choose, newest version of each template first."""
    shipped_templates_ensure()
    return list(
        BriefTemplateVersion.objects.select_related("template").order_by(
            "-template__is_shipped", "template__name", "-number"
        )
    )


def is_frozen(version: BriefTemplateVersion) -> bool:
    return version.frozen_at is not None or version.template.is_shipped


# --- Writing --------------------------------------------------------------------------------


def shipped_templates_ensure() -> None:
    """Add any shipped template not stored yet (each once, frozen at version 1)."""
    stored = set(
        BriefTemplate.objects.filter(slug__in=SHIPPED_TEMPLATES).values_list("slug", flat=True)
    )
    for shipped in SHIPPED_TEMPLATES.values():
        if shipped.slug not in stored:
            _shipped_add(shipped)


@transaction.atomic
def _shipped_add(shipped: ShippedTemplate) -> None:
    template, created = BriefTemplate.objects.get_or_create(
        slug=shipped.slug,
        defaults={
            "name": shipped.name,
            "description": shipped.description,
            "document_name": shipped.document_name,
            "is_shipped": True,
        },
    )
    if not created:
        return
    version = BriefTemplateVersion.objects.create(
        template=template, number=1, notes="As shipped with maca.", frozen_at=timezone.now()
    )
    BriefTemplateSection.objects.bulk_create(
        BriefTemplateSection(
            version=version,
            order=order,
            kind=section.kind,
            heading=section.heading,
            lead_in=section.lead_in,
            text="\n\n".join(section.text),
            if_empty=section.if_empty,
        )
        for order, section in enumerate(shipped.sections, 1)
    )


@transaction.atomic
def brief_template_copy(*, version: BriefTemplateVersion, name: str = "") -> BriefTemplate:
    """A new template, "Copy of …", whose version 1 is a copy of `version`, open to edit."""
    source = version.template
    name = name.strip() or _unique_name(f"Copy of {source.name}")
    if BriefTemplate.objects.filter(name__iexact=name).exists():
        raise Refused({"name": f"There is already a template called {name}. Choose another."})
    template = BriefTemplate.objects.create(
        name=name,
        slug=_unique_slug(name),
        description=source.description,
        document_name=source.document_name,
        copied_from=source,
    )
    copy = BriefTemplateVersion.objects.create(
        template=template, number=1, notes=f"Copied from version {version.number} of {source}."
    )
    _copy_sections(source=version, target=copy)
    history.record_event(template, action="create", changes={"copied_from": ["", str(version)]})
    return template


@transaction.atomic
def brief_template_version_edit_copy(*, version: BriefTemplateVersion) -> BriefTemplateVersion:
    """The next version of a partnership's template, a copy of `version`, open to edit."""
    if version.template.is_shipped:
        raise Refused({"__all__": "A shipped template cannot change: copy it to make your own."})
    template = BriefTemplate.objects.select_for_update().get(pk=version.template_id)
    latest = template.versions.aggregate(top=Max("number"))["top"] or 0
    copy = BriefTemplateVersion.objects.create(
        template=template, number=latest + 1, notes=f"Made from version {version.number}."
    )
    _copy_sections(source=version, target=copy)
    history.record_event(copy, action="create", changes={"number": ["", str(copy.number)]})
    return copy


@dataclass(frozen=True)
class SectionChange:
    section_id: int
    order: int
    heading: str
    lead_in: str
    text: str
    if_empty: str
    is_shown: bool


@transaction.atomic
def brief_template_sections_update(
    *, version: BriefTemplateVersion, changes: Sequence[SectionChange]
) -> BriefTemplateVersion:
    """Save every section's order, heading, words and whether it appears, all or nothing.
    Positions are then numbered 1, 2, 3…; a section moved to a taken position goes before the
    one that was there."""
    locked = _lock_editable(version)
    rows = {row.pk: row for row in locked.sections.all()}
    if {change.section_id for change in changes} - set(rows):
        raise Refused({"__all__": "A section was not part of this version; reload the page."})
    moved = {
        change.section_id for change in changes if change.order != rows[change.section_id].order
    }
    changes = list(changes)
    asked = {change.section_id: change.order for change in changes}
    ranked = sorted(
        rows.values(),
        key=lambda row: (asked.get(row.pk, row.order), row.pk not in moved, row.order, row.pk),
    )
    position = {row.pk: number for number, row in enumerate(ranked, 1)}
    changes = [dataclasses.replace(change, order=position[change.section_id]) for change in changes]
    for row in rows.values():
        if row.pk not in asked and row.order != position[row.pk]:
            row.order = position[row.pk]
            row.save(update_fields=["order"])
    for change in changes:
        row = rows[change.section_id]
        before = {field: str(getattr(row, field)) for field in _EDITABLE}
        for field in _EDITABLE:
            setattr(row, field, getattr(change, field))
        row.save()
        changed = {
            field: [before[field], str(getattr(row, field))]
            for field in _EDITABLE
            if before[field] != str(getattr(row, field))
        }
        if changed:
            history.record_event(row, action="update", changes=changed)
    return locked


_EDITABLE = ("order", "heading", "lead_in", "text", "if_empty", "is_shown")


@transaction.atomic
def brief_template_section_add(
    *, version: BriefTemplateVersion, kind: str, heading: str
) -> BriefTemplateSection:
    """A section added at the end; a text section holds whatever the coordinator writes."""
    locked = _lock_editable(version)
    if kind not in SectionKind.values:
        raise Refused({"kind": "Choose a kind of section from the list."})
    last = locked.sections.aggregate(top=Max("order"))["top"] or 0
    section = BriefTemplateSection.objects.create(
        version=locked,
        order=last + 1,
        kind=kind,
        heading=heading.strip() or SectionKind(kind).label,
    )
    history.record_event(section, action="create", changes={"heading": ["", section.heading]})
    return section


@transaction.atomic
def audit_brief_template_choose(*, audit: Audit, version: BriefTemplateVersion) -> None:
    """The audit's brief follows `version` from now on; published versions keep their shape."""
    before = chosen_version(audit)
    AuditBriefTemplate.objects.update_or_create(audit=audit, defaults={"version": version})
    history.record_event(
        audit,
        action="brief_template",
        changes={"brief_template": [str(before or LEARNING_BRIEF.name), str(version)]},
        audit_id=audit.pk,
    )


def brief_template_version_freeze(*, audit: Audit) -> None:
    """Freeze the version the audit follows; called when its brief is published."""
    BriefTemplateVersion.objects.filter(audits__audit=audit, frozen_at__isnull=True).update(
        frozen_at=timezone.now()
    )


def _lock_editable(version: BriefTemplateVersion) -> BriefTemplateVersion:
    locked = (
        BriefTemplateVersion.objects.select_for_update()
        .select_related("template")
        .get(pk=version.pk)
    )
    if is_frozen(locked):
        raise Refused(
            {"__all__": f"{locked} is frozen: make a new version (or a copy) to change it."}
        )
    return locked


def _copy_sections(*, source: BriefTemplateVersion, target: BriefTemplateVersion) -> None:
    BriefTemplateSection.objects.bulk_create(
        BriefTemplateSection(
            version=target,
            order=row.order,
            kind=row.kind,
            heading=row.heading,
            lead_in=row.lead_in,
            text=row.text,
            if_empty=row.if_empty,
            is_shown=row.is_shown,
        )
        for row in source.sections.all()
    )


def _unique_name(name: str) -> str:
    candidate, number = name, 2
    while BriefTemplate.objects.filter(name__iexact=candidate).exists():
        candidate, number = f"{name} ({number})", number + 1
    return candidate


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "template"
    candidate, number = base, 2
    while BriefTemplate.objects.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate
