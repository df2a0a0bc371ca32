"""Background work of audit set-up: the e-mails sent when an audit reaches a stage."""

from __future__ import annotations

from django.tasks import task

from maca.planning import notify


@task
def notify_returns_open(audit_id: int) -> int:
    return notify.send_returns_open(audit_id)


@task
def notify_returns_added(audit_id: int, agency_id: int, added: int) -> int:
    return notify.send_returns_added(audit_id, agency_id, added)


@task
def notify_brief_published(audit_id: int) -> int:
    return notify.send_brief_published(audit_id)
