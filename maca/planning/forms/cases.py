"""Forms for the children of an audit and which agencies knew them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from maca.audits import codes
from maca.audits.models import AgencyInvolvement, Case, Need
from maca.core.form_base import GovukDateField, GovukForm
from maca.planning.selectors import InvolvementTable
from maca.planning.services import CaseInput, IdentifiersInput

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_AGE_YEARS = 25  # care leavers are supported up to 25
BABY_WEEKS = 104


def _code_choices(code_list: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "Not recorded")] + [
        (code, f"{code} – {label}") for code, label in code_list.items()
    ]


def weeks_from(years: int, months: int) -> int:
    """Whole weeks in an age of years and months, rounded up so it shows back the same."""
    return math.ceil((years * 12 + months) * 52 / 12)


def years_months_weeks(age_weeks: int) -> dict[str, int | None]:
    """The inverse, for the edit form: weeks for a baby, otherwise years and months."""
    if age_weeks < 13:
        return {"age_years": None, "age_months": None, "age_weeks": age_weeks}
    months = age_weeks * 12 // 52
    return {"age_years": months // 12, "age_months": months % 12, "age_weeks": None}


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    total = sum(int(digit) * (10 - index) for index, digit in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


class CaseForm(GovukForm):
    pseudonym = forms.CharField(
        label="Pseudonym",
        error_messages={"required": "Enter a pseudonym for the child, like Child A"},
        max_length=40,
        help_text="For example, Child A. Never use the child's name or initials.",
    )
    age_years = forms.IntegerField(
        label="Years", required=False, min_value=0, max_value=MAX_AGE_YEARS
    )
    age_months = forms.IntegerField(label="Months", required=False, min_value=0, max_value=11)
    age_weeks = forms.IntegerField(
        label="Weeks (for a baby)", required=False, min_value=0, max_value=BABY_WEEKS
    )
    gender = forms.CharField(
        label="Gender (optional)",
        max_length=40,
        required=False,
        help_text="As the child describes it.",
    )
    needs = forms.ModelMultipleChoiceField(
        label="Needs and risks (optional)",
        queryset=Need.objects.order_by("order", "label"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_status = forms.ChoiceField(
        label="Legal status", choices=_code_choices(codes.LEGAL_STATUS), required=False
    )
    placement_type = forms.ChoiceField(
        label="Placement type", choices=_code_choices(codes.PLACEMENT_TYPE), required=False
    )
    placement_provider = forms.ChoiceField(
        label="Placement provider",
        choices=_code_choices(codes.PLACEMENT_PROVIDER),
        required=False,
    )
    placed_out_of_area = forms.ChoiceField(
        label="Placed out of area?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        initial="unknown",
        error_messages={"required": "Choose whether the child is placed out of area"},
    )
    placement_distance_miles = forms.DecimalField(
        label="Distance from home in miles (optional)",
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    placement_area = forms.CharField(
        label="Host area (optional)",
        max_length=100,
        required=False,
        help_text="The local authority the child lives in, for example Example Shire.",
    )
    placement_moves_12m = forms.IntegerField(
        label="Placement moves in the last 12 months (optional)",
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    missing_episodes_12m = forms.IntegerField(
        label="Missing episodes in the last 12 months (optional)",
        required=False,
        min_value=0,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    is_uasc = forms.ChoiceField(
        label="Unaccompanied asylum-seeking child?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        error_messages={
            "required": "Choose whether the child is an unaccompanied asylum-seeking child"
        },
    )

    # Identifiers: stored only in the separate, encrypted store; never shown again.
    full_name = forms.CharField(
        label="Full name (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth (optional)",
        required=False,
        past_only=True,
        help_text="For example, 27 3 2010.",
    )
    la_child_id = forms.CharField(
        label="Local authority child ID (optional)",
        max_length=40,
        required=False,
        help_text="The CHILD identifier in the SSDA903 return.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    upn = forms.CharField(
        label="UPN (optional)",
        max_length=20,
        required=False,
        help_text="Unique pupil number: 13 characters, for example A123456789012.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=20,
        required=False,
        help_text="10 digits, for example 943 476 5919.",
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )

    AGE_FIELDS = ("age_years", "age_months", "age_weeks")
    AGE_NAMES = {
        "age_years": "Age in years",
        "age_months": "Months of age",
        "age_weeks": "Age in weeks",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The boxes are labelled Years, Months, Weeks under an "Age" legend; errors say more.
        for name, label in self.AGE_NAMES.items():
            messages = self.fields[name].error_messages
            messages["invalid"] = f"{label} must be a whole number"
            messages["min_value"] = f"{label} must be %(limit_value)s or more"
            messages["max_value"] = f"{label} must be %(limit_value)s or less"

    IDENTIFIER_FIELDS = ("full_name", "date_of_birth", "la_child_id", "upn", "nhs_number")

    def clean_upn(self) -> str:
        upn = re.sub(r"\s", "", self.cleaned_data["upn"]).upper()
        if upn and not _UPN.match(upn):
            raise ValidationError(
                "UPN must be 13 characters: a letter, 11 numbers, then a number or a letter"
            )
        return upn

    def clean_nhs_number(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data["nhs_number"])
        if not number:
            return ""
        if not re.fullmatch(r"\d{10}", number):
            raise ValidationError("NHS number must be 10 digits")
        if not nhs_number_is_valid(number):
            raise ValidationError("NHS number is not valid: check each digit")
        return number

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if any(name in self.errors for name in self.AGE_FIELDS):
            return data
        years, months, weeks = (data.get(name) for name in self.AGE_FIELDS)
        if weeks is not None and (years is not None or months is not None):
            self.add_error(
                "age_weeks",
                "Give the age in years and months, or in weeks for a baby, not both",
            )
        elif weeks is None and years is None and months is None:
            self.add_error("age_years", "Enter the child's age in years and months, or in weeks")
        elif weeks is None and years is None:
            self.add_error("age_years", "Enter the child's age in years (0 for a baby)")
        elif weeks is None and years == MAX_AGE_YEARS and months:
            self.add_error("age_months", f"Age must be {MAX_AGE_YEARS} years or less")
        return data

    def age_weeks_value(self) -> int:
        data = self.cleaned_data
        if data.get("age_weeks") is not None:
            return int(data["age_weeks"])
        return weeks_from(data["age_years"], data.get("age_months") or 0)

    def to_input(self) -> CaseInput:
        data = self.cleaned_data
        out_of_area = {"yes": True, "no": False}.get(data["placed_out_of_area"])
        return CaseInput(
            pseudonym=data["pseudonym"].strip(),
            age_weeks=self.age_weeks_value(),
            gender=data["gender"].strip(),
            needs=list(data["needs"]),
            legal_status=data["legal_status"],
            placement_type=data["placement_type"],
            placement_provider=data["placement_provider"],
            placed_out_of_area=out_of_area,
            placement_distance_miles=data["placement_distance_miles"],
            placement_area=data["placement_area"].strip(),
            placement_moves_12m=data["placement_moves_12m"],
            missing_episodes_12m=data["missing_episodes_12m"],
            is_uasc=data["is_uasc"] == "yes",
        )

    def identifiers(self) -> IdentifiersInput:
        data = self.cleaned_data
        return IdentifiersInput(
            full_name=data["full_name"].strip(),
            date_of_birth=data["date_of_birth"],
            la_child_id=data["la_child_id"].strip(),
            upn=data["upn"],
            nhs_number=data["nhs_number"],
        )

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        """Facts of the case for editing; identifiers are never put back into a form."""
        return {
            "pseudonym": case.pseudonym,
            **years_months_weeks(case.age_weeks),
            "gender": case.gender,
            "needs": [need.pk for need in case.needs.all()],
            "legal_status": case.legal_status,
            "placement_type": case.placement_type,
            "placement_provider": case.placement_provider,
            "placed_out_of_area": (
                "unknown"
                if case.placed_out_of_area is None
                else "yes"
                if case.placed_out_of_area
                else "no"
            ),
            "placement_distance_miles": case.placement_distance_miles,
            "placement_area": case.placement_area,
            "placement_moves_12m": case.placement_moves_12m,
            "missing_episodes_12m": case.missing_episodes_12m,
            "is_uasc": "yes" if case.is_uasc else "no",
        }


# --- Involvement ----------------------------------------------------------------------------

STATUS_CHOICES = [
    (AgencyInvolvement.Status.INVOLVED, "Involved"),
    (AgencyInvolvement.Status.NOT_INVOLVED, "Not involved (nil return)"),
    (AgencyInvolvement.Status.NOT_KNOWN, "Not known yet"),
]


@dataclass(frozen=True)
class InvolvementOption:
    value: str
    label: str
    input_id: str
    checked: bool


class InvolvementForm:
    """One radio group per child and agency, posted together: saved all or nothing.

    Not a Django form: with 60 children and 12 agencies it would build 720 bound fields for
    what is one choice each.
    """

    def __init__(self, table: InvolvementTable, data: Mapping[str, Any] | None = None) -> None:
        self.table = table
        self.data = data
        self.errors: dict[str, str] = {}
        self.statuses: dict[tuple[int, int], str] = {}
        self._labels = {
            (row.case.pk, cell.agency.pk): f"{row.case.pseudonym}, {cell.agency.short_name}"
            for row in table.rows
            for cell in row.cells
        }

    @staticmethod
    def field_name(case_id: int, agency_id: int) -> str:
        return f"involvement-{case_id}-{agency_id}"

    def is_valid(self) -> bool:
        assert self.data is not None
        allowed = {value for value, _ in STATUS_CHOICES}
        for row in self.table.rows:
            for cell in row.cells:
                key = (row.case.pk, cell.agency.pk)
                name = self.field_name(*key)
                value = self.data.get(name)
                if value is None:  # added since the page was drawn: leave it as it is
                    continue
                if value not in allowed:
                    self.errors[name] = (
                        f"{self._labels[key]}: choose involved, not involved or not known yet"
                    )
                    continue
                self.statuses[key] = value
        return not self.errors

    def add_problems(self, problems: Mapping[tuple[int, int], str]) -> None:
        for key, message in problems.items():
            label = self._labels.get(key, "This child and agency")
            self.errors[self.field_name(*key)] = f"{label}: {message}"

    def error_links(self) -> list[tuple[str, str]]:
        return [(f"{name}-0", message) for name, message in self.errors.items()]

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for row in self.table.rows:
            cells = []
            for cell in row.cells:
                name = self.field_name(row.case.pk, cell.agency.pk)
                chosen = cell.status
                if self.data is not None and self.data.get(name) in dict(STATUS_CHOICES):
                    chosen = self.data[name]
                cells.append(
                    {
                        "cell": cell,
                        "name": name,
                        "error": self.errors.get(name),
                        "options": [
                            InvolvementOption(value, label, f"{name}-{index}", value == chosen)
                            for index, (value, label) in enumerate(STATUS_CHOICES)
                        ],
                    }
                )
            rows.append({"case": row.case, "cells": cells})
        return rows
