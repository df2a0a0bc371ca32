"""A published version's downloads are made once and then served as kept; a new version gets
its own; a file that cannot be kept is still served. Every name and fact here is invented."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from maca.accounts.models import Role
from maca.learning.models import Finding, Heading
from maca.reports import views
from maca.reports.brief import system_access
from maca.reports.snapshots import brief_publish_next
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The formats rendered afresh, in order."""
    calls: list[str] = []
    real = views.render

    def counting(brief: Any, extension: str) -> Any:
        calls.append(extension)
        return real(brief, extension)

    monkeypatch.setattr(views, "render", counting)
    return calls


def test_a_published_brief_is_rendered_once_then_served_as_kept(client, made):
    built = build_audit(cases=2, agencies=2, findings=3)
    client.force_login(person_with_role(Role.READER))
    url = reverse("reports:brief-md", args=[built.audit.slug])
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["Content-Disposition"] == second["Content-Disposition"]
    assert made == ["md"]

    worry = Finding.objects.filter(audit=built.audit, heading=Heading.WORRY).first()
    assert worry is not None
    worry.text = "A second version says something new."
    worry.save()
    brief_publish_next(access=system_access(built.audit), by=built.coordinator)
    third = client.get(url)
    assert b"A second version says something new." in third.content
    assert made == ["md", "md"]


def test_a_render_that_cannot_be_kept_is_still_served(client, made, monkeypatch):
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storages["renders"], "save", full)
    built = build_audit(cases=2, agencies=2, findings=3)
    client.force_login(person_with_role(Role.READER))
    url = reverse("reports:brief-md", args=[built.audit.slug])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert made == ["md", "md"]
