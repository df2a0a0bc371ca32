"""The API serves a published audit's frozen brief, as the brief's pages do."""

from __future__ import annotations

import pytest

from maca.accounts.models import Role
from maca.audits.models import Audit, AuditStatus
from maca.core.history import acting_as
from maca.learning.models import Finding, Heading
from maca.planning.services.audits import FORWARD, audit_status_advance
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db

AT_PUBLISHING = "Health assessments were late for children placed far away."
EDITED_AFTER = "Health assessments are now on time after the new referral route."


def test_the_api_serves_the_brief_as_it_was_published(api_as):
    built = build_audit(cases=2, agencies=2, findings=3, status=AuditStatus.FINDINGS)
    worry = Finding.objects.filter(audit=built.audit, heading=Heading.WORRY).first()
    assert worry is not None
    worry.text = AT_PUBLISHING
    worry.save()
    audit = Audit.objects.get(pk=built.audit.pk)
    with acting_as(built.coordinator):
        audit_status_advance(audit=audit, direction=FORWARD, expected=audit.status)
    worry.text = EDITED_AFTER
    worry.save()

    response = api_as(person_with_role(Role.READER)).get(f"/api/v1/audits/{audit.slug}/brief/")
    assert response.status_code == 200
    served = response.content.decode()
    assert AT_PUBLISHING in served
    assert EDITED_AFTER not in served
