"""Who owns an action (a lead and contributors, listed or as written), which partnerships ran
the audit, and reviews of any kind, as the brief prints them. Every name here is fictional."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from maca.learning.models import Action, AuditReview, Review
from maca.reports.brief import build_brief, system_access
from maca.reports.renderers import render
from maca.reports.snapshots import brief_from_data, brief_to_data
from maca.reports.tests.test_brief_templates import READERS

pytestmark = pytest.mark.django_db


def test_a_lead_and_contributors_are_printed_as_written(brief_audit):
    audit = brief_audit.audit
    police, social_care = brief_audit.agencies[2], brief_audit.agencies[1]
    action = Action.objects.get(audit=audit, order=2)
    action.lead_owner = social_care
    action.other_owners = "Fictional Children's Social Care Partners\n\nFictional Youth Service"
    action.save()
    first = Action.objects.get(audit=audit, order=1)
    first.lead_owner_name = "Fictional Children's Social Care"
    first.save()
    first.owners.clear()
    brief = build_brief(system_access(audit))
    by_description = {item.description: item for item in brief.actions}
    shared = by_description["Share safety plans with schools"]
    assert shared.details[:2] == (
        ("Lead organisation", "Social Care"),
        ("With", "GPs, Fictional Children's Social Care Partners and Fictional Youth Service"),
    )
    flagged = by_description["Add a flag to police records for children in care"]
    # Written as it was, never matched to the similar listed agency.
    assert flagged.details[0] == ("Lead organisation", "Fictional Children's Social Care")
    assert police.short_name not in flagged.owners
    assert brief_from_data(brief_to_data(brief)) == brief
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        assert "Lead organisation: Social Care. With: GPs, Fictional" in text, extension


def test_an_action_form_takes_a_lead_organisation_that_is_not_listed(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    url = reverse("learning:action-new", args=[brief_audit.audit.slug])
    response = client.post(
        url,
        {
            "description": "Fictional joint training",
            "lead_owner_name": "Fictional Children's Social Care",
            "other_owners": "Fictional Youth Service",
            "include_in_brief": "on",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(description="Fictional joint training")
    assert action.lead_owner_name == "Fictional Children's Social Care"
    assert action.other_owner_names == ("Fictional Youth Service",)
    both = client.post(
        url,
        {
            "description": "Fictional second action",
            "lead_owner": str(brief_audit.agencies[0].pk),
            "lead_owner_name": "Fictional Health",
        },
    )
    assert both.status_code == 200
    assert "Give the lead organisation once" in both.text
    chosen = client.post(
        url, {"description": "Fictional third action", "lead_owner": brief_audit.agencies[0].pk}
    )
    assert chosen.status_code == 302
    third = Action.objects.get(description="Fictional third action")
    # The lead is one of the owners, so its agency sees the action in the tracker.
    assert list(third.owners.all()) == [brief_audit.agencies[0]]


def test_the_brief_names_the_partnerships_that_ran_the_audit(brief_audit):
    audit = brief_audit.audit
    assert build_brief(system_access(audit)).partnership_name == settings.PARTNERSHIP_NAME
    audit.partnership_names = "Fictional North Partnership\nFictional South Partnership\n"
    audit.save()
    brief = build_brief(system_access(audit))
    names = "Fictional North Partnership and Fictional South Partnership"
    assert brief.partnership_name == names
    for extension, read in READERS.items():
        assert names in read(render(brief, extension).content), extension


def test_a_group_of_reviews_and_a_national_review_can_be_linked(brief_audit):
    audit = brief_audit.audit
    group = Review.objects.create(
        title="Relevant reviews from across the country",
        short_name="relevant reviews from across the country",
        kind=Review.Kind.GROUP,
    )
    national = Review.objects.create(
        title="Fictional national panel review of safeguarding in care",
        short_name="national panel review",
        kind=Review.Kind.NATIONAL_PANEL,
    )
    AuditReview.objects.create(
        audit=audit, review=group, relationship=AuditReview.Relationship.PROMPTED_BY, order=2
    )
    AuditReview.objects.create(
        audit=audit, review=national, relationship=AuditReview.Relationship.RELATED, order=3
    )
    brief = build_brief(system_access(audit))
    assert (
        "The audit was prompted by the relevant reviews from across the country." in brief.intro[0]
    )
    assert [review.title for review in brief.reviews][1:] == [group.title, national.title]
