"""The audit's dates in the brief as the partnership wrote them: financial and academic years
and ranges, in every format. Every audit here is fictional."""

from __future__ import annotations

import datetime as dt

import pytest

from maca.core.partial_dates import PartialDate
from maca.reports.brief import audit_is_past, build_brief, system_access
from maca.reports.renderers import render
from maca.reports.tests.test_brief_templates import READERS
from tests.factories import AuditFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "shown", "sentence"),
    [
        ("2016-FY", None, "2016/17", "The audit took place in 2016/17."),
        (
            "2019-AY",
            None,
            "academic year 2019/20",
            "The audit took place in academic year 2019/20.",
        ),
        (
            "2024-01-15",
            "2024-01-19",
            "15–19 January 2024",
            "The audit took place between 15 and 19 January 2024.",
        ),
    ],
)
def test_the_brief_prints_the_audit_date_as_written(start, end, shown, sentence):
    audit = AuditFactory.create(
        status="published",
        audit_date=PartialDate.parse(start),
        audit_date_until=PartialDate.parse(end) if end else None,
        aim="",
        cohort_definition="",
    )
    brief = build_brief(system_access(audit))
    assert brief.date_text == shown
    assert brief.intro == (sentence,)
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        assert f"– {shown}".replace("–", "-") in text, extension
        assert sentence in text, extension


def test_an_audit_is_past_only_once_its_range_has_ended():
    audit = AuditFactory.build(
        status="draft",
        audit_date=PartialDate(2024, 1, 15),
        audit_date_until=PartialDate(2024, 1, 19),
    )
    assert not audit_is_past(audit, today=dt.date(2024, 1, 19))
    assert audit_is_past(audit, today=dt.date(2024, 1, 20))


def test_a_follow_up_names_the_earlier_audit_by_its_financial_year():
    earlier = AuditFactory.create(
        title="Fictional earlier audit", audit_date=PartialDate.parse("2016/17")
    )
    audit = AuditFactory.create(status="published", follow_up_of=earlier, aim="")
    brief = build_brief(system_access(audit))
    assert (
        "This audit followed up the earlier audit “Fictional earlier audit” (2016/17)."
        in brief.intro
    )
