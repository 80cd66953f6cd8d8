"""Page forms for the registry. They render the fields; `PersonInput` checks them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.core.masking import mask_text
from gridgov.registry.choices import (
    SPECIAL_GROUP_FIELDS,
    PersonStatus,
    Registration,
    Relation,
    Sex,
)
from gridgov.registry.inputs import PersonInput, Places
from gridgov.registry.models import Person


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("18 characters; a 15-digit old number is converted."),
    )
    phone = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("To reach the person about their affairs."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("From the ID number")), *Sex.choices], required=False
    )
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Left empty, it is read from the ID number."),
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, initial="汉族")
    registration = forms.ChoiceField(label=_("Registration"), choices=Registration.choices)
    building = forms.ChoiceField(label=_("Building"))
    unit = forms.IntegerField(label=_("Unit"), min_value=1, initial=1)
    house_number = forms.CharField(label=_("House number"), max_length=16)
    household_number = forms.CharField(label=_("Household number"), max_length=32, required=False)
    relation = forms.ChoiceField(
        label=_("Relation to head"), choices=[("", "—"), *Relation.choices], required=False
    )
    religion = forms.CharField(
        label=_("Religion"),
        max_length=200,
        required=False,
        help_text=_("Only if the person chooses to tell; stored encrypted."),
    )
    health = forms.CharField(
        label=_("Health"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only what care services need; stored encrypted."),
    )

    def __init__(self, *args: Any, places: Places, editing: Person | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.places = places
        self.editing = editing
        self.fields["building"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((code, f"{b.name} ({code})") for code, b in sorted(places.buildings.items())),
        ]
        self.checked_values: dict[str, Any] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        raw = {name: str(self.data.get(name, "")) for name in self.fields}
        if self.editing is not None:
            # A masked value sent back unchanged means "keep": the form never holds the
            # full personal data (seeing it is the audited "show in full" action).
            for name, (shown, actual) in masked_values(self.editing).items():
                if raw.get(name, "").strip() == shown:
                    raw[name] = actual
        checked = PersonInput(self.places, editing=self.editing).check(raw)
        for name, message in checked.problems:
            self.add_error(name if name in self.fields else None, message)
        self.checked_values = checked.values
        return data


def masked_values(person: Person) -> dict[str, tuple[str, str]]:
    """{field: (what the edit form shows, the real value)} for the personal fields."""
    return {
        "name": (person.masked_name, person.name),
        "id_number": (person.masked_id(wide=True), person.id_number),
        "phone": (person.masked_phone, person.phone),
        "religion": (mask_text(person.religion), person.religion),
        "health": (mask_text(person.health), person.health),
    }


def initial_for(person: Person) -> dict[str, Any]:
    house = person.house
    shown = {name: masked for name, (masked, _real) in masked_values(person).items()}
    return {
        **shown,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "ethnicity": person.ethnicity,
        "registration": person.registration,
        "building": house.unit.building.code if house else "",
        "unit": house.unit.number if house else 1,
        "house_number": house.number if house else "",
        "household_number": person.household.number if person.household else "",
        "relation": person.relation,
    }


class UnmaskForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Recorded in the audit log with your name."),
    )


class DepartedForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Mark as"),
        choices=[
            (PersonStatus.MOVED_OUT, PersonStatus.MOVED_OUT.label),
            (PersonStatus.DECEASED, PersonStatus.DECEASED.label),
        ],
    )
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class SpecialGroupForm(forms.Form):
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, group: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SPECIAL_GROUP_FIELDS[group]:
            self.fields[f"detail_{key}"] = forms.CharField(
                label=label, required=False, max_length=200
            )
        self.group = group

    def details(self) -> dict[str, str]:
        return {
            key: self.cleaned_data.get(f"detail_{key}", "")
            for key, _label in SPECIAL_GROUP_FIELDS[self.group]
        }
