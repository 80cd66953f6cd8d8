"""The people list's filters, shared by the page, the export and the API."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.core.identity import normalise_id_number
from gridgov.geo.models import Area
from gridgov.registry.choices import PersonStatus, Registration, SpecialGroup
from gridgov.registry.models import Person, SpecialGroupRecord

_PHONE = re.compile(r"^1\d{10}$")


def _looks_like_id_number(q: str) -> bool:
    return len(q) in (15, 18) and q[:6].isdigit()


def is_sensitive_query(q: str) -> bool:
    """A search for a phone number or an ID number (kept out of URLs and logs)."""
    q = q.strip()
    return bool(_PHONE.match(q)) or _looks_like_id_number(q)


class PersonFilter(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Surname, full ID number or mobile")}),
    )
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *PersonStatus.choices], required=False
    )
    registration = forms.ChoiceField(
        label=_("Registration"), choices=[("", _("All")), *Registration.choices], required=False
    )
    group = forms.ChoiceField(
        label=_("Special group"), choices=[("", _("All")), *SpecialGroup.choices], required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        granted = scope.granted_groups(user)
        if granted:
            self.fields["group"].choices = [  # type: ignore[attr-defined]
                ("", _("All")),
                *((v, label) for v, label in SpecialGroup.choices if v in granted),
            ]
        else:
            del self.fields["group"]  # nothing to filter by without a need-to-know grant
        self.fields["grid"].queryset = (  # type: ignore[attr-defined]
            Area.objects.visible_to(user).grids().order_by("code")
        )

    def people(self) -> QuerySet[Person]:
        """The people the user may see, filtered when the form has data, in list order."""
        people: QuerySet[Person] = Person.objects.visible_to(self.user).select_related(
            "grid", "house__unit__building"
        )
        if self.is_bound:
            people = self.apply(people)
        return people.order_by("grid_id", "house_id", "id")

    def apply(self, people: QuerySet[Person]) -> QuerySet[Person]:
        if not self.is_valid():
            return people.none()
        data = self.cleaned_data
        q = (data.get("q") or "").strip()
        if q:
            if _PHONE.match(q):
                people = people.with_phone(q)  # type: ignore[attr-defined]
            elif _looks_like_id_number(q):
                try:
                    people = people.with_id_number(normalise_id_number(q))  # type: ignore[attr-defined]
                except ValidationError:
                    people = people.none()
            else:
                people = people.filter(name__startswith=q)
        if data.get("grid"):
            people = people.filter(grid=data["grid"])
        for name in ("status", "registration"):
            if data.get(name):
                people = people.filter(**{name: data[name]})
        if data.get("group"):
            # Only records the user holds a need-to-know grant for narrow the list.
            records = SpecialGroupRecord.objects.visible_to(self.user).filter(group=data["group"])
            people = people.filter(pk__in=records.values("person_id"))
        return people
