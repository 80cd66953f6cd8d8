"""The page forms of the hazard register (the actions validate the rules of the trade)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.cases.media import InvalidUpload, check_photos
from gridgov.geo.models import Area
from gridgov.hazards.choices import InspectionResult, RiskLevel, SiteKind
from gridgov.hazards.models import HazardSite


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in `HazardForm.clean_photos`."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        return [f for f in data if f] if isinstance(data, list | tuple) else data


class HazardForm(forms.Form):
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    title = forms.CharField(label=_("What is the hazard?"), max_length=100)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none())
    site = forms.ModelChoiceField(
        label=_("Hazard site"), queryset=HazardSite.objects.none(), required=False
    )
    address = forms.CharField(label=_("Place"), max_length=200, required=False)
    lon = forms.FloatField(
        label=_("Longitude (WGS-84, optional)"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lat = forms.FloatField(
        label=_("Latitude (WGS-84, optional)"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    responsible_party = forms.CharField(
        label=_("Responsible party"), max_length=100, required=False
    )
    deadline = forms.DateField(
        label=_("Rectification deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        paths = scope.hazard_paths(user, scope.Action.CREATE)
        grids = Area.objects.grids().filter(scope.under(paths)).order_by("code")
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]
        self.fields["site"].queryset = (  # type: ignore[attr-defined]
            HazardSite.objects.visible_to(user, "change").filter(is_active=True).order_by("name")
        )
        if len(grids) == 1:
            self.fields["grid"].initial = grids[0]
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=7)

    def clean_photos(self) -> Any:
        uploads = [f for f in self.files.getlist("photos") if f.size]
        try:
            return check_photos(uploads)
        except InvalidUpload as error:
            raise forms.ValidationError(str(error)) from None


class InspectionForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=InspectionResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=SiteKind.choices)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none())
    address = forms.CharField(label=_("Place"), max_length=200, required=False)
    responsible_party = forms.CharField(label=_("Responsible party"), max_length=100)
    inspection_interval_days = forms.IntegerField(
        label=_("Inspection interval (days)"), min_value=1, max_value=366, initial=30
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        paths = scope.hazard_paths(user, scope.Action.CREATE)
        self.fields["grid"].queryset = (  # type: ignore[attr-defined]
            Area.objects.grids().filter(scope.under(paths)).order_by("code")
        )
