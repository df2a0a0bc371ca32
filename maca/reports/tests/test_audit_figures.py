"""An audit's cohort and grades as figures: stated by the coordinator for an audit known only
by them, or taken from the case rows where it has them; printed with the rounding stated, in
the words of the unit, in every format and the 7-minute briefing, and kept by a published
version. Every audit and figure here is fictional."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import AuditFigures, CohortUnit, GradeLevel, PanelGrade
from maca.core.errors import Refused
from maca.core.models import ChangeRecord
from maca.core.partial_dates import PartialDate
from maca.planning.services import BreakdownInput, FiguresInput, GradeInput, audit_figures_set
from maca.reports import brief_templates as templates
from maca.reports.brief import build_brief, percent, system_access
from maca.reports.briefing import build_briefing
from maca.reports.renderers import render
from maca.reports.snapshots import brief_from_data, brief_snapshot_create
from maca.reports.tests.conftest import normalise
from maca.reports.tests.test_brief_templates import READERS, boxes_text, shipped_version
from tests.factories import AuditFactory, person_with_role

pytestmark = pytest.mark.django_db

FICTIONAL_FIGURES = FiguresInput(
    cohort_count=14,
    cohort_unit=CohortUnit.YOUNG_PEOPLE,
    age_range="14 to 17",
    breakdowns=(
        BreakdownInput(group="Gender", label="boys", count=9),
        BreakdownInput(group="Gender", label="girls", count=5),
    ),
    grades_of="the quality of practice",
    grades_base=45,
    grades=(
        GradeInput(label="outstanding", count=11, merged_into="good or outstanding"),
        GradeInput(label="good", count=20, merged_into="good or outstanding"),
        GradeInput(label="requires improvement", count=10),
        GradeInput(label="inadequate", count=4),
    ),
)

PRINTED = [
    "The audit looked at fourteen young people aged 14 to 17.",
    "Gender: 9 boys and 5 girls.",
    "Of the 45 young people graded for the quality of practice:",
    "Outstanding: 11 of 45 (24%)",
    "Good: 20 of 45 (44%)",
    "Requires improvement: 10 of 45 (22%)",
    "Inadequate: 4 of 45 (9%)",
    "Good or outstanding (together): 31 of 45 (69%)",
    "Percentages are of the 45 graded, rounded to the nearest whole number.",
]


@pytest.fixture
def figures_audit():
    """A past audit moved in from its published report: figures, no case rows."""
    audit = AuditFactory.create(
        slug="fictional-figures-audit",
        title="Fictional audit known by its figures",
        status="published",
        published_on=dt.date(2017, 5, 1),
        audit_date=PartialDate(2017, 3),
        aim="",
        cohort_definition="",
    )
    audit_figures_set(audit=audit, data=FICTIONAL_FIGURES)
    return audit


@pytest.mark.parametrize("slug", ["board-report", "7-minute-briefing"])
def test_figures_print_in_every_format_with_the_rounding_stated(figures_audit, slug):
    templates.audit_brief_template_choose(audit=figures_audit, version=shipped_version(slug))
    brief = build_brief(system_access(figures_audit))
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        missing = [phrase for phrase in PRINTED if normalise(phrase) not in text]
        assert not missing, (slug, extension, missing)
        # The audit counted young people, so its figures say nothing of children.
        assert "children graded" not in text and "fourteen children" not in text
    said = boxes_text(build_briefing(brief))
    assert "The audit looked at fourteen young people aged 14 to 17." in said
    assert "Good or outstanding (together): 31 of 45 (69%)" in said


def test_the_learning_brief_has_the_cohort_but_no_grades_section(figures_audit):
    brief = build_brief(system_access(figures_audit))
    text = READERS["md"](render(brief, "md").content)
    assert "The children in this audit The audit looked at fourteen young people" in text
    assert "graded" not in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            FiguresInput(
                cohort_count=60,
                cohort_unit=CohortUnit.REFERRALS,
                cohort_description="to the front door",
            ),
            "The audit looked at 60 referrals to the front door.",
        ),
        (
            FiguresInput(cohort_count=1, cohort_unit=CohortUnit.FAMILIES),
            "The audit looked at one family.",
        ),
        (
            FiguresInput(cohort_unit=CohortUnit.CHILDREN, age_range="under 2"),
            "The audit looked at children aged under 2.",
        ),
        (
            FiguresInput(
                cohort_count=45,
                cohort_unit=CohortUnit.ASSESSMENTS,
                cohort_description="of early help",
                grades_base=45,
                grades=(GradeInput(label="met the standard", count=43),),
            ),
            "The audit looked at 45 assessments of early help.",
        ),
    ],
)
def test_the_wording_follows_the_unit(data, expected):
    audit = AuditFactory.create(status="published", audit_date=PartialDate(2016), aim="")
    audit_figures_set(audit=audit, data=data)
    assert build_brief(system_access(audit)).cohort_figures[0] == expected


def test_a_future_audit_will_look_at_its_cohort():
    audit = AuditFactory.create(status="draft", audit_date=PartialDate(dt.date.today().year + 1))
    audit_figures_set(
        audit=audit, data=FiguresInput(cohort_count=30, cohort_unit=CohortUnit.RECORDS)
    )
    assert build_brief(system_access(audit)).cohort_figures == (
        "The audit will look at 30 records.",
    )


def test_percentages_round_half_up_as_by_hand():
    assert [percent(1, 8), percent(3, 8), percent(2, 3), percent(43, 45)] == [
        "13%",
        "38%",
        "67%",
        "96%",
    ]


def test_case_rows_give_the_count_and_the_panels_grades(brief_audit):
    audit = brief_audit.audit
    with pytest.raises(Refused) as refused:
        audit_figures_set(audit=audit, data=FiguresInput(cohort_count=12))
    assert "holds the records of 3 children" in refused.value.messages[0]
    assert not AuditFigures.objects.filter(audit=audit).exists()
    audit_figures_set(
        audit=audit,
        data=FiguresInput(
            breakdowns=(BreakdownInput(group="", label="seeking asylum", count=1),),
            grades_base=40,
            grades=(GradeInput(label="good", count=30),),
        ),
    )
    levels = {level.code: level for level in GradeLevel.objects.filter(scale__slug="ofsted-4")}
    codes = sorted(levels)
    for case, code in zip(brief_audit.cases, [codes[0], codes[0], codes[1]], strict=True):
        PanelGrade.objects.create(case=case, grade=levels[code], reason="Fictional reason")
    templates.audit_brief_template_choose(audit=audit, version=shipped_version("board-report"))
    brief = build_brief(system_access(audit))
    # The count and ages are the case rows' own sentence; the stated count plays no part.
    assert brief.children[0].startswith("The three children chosen for this audit")
    assert brief.cohort_figures == ("Of these: 1 seeking asylum.",)
    assert brief.grades is not None
    assert brief.grades.lead == (
        "Of the three children graded for the overall grade the panel agreed for each child:"
    )
    first, second = levels[codes[0]].label, levels[codes[1]].label
    assert set(brief.grades.counts) == {f"{first}: 2 of 3 (67%)", f"{second}: 1 of 3 (33%)"}


def test_an_audit_with_no_figures_prints_no_cohort_or_grades():
    audit = AuditFactory.create(status="published", audit_date=PartialDate(2019), aim="")
    templates.audit_brief_template_choose(audit=audit, version=shipped_version("board-report"))
    brief = build_brief(system_access(audit))
    assert brief.cohort_figures == () and brief.grades is None
    kinds = {section.kind for section, _ in brief.shown_sections}
    assert "cohort" not in kinds and "grades" not in kinds


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            FiguresInput(grades=(GradeInput(label="good", count=3),)),
            "grades_base",
            "Enter how many were graded: the base of every percentage",
        ),
        (
            FiguresInput(grades_base=4, grades=(GradeInput(label="good", count=5),)),
            "grades",
            "The grades add up to 5, more than the 4 graded",
        ),
        (
            FiguresInput(
                cohort_count=4,
                cohort_unit=CohortUnit.FAMILIES,
                breakdowns=(BreakdownInput(group="Area", label="north", count=5),),
            ),
            "breakdowns",
            "The counts under Area add up to 5, more than the 4 families in the cohort",
        ),
    ],
)
def test_figures_that_do_not_add_up_are_refused_and_nothing_is_saved(data, field, message):
    audit = AuditFactory.create()
    with pytest.raises(Refused) as refused:
        audit_figures_set(audit=audit, data=data)
    assert refused.value.error_dict[field][0].messages == [message]
    assert not AuditFigures.objects.filter(audit=audit).exists()


def test_a_published_version_keeps_the_figures_it_was_published_with(figures_audit):
    templates.audit_brief_template_choose(
        audit=figures_audit, version=shipped_version("board-report")
    )
    snapshot = brief_snapshot_create(audit=figures_audit)
    audit_figures_set(
        audit=figures_audit,
        data=FiguresInput(cohort_count=15, cohort_unit=CohortUnit.CHILDREN),
    )
    frozen = brief_from_data(snapshot.brief)
    assert frozen.cohort_figures[0] == PRINTED[0]
    assert frozen.grades is not None and PRINTED[7] in frozen.grades.counts
    assert build_brief(system_access(figures_audit)).cohort_figures == (
        "The audit looked at fifteen children.",
    )
    assert PRINTED[7] in snapshot.markdown
    # Versions published before the figures existed load without them.
    old = dict(snapshot.brief)
    del old["cohort_figures"], old["grades"]
    assert brief_from_data(old).grades is None


def test_the_coordinator_enters_figures_on_a_page_and_history_keeps_them(client):
    audit = AuditFactory.create(status="published", audit_date=PartialDate(2018, 11))
    coordinator = person_with_role(Role.COORDINATOR)
    audit.coordinators.add(coordinator)
    client.force_login(coordinator)
    url = reverse("planning:figures", args=[audit.slug])
    assert client.get(url).status_code == 200
    form = {
        "cohort_count": "14",
        "cohort_unit": "young_people",
        "cohort_description": "",
        "age_range": "14 to 17",
        "breakdowns": "Gender:\n9 boys\n5 girls",
        "grades_of": "",
        "grades_base": "45",
        "grades": "11 outstanding\n20 good\n14 not yet good",
        "merged_grades": "good or outstanding: Outstanding, good",
    }
    assert client.post(url, form).status_code == 302
    figures = AuditFigures.objects.get(audit=audit)
    assert [(row.group, row.label, row.count) for row in figures.breakdowns.all()] == [
        ("Gender", "boys", 9),
        ("Gender", "girls", 5),
    ]
    assert [row.merged_into for row in figures.grades.all()] == [
        "good or outstanding",
        "good or outstanding",
        "",
    ]
    recorded = ChangeRecord.objects.filter(audit_id=audit.pk, actor=coordinator)
    assert {record.content_type.model for record in recorded} == {
        "auditfigures",
        "cohortbreakdown",
        "gradecount",
    }
    page = client.get(url).text
    assert "good or outstanding: outstanding, good" in page

    broken = {**form, "breakdowns": "Gender:\nnine boys", "merged_grades": "together: good, fair"}
    refused = client.post(url, broken)
    assert refused.status_code == 200
    assert "Error:" in refused.text
    assert "Line 2 must be a number then what it counts, like &#x27;9 boys&#x27;" in refused.text
    assert "Line 1 joins &#x27;fair&#x27;, which is not one of the grades above" in refused.text
    assert AuditFigures.objects.get(audit=audit).breakdowns.count() == 2

    other = person_with_role(Role.COORDINATOR)
    client.force_login(other)
    assert client.get(url).status_code == 404
