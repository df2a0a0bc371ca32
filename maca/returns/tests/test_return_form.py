"""Filling in a return: drafts, what submitting checks, the lead's sign-off, the coordinator's
review, and two people saving the same version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.audits.models import AgencyReturn, Answer, ReturnStatus, ToolVersion
from maca.history.selectors import records_of
from maca.returns import services
from maca.returns.structure import AnswerInput
from maca.returns.tests.conftest import World, all_url, complete_post, part_url, return_url

pytestmark = pytest.mark.django_db


def label(answer: Answer) -> str:
    return answer.grade.label if answer.grade else ""


def the_return(world: World) -> AgencyReturn:
    return AgencyReturn.objects.get(case=world.case, agency=world.agency_a)


def test_auditor_sees_only_the_questions_that_apply_to_their_agency(client, world: World):
    client.force_login(world.auditor_a)
    page = client.get(all_url(world)).text
    assert "Q2.1 Was a transfer document sent?" in page
    assert "Were police incidents shared?" not in page  # police-only question
    client.force_login(world.auditor_b)
    assert "Were police incidents shared?" in client.get(all_url(world, world.agency_b)).text


def test_save_as_draft_keeps_every_answer_and_needs_nothing(client, world: World):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    post = complete_post(context)
    response = client.post(return_url(world), post)
    assert response.status_code == 302
    saved = the_return(world)
    assert saved.status == ReturnStatus.DRAFT
    assert saved.revision == 1
    assert saved.auditor == world.auditor_a
    assert saved.overall_grade is not None and saved.overall_grade.code == "good"
    answers = {a.question.code: a for a in Answer.objects.filter(agency_return=saved)}
    assert str(answers["Q1.2"].date_value) == "2026-02-03"
    assert answers["Q1.3"].choices == ["Assessment", "Health care"]
    assert label(answers["Q2.1"]) == "Yes"
    assert answers["Q2.2"].choices == ["Social worker"]
    assert answers["Q2.3"].number_value == 4
    assert label(answers["Q2.4"]) == "7" and answers["Q2.4"].reason == "Reason for Q2.4."
    # An almost empty draft saves too.
    client.post(return_url(world), {"revision": "1", "action": "save", "auditor_role": "X"})
    assert the_return(world).revision == 2
    assert the_return(world).status == ReturnStatus.DRAFT


def test_first_answer_freezes_the_tool_version(client, world: World):
    assert world.version.frozen_at is None
    client.force_login(world.auditor_a)
    client.post(return_url(world), {"revision": "0", "action": "save", "auditor_role": "X"})
    world.version.refresh_from_db()
    assert world.version.frozen_at is None  # no answer yet, only the header
    post = {"revision": "1", "action": "save", f"q{_question(world, 'Q2.1').pk}": "no"}
    client.post(return_url(world), post)
    frozen = ToolVersion.objects.get(pk=world.version.pk).frozen_at
    assert frozen is not None
    client.post(
        return_url(world), {**post, "revision": "2", f"q{_question(world, 'Q2.1').pk}": "yes"}
    )
    assert ToolVersion.objects.get(pk=world.version.pk).frozen_at == frozen


def _question(world: World, code: str):
    return world.version.sections.get(questions__code=code).questions.get(code=code)


def test_submit_names_each_question_and_what_it_lacks(client, world: World):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    q21 = _question(world, "Q2.1")
    q24 = _question(world, "Q2.4")
    post = complete_post(context, action="submit")
    del post[f"q{q21.pk}"]
    del post[f"q{q24.pk}_reason"]
    response = client.post(return_url(world), post)
    assert response.status_code == 200
    page = response.text
    assert "Q2.1 Was a transfer document sent?: choose an answer" in page
    assert "Q2.4: give a reason for the grade" in page
    assert f'href="#q{q21.pk}"' in page and f'href="#q{q24.pk}_reason"' in page
    assert "saved as a draft" in page
    # Nothing typed is lost: the draft kept everything else.
    saved = the_return(world)
    assert saved.status == ReturnStatus.DRAFT
    assert saved.overall_reason == "Standards met."


def test_bad_input_is_refused_with_the_question_named_and_nothing_saved(client, world: World):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    q12 = _question(world, "Q1.2")
    q23 = _question(world, "Q2.3")
    post = complete_post(context, **{f"q{q12.pk}-day": "31", f"q{q12.pk}-month": "2"})
    post[f"q{q23.pk}"] = "lots"
    response = client.post(return_url(world), post)
    assert "Q1.2: enter a real date, for example 27 3 2026" in response.text
    assert "Q2.3: enter a number, like 3 or 2.5" in response.text
    assert f'href="#q{q12.pk}-day"' in response.text
    assert 'value="lots"' in response.text  # what was typed is shown again
    assert not AgencyReturn.objects.filter(case=world.case, agency=world.agency_a).exists()


def test_full_life_of_a_return(
    client, world: World, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    response = client.post(return_url(world), complete_post(context, action="submit"))
    assert response.status_code == 302
    saved = the_return(world)
    assert saved.status == ReturnStatus.SUBMITTED and saved.submitted_at is not None

    # Once submitted, the auditor can no longer change it.
    again = client.post(return_url(world), complete_post(context, revision=str(saved.revision)))
    assert "can no longer be changed" in again.text

    client.force_login(world.lead_a)
    client.post(
        reverse("returns:sign-off", args=[world.audit.slug, world.case.pk, world.agency_a.pk]),
        {"revision": str(saved.revision)},
    )
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.SIGNED_OFF and saved.signed_off_by == world.lead_a

    client.force_login(world.coordinator)
    send_back_url = reverse(
        "returns:send-back", args=[world.audit.slug, world.case.pk, world.agency_a.pk]
    )
    empty = client.post(send_back_url, {"revision": str(saved.revision), "comment": ""})
    assert "Enter what needs to change" in empty.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            send_back_url,
            {"revision": str(saved.revision), "comment": "Add the dates of the visits."},
        )
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.SENT_BACK
    assert saved.review_comment == "Add the dates of the visits."
    assert [m.to for m in mailoutbox] == [[world.auditor_a.email]]
    assert world.case.pseudonym in mailoutbox[0].body
    assert "Add the dates" not in mailoutbox[0].body  # the e-mail carries no detail

    client.force_login(world.auditor_a)
    page = client.get(return_url(world)).text
    assert "Add the dates of the visits." in page
    context = world.context(world.auditor_a)
    client.post(return_url(world), complete_post(context, action="submit"))
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.SUBMITTED

    client.force_login(world.coordinator)
    client.post(
        reverse("returns:accept", args=[world.audit.slug, world.case.pk, world.agency_a.pk]),
        {"revision": str(saved.revision)},
    )
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.ACCEPTED and saved.reviewed_by == world.coordinator
    actions = list(records_of(saved).values_list("action", flat=True))
    assert actions == [
        "saved",
        "submit",
        "sign_off",
        "send_back",
        "saved",
        "submit",
        "accept",
    ]


def test_auditor_cannot_sign_off_or_accept_their_own_return(client, world: World):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    client.post(return_url(world), complete_post(context, action="submit"))
    args = [world.audit.slug, world.case.pk, world.agency_a.pk]
    assert client.post(reverse("returns:sign-off", args=args)).status_code == 404
    assert client.post(reverse("returns:accept", args=args)).status_code == 404
    assert client.get(reverse("returns:send-back", args=args)).status_code == 404
    assert the_return(world).status == ReturnStatus.SUBMITTED


def test_second_save_from_the_same_version_is_refused_and_nothing_is_lost(client, world: World):
    first_context = world.context(world.auditor_a)
    post = complete_post(first_context)
    client.force_login(world.auditor_a)
    client.post(return_url(world), post)  # revision 1 now exists
    q21 = _question(world, "Q2.1")

    # The auditor and the lead both open revision 1.
    mine = {**post, "revision": "1", f"q{q21.pk}": "partial", f"q{q21.pk}_evidence": "Mine."}
    theirs = {**post, "revision": "1", f"q{q21.pk}": "no", f"q{q21.pk}_evidence": "Theirs."}
    client.force_login(world.lead_a)
    assert client.post(return_url(world), theirs).status_code == 302

    client.force_login(world.auditor_a)
    response = client.post(return_url(world), mine)
    assert response.status_code == 409
    page = response.text
    assert "Someone else (Fictional Lead A) saved this return at" in page
    assert "Your changes have not been saved; they are shown below so you can copy them" in page
    # The auditor's own values are in the form, the saved ones beside them.
    assert "Mine." in page and "Theirs." in page
    assert f'id="q{q21.pk}-3" name="q{q21.pk}" type="radio" value="partial" checked' in page
    assert "In the saved version:" in page
    saved = Answer.objects.get(agency_return__case=world.case, question=q21)
    assert saved.evidence == "Theirs." and label(saved) == "No"
    # The form now carries the current revision: saving again is a deliberate choice.
    assert 'name="revision" value="2"' in page
    client.post(return_url(world), {**mine, "revision": "2"})
    saved.refresh_from_db()
    assert saved.evidence == "Mine."


def test_the_service_refuses_a_stale_revision(world: World):
    context = world.context(world.auditor_a)
    data = services.ReturnInput(auditor_role="First")
    services.return_save_draft(context=context, user=world.auditor_a, data=data, revision=0)
    stale = world.context(world.auditor_a)
    services.return_save_draft(
        context=stale, user=world.lead_a, data=services.ReturnInput(), revision=1
    )
    with pytest.raises(services.StaleReturn):
        services.return_save_draft(
            context=stale, user=world.auditor_a, data=services.ReturnInput(), revision=1
        )
    # Two people starting the same return: the second is refused, not merged.
    fresh = world.context(world.auditor_a, case=world.case)
    assert fresh.revision == 2
    question = world.version.sections.get(order=2).questions.get(code="Q2.1")
    data.answers[question.pk] = AnswerInput(option="yes")
    with pytest.raises(services.StaleReturn):
        services.return_save_draft(context=fresh, user=world.auditor_a, data=data, revision=0)


def test_immediate_concern_prompts_an_escalation(client, world: World):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    client.post(return_url(world), complete_post(context, immediate_concern="yes"))
    page = client.get(return_url(world)).text
    assert "Raise an escalation now" in page
    assert f"escalations/new/?case={world.case.pk}&amp;return=" in page


def test_did_you_work_with_the_child_is_never_answered_for_the_auditor(client, world: World):
    """No answer is pre-selected; a draft keeps it unanswered, submitting asks for it, and
    an answer given is shown again."""
    client.force_login(world.auditor_a)
    fresh = client.get(part_url(world, "about")).text
    assert 'name="auditor_was_involved" type="radio" value="no"' in fresh
    assert 'name="auditor_was_involved" type="radio" value="no" checked' not in fresh
    assert 'name="auditor_was_involved" type="radio" value="yes" checked' not in fresh
    post = complete_post(world.context(world.auditor_a), action="submit")
    del post["auditor_was_involved"]
    refused = client.post(return_url(world), post).text
    assert "Did you work with the child yourself: choose yes or no" in refused
    assert 'href="#auditor_was_involved"' in refused
    assert the_return(world).auditor_was_involved is None
    assert 'value="no" checked' not in refused.split('name="auditor_was_involved"', 1)[1][:80]
    post["auditor_was_involved"] = "no"
    post["revision"] = str(the_return(world).revision)
    client.post(return_url(world), post)
    assert the_return(world).auditor_was_involved is False
    assert the_return(world).status == ReturnStatus.SUBMITTED


def test_the_agency_lead_sends_a_submitted_return_back_to_their_auditor(
    client, world: World, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.auditor_a)
    client.post(return_url(world), complete_post(world.context(world.auditor_a), action="submit"))
    saved = the_return(world)
    url = reverse("returns:send-back", args=[world.audit.slug, world.case.pk, world.agency_a.pk])
    # Another agency's lead may not.
    client.force_login(world.lead_b)
    assert client.get(url).status_code == 404
    client.force_login(world.lead_a)
    assert "Send it back with a comment" in client.get(return_url(world)).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"revision": str(saved.revision), "comment": "Say who you spoke to."})
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.SENT_BACK
    assert (saved.review_comment, saved.reviewed_by) == ("Say who you spoke to.", world.lead_a)
    assert [m.to for m in mailoutbox] == [[world.auditor_a.email]]
    assert "Your agency's lead" in mailoutbox[0].body
    # Once signed off, only the coordinator can send it back.
    client.force_login(world.auditor_a)
    client.post(return_url(world), complete_post(world.context(world.auditor_a), action="submit"))
    client.force_login(world.lead_a)
    client.post(
        reverse("returns:sign-off", args=[world.audit.slug, world.case.pk, world.agency_a.pk]),
        {"revision": str(the_return(world).revision)},
    )
    assert client.get(url).status_code == 404
