"""Forms for the import, cohort and sample pages. Every error names the field it belongs to,
so the GOV.UK error summary can link to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from maca.core.uploads import EXTRACT_903, upload_problem
from maca.sampling import codes, conf, derive
from maca.sampling.cohort import (
    DISTANCE_LABELS,
    LOCATION_CHOICES,
    MISSING_CHOICES,
    PLACEMENTS_CHOICES,
    UASC_CHOICES,
    CohortFilters,
)
from maca.sampling.models import ImportBatch, SampleDraw
from maca.sampling.sample import new_seed

MAX_FILES = 30


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# The 903 comes as CSV files or one XML file; the browser offers only those.
EXTRACT_ACCEPT = ".csv,.xml,text/csv,application/xml,text/xml"


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EXTRACT_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Choose at most {MAX_FILES} files.")
        return files


def _checked_files(files: list[UploadedFile]) -> list[UploadedFile]:
    """Refuse files that are not 903 CSV or XML by name or content, or too large.

    An empty file passes here: the 903 check reports it with its own rule and file name.
    """
    problems = [
        problem
        for upload in files
        if upload.size
        and (problem := upload_problem(upload, EXTRACT_903, settings.REQUEST_MAX_BYTES))
    ]
    if problems:
        raise forms.ValidationError(problems)
    return files


def _year_choices() -> list[tuple[int, str]]:
    this_year = dt.date.today().year
    return [
        (year, f"{codes.year_label(year)} (ended 31 March {year})")
        for year in range(this_year + 1, 2014, -1)
    ]


class ImportForm(forms.Form):
    extract_files = MultipleFileField(
        label="903 files",
        help_text="The CSV files (header, episodes, reviews and the others) or the XML file. "
        "They are recognised by their columns, whatever they are called.",
        error_messages={"required": "Choose the 903 files to import"},
    )
    year = forms.TypedChoiceField(
        label="Collection year of these files",
        coerce=int,
        choices=_year_choices,
        error_messages={"required": "Choose the collection year"},
    )
    previous_year_files = MultipleFileField(
        label="Files for the year before (optional)",
        help_text="Add the previous year's return to see 12 months back from a census date "
        "early in the year.",
        required=False,
    )
    home_districts = forms.CharField(
        label="Your postcode districts",
        required=False,
        help_text="The first part of the postcodes in your area, separated by commas (for "
        "example BS1, BS2). Used to tell in-area from out-of-area placements when the files "
        "have no PL_LOCATION column.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["home_districts"].initial = ", ".join(conf.home_postcode_districts())

    def clean_extract_files(self) -> list[UploadedFile]:
        return _checked_files(self.cleaned_data["extract_files"])

    def clean_previous_year_files(self) -> list[UploadedFile]:
        return _checked_files(self.cleaned_data.get("previous_year_files") or [])

    def clean_home_districts(self) -> list[str]:
        try:
            return conf.parse_districts(self.cleaned_data.get("home_districts", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def file_years(self) -> list[tuple[UploadedFile, int]]:
        year = self.cleaned_data["year"]
        return [(f, year) for f in self.cleaned_data["extract_files"]] + [
            (f, year - 1) for f in self.cleaned_data.get("previous_year_files") or []
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What do you want to do?",
        choices=ImportBatch.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to leave the rows out or refuse the import"},
    )


# A filter with nothing ticked lets every child through.
ANY = "Leave all unticked for any."


class CohortForm(forms.Form):
    """Read from the query string, so a cohort can be bookmarked and the back button works."""

    census_day = forms.IntegerField(label="Day", min_value=1, max_value=31)
    census_month = forms.IntegerField(label="Month", min_value=1, max_value=12)
    census_year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    location = forms.ChoiceField(
        label="Placement location", choices=list(LOCATION_CHOICES.items()), initial="any",
        widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    distance_bands = forms.MultipleChoiceField(
        label="Distance from home", choices=list(DISTANCE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple, required=False, help_text=ANY,
    )  # fmt: skip
    age_bands = forms.MultipleChoiceField(
        label="Age on the census date", choices=[(b, b) for b in derive.AGE_BANDS],
        widget=forms.CheckboxSelectMultiple, required=False, help_text=ANY,
    )  # fmt: skip
    legal_statuses = forms.MultipleChoiceField(
        label="Legal status",
        choices=[(code, f"{code} {label}") for code, label in codes.LEGAL_STATUS.items()],
        widget=forms.CheckboxSelectMultiple, required=False, help_text=ANY,
    )  # fmt: skip
    placement_types = forms.MultipleChoiceField(
        label="Placement type",
        choices=[
            (code, f"{code} {codes.placement_label(code)}")
            for code in sorted(codes.ALL_PLACEMENT_CODES)
        ],
        widget=forms.CheckboxSelectMultiple, required=False, help_text=ANY,
    )  # fmt: skip
    uasc = forms.ChoiceField(
        label="Unaccompanied asylum-seeking children", choices=list(UASC_CHOICES.items()),
        initial="any", widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    missing = forms.ChoiceField(
        label="Missing episodes", choices=list(MISSING_CHOICES.items()), initial="any",
        widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    placements = forms.ChoiceField(
        label="Placement stability", choices=list(PLACEMENTS_CHOICES.items()), initial="any",
        widget=forms.RadioSelect, required=False,
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get("census_day"), data.get("census_month"), data.get("census_year")]
        if all(part is not None for part in parts):
            try:
                data["census_date"] = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
            except ValueError:
                self.add_error("census_day", "The census date must be a real date")
        return data

    def filters(self) -> CohortFilters:
        data = self.cleaned_data
        return CohortFilters(
            census_date=data["census_date"],
            location=data.get("location") or "any",
            distance_bands=tuple(data.get("distance_bands") or ()),
            age_bands=tuple(data.get("age_bands") or ()),
            legal_statuses=tuple(data.get("legal_statuses") or ()),
            placement_types=tuple(data.get("placement_types") or ()),
            uasc=data.get("uasc") or "any",
            missing=data.get("missing") or "any",
            placements=data.get("placements") or "any",
        )

    @staticmethod
    def initial_for(census: dt.date) -> dict[str, Any]:
        return {
            "census_day": census.day,
            "census_month": census.month,
            "census_year": census.year,
            "location": "out",
            "uasc": "any",
            "missing": "any",
            "placements": "any",
        }


class SampleForm(forms.Form):
    method = forms.ChoiceField(
        label="How should the children be chosen?",
        choices=SampleDraw.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the children should be chosen"},
    )
    stratify_by = forms.ChoiceField(
        label="Stratify by",
        choices=SampleDraw.Strata.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    size = forms.IntegerField(
        label="Number of children",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=1,
        max_value=200,
        error_messages={
            "required": "Enter how many children to draw",
            "min_value": "Draw at least 1 child",
            "max_value": "Draw at most 200 children",
            "invalid": "Enter the number of children as a whole number, like 9",
        },
    )
    seed = forms.IntegerField(
        label="Seed",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=0,
        max_value=10**12,
        help_text="Any whole number. Keep it: the same seed draws the same children again.",
        error_messages={"required": "Enter a seed", "invalid": "Enter the seed as a whole number"},
    )
    exclusions = forms.CharField(
        label="Children to leave out (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: the CHILD id, a comma, and why (for example: 1234567, "
        "subject of a current practice review). The ids are not kept; the reasons and "
        "counts are written to the audit.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["seed"].initial = new_seed()
            self.fields["method"].initial = SampleDraw.Method.RANDOM

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == SampleDraw.Method.STRATIFIED and not data.get("stratify_by"):
            self.add_error("stratify_by", "Choose what to stratify the sample by")
        return data
