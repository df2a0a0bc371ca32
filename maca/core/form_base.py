"""Form plumbing shared by every app's forms: GOV.UK error wording and GOV.UK field types.

Every error names its field ("Enter the title", "Look-back period must be a whole number"),
because the error summary lists errors away from their fields.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField

from maca.core.partial_dates import PartialDate


def plain_label(label: str) -> str:
    """The label as an error names it: without " (optional)" or a question mark."""
    return label.removesuffix(" (optional)").rstrip("?")


def _lower_first(label: str) -> str:
    """'Title' → 'title', but 'NHS number' and 'UPN' keep their capitals."""
    label = plain_label(label)
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


class GovukForm(forms.Form):
    """A form whose default error messages name the field, GOV.UK style."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _name_the_field(field, str(field.label or name))


_DEFAULTS: dict[str, str] = {
    "invalid_choice": "Choose {label} from the list",
    "max_length": "{Label} must be %(limit_value)d characters or fewer",
    "min_value": "{Label} must be %(limit_value)s or more",
    "max_value": "{Label} must be %(limit_value)s or less",
    "max_digits": "{Label} must have no more than %(max)s digits",
    "max_decimal_places": "{Label} must have no more than %(max)s decimal places",
    "max_whole_digits": "{Label} must have no more than %(max)s digits before the point",
    "invalid_list": "Choose {label} from the list",
}


def _name_the_field(field: forms.Field, label: str) -> None:
    messages = field.error_messages
    label = plain_label(label)
    lower = _lower_first(label)
    wording = {"label": lower, "Label": label}
    if messages.get("required") == forms.Field.default_error_messages["required"]:
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            messages["required"] = f"Choose at least one {lower}"
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            messages["required"] = f"Choose {lower}"
        else:
            messages["required"] = f"Enter {lower}"
    # DecimalField is an IntegerField in Django, so ask about it first.
    if isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{label} must be a number"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{label} must be a whole number"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"{label} must be a web address starting https://"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"{label} must be an email address like name@example.org"
    for code, template in _DEFAULTS.items():
        messages[code] = template.format(**wording)
    if isinstance(field, forms.ModelMultipleChoiceField):
        messages["invalid_choice"] = f"Choose {lower} from the list"
        messages["invalid_pk_value"] = f"Choose {lower} from the list"


# --- Dates ----------------------------------------------------------------------------------

_MONTHS = (
    {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
    | {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)


_NUMERIC = {"inputmode": "numeric"}


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes (templates/govuk/date_input.html). The month takes a name
    ("March") too, so its box does not ask for the numeric keypad."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes = [forms.TextInput(_NUMERIC), forms.TextInput(), forms.TextInput(_NUMERIC)]
        super().__init__(boxes, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDatePartsWidget(GovukDateWidget):
    """Day, month and year boxes named and identified as GOV.UK Frontend names them
    (`name-day`, `name-month`, `name-year`), all three numeric; an error summary link lands on
    the day."""

    PARTS = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.widgets = [forms.TextInput(_NUMERIC) for _part in self.PARTS]
        self.widgets_names = [f"-{part}" for part in self.PARTS]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if widget["attrs"].get("id"):
            for box, part in zip(widget["subwidgets"], self.PARTS, strict=True):
                box["attrs"]["id"] = f"{widget['attrs']['id']}-{part}"
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else ""


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error wording."""

    widget = GovukDateWidget

    def __init__(
        self,
        *,
        past_only: bool = False,
        earliest: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        self.past_only = past_only
        self.earliest = earliest or dt.date(1900, 1, 1)
        parts = (forms.CharField(required=False),) * 3
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> dt.date | None:
        label = plain_label(str(self.label))
        parts = [str(part or "").strip() for part in (value or [])]
        parts = [*parts, "", "", ""][:3]
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter {_lower_first(label)}", code="required")
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}")
        day, month_text, year = parts
        month = _MONTHS.get(month_text.lower()) or (
            int(month_text) if month_text.isdigit() else None
        )
        if not (day.isdigit() and year.isdigit() and month):
            raise ValidationError(f"{label} must be a real date")
        if len(year) != 4:
            raise ValidationError(f"The year of {_lower_first(label)} must include 4 numbers")
        try:
            date = dt.date(int(year), month, int(day))
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None
        if date < self.earliest:
            raise ValidationError(f"{label} must be after {self.earliest:%-d %B %Y}")
        if self.past_only and date > dt.date.today():
            raise ValidationError(f"{label} must be today or in the past")
        return date

    def compress(self, data_list: Any) -> Any:  # clean() does the work
        return data_list


_DAY_MONTH_YEAR = re.compile(r"^(?:(\d{1,2})\s+)?([a-z]+)\s+(\d{4})$")
_SLASHED = re.compile(r"^(?:(\d{1,2})/)?(\d{1,2})/(\d{4})$")


def parse_partial_date(text: str) -> PartialDate:
    """'2022-03', 'March 2022', '8 March 2022', '8/3/2022', '03/2022' or '2022'."""
    cleaned = " ".join(text.strip().replace(",", " ").split()).lower()
    try:
        return PartialDate.parse(cleaned)
    except ValueError:
        pass
    match = _DAY_MONTH_YEAR.match(cleaned)
    if match and match[2] in _MONTHS:
        day = f"-{int(match[1]):02d}" if match[1] else ""
        return PartialDate.parse(f"{match[3]}-{_MONTHS[match[2]]:02d}{day}")
    match = _SLASHED.match(cleaned)
    if match:
        day = f"-{int(match[1]):02d}" if match[1] else ""
        return PartialDate.parse(f"{match[3]}-{int(match[2]):02d}{day}")
    raise ValueError(text)


class PartialDateField(forms.CharField):
    """A date known to the day, the month or only the year ("March 2022")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, PartialDate) else value

    def clean(self, value: Any) -> PartialDate | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except ValueError:
            raise ValidationError(
                f"{plain_label(str(self.label))} must be a date like 8 March 2022, "
                "March 2022 or 2022-03"
            ) from None


class LinesField(forms.CharField):
    """One item per line; blank lines are dropped. Cleans to a list of strings."""

    def __init__(self, *, max_line_length: int = 1000, max_lines: int = 100, **kwargs: Any):
        self.max_line_length = max_line_length
        self.max_lines = max_lines
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value) or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        label = plain_label(str(self.label))
        if self.required and not lines:
            raise ValidationError(f"Enter {_lower_first(label)}, one per line", code="required")
        if len(lines) > self.max_lines:
            raise ValidationError(f"{label} can have at most {self.max_lines} lines")
        for number, line in enumerate(lines, start=1):
            if len(line) > self.max_line_length:
                raise ValidationError(
                    f"Line {number} of {_lower_first(label)} must be {self.max_line_length} "
                    "characters or fewer"
                )
        return lines


# --- Choices with GOV.UK's ids, and fields of forms built at run time ------------------------


class _GovukChoiceIds:
    """Choice ids as GOV.UK Frontend gives them: the first is the field's own id, so a label or
    an error summary link lands on it, then `id-2`, `id-3`… An option may carry a hint."""

    hints: Mapping[str, str] = {}

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        if not id_ or index is None or str(index) == "0":
            return id_
        return f"{id_}-{int(index) + 1}"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)  # type: ignore[misc]
        option["hint"] = self.hints.get(str(option["value"]), "")
        return option


class GovukRadioSelect(_GovukChoiceIds, forms.RadioSelect):
    """Radios (templates/govuk/radios.html) with GOV.UK's ids and a hint under any option."""

    def __init__(self, *args: Any, hints: Mapping[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.hints = dict(hints or {})


class GovukCheckboxSelectMultiple(_GovukChoiceIds, forms.CheckboxSelectMultiple):
    """Checkboxes (templates/govuk/checkboxes.html) with GOV.UK's ids."""


class DisplayedField(BoundField):
    """A bound field that hands the kit's template what its form says about showing it
    (`form.field_display[name]`: label_class, legend_class, input_class, small, inline, rows),
    so a form built at run time draws each field with `{{ field.as_field_group }}`; and, from
    `form.saved_notes[name]`, what the saved version holds when someone else saved in between
    (shown under the field, templates/govuk/_bound_hint_error.html)."""

    def get_context(self) -> dict[str, Any]:
        display: Mapping[str, Mapping[str, Any]] = getattr(self.form, "field_display", {})
        return {**super().get_context(), **display.get(self.name, {})}

    @property
    def saved_note(self) -> str:
        notes: Mapping[str, str] = getattr(self.form, "saved_notes", {})
        return notes.get(self.name, "")
