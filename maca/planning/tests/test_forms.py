"""The small parsers behind the forms: partial dates, day/month/year, ages, NHS numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from maca.audits.models import Case
from maca.core.form_base import GovukDateField, GovukForm, parse_partial_date
from maca.core.partial_dates import PartialDate
from maca.planning.forms.cases import (
    CaseForm,
    nhs_number_is_valid,
    weeks_from,
    years_months_weeks,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-03", PartialDate(2022, 3)),
        ("March 2022", PartialDate(2022, 3)),
        ("march  2022", PartialDate(2022, 3)),
        ("Mar 2022", PartialDate(2022, 3)),
        ("8 March 2022", PartialDate(2022, 3, 8)),
        ("8 March, 2022", PartialDate(2022, 3, 8)),
        ("2022-03-08", PartialDate(2022, 3, 8)),
        ("8/3/2022", PartialDate(2022, 3, 8)),
        ("03/2022", PartialDate(2022, 3)),
        ("2022", PartialDate(2022)),
    ],
)
def test_audit_dates_are_read_as_people_write_them(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["soon", "31 February 2022", "13/2022", "Marchember 2022", ""])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


class _DateForm(GovukForm):
    due = GovukDateField(label="Returns due", required=False)
    born = GovukDateField(label="Date of birth (optional)", required=False, past_only=True)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "3", "2025"), "Returns due must include a day"),
        (("1", "", ""), "Returns due must include a month and a year"),
        (("30", "2", "2025"), "Returns due must be a real date"),
        (("1", "2", "25"), "The year of returns due must include 4 numbers"),
        (("x", "2", "2025"), "Returns due must be a real date"),
    ],
)
def test_day_month_year_errors_say_what_is_missing(parts, message):
    data = {f"due_{index}": value for index, value in enumerate(parts)}
    form = _DateForm(data)
    assert not form.is_valid()
    assert form.errors["due"] == [message]


def test_day_month_year_accepts_month_names_and_blank():
    for month in ("9", "09", "Sept", "sep", "September"):
        form = _DateForm({"due_0": "7", "due_1": month, "due_2": "2025"})
        assert form.is_valid() and form.cleaned_data["due"] == dt.date(2025, 9, 7)
    assert _DateForm({}).is_valid()


def test_a_birth_date_in_the_future_is_refused_without_saying_optional():
    future = dt.date.today() + dt.timedelta(days=40)
    form = _DateForm({"born_0": future.day, "born_1": future.month, "born_2": future.year})
    assert form.errors["born"] == ["Date of birth must be today or in the past"]


@given(st.integers(min_value=0, max_value=25), st.integers(min_value=0, max_value=11))
def test_an_age_in_years_and_months_shows_back_as_entered(years, months):
    weeks = weeks_from(years, months)
    shown = years_months_weeks(weeks)
    if weeks < 13:
        assert shown["age_weeks"] == weeks
    else:
        assert (shown["age_years"], shown["age_months"]) == (years, months)
        case = Case(age_weeks=weeks)
        expected = f"{years} years" if weeks >= 104 else f"{years * 12 + months} months"
        assert case.age_display == expected


@pytest.mark.parametrize(
    ("number", "valid"),
    [("4010232137", True), ("9434765919", True), ("4010232136", False), ("0000000000", True)],
)
def test_nhs_numbers_are_checked_with_their_check_digit(number, valid):
    assert nhs_number_is_valid(number) is valid


def test_errors_name_fields_without_optional_or_question_marks():
    class Sample(GovukForm):
        count = forms.IntegerField(label="Moves in 12 months (optional)", required=False)
        answer = forms.ChoiceField(label="Placed out of area?", choices=[("y", "Yes")])

    form = Sample({"count": "many", "answer": "n"})
    assert not form.is_valid()
    assert form.errors["count"] == ["Moves in 12 months must be a whole number"]
    assert form.errors["answer"] == ["Choose placed out of area from the list"]


@pytest.mark.django_db
def test_a_case_form_for_a_baby_takes_weeks():
    form = CaseForm(
        {"pseudonym": "Child B", "age_weeks": "6", "placed_out_of_area": "no", "is_uasc": "no"}
    )
    assert form.is_valid(), form.errors
    assert form.to_input().age_weeks == 6 and form.to_input().placed_out_of_area is False
