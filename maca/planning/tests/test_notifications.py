"""E-mails sent by the worker when an audit reaches returns-open or publishes its brief, and
when returns and escalations move between people. All people are fictional."""

from __future__ import annotations

import datetime as dt

import pytest

from maca.accounts.models import Role
from maca.audits.models import AgencyReturn, Audit, Escalation, ReturnStatus
from maca.planning import services
from maca.returns import notify as return_notify
from tests.factories import (
    AgencyFactory,
    AuditFactory,
    CaseFactory,
    build_audit,
    person_with_role,
)

pytestmark = pytest.mark.django_db


def test_opening_returns_e_mails_each_agencys_people_how_many_they_owe(
    mailoutbox, django_capture_on_commit_callbacks, ready_version
):
    built = build_audit(cases=3, agencies=2, findings=0, status="sampling")
    Audit.objects.filter(pk=built.audit.pk).update(tool_version=ready_version)
    built.audit.refresh_from_db()
    first, second = built.agencies
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=first)
    lead = person_with_role(Role.AGENCY_LEAD, agency=second)
    person_with_role(Role.READER)
    owed_first = AgencyReturn.objects.filter(case__audit=built.audit, agency=first).count()
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_status_advance(
            audit=built.audit, direction=services.FORWARD, expected="sampling"
        )
    to = {message.to[0]: message for message in mailoutbox}
    assert set(to) == {auditor.email, lead.email}
    assert to[auditor.email].subject.endswith(f": {owed_first} for {first.short_name}")
    assert "/work/" in to[auditor.email].body or "Your work" in to[auditor.email].body
    assert not any(case.pseudonym in m.body for m in mailoutbox for case in built.cases)


def test_publishing_e_mails_the_audits_people_once_each(
    mailoutbox, django_capture_on_commit_callbacks
):
    audit = AuditFactory.create(status="findings")
    coordinator = person_with_role(Role.COORDINATOR)
    audit.coordinators.add(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_status_advance(audit=audit, direction=services.FORWARD, expected="findings")
    assert Audit.objects.get(pk=audit.pk).status == "published"
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([coordinator.email], f"Learning brief published: {audit.title}")
    ]
    assert f"/audits/{audit.slug}/brief/" in mailoutbox[0].body


def test_submitted_signed_off_and_acknowledged_reach_the_right_people(mailoutbox):
    built = build_audit(cases=2, agencies=1, findings=0, status="returns_open")
    agency = built.agencies[0]
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=agency)
    lead = person_with_role(Role.AGENCY_LEAD, agency=agency)
    agency_return = AgencyReturn.objects.filter(agency=agency).first()
    assert agency_return is not None
    agency_return.auditor = auditor
    agency_return.signed_off_by = lead
    agency_return.status = ReturnStatus.SUBMITTED
    agency_return.save()

    assert return_notify.send_return_submitted(agency_return.pk) == 1
    assert mailoutbox[-1].to == [lead.email] and "ready to sign off" in mailoutbox[-1].subject
    assert return_notify.send_return_signed_off(agency_return.pk) == 1
    assert mailoutbox[-1].to == [auditor.email] and "signed off" in mailoutbox[-1].subject

    escalation = Escalation.objects.filter(audit=built.audit).first()
    assert escalation is not None
    escalation.raised_by = auditor
    escalation.save()
    assert return_notify.send_escalation_acknowledged(escalation.pk) == 2
    assert {m.to[0] for m in mailoutbox[-2:]} == {auditor.email, built.coordinator.email}
    assert "Fictional concern" not in mailoutbox[-1].body


def test_an_agency_that_joins_while_returns_are_open_is_e_mailed_its_returns_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    built = build_audit(cases=3, agencies=1, findings=0, status="returns_open")
    already = person_with_role(Role.AGENCY_AUDITOR, agency=built.agencies[0])
    late = AgencyFactory.create(name="Fictional Late Agency", short_name="FLA")
    lead = person_with_role(Role.AGENCY_LEAD, agency=late)
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=late)
    services.audit_agencies_set(
        audit=built.audit,
        chosen={built.agencies[0].pk: None, late.pk: dt.date(2026, 12, 18)},
    )
    knew_two = {(case.pk, late.pk): "involved" for case in built.cases[:2]}
    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.involvement_set(audit=built.audit, statuses=knew_two, by=built.coordinator)
    assert len(queued) == 1, "one e-mail task, for the one agency with new returns"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, auditor.email])
    assert already.email not in {m.to[0] for m in mailoutbox}
    assert mailoutbox[0].subject == f"Returns are open for {built.audit.title}: 2 for FLA"
    assert "2 returns to complete, due by 18 December 2026" in mailoutbox[0].body

    mailoutbox.clear()
    knew_third = {(built.cases[2].pk, late.pk): "involved"}
    with django_capture_on_commit_callbacks(execute=True):
        services.involvement_set(audit=built.audit, statuses=knew_third, by=built.coordinator)
        services.involvement_set(audit=built.audit, statuses=knew_third, by=built.coordinator)
    assert [m.subject for m in mailoutbox] == [
        f"Returns are open for {built.audit.title}: 1 more for FLA"
    ] * 2, "the second save opened nothing, so sent nothing"
    assert "1 more to complete: 3 in all" in mailoutbox[0].body


def test_returns_opened_before_returns_are_open_wait_for_the_stage_e_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    built = build_audit(cases=2, agencies=1, findings=0, status="sampling")
    late = AgencyFactory.create()
    person_with_role(Role.AGENCY_LEAD, agency=late)
    services.audit_agencies_set(
        audit=built.audit, chosen={built.agencies[0].pk: None, late.pk: None}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.involvement_set(
            audit=built.audit,
            statuses={(built.cases[0].pk, late.pk): "involved"},
            by=built.coordinator,
        )
    assert mailoutbox == []


def test_moving_back_and_on_to_returns_open_announces_only_the_returns_added_meanwhile(
    mailoutbox, django_capture_on_commit_callbacks, ready_version
):
    built = build_audit(cases=2, agencies=2, findings=0, status="sampling")
    Audit.objects.filter(pk=built.audit.pk).update(tool_version=ready_version)
    first, second = built.agencies
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=first)
    person_with_role(Role.AGENCY_LEAD, agency=second)

    def move(direction: str, expected: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            services.audit_status_advance(
                audit=Audit.objects.get(pk=built.audit.pk), direction=direction, expected=expected
            )

    move(services.FORWARD, "sampling")
    assert len(mailoutbox) == 2
    mailoutbox.clear()

    move(services.BACK, "returns_open")
    move(services.FORWARD, "sampling")
    assert mailoutbox == [], "nothing new was opened, so nothing is announced again"

    move(services.BACK, "returns_open")
    # A child added to the sample meanwhile: the first agency has one more return.
    AgencyReturn.objects.create(case=CaseFactory.create(audit=built.audit), agency=first)
    move(services.FORWARD, "sampling")
    assert [m.to[0] for m in mailoutbox] == [auditor.email]
    assert mailoutbox[0].subject == (
        f"Returns are open for {built.audit.title}: 1 more for {first.short_name}"
    )
