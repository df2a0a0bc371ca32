"""The return form as a Django form: the names and ids the page has always posted, errors that
land on an input, a part's page, and the note of what the saved version holds."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from maca.audits.models import AgencyReturn, Question
from maca.returns.forms import ReturnForm, parse_raw, raw_from_input, raw_from_post
from maca.returns.parts import return_parts
from maca.returns.tests.conftest import World, all_url, complete_post, part_url, return_url

pytestmark = pytest.mark.django_db


def _key(world: World, code: str) -> str:
    return f"q{Question.objects.get(section__version=world.version, code=code).pk}"


def _query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    return query


def test_the_form_reads_a_post_as_parse_raw_does(world: World):
    context = world.context(world.auditor_a)
    raw = raw_from_post(context.structure, _query(complete_post(context)))
    form = ReturnForm(context.structure, raw)
    assert form.is_valid(), form.errors
    assert form.return_input == parse_raw(context.structure, raw)[0]
    # What is saved comes back as the same values.
    again = ReturnForm(context.structure, raw_from_input(context.structure, form.return_input))
    assert again.is_valid() and again.return_input == form.return_input


def test_inputs_keep_the_names_and_ids_the_page_has_always_posted(client, world: World):
    client.force_login(world.auditor_a)
    page = client.get(all_url(world)).text
    date, checks, radio = _key(world, "Q1.2"), _key(world, "Q1.3"), _key(world, "Q2.1")
    for part in ("day", "month", "year"):
        assert f'id="{date}-{part}" name="{date}-{part}" type="text" inputmode="numeric"' in page
    assert f'id="{checks}" name="{checks}" type="checkbox" value="Assessment"' in page
    assert f'id="{checks}-2" name="{checks}" type="checkbox" value="Health care"' in page
    assert f'id="{radio}" name="{radio}" type="radio" value="yes"' in page
    assert f'id="{radio}-4" name="{radio}" type="radio" value="na"' in page
    assert f'id="{_key(world, "Q2.3")}" name="{_key(world, "Q2.3")}"' in page
    assert 'id="immediate_concern" name="immediate_concern" type="checkbox" value="yes"' in page
    assert 'id="id_' not in page


def test_every_error_summary_link_lands_on_an_input(client, world: World):
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    section = context.structure.sections[1]
    post = complete_post(
        context,
        **{
            f"{_key(world, 'Q1.2')}-day": "31",
            f"{_key(world, 'Q1.2')}-month": "2",
            _key(world, "Q1.3"): ["Not on the list"],
            _key(world, "Q2.1"): "maybe",
            _key(world, "Q2.3"): "lots",
            f"{section.key}_grade": "best",
            "overall_grade": "superb",
        },
    )
    page = client.post(return_url(world), post).text
    anchors = re.findall(r'<a href="#([^"]+)">', page.split("govuk-error-summary__list")[1])
    assert len(anchors) == 6
    for anchor in anchors:
        assert re.search(rf'<input [^>]*id="{re.escape(anchor)}"', page), anchor
    assert not AgencyReturn.objects.filter(case=world.case, agency=world.agency_a).exists()


def test_a_value_the_page_does_not_show_is_refused_by_name(client, world: World):
    """A text question has no evidence box; a value posted for one is still read, so it is
    named in the summary rather than refused in silence."""
    client.force_login(world.auditor_a)
    context = world.context(world.auditor_a)
    text = _key(world, "Q1.1")
    post = complete_post(context, **{f"{text}_evidence": "x" * 20_001})
    response = client.post(return_url(world), post)
    assert response.status_code == 200
    assert "Q1.1 evidence: must be 20,000 characters or fewer" in response.text
    assert not AgencyReturn.objects.filter(case=world.case, agency=world.agency_a).exists()


def test_a_part_form_holds_only_its_fields_and_keeps_the_rest(world: World):
    context = world.context(world.auditor_a)
    about = next(part for part in return_parts(context.structure) if part.slug == "about")
    raw = raw_from_post(context.structure, _query(complete_post(context)))
    form = ReturnForm(context.structure, raw, only=about.names)
    assert set(form.fields) == set(about.names)
    assert form.sections == [] and form.overall == []
    assert form.is_valid()
    assert form.return_input.overall_reason == "Standards met."  # read though not shown


def test_a_part_page_shows_its_own_errors(client, world: World):
    client.force_login(world.auditor_a)
    about = {
        "revision": "0",
        "part": "about",
        "action": "continue",
        "auditor_role": "x" * 201,
    }
    page = client.post(part_url(world, "about"), about).text
    assert "<title>Error: About this return" in page
    assert '<a href="#auditor_role">Your role: must be 200 characters or fewer</a>' in page
    assert 'aria-describedby="auditor_role-hint auditor_role-error"' in page
    assert not AgencyReturn.objects.filter(case=world.case, agency=world.agency_a).exists()


def test_the_saved_version_is_noted_under_each_field_that_differs(client, world: World):
    client.force_login(world.auditor_a)
    post = complete_post(world.context(world.auditor_a))
    client.post(return_url(world), post)
    evidence = f"{_key(world, 'Q2.1')}_evidence"
    client.force_login(world.lead_a)
    client.post(return_url(world), {**post, "revision": "1", evidence: "Theirs.\nSecond line."})
    client.force_login(world.auditor_a)
    page = client.post(return_url(world), {**post, "revision": "1", evidence: "Mine."}).text
    assert f'aria-describedby="{evidence}-hint {evidence}-saved"' in page
    assert (
        f'<div id="{evidence}-saved" class="govuk-inset-text maca-saved"><span '
        'class="govuk-!-font-weight-bold">In the saved version:</span> Theirs.<br>Second line.'
        "</div>"
    ) in page
    assert page.count("In the saved version:") == 1
