"""Every change to what an audit is judged by is kept: who, when, old and new values."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from maca.accounts.models import Role
from maca.core.history import REDACTED, acting_as
from maca.core.models import ChangeRecord
from maca.identifiers.models import ChildIdentity
from maca.learning.models import Finding
from tests.factories import FindingFactory, build_audit, person_with_role

pytestmark = pytest.mark.django_db


def _records_for(obj) -> list[ChangeRecord]:
    content_type = ContentType.objects.get_for_model(type(obj))
    return list(
        ChangeRecord.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("id")
    )


def test_a_change_records_who_made_it_and_the_old_and_new_values():
    built = build_audit(cases=1, findings=0)
    coordinator = person_with_role(Role.COORDINATOR)
    with acting_as(coordinator):
        finding = FindingFactory.create(audit=built.audit, text="Before")
        finding.text = "After"
        finding.save()
    create, update = _records_for(finding)
    assert create.action == "create" and create.actor == coordinator
    assert update.action == "update"
    assert update.changes == {"text": ["Before", "After"]}
    assert update.audit_id == built.audit.pk
    assert update.actor_name == str(coordinator)


def test_a_save_that_changes_nothing_leaves_no_record():
    finding = FindingFactory.create()
    count = len(_records_for(finding))
    finding.save()
    assert len(_records_for(finding)) == count


def test_deleting_keeps_the_last_values():
    finding = FindingFactory.create(text="Gone soon")
    audit_id = finding.audit_id
    pk = finding.pk
    finding.delete()
    record = ChangeRecord.objects.filter(object_id=str(pk), action="delete").get()
    assert record.changes["text"] == ["Gone soon", ""]
    assert record.audit_id == audit_id


def test_links_added_and_removed_are_recorded():
    built = build_audit(cases=2, findings=0)
    finding = FindingFactory.create(audit=built.audit)
    finding.cases.add(*built.cases)
    finding.cases.remove(built.cases[0])
    actions = [record.action for record in _records_for(finding)]
    assert actions == ["create", "links added", "links removed"]


def test_changes_without_a_person_are_recorded_as_the_system():
    finding = FindingFactory.create()
    assert _records_for(finding)[0].actor_name == "System"


def test_a_request_from_nobody_signed_in_is_recorded_as_the_system():
    with acting_as(AnonymousUser()):
        finding = FindingFactory.create()
    record = _records_for(finding)[0]
    assert record.actor is None and record.actor_name == "System"


def test_identifiers_are_never_copied_into_history():
    built = build_audit(cases=1, findings=0)
    identity = ChildIdentity.objects.create(case=built.cases[0], full_name="Fictional Person")
    identity.full_name = "Another Fictional Person"
    identity.save()
    text = str([record.changes for record in _records_for(identity)])
    assert "Fictional" not in text
    assert REDACTED in text


def test_bulk_update_is_recorded_for_every_row():
    built = build_audit(cases=1, findings=3)
    Finding.objects.filter(audit=built.audit).update(include_in_brief=False)
    bulk = ChangeRecord.objects.filter(action="bulk update", audit_id=built.audit.pk)
    assert bulk.count() == 3
    assert all(record.changes == {"include_in_brief": ["True", "False"]} for record in bulk)
