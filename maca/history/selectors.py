"""Reading the history of changes (`maca.core.history`) as a timeline for one object.

`timeline_for(obj, access)` gathers the records of an object and of the things inside it (a
case: its involvement, returns, answers, section summaries, panel grades, discrepancies,
escalations and identifiers; a return: its answers and section summaries), newest first, with
field labels and values a person can read: choice labels, related records by name, partial
dates as text, and identifier fields only as "changed". Nobody sees the history of something
they cannot see: the object must belong to the audit `access` was checked for, and a case's
whole history is for its coordinators and panel only. The number of queries does not grow
with the number of records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Case,
    Discrepancy,
    Escalation,
    PanelGrade,
    SectionSummary,
)
from maca.audits.selectors import AuditAccess
from maca.core.history import REDACTED, registered_model
from maca.core.models import ChangeRecord
from maca.core.partial_dates import PartialDate, PartialDateField
from maca.core.templatetags.time_tags import as_people_write_it
from maca.identifiers.models import ChildIdentity
from maca.learning.models import Action, Finding

DEFAULT_LIMIT = 30
CHANGED = "changed"

ACTION_LABELS = {
    "create": "added",
    "update": "changed",
    "bulk update": "changed",
    "delete": "removed",
    "links added": "linked",
    "links removed": "unlinked",
    # The steps of a return's and an escalation's workflow (`maca.core.history.recorded_as`).
    "saved": "saved",
    "uploaded": "uploaded a workbook for",
    "submit": "submitted",
    "sign_off": "signed off",
    "accept": "accepted",
    "send_back": "sent back",
    "raise": "raised",
    # The administrator's steps (`maca.manage.services`).
    "invite": "invited",
    "resend invitation": "re-sent the invitation:",
    "deactivate": "deactivated",
    "reactivate": "reactivated",
    "authenticator reset": "reset the authenticator of",
    "merge": "merged",
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class TimelineEntry:
    record: ChangeRecord
    subject: str
    verb: str
    changes: list[FieldChange]

    @property
    def at(self) -> dt.datetime:
        return self.record.at

    @property
    def actor_name(self) -> str:
        return self.record.actor_name


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    total: int
    limit: int | None

    @property
    def is_capped(self) -> bool:
        return self.limit is not None and self.total > self.limit


# --- Which records belong to an object ------------------------------------------------------

# What each record is about, in words, read in the same query as the ids: the question an
# answer is to, the section a summary is of, the agency a return is from.
Subjects = dict[type[models.Model], dict[str, str]]


def _labelled(
    queryset: models.QuerySet[Any], label_path: str | None, template: str
) -> dict[str, str]:
    if label_path is None:
        return {str(pk): "" for pk in queryset.values_list("pk", flat=True)}
    return {str(pk): template.format(label) for pk, label in queryset.values_list("pk", label_path)}


def _subjects(obj: models.Model) -> Subjects:
    """The object and its children, by model: the ids whose records make up its timeline."""
    answer = "Answer to “{}”"
    summary = "Summary of section “{}”"
    subjects: Subjects = {type(obj): {str(obj.pk): ""}}
    if isinstance(obj, Case):
        subjects[AgencyInvolvement] = _labelled(
            AgencyInvolvement.objects.filter(case=obj), "agency__short_name", "Involvement of {}"
        )
        subjects[AgencyReturn] = _labelled(
            AgencyReturn.objects.filter(case=obj), "agency__short_name", "{} return"
        )
        subjects[Answer] = _labelled(
            Answer.objects.filter(agency_return__case=obj), "question__text", answer
        )
        subjects[SectionSummary] = _labelled(
            SectionSummary.objects.filter(agency_return__case=obj), "section__title", summary
        )
        subjects[PanelGrade] = _labelled(PanelGrade.objects.filter(case=obj), None, "")
        subjects[Discrepancy] = _labelled(Discrepancy.objects.filter(case=obj), None, "")
        subjects[Escalation] = _labelled(
            Escalation.objects.filter(case=obj), "raised_to_agency__short_name", "Escalation to {}"
        )
        subjects[ChildIdentity] = _labelled(ChildIdentity.objects.filter(case=obj), None, "")
    elif isinstance(obj, AgencyReturn):
        subjects[AgencyReturn] = {str(obj.pk): f"{obj.agency.short_name} return"}
        subjects[Answer] = _labelled(
            Answer.objects.filter(agency_return=obj), "question__text", answer
        )
        subjects[SectionSummary] = _labelled(
            SectionSummary.objects.filter(agency_return=obj), "section__title", summary
        )
    return {model: ids for model, ids in subjects.items() if ids}


def _audit_id_of(obj: models.Model) -> int | None:
    if isinstance(obj, AgencyReturn):
        return obj.case.audit_id
    return getattr(obj, "audit_id", None)


def _require_visible(obj: models.Model, access: AuditAccess) -> None:
    """History is shown only of what the person may see: never across audits, a case's whole
        history only to those who see every agency, a return only to its agency or them, learning
    only to those who write it and an action's owning agencies (never to readers)."""
    if _audit_id_of(obj) != access.audit.pk:
        raise Http404("No history found")
    if isinstance(obj, Case):
        allowed = access.sees_every_agency
    elif isinstance(obj, AgencyReturn):
        allowed = access.sees_every_agency or obj.agency_id in access.agency_ids
    elif isinstance(obj, Escalation):
        allowed = access.sees_every_agency or bool(
            {obj.raised_to_agency_id, obj.raised_by_agency_id} & set(access.agency_ids)
        )
    elif isinstance(obj, Finding):
        # Drafts and who wrote them are for the coordinators and panel, even once published.
        allowed = access.sees_every_agency
    elif isinstance(obj, Action):
        allowed = access.sees_every_agency or (
            access.can_see_learning and obj.owners.filter(pk__in=access.agency_ids).exists()  # type: ignore[attr-defined]
        )
    else:
        allowed = False
    if not allowed:
        raise Http404("No history found")


# --- Readable labels and values -------------------------------------------------------------


# Links to what a record sits inside (its audit, case, return, question, section, agency):
# they do not change, and the entry's subject already says them.
PARENT_LINKS = frozenset({"audit_id", "case_id", "agency_return_id", "question_id", "section_id"})
PARENT_LINKS_OF = {"audits.AgencyReturn": {"agency_id"}, "audits.AgencyInvolvement": {"agency_id"}}


def _field_by_attname(model: type[models.Model]) -> dict[str, models.Field]:
    hidden = PARENT_LINKS | PARENT_LINKS_OF.get(model._meta.label, set())
    return {
        field.attname: field for field in model._meta.concrete_fields if field.attname not in hidden
    }


def _all_attnames(model: type[models.Model]) -> set[str]:
    return {field.attname for field in model._meta.concrete_fields}


def _related_models(subject_models: list[type[models.Model]]) -> set[type[models.Model]]:
    related = set()
    for model in subject_models:
        for field in [*_field_by_attname(model).values(), *_m2m_by_name(model).values()]:
            if field.is_relation and field.related_model is not None:
                related.add(field.related_model)
    return related


def _m2m_by_name(model: type[models.Model]) -> dict[str, Any]:
    return {field.name: field for field in model._meta.many_to_many}


def _label(field: Any) -> str:
    text = str(field.verbose_name)
    return text[:1].upper() + text[1:]


class _Names:
    """str() of related rows, fetched in one query per related model for the whole timeline.

    Every model the subjects can link to is asked for, even when no entry on the page needs
    it, so a page's query count does not depend on which changes happen to be on it."""

    def __init__(self, related: set[type[models.Model]]) -> None:
        self.wanted: dict[type[models.Model], set[str]] = {model: set() for model in related}
        self.names: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], value: str) -> None:
        for part in value.split(", "):
            try:
                model._meta.pk.to_python(part)  # type: ignore[union-attr]
            except ValidationError:
                continue  # an empty link is written "None" or ""
            if part and model in self.wanted:
                self.wanted[model].add(part)

    def load(self) -> None:
        for model, ids in sorted(self.wanted.items(), key=lambda item: item[0]._meta.label):
            # An empty `pk__in` would skip the query; a primary key is never null.
            wanted = Q(pk__in=sorted(ids)) if ids else Q(pk__isnull=True)
            rows = model._default_manager.filter(wanted)
            if model._meta.label == "audits.AgencyReturn":
                rows = rows.select_related("agency", "case")
            for row in rows:
                self.names[(model, str(row.pk))] = str(row)

    def name(self, model: type[models.Model], value: str) -> str:
        return ", ".join(self.names.get((model, part), part) for part in value.split(", ") if part)


def _readable(field: Any, value: str, names: _Names) -> str:
    if value == REDACTED:
        return CHANGED
    if value in ("", "None"):
        return ""
    if field.is_relation and field.related_model is not None:
        return names.name(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value == "True" else "No" if value == "False" else value
    return _dated(field, value)


def _dated(field: Any, value: str) -> str:
    """A time, a date or a partial date as people write it ("3 December 2026, 8:25pm",
    "2 May 2023", "March 2027"), not as it is stored; anything else as it is."""
    try:
        if isinstance(field, models.DateTimeField):
            return as_people_write_it(dt.datetime.fromisoformat(value))
        if isinstance(field, models.DateField):
            day = dt.date.fromisoformat(value)
            return f"{day.day} {day:%B %Y}"
        if isinstance(field, PartialDateField):
            return str(PartialDate.parse(value))
    except ValueError:
        pass
    return value


def _entries(records: list[ChangeRecord], subjects: Subjects) -> list[TimelineEntry]:
    names = _Names(_related_models(list(subjects)))
    fields_of: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    for record in records:
        model = registered_model(record.content_type_id)
        if model is None:
            continue
        if record.content_type_id not in fields_of:
            fields_of[record.content_type_id] = (_field_by_attname(model), _m2m_by_name(model))
        fields, links = fields_of[record.content_type_id]
        for attname, (old, new) in record.changes.items():
            field = fields.get(attname) or links.get(attname)
            if field is not None and field.is_relation and field.related_model is not None:
                names.want(field.related_model, old)
                names.want(field.related_model, new)
    names.load()
    labels = {
        (ContentType.objects.get_for_model(model).pk, pk): label
        for model, ids in subjects.items()
        for pk, label in ids.items()
        if label
    }
    entries = []
    for record in records:
        model = registered_model(record.content_type_id)
        fields, links = fields_of.get(record.content_type_id, ({}, {}))
        changes = []
        for attname, (old, new) in record.changes.items():
            field = fields.get(attname) or links.get(attname)
            if field is None:
                if model is not None and attname in _all_attnames(model):
                    continue  # a parent link (PARENT_LINKS)
                changes.append(FieldChange(attname, old, new))
                continue
            changes.append(
                FieldChange(
                    _label(field), _readable(field, old, names), _readable(field, new, names)
                )
            )
        subject = labels.get((record.content_type_id, record.object_id))
        if subject is None:
            subject = _label(model._meta) if model is not None else record.object_repr
        entries.append(
            TimelineEntry(
                record=record,
                subject=subject,
                verb=ACTION_LABELS.get(record.action, record.action),
                changes=changes,
            )
        )
    return entries


# --- The timeline ---------------------------------------------------------------------------


def records_of(obj: models.Model) -> models.QuerySet[ChangeRecord]:
    """Every record of one object alone, oldest first (not scoped: for commands and tests)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return ChangeRecord.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by(
        "at", "id"
    )


def timeline_of_records(
    records: list[ChangeRecord], subjects: dict[type[models.Model], dict[str, str]]
) -> Timeline:
    """A timeline of records another selector chose and scoped (people, agencies), read the
    same way; `subjects` names what each record is about (empty names: the model's name)."""
    return Timeline(entries=_entries(records, subjects), total=len(records), limit=None)


def timeline_for(
    obj: models.Model, access: AuditAccess | None, *, limit: int | None = DEFAULT_LIMIT
) -> Timeline:
    """The history of `obj` and what is inside it, newest first; at most `limit` entries (None:
    all). 404 if the person who `access` belongs to may not see it, or there is no `access`
    (a page outside any audit)."""
    if access is None:
        raise Http404("No history found")
    _require_visible(obj, access)
    condition = Q(pk__in=[])
    subjects = _subjects(obj)
    for model, ids in subjects.items():
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=list(ids))
    records = ChangeRecord.objects.filter(condition, audit_id=access.audit.pk).order_by(
        "-at", "-id"
    )
    total = records.count()
    chosen = list(records[:limit] if limit is not None else records)
    return Timeline(entries=_entries(chosen, subjects), total=total, limit=limit)
