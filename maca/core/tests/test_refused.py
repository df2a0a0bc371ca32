from django import forms

from maca.core.errors import Refused, add_refusal


class _ReasonForm(forms.Form):
    reason = forms.CharField(required=False)


def test_about_gives_the_messages_naming_a_field_and_nothing_otherwise() -> None:
    assert Refused("Enter why.", field="reason").about("reason") == ["Enter why."]
    assert Refused({"reason": ["Too long.", "Enter why."]}).about("reason") == [
        "Too long.",
        "Enter why.",
    ]
    assert Refused({"other": "Choose one."}).about("reason") == []
    assert Refused("That match has already been accepted.").about("reason") == []


def test_add_refusal_places_each_message_on_its_field_or_above_the_form() -> None:
    form = _ReasonForm({"reason": ""})
    assert form.is_valid()
    add_refusal(form, Refused({"reason": "Enter why.", "unknown": "Start again."}))
    assert form.errors == {"reason": ["Enter why."], "__all__": ["Start again."]}
