"""Fold the returns app's own history (HistoryEntry) into the site-wide history of changes
(core.ChangeRecord), which already recorded the same changes field by field.

Each entry's workflow step ("submit", "send_back", ...) is written onto the ChangeRecord made
for the same change at the same moment; an entry with no such record (written before the
site-wide history existed) becomes a ChangeRecord of its own, with its status change, note and
listed changes. The next migration removes HistoryEntry.
"""

import datetime as dt

from django.db import migrations

SAME_MOMENT = dt.timedelta(seconds=60)
PLAIN_ACTIONS = ("create", "update", "bulk update")


def _content_type(apps, model):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    return content_type_model.objects.get_or_create(app_label="audits", model=model)[0]


def forwards(apps, schema_editor):
    history_entry = apps.get_model("returns", "HistoryEntry")
    change_record = apps.get_model("core", "ChangeRecord")
    return_type = _content_type(apps, "agencyreturn")
    escalation_type = _content_type(apps, "escalation")
    entries = history_entry.objects.select_related(
        "actor", "agency_return__case", "escalation"
    ).order_by("at", "id")
    for entry in entries.iterator():
        if entry.agency_return_id is not None:
            content_type, object_id = return_type, entry.agency_return_id
            audit_id = entry.agency_return.case.audit_id
            name = "agency return"
        else:
            content_type, object_id = escalation_type, entry.escalation_id
            audit_id = entry.escalation.audit_id
            name = "escalation"
        action = entry.action[:20]
        candidates = change_record.objects.filter(
            content_type=content_type,
            object_id=str(object_id),
            action__in=PLAIN_ACTIONS,
            at__gte=entry.at - SAME_MOMENT,
            at__lte=entry.at + SAME_MOMENT,
        )
        if entry.status_before != entry.status_after:
            candidates = [
                record
                for record in candidates
                if (record.changes.get("status") or ["", ""])[1] == entry.status_after
            ]
        match = min(candidates, key=lambda record: abs(record.at - entry.at), default=None)
        if match is not None:
            change_record.objects.filter(pk=match.pk).update(action=action)
            continue
        changes = dict(entry.changes or {})
        if entry.status_before != entry.status_after:
            changes["status"] = [entry.status_before, entry.status_after]
        if entry.note:
            changes["note"] = ["", entry.note]
        actor = entry.actor
        record = change_record.objects.create(
            actor=actor,
            actor_name=((actor.full_name or actor.email) if actor else "System")[:200],
            content_type=content_type,
            object_id=str(object_id),
            object_repr=f"{name} {object_id}",
            audit_id=audit_id,
            action=action,
            changes=changes,
        )
        # `at` is set on creation; keep the moment the entry was made.
        change_record.objects.filter(pk=record.pk).update(at=entry.at)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_change_record"),
        ("returns", "0001_history_and_reminders"),
    ]

    # Going back leaves the records in core.ChangeRecord, where they are still shown.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
