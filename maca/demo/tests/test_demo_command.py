from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from maca.audits.models import Audit
from maca.demo import data


@pytest.mark.django_db
def test_demo_no_serve_migrates_loads_and_prints_the_logins() -> None:
    out = StringIO()
    call_command("demo", "--no-serve", verbosity=0, stdout=out)

    text = out.getvalue()
    assert "Loaded the fictional demo audit 'cla-out-of-area-2022'" in text
    for label, email in data.LOGINS:
        assert label in text and email in text
    assert data.DEMO_PASSWORD in text
    assert Audit.objects.filter(slug=data.AUDIT_SLUG).exists()


@pytest.mark.django_db
def test_demo_run_twice_says_nothing_changed() -> None:
    call_command("demo", "--no-serve", verbosity=0, stdout=StringIO())
    out = StringIO()
    call_command("demo", "--no-serve", verbosity=0, stdout=out)
    assert "Demo data already loaded; nothing changed" in out.getvalue()
