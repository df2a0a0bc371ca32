"""Children added by hand, their identifiers, and which agencies knew them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from maca.audits.models import AgencyInvolvement, AgencyReturn, Answer, AuditAgency, Case, Need
from maca.core.errors import Refused
from maca.identifiers.models import ChildIdentity
from maca.planning import services
from maca.planning.tests.helpers import counts, first_question
from tests.factories import build_audit

pytestmark = pytest.mark.django_db

# Fictional identifiers; the NHS number passes the modulus 11 check.
NAME = "Zebedee Quillfeather"
NHS_NUMBER = "4010232137"
UPN = "K801200145019"
LA_ID = "LAC-778812"
DOB = ("14", "2", "2011")


def _case_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "pseudonym": "Child J",
        "age_years": "13",
        "age_months": "4",
        "gender": "Girl",
        "legal_status": "C2",
        "placement_type": "U6",
        "placement_provider": "PR4",
        "placed_out_of_area": "yes",
        "placement_distance_miles": "48.5",
        "placement_area": "Example Shire",
        "placement_moves_12m": "3",
        "missing_episodes_12m": "2",
        "is_uasc": "no",
    }
    data.update(overrides)
    return data


def test_adding_a_child_with_identifiers_keeps_them_only_in_the_identity_store(client):
    built = build_audit(cases=2, agencies=3)
    audit = built.audit
    needs = list(Need.objects.all()[:2])
    client.force_login(built.coordinator)
    response = client.post(
        reverse("planning:case-new", args=[audit.slug]),
        _case_post(
            needs=[need.pk for need in needs],
            full_name=NAME,
            date_of_birth_0=DOB[0],
            date_of_birth_1=DOB[1],
            date_of_birth_2=DOB[2],
            la_child_id=LA_ID,
            upn=UPN.lower(),
            nhs_number="401 023 2137",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get(audit=audit, pseudonym="Child J")
    assert case.age_display == "13 years" and case.age_weeks == 694
    assert set(case.needs.all()) == set(needs)
    assert (case.legal_status, case.placement_type, case.placement_provider) == ("C2", "U6", "PR4")
    assert case.placed_out_of_area is True and case.placement_distance_miles == Decimal("48.5")
    assert (case.placement_moves_12m, case.missing_episodes_12m, case.is_uasc) == (3, 2, False)

    identity = ChildIdentity.objects.get(case=case)
    assert identity.full_name == NAME
    assert identity.date_of_birth == "2011-02-14"
    assert (identity.la_child_id, identity.upn, identity.nhs_number) == (LA_ID, UPN, NHS_NUMBER)

    # Nowhere else: not in the case's own fields, and not readable in the identity table.
    secrets = [NAME, NHS_NUMBER, UPN, LA_ID, "2011-02-14"]
    case_values = " ".join(
        str(value) for value in Case.objects.filter(pk=case.pk).values().get().values()
    )
    assert not any(secret in case_values for secret in secrets)
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, nhs_number, upn FROM identifiers_childidentity")
        raw = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
    assert NAME not in raw and NHS_NUMBER not in raw and UPN not in raw

    # And never shown again on any page the coordinator can open.
    pages = [
        reverse("planning:cases", args=[audit.slug]),
        reverse("planning:case-edit", args=[audit.slug, case.pk]),
        reverse("planning:case-delete", args=[audit.slug, case.pk]),
        reverse("planning:involvement", args=[audit.slug]),
        reverse("planning:setup", args=[audit.slug]),
        reverse("audits:overview", args=[audit.slug]),
        reverse("audits:grid", args=[audit.slug]),
        reverse("audits:case", args=[audit.slug, case.pk]),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        for secret in [*secrets, "401 023 2137", "Quillfeather"]:
            assert secret not in page.text, (secret, url)
    assert "Held separately" in client.get(pages[0]).text


def test_editing_a_child_keeps_identifiers_unless_new_ones_are_given(client):
    built = build_audit(cases=1, agencies=1)
    audit = built.audit
    case = services.case_create(
        audit=audit,
        data=services.CaseInput(pseudonym="Child Q", age_weeks=300),
        identifiers=services.IdentifiersInput(full_name=NAME, upn=UPN),
    )
    client.force_login(built.coordinator)
    form = client.get(reverse("planning:case-edit", args=[audit.slug, case.pk]))
    assert 'value="5"' in form.text  # 300 weeks shows back as 5 years 9 months
    client.post(
        reverse("planning:case-edit", args=[audit.slug, case.pk]),
        _case_post(
            pseudonym="Child Q", nhs_number=NHS_NUMBER, age_years="", age_months="", age_weeks="8"
        ),
    )
    case.refresh_from_db()
    assert case.age_weeks == 8 and case.age_display == "8 weeks"
    identity = ChildIdentity.objects.get(case=case)
    assert (identity.full_name, identity.upn, identity.nhs_number) == (NAME, UPN, NHS_NUMBER)


def test_a_child_without_identifiers_has_no_identity_row(coordinator):
    audit = services.audit_create(title="No ids", theme="x", by=coordinator)
    services.case_create(audit=audit, data=services.CaseInput(pseudonym="Child A", age_weeks=5))
    assert not ChildIdentity.objects.exists()


def test_pseudonyms_are_unique_within_an_audit_with_a_clear_error(client):
    built = build_audit(cases=1, agencies=1)
    audit = built.audit
    taken = built.cases[0].pseudonym
    client.force_login(built.coordinator)
    before = counts(Case, ChildIdentity)
    response = client.post(
        reverse("planning:case-new", args=[audit.slug]),
        _case_post(pseudonym=taken.upper(), full_name=NAME),
    )
    assert response.status_code == 200
    assert f"{taken.upper()} is already used in this audit" in response.text
    assert 'href="#id_pseudonym"' in response.text
    assert counts(Case, ChildIdentity) == before
    # Another audit may use the same pseudonym.
    other = build_audit(cases=0, agencies=1)
    services.case_create(audit=other.audit, data=services.CaseInput(pseudonym=taken, age_weeks=9))


def test_a_child_with_answers_cannot_be_removed(client, ready_version):
    built = build_audit(cases=2, agencies=2)
    audit = built.audit
    answered, spare = built.cases
    agency_return = AgencyReturn.objects.filter(case=answered)[0]
    Answer.objects.create(
        agency_return=agency_return, question=first_question(ready_version), text_value="x"
    )
    client.force_login(built.coordinator)
    refused = client.post(reverse("planning:case-delete", args=[audit.slug, answered.pk]))
    assert refused.status_code == 409
    assert "cannot be removed" in refused.text
    assert Case.objects.filter(pk=answered.pk).exists()
    with pytest.raises(Refused):
        services.case_delete(case=answered)
    # A child added by mistake, with nothing recorded yet, can go.
    spare.escalations.all().delete()
    AgencyReturn.objects.filter(case=spare).update(status="not_started")
    removed = client.post(reverse("planning:case-delete", args=[audit.slug, spare.pk]))
    assert removed.status_code == 302
    assert not Case.objects.filter(pk=spare.pk).exists()


# --- Involvement ----------------------------------------------------------------------------


def _inv(case_id: int, agency_id: int) -> str:
    return f"involvement-{case_id}-{agency_id}"


def test_setting_involvement_records_nil_returns_and_opens_returns(client, coordinator):
    audit = services.audit_create(title="Involvement", theme="x", by=coordinator)
    audit.returns_due = dt.date(2025, 3, 20)
    audit.save()
    built = build_audit(cases=0, agencies=2)
    police, school = built.agencies
    services.audit_agencies_set(
        audit=audit, chosen={police.pk: None, school.pk: dt.date(2025, 3, 1)}
    )
    child = services.case_create(
        audit=audit, data=services.CaseInput(pseudonym="Child A", age_weeks=500)
    )
    client.force_login(coordinator)
    page = client.get(reverse("planning:involvement", args=[audit.slug]))
    assert page.text.count('value="not_known" checked') == 2
    response = client.post(
        reverse("planning:involvement", args=[audit.slug]),
        {_inv(child.pk, police.pk): "not_involved", _inv(child.pk, school.pk): "involved"},
    )
    assert response.status_code == 302
    nil = AgencyInvolvement.objects.get(case=child, agency=police)
    assert nil.status == "not_involved" and nil.recorded_by == coordinator
    assert nil.recorded_at is not None
    assert not AgencyReturn.objects.filter(case=child, agency=police).exists()
    opened = AgencyReturn.objects.get(case=child, agency=school)
    assert opened.status == "not_started" and opened.due_date == dt.date(2025, 3, 1)
    # Saving again unchanged changes nothing and opens no second return.
    stamp = nil.recorded_at
    client.post(
        reverse("planning:involvement", args=[audit.slug]),
        {_inv(child.pk, police.pk): "not_involved", _inv(child.pk, school.pk): "involved"},
    )
    nil.refresh_from_db()
    assert nil.recorded_at == stamp
    assert AgencyReturn.objects.filter(case=child).count() == 1
    # Police were involved after all: their return opens with the audit's due date.
    client.post(
        reverse("planning:involvement", args=[audit.slug]), {_inv(child.pk, police.pk): "involved"}
    )
    assert AgencyReturn.objects.get(case=child, agency=police).due_date == dt.date(2025, 3, 20)
    grid = client.get(reverse("audits:grid", args=[audit.slug]))
    assert grid.status_code == 200


def test_an_unstarted_return_closes_when_the_agency_turns_out_not_involved():
    built = build_audit(cases=1, agencies=1)
    case, agency = built.cases[0], built.agencies[0]
    AgencyInvolvement.objects.filter(case=case).update(status="involved")
    AgencyReturn.objects.update_or_create(
        case=case, agency=agency, defaults={"status": "not_started"}
    )
    result = services.involvement_set(
        audit=built.audit, statuses={(case.pk, agency.pk): "not_involved"}, by=built.coordinator
    )
    assert result.returns_removed == 1
    assert not AgencyReturn.objects.filter(case=case, agency=agency).exists()


def test_involvement_is_all_or_nothing_and_a_started_return_keeps_its_agency(client, ready_version):
    built = build_audit(cases=2, agencies=2)
    audit = built.audit
    first, second = built.cases
    police, school = built.agencies
    AgencyInvolvement.objects.filter(case__audit=audit).update(status="not_known")
    AgencyReturn.objects.filter(case__audit=audit).delete()
    started = AgencyReturn.objects.create(case=first, agency=police, status="draft")
    AgencyInvolvement.objects.filter(case=first, agency=police).update(status="involved")
    Answer.objects.create(
        agency_return=started, question=first_question(ready_version), text_value="x"
    )
    before = list(AgencyInvolvement.objects.order_by("pk").values_list("status", flat=True))
    client.force_login(built.coordinator)
    response = client.post(
        reverse("planning:involvement", args=[audit.slug]),
        {
            _inv(first.pk, police.pk): "not_involved",  # refused: the return has answers
            _inv(first.pk, school.pk): "involved",
            _inv(second.pk, police.pk): "not_involved",
            _inv(second.pk, school.pk): "maybe",  # not a choice
        },
    )
    assert response.status_code == 200
    assert f"{second.pseudonym}, {school.short_name}: choose involved" in response.text
    assert f'href="#{_inv(second.pk, school.pk)}-0"' in response.text
    assert list(AgencyInvolvement.objects.order_by("pk").values_list("status", flat=True)) == before
    assert AgencyReturn.objects.filter(case__audit=audit).count() == 1
    # Without the bad choice, the refusal about the started return is what stops it.
    response = client.post(
        reverse("planning:involvement", args=[audit.slug]),
        {
            _inv(first.pk, police.pk): "not_involved",
            _inv(first.pk, school.pk): "involved",
        },
    )
    assert "must stay involved" in response.text
    assert AgencyReturn.objects.filter(case__audit=audit).count() == 1
    assert AgencyInvolvement.objects.get(case=first, agency=police).status == "involved"


def test_involvement_for_children_or_agencies_outside_the_audit_is_refused():
    built = build_audit(cases=1, agencies=1)
    other = build_audit(cases=1, agencies=1)
    with pytest.raises(services.InvolvementRefused):
        services.involvement_set(
            audit=built.audit,
            statuses={(other.cases[0].pk, built.agencies[0].pk): "involved"},
            by=built.coordinator,
        )
    assert AuditAgency.objects.filter(audit=built.audit).count() == 1
