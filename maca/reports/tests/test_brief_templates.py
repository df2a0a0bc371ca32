"""Brief templates: the brief says only what the audit holds, in the tense of the audit, in the
shape of the template its coordinator chose, in every format and in the 7-minute briefing.
Every audit here is fictional."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from maca.core.errors import Refused
from maca.core.partial_dates import PartialDate
from maca.learning.models import Action, Resource
from maca.reports import brief_templates as templates
from maca.reports.brief import audit_is_past, build_brief, join_words, system_access
from maca.reports.brief_sections import LEARNING_BRIEF, SHIPPED_TEMPLATES, SectionKind
from maca.reports.briefing import SevenMinuteBriefing, build_briefing
from maca.reports.models import BriefTemplateVersion
from maca.reports.renderers import render
from maca.reports.snapshots import brief_from_data, brief_snapshot_create, brief_to_data
from maca.reports.tests.conftest import docx_text, html_text, markdown_text, normalise, pdf_text
from tests.factories import AuditFactory, person_with_role

pytestmark = pytest.mark.django_db

READERS = {
    "html": lambda data: html_text(data.decode()),
    "pdf": pdf_text,
    "docx": docx_text,
    # Heading markers dropped too, so the text can be compared word for word.
    "md": lambda data: markdown_text(re.sub(r"(?m)^#+ ", "", data.decode())),
}

# Sentences the brief used to print for sections the audit held nothing for.
ASSERTIONS_WITHOUT_DATA = [
    "No escalations",
    "No organisations",
    "No actions",
    "No worries",
    "No good practice",
    "No themes",
    "No further resources",
    "not linked to any earlier",
    "No children",
    "not been set yet",
    "Not assigned",
    "will review",
    "reviewed the records",
    "Organisations that",
    "Audits check that children",
]


def shipped_version(slug: str) -> BriefTemplateVersion:
    templates.shipped_templates_ensure()
    return BriefTemplateVersion.objects.get(template__slug=slug, number=1)


@pytest.fixture
def empty_audit():
    """Published long ago, with no case rows, findings, escalations, actions, agencies,
    reviews, resources, aim or cohort definition: it holds only its title and date."""
    return AuditFactory.create(
        slug="fictional-empty-audit",
        title="Fictional audit known only by its title",
        status="published",
        published_on=dt.date(2019, 6, 1),
        audit_date=PartialDate(2019, 3),
        aim="",
        cohort_definition="",
    )


@pytest.mark.parametrize("slug", sorted(SHIPPED_TEMPLATES))
def test_an_empty_audit_says_only_what_it_holds_in_every_format(empty_audit, slug):
    templates.audit_brief_template_choose(audit=empty_audit, version=shipped_version(slug))
    brief = build_brief(system_access(empty_audit))
    shown = {section.kind: section.heading for section, _ in brief.shown_sections}
    assert brief.intro == ("The audit took place in March 2019.",)
    # Everything each format says: the title, its subtitle, when it was published, and the
    # sections the audit holds something for (its date, and its theme where the template
    # prints the scope); no other words at all.
    said = [brief.title, brief.subtitle, "Published 1 June 2019"]
    said += [shown.pop(SectionKind.INTRO), brief.intro[0]]
    if SectionKind.SCOPE in shown:
        said += [shown.pop(SectionKind.SCOPE), f"Theme: {empty_audit.theme}"]
    assert not shown
    expected = normalise(" ".join(said))
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        for phrase in ASSERTIONS_WITHOUT_DATA:
            assert phrase.casefold() not in text.casefold(), (slug, extension, phrase)
        for section in brief.sections:
            if section.kind not in {SectionKind.INTRO, SectionKind.SCOPE}:
                assert normalise(section.heading) not in text, (slug, extension, section.heading)
        if extension in {"md", "docx"}:
            assert text == expected, (slug, extension)
    briefing = build_briefing(brief)
    briefing_text = boxes_text(briefing)
    assert [box.title for box in briefing.boxes] == [
        "Background",
        "Questions for reflection in your team",
    ]
    for phrase in ASSERTIONS_WITHOUT_DATA:
        assert phrase.casefold() not in briefing_text.casefold(), (slug, phrase)


def test_what_the_coordinator_writes_for_an_empty_section_is_printed(empty_audit):
    template = templates.brief_template_copy(version=shipped_version("learning-brief"))
    version = template.versions.get()
    escalations = version.sections.get(kind=SectionKind.ESCALATIONS)
    changes = [_unchanged(row) for row in version.sections.exclude(pk=escalations.pk)]
    changes.append(
        dataclasses.replace(_unchanged(escalations), if_empty="The audit kept no escalations.")
    )
    templates.brief_template_sections_update(version=version, changes=changes)
    templates.audit_brief_template_choose(audit=empty_audit, version=version)
    text = markdown_text(render(build_brief(system_access(empty_audit)), "md").content.decode())
    assert "Escalations made during the audit The audit kept no escalations." in text


def test_wording_follows_the_audit_tense():
    future = AuditFactory.create(
        status="draft",
        audit_date=PartialDate(dt.date.today().year + 1, 3, 8),
        cohort_definition="are looked after and placed out of area",
        aim="To check placements were notified.",
    )
    assert not audit_is_past(future)
    brief = build_brief(system_access(future))
    assert brief.intro[0].startswith(
        f"The audit of 8 March {dt.date.today().year + 1} will review the records of children "
        "who are looked after and placed out of area. The aim of the audit is to check"
    )
    past = AuditFactory.create(
        status="draft",
        audit_date=PartialDate(2019, 3),
        cohort_definition="are looked after and placed out of area",
    )
    assert audit_is_past(past)
    assert (
        build_brief(system_access(past))
        .intro[0]
        .startswith("The audit of March 2019 was about children who are looked after")
    )
    assert audit_is_past(AuditFactory.create(status="published", audit_date=None))


def test_the_shipped_learning_brief_chosen_is_the_brief_as_before(brief_audit):
    before = build_brief(system_access(brief_audit.audit))
    templates.audit_brief_template_choose(
        audit=brief_audit.audit, version=shipped_version("learning-brief")
    )
    after = build_brief(system_access(brief_audit.audit))
    assert after == before
    assert after.sections == LEARNING_BRIEF.sections


def test_a_partnership_template_renames_reorders_hides_and_adds(brief_audit):
    template = templates.brief_template_copy(
        version=shipped_version("learning-brief"), name="Fictional partnership brief"
    )
    version = template.versions.get()
    rows = {row.kind: row for row in version.sections.all()}
    changes = [_unchanged(row) for row in rows.values()]
    for index, change in enumerate(changes):
        if change.section_id == rows[SectionKind.WORRIES].pk:
            changes[index] = dataclasses.replace(change, heading="Areas for development", order=1)
        if change.section_id == rows[SectionKind.ESCALATIONS].pk:
            changes[index] = dataclasses.replace(change, is_shown=False)
    templates.brief_template_sections_update(version=version, changes=changes)
    added = templates.brief_template_section_add(
        version=version, kind=SectionKind.QUESTIONS, heading="Questions for reflection"
    )
    templates.brief_template_sections_update(
        version=version,
        changes=[dataclasses.replace(_unchanged(added), text="What would we find in our cases?")],
    )
    templates.audit_brief_template_choose(audit=brief_audit.audit, version=version)

    brief = build_brief(system_access(brief_audit.audit))
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        assert "Escalations made during the audit" not in text, extension
        assert "An asylum-seeking child was treated" not in text, extension
        assert "What would we find in our cases?" in text, extension
        assert text.index("Areas for development") < text.index("What the audit did and why")
    questions = build_briefing(brief).boxes[-2]
    assert questions.title == "Questions for reflection"
    assert questions.bullets == ("What would we find in our cases?",)


def test_publishing_freezes_the_version_and_a_new_version_is_open(brief_audit):
    template = templates.brief_template_copy(version=shipped_version("board-report"))
    version = template.versions.get()
    templates.audit_brief_template_choose(audit=brief_audit.audit, version=version)
    snapshot = brief_snapshot_create(audit=brief_audit.audit)
    version.refresh_from_db()
    assert templates.is_frozen(version)
    with pytest.raises(Refused):
        templates.brief_template_sections_update(
            version=version, changes=[_unchanged(version.sections.first())]
        )
    following = templates.brief_template_version_edit_copy(version=version)
    assert following.number == 2 and not templates.is_frozen(following)
    assert following.sections.count() == version.sections.count()
    # The published version keeps the board report's shape, its scope included.
    frozen = brief_from_data(snapshot.brief)
    assert frozen.document_name == "Report to the board"
    assert ("Theme", "Children looked after placed out of area") in frozen.scope
    with pytest.raises(Refused):
        templates.brief_template_version_edit_copy(version=shipped_version("learning-brief"))


def test_sections_and_scope_survive_the_snapshot_and_old_data_loads(brief_audit):
    templates.audit_brief_template_choose(
        audit=brief_audit.audit, version=shipped_version("board-report")
    )
    brief = build_brief(system_access(brief_audit.audit))
    assert brief_from_data(brief_to_data(brief)) == brief
    old = brief_to_data(brief)
    for key in ("sections", "document_name", "scope"):
        del old[key]
    loaded = brief_from_data(old)
    assert loaded.sections == LEARNING_BRIEF.sections
    assert loaded.document_name == "Learning brief"


def test_board_report_prints_the_scope_and_the_follow_up(brief_audit):
    audit = brief_audit.audit
    audit.terms_of_reference = "Placements made out of area in the last year."
    audit.sample_method = "purposive"
    audit.follow_up_of = AuditFactory.create(
        title="Fictional earlier audit", audit_date=PartialDate(2020, 5)
    )
    audit.save()
    audit.lines_of_enquiry.create(order=1, text="Were host authorities told?")
    templates.audit_brief_template_choose(audit=audit, version=shipped_version("board-report"))
    text = markdown_text(render(build_brief(system_access(audit)), "md").content.decode())
    for phrase in (
        "Scope of the audit",
        "Terms of reference: Placements made out of area in the last year.",
        "Lines of enquiry: Were host authorities told?",
        "How the sample was chosen: Purposive",
        'This audit followed up the earlier audit "Fictional earlier audit" (May 2020).',
        "Key findings",
        "Areas for development",
        "Recommendations",
    ):
        assert phrase in text, phrase
    assert text.index("Key findings") < text.index("Areas for development")


def test_an_action_or_resource_without_detail_prints_none(brief_audit):
    Action.objects.filter(audit=brief_audit.audit).update(lead_name="")
    for action in Action.objects.filter(audit=brief_audit.audit):
        action.owners.clear()
    Resource.objects.filter(audit=brief_audit.audit).update(url="")
    brief = build_brief(system_access(brief_audit.audit))
    assert all("Owner" not in dict(action.details) for action in brief.actions)
    text = render(brief, "md").content.decode()
    assert "Off the Record service information" in text
    assert not re.search(r"\[Off the Record service information\]", text)


def test_pages_edit_copy_and_choose(client, brief_audit):
    coordinator = brief_audit.coordinator
    client.force_login(coordinator)
    assert client.get(reverse("brief_templates:list")).status_code == 200
    shipped = reverse("brief_templates:version", args=["learning-brief", 1])
    page = client.get(shipped)
    assert "cannot change" in page.text
    response = client.post(shipped, {"action": "copy"})
    copy_url = response["Location"]
    version = BriefTemplateVersion.objects.get(template__copied_from__slug="learning-brief")
    rows = list(version.sections.all())
    data = {"action": "save"}
    for row in rows:
        prefix = f"section-{row.pk}"
        data |= {
            f"{prefix}-order": str(row.order),
            f"{prefix}-heading": "Key findings" if row.kind == "themes" else row.heading,
            f"{prefix}-lead_in": "",
            f"{prefix}-text": "",
            f"{prefix}-if_empty": "",
        }
        if row.kind != "reaudit":
            data[f"{prefix}-is_shown"] = "on"
    assert client.post(copy_url, data).status_code == 302
    broken = {**data, f"section-{rows[0].pk}-heading": ""}
    refused = client.post(copy_url, broken)
    assert refused.status_code == 400
    assert "Enter heading" in refused.text
    choice_url = reverse("reports:brief-template-choice", args=[brief_audit.audit.slug])
    assert client.get(choice_url).status_code == 200
    assert client.post(choice_url, {"version": version.pk}).status_code == 302
    brief = client.get(reverse("reports:brief-md", args=[brief_audit.audit.slug])).content
    text = markdown_text(brief.decode())
    assert "Key findings" in text and "When we will check again" not in text
    other = person_with_role(Role.COORDINATOR)
    client.force_login(other)
    assert client.get(choice_url).status_code == 404


def _unchanged(row) -> templates.SectionChange:
    return templates.SectionChange(
        section_id=row.pk,
        order=row.order,
        heading=row.heading,
        lead_in=row.lead_in,
        text=row.text,
        if_empty=row.if_empty,
        is_shown=row.is_shown,
    )


def test_unrecorded_status_is_not_printed_and_strengths_stand_apart(brief_audit):
    from maca.learning.models import ActionStatus, Finding, Heading

    Action.objects.filter(audit=brief_audit.audit).update(status=ActionStatus.NOT_RECORDED)
    Finding.objects.filter(audit=brief_audit.audit, heading=Heading.LEARNING).update(
        strengths="Placements were notified on time."
    )
    brief = build_brief(system_access(brief_audit.audit))
    assert all(action.status == "" for action in brief.actions)
    assert all("Status" not in dict(action.details) for action in brief.actions)
    assert brief.themes[0].strengths == ("Placements were notified on time.",)
    assert brief_from_data(brief_to_data(brief)) == brief
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        assert "Agreed" not in text and "Not recorded" not in text, extension
        assert "What is working well Placements were notified on time." in text, extension


@pytest.mark.parametrize("slug", sorted(SHIPPED_TEMPLATES))
def test_every_shipped_template_renders_an_audit_with_case_rows(brief_audit, slug):
    templates.audit_brief_template_choose(audit=brief_audit.audit, version=shipped_version(slug))
    brief = build_brief(system_access(brief_audit.audit))
    kinds = {section.kind for section in brief.sections}
    expected = [normalise(section.heading) for section, _ in brief.shown_sections]
    if SectionKind.WORRIES in kinds:
        expected.append("Frequent placement moves")
    if SectionKind.THEMES in kinds:
        expected.append("Domestic abuse while children are in care")
    if SectionKind.ACTIONS in kinds:
        expected.append("Add a flag to police records for children in care")
    if SectionKind.COHORT in kinds:
        expected.append("aged between 6 weeks and 16 years old")
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        missing = [item for item in expected if item not in text]
        assert not missing, (slug, extension, missing)
        assert "Tallulah Quennell" not in text and "Child A" not in text, (slug, extension)
    assert build_briefing(brief).boxes[0].title == "Background"


def test_a_frozen_version_page_refuses_changes_and_offers_a_new_version(client, brief_audit):
    own = templates.brief_template_copy(version=shipped_version("learning-brief"))
    version = own.versions.get()
    templates.audit_brief_template_choose(audit=brief_audit.audit, version=version)
    brief_snapshot_create(audit=brief_audit.audit)
    client.force_login(brief_audit.coordinator)
    url = reverse("brief_templates:version", args=[own.slug, 1])
    assert "Make a new version to change it" in client.get(url).text
    row = version.sections.first()
    refused = client.post(url, {"action": "add", "kind": "text", "new_heading": "More"})
    assert refused.status_code == 303
    assert version.sections.count() == 11 and row is not None
    made = client.post(url, {"action": "new-version"})
    assert made["Location"] == reverse("brief_templates:version", args=[own.slug, 2])


def boxes_text(briefing: SevenMinuteBriefing) -> str:
    """Everything the briefing's boxes say."""
    parts = []
    for box in briefing.boxes:
        parts += [box.title, *box.paragraphs, *box.bullets, *(title for title, _ in box.links)]
    return join_words(parts)
