"""The one GOV.UK form kit: Django's form renderer points at templates/govuk/, so a form or a
field rendered by Django (`{{ form }}`, `{{ field.as_field_group }}`) comes out as GOV.UK
markup, and every page's error summary is built the same way."""

from __future__ import annotations

from django.forms import BaseForm, BoundField
from django.forms.renderers import TemplatesSetting

# Widgets drawn as a group of inputs: the summary's link must land on the first of them.
_GROUPED_WIDGETS = {"radioselect", "checkboxselectmultiple", "govukdate"}


class GovukFormRenderer(TemplatesSetting):
    """Forms and fields through the GOV.UK templates (FORM_RENDERER in settings)."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/form_field.html"


def field_anchor(field: BoundField) -> str:
    """The id of the input an error summary link should move focus to."""
    if field.widget_type in _GROUPED_WIDGETS:
        return f"{field.auto_id}_0"
    return field.id_for_label or str(field.auto_id)


def error_links(form: BaseForm | None) -> list[tuple[str, str]]:
    """A form's errors as (anchor id, message), the form's own errors first, for the summary.

    An error about the whole form links to its first field (or the page's main content), so a
    keyboard user lands where they can put it right."""
    if form is None or not form.errors:
        return []
    visible = form.visible_fields()
    top = field_anchor(visible[0]) if visible else "main-content"
    links = [(top, str(message)) for message in form.non_field_errors()]
    for field in form:
        links.extend((field_anchor(field), str(message)) for message in field.errors)
    return links
