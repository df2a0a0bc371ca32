"""Assembling the brief: the sentences it writes from the audit's data, and what it leaves out."""

from __future__ import annotations

import dataclasses

import pytest

from maca.core.partial_dates import PartialDate
from maca.learning.models import Action, Finding
from maca.reports.brief import (
    _who,
    build_brief,
    join_words,
    number_words,
    paragraphs,
    sentence,
    system_access,
)

pytestmark = pytest.mark.django_db


def test_intro_says_when_how_many_which_children_and_why(brief_audit):
    brief = build_brief(system_access(brief_audit.audit))
    assert brief.intro[0] == (
        "The audit of 8 March 2022 reviewed the records of three children who are looked after "
        "by the local authority and placed out of area. The aim of the audit was to ascertain "
        "whether there were good multi-agency standards for managing cases. This audit was to "
        "check learning has been embedded from the SCR Georgia."
    )
    assert brief.intro[1] == "Whether host authorities were notified of each placement."


def test_rationale_that_repeats_the_generated_sentence_is_said_once(brief_audit):
    audit = brief_audit.audit
    audit.rationale = (
        "This audit was to check learning has been embedded from the SCR Georgia. Children "
        "placed out of area live away from the services that know them."
    )
    audit.save()
    intro = build_brief(system_access(audit)).intro
    text = " ".join(intro)
    assert text.count("check learning has been embedded") == 1
    assert intro[-1] == "Children placed out of area live away from the services that know them."


def test_ages_come_from_the_youngest_and_oldest_child(brief_audit):
    brief = build_brief(system_access(brief_audit.audit))
    assert brief.children == (
        "The three children chosen for this audit were aged between 6 weeks and 16 years old "
        "at the time of the audit.",
    )
    assert brief.needs == ("Exposure to domestic abuse", "Seeking asylum (UASC)", "Neglect")


def test_audit_date_known_only_to_the_month_reads_as_the_month(brief_audit):
    audit = brief_audit.audit
    audit.audit_date = PartialDate(2022, 3)
    audit.save()
    brief = build_brief(system_access(audit))
    assert brief.intro[0].startswith("The audit of March 2022 reviewed")
    assert brief.date_text == "March 2022"


def test_only_findings_and_actions_marked_for_the_brief_appear(brief_audit):
    brief = build_brief(system_access(brief_audit.audit))
    assert [item.text for item in brief.worries] == [
        "Frequent placement moves",
        "Exploitation tool not updated",
    ]
    assert "An internal action not for the brief" not in [a.description for a in brief.actions]


def test_good_practice_credits_its_attribution(brief_audit):
    item = build_brief(system_access(brief_audit.audit)).good_practice[0]
    assert item.credit == "Good practice from school, foster carer."
    assert item.lead.endswith("support is in place.")


def test_theme_has_what_we_found_what_needs_to_happen_and_who(brief_audit):
    theme = build_brief(system_access(brief_audit.audit)).themes[0]
    assert theme.title == "Domestic abuse while children are in care"
    assert len(theme.found) == 2
    assert theme.needs_to_happen[0].startswith("Police agreed")
    assert theme.taken_forward_text in {"Police and Social Care", "Social Care and Police"}


def test_escalations_show_only_the_public_account(brief_audit):
    brief = build_brief(system_access(brief_audit.audit))
    (escalation,) = brief.escalations
    assert escalation.summary.startswith("An asylum-seeking child was treated as an adult")
    assert escalation.urgency == "Immediate safeguarding"
    assert escalation.status == "Resolved"
    everything = repr(brief)
    assert "SECRET-CONCERN" not in everything
    assert "SECRET-OUTCOME" not in everything


def test_actions_show_owners_lead_due_and_status_with_done_marked(brief_audit):
    done, agreed = build_brief(system_access(brief_audit.audit)).actions
    assert done.is_done
    assert dict(done.details) == {
        "Owner": "Police",
        "Lead": "Detective Inspector Example",
        "Due": "June 2022",
        "Status": "Done in May 2022",
        "How we will know it has worked": (
            "Incidents involving parents reach social care within 24 hours"
        ),
    }
    assert not agreed.is_done
    assert dict(agreed.details)["Due"] == "No date set"
    assert dict(agreed.details)["Owners"] == "GPs and Social Care"


def test_agencies_reaudit_reviews_and_resources(brief_audit):
    brief = build_brief(system_access(brief_audit.audit))
    assert brief.agencies_text == (
        "Organisations that audited their involvement with the three children were: GPs, "
        "Social Care and Police."
    )
    assert brief.reaudit_text == (
        "We will check this learning has been embedded by auditing again in March 2023."
    )
    (review,) = brief.reviews
    assert review.relationship == "Checks learning is embedded"
    assert review.learning_points == ("Host authorities must be told when a child moves in.",)
    assert [resource.title for resource in brief.resources] == [
        "Exploitation bitesize learning sessions",
        "Off the Record service information",
    ]


def test_brief_holds_no_pseudonym_or_identifier(brief_audit):
    brief = build_brief(system_access(brief_audit.audit))
    # Walk every string in the dataclass tree, not just its repr.
    strings = list(_strings(brief))
    for case, identity in zip(brief_audit.cases, brief_audit.identities, strict=True):
        for secret in (case.pseudonym, identity.full_name, identity.date_of_birth):
            assert not any(secret in text for text in strings), secret


def test_a_finding_without_a_title_still_gets_a_heading(brief_audit):
    Finding.objects.filter(audit=brief_audit.audit, heading="learning").update(title="")
    assert build_brief(system_access(brief_audit.audit)).themes[0].title == "Theme for learning 1"


@pytest.mark.parametrize(
    ("definition", "clause"),
    [
        ("looked after and placed out of area", "who are looked after and placed out of area"),
        (
            "Children looked after by the local authority and placed out of area",
            "who are looked after by the local authority and placed out of area",
        ),
        ("who were missing from education.", "who were missing from education"),
        ("are subject to a child protection plan", "who are subject to a child protection plan"),
        ("Children's homes residents", "who are children's homes residents"),
        ("", ""),
    ],
)
def test_cohort_definition_becomes_a_clause(definition, clause):
    assert _who(definition) == clause


def test_text_helpers():
    assert number_words(9) == "nine"
    assert number_words(60) == "60"
    assert join_words(["GPs", "Social Care", "EDT", "Preventative Services"]) == (
        "GPs, Social Care, EDT and Preventative Services"
    )
    assert sentence("in place") == "in place."
    assert sentence("identified as 'she/her.'") == "identified as 'she/her.'"
    assert paragraphs("one\nline\n\n two ") == ("one line", "two")


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            yield from _strings(getattr(value, item.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def test_verified_action_says_when_it_was_done_and_that_impact_was_checked(brief_audit):
    Action.objects.filter(audit=brief_audit.audit, order=1).update(status="verified")
    done = build_brief(system_access(brief_audit.audit)).actions[0]
    assert done.status_text == "Verified: done in May 2022"
    assert "Status: Verified: done in May 2022." in done.details_text


def test_credit_is_not_repeated_when_the_text_already_gives_it(brief_audit):
    Finding.objects.create(
        audit=brief_audit.audit,
        heading="good_practice",
        order=9,
        text="Good practice from Elective Home Education Team: records shared at once.",
        attribution="Elective Home Education Team",
    )
    item = build_brief(system_access(brief_audit.audit)).good_practice[-1]
    assert item.credit == ""
    assert item.lead == "Good practice from Elective Home Education Team: records shared at once."


def test_one_child_is_written_in_the_singular(brief_audit):
    for case in brief_audit.cases[1:]:
        case.delete()
    brief = build_brief(system_access(brief_audit.audit))
    assert brief.intro[0].startswith(
        "The audit of 8 March 2022 reviewed the records of one child who is looked after by"
    )
    assert brief.children == (
        "The child chosen for this audit was aged 6 weeks at the time of the audit.",
    )
    assert "involvement with the child were: GPs" in brief.agencies_text
