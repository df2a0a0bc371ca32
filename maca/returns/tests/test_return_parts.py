"""Filling a return a part at a time: the task list with each part's status, a part's own page
with "Save and continue", and saving one part leaving the others as saved."""

from __future__ import annotations

import re

import pytest

from maca.audits.models import AgencyReturn, ReturnStatus
from maca.returns.parts import return_parts
from maca.returns.tests.conftest import World, complete_post, part_url, return_url

pytestmark = pytest.mark.django_db


def _status(page: str, part: str) -> str:
    found = re.search(rf'id="part-{part}-status">(.*?)</div>', page)
    assert found, f"no status for {part}"
    return re.sub(r"<[^>]+>", "", found.group(1))


def _part_post(world: World, part: str, action: str = "continue", **extra: str) -> dict:
    """The fields of one part from a full, valid return, as that part's page sends them."""
    context = world.context(world.auditor_a)
    wanted = next(p for p in return_parts(context.structure) if p.slug == part)
    full = complete_post(context)
    data = {name: value for name, value in full.items() if name in wanted.names}
    return {**data, "revision": str(context.revision), "part": part, "action": action, **extra}


def test_task_list_shows_every_part_not_started_then_each_status(client, world: World):
    client.force_login(world.auditor_a)
    page = client.get(return_url(world)).text
    slugs = [part.slug for part in return_parts(world.context(world.auditor_a).structure)]
    assert slugs[0] == "about" and slugs[-1] == "summary" and len(slugs) > 2
    for slug in slugs:
        assert _status(page, slug) == "Not started"
    assert f"You have completed 0 of {len(slugs)} parts." in page
    assert "govuk-task-list" in page
    assert 'name="auditor_role"' not in page  # the parts have their own pages

    client.post(part_url(world, "about"), _part_post(world, "about"))
    client.post(
        part_url(world, slugs[1]), _part_post(world, slugs[1], **{"action": "save"})
    )  # all of section 1
    partial = _part_post(world, "summary")
    del partial["overall_grade"]
    client.post(part_url(world, "summary"), partial)
    page = client.get(return_url(world)).text
    assert _status(page, "about") == "Completed"
    assert _status(page, slugs[1]) == "Completed"
    assert _status(page, slugs[2]) == "Not started"
    assert _status(page, "summary") == "In progress"
    assert f"You have completed 2 of {len(slugs)} parts." in page


def test_save_and_continue_saves_one_part_and_opens_the_next(client, world: World):
    client.force_login(world.auditor_a)
    response = client.post(part_url(world, "about"), _part_post(world, "about"))
    slugs = [part.slug for part in return_parts(world.context(world.auditor_a).structure)]
    assert response.status_code == 302
    assert response["Location"] == part_url(world, slugs[1])
    saved = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    assert saved.auditor_role == "Named nurse (fictional)"
    assert saved.auditor_was_involved is False
    assert saved.status == ReturnStatus.DRAFT

    # A later part's page leaves the first part as saved.
    response = client.post(part_url(world, "summary"), _part_post(world, "summary"))
    assert response["Location"] == return_url(world)  # the last part goes back to the list
    saved.refresh_from_db()
    assert saved.auditor_role == "Named nurse (fictional)"
    assert saved.overall_reason == "Standards met."


def test_a_part_page_shows_only_its_fields_and_never_answers_for_the_auditor(client, world: World):
    client.force_login(world.auditor_a)
    page = client.get(part_url(world, "about")).text
    assert "Save and continue" in page
    assert 'name="auditor_role"' in page and 'name="overall_reason"' not in page
    assert " checked" not in page
    assert client.get(part_url(world, "no-such-part")).status_code == 404


def test_a_part_saved_from_an_old_version_is_refused_and_nothing_is_lost(client, world: World):
    client.force_login(world.auditor_a)
    stale = _part_post(world, "about", auditor_role="Changed in a second tab (fictional)")
    client.post(part_url(world, "about"), _part_post(world, "about"))
    response = client.post(part_url(world, "about"), stale)
    assert response.status_code == 409
    assert "after you opened it" in response.text
    assert "Changed in a second tab (fictional)" in response.text
    saved = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    assert saved.auditor_role == "Named nurse (fictional)"


def test_autosave_from_a_part_page_keeps_the_other_parts(client, world: World):
    from django.urls import reverse

    client.force_login(world.auditor_a)
    client.post(part_url(world, "summary"), _part_post(world, "summary"))
    revision = AgencyReturn.objects.get(case=world.case, agency=world.agency_a).revision
    url = reverse("returns:autosave", args=[world.audit.slug, world.case.pk, world.agency_a.pk])
    body = _part_post(world, "about", action="autosave", revision=str(revision))
    assert client.post(url, body).json()["saved"] is True
    saved = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    assert saved.auditor_role == "Named nurse (fictional)"
    assert saved.overall_reason == "Standards met."


def test_submitting_from_the_task_list_submits_the_saved_return(client, world: World):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    client.post(return_url(world), complete_post(context))
    revision = AgencyReturn.objects.get(case=world.case, agency=world.agency_a).revision
    response = client.post(return_url(world), {"action": "submit-saved", "revision": str(revision)})
    assert response.status_code == 302
    saved = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    assert saved.status == ReturnStatus.SUBMITTED
    assert saved.auditor_role == "Named nurse (fictional)"  # nothing blanked by the submit


def test_nothing_is_chosen_for_the_auditor_on_any_page_of_a_new_return(client, world: World):
    """Every radio and tick box of every part, of the one-page form and of the escalation form
    starts unchosen, for each agency's return (the tool has a question of every kind)."""
    from django.urls import reverse

    from maca.returns.tests.conftest import all_url

    inputs = re.compile(r'<input[^>]*type="(?:radio|checkbox)"[^>]*>')
    seen: set[str] = set()
    for auditor, agency in ((world.auditor_a, world.agency_a), (world.auditor_b, world.agency_b)):
        client.force_login(auditor)
        parts = return_parts(world.context(auditor, agency).structure)
        urls = [part_url(world, part.slug, agency) for part in parts]
        urls += [all_url(world, agency), reverse("returns:escalation-new", args=[world.audit.slug])]
        for url in urls:
            page = client.get(url).text
            found = inputs.findall(page)
            seen |= {re.search(r'name="([^"]+)"', tag).group(1) for tag in found}  # type: ignore[union-attr]
            chosen = [tag for tag in found if re.search(r"\schecked[\s>]", tag)]
            assert not chosen, (url, chosen)
    context = world.context(world.auditor_a)
    kinds = {item.code: item.key for item in context.structure.questions}
    graded = next(s for s in context.structure.sections if s.is_graded)
    expected = {"auditor_was_involved", "overall_grade", "immediate_concern", "urgency"}
    expected |= {kinds[code] for code in ("Q1.3", "Q2.1", "Q2.2", "Q2.4")}
    expected.add(f"{graded.key}_grade")
    assert expected <= seen, expected - seen
    assert AgencyReturn.objects.count() == 0  # opening the pages saved nothing


def test_a_part_with_a_value_that_cannot_be_read_is_shown_again_and_saves_nothing(
    client, world: World
):
    client.force_login(world.auditor_a)
    client.post(part_url(world, "about"), _part_post(world, "about"))
    revision = AgencyReturn.objects.get(case=world.case, agency=world.agency_a).revision
    section = next(
        p for p in return_parts(world.context(world.auditor_a).structure) if p.section_order == 1
    )
    date_key = next(
        item.key
        for item in world.context(world.auditor_a).structure.questions
        if item.code == "Q1.2"
    )
    post = _part_post(world, section.slug, revision=str(revision))
    post.update({f"{date_key}-day": "31", f"{date_key}-month": "2", f"{date_key}-year": "2026"})
    post["auditor_role"] = "Not on this page (fictional)"  # another part's field is ignored
    response = client.post(part_url(world, section.slug), post)
    assert response.status_code == 200
    assert "Q1.2: enter a real date" in response.text
    assert response.text.count('class="govuk-error-summary"') == 1
    assert 'value="31"' in response.text  # what they typed is kept
    saved = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    assert saved.revision == revision
    assert saved.auditor_role == "Named nurse (fictional)"
