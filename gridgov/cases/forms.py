from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.cases.choices import Channel, Urgency
from gridgov.cases.media import InvalidUpload, check_photos
from gridgov.cases.models import Category
from gridgov.geo.models import Area
from gridgov.registry.models import Building


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        try:
            return check_photos(list(files))
        except InvalidUpload as error:
            raise forms.ValidationError(str(error)) from None


class HotlineForm(forms.Form):
    """A case taken by phone or in person by community staff, or reported by a grid worker."""

    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        empty_label=_("Not sure (staff will choose)"),
        queryset=Category.objects.active().filter(parent__isnull=False).order_by("code"),
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        required=False,
        queryset=Building.objects.none(),
        empty_label=_("— no building —"),
    )
    address = forms.CharField(label=_("Address or place"), max_length=200, required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Needed only when no building is chosen."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.HOTLINE
    )
    reporter_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    reporter_phone = forms.RegexField(
        label=_("Caller's phone"),
        regex=r"^\d{7,12}$",
        required=False,
        help_text=_("Stored encrypted; used only to call back."),
        error_messages={"invalid": _("Enter the phone number as digits only.")},
    )
    confidential = forms.BooleanField(
        label=_("Keep the caller's identity confidential"), required=False
    )
    photos = PhotosField(label=_("Photos"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["building"].queryset = (  # type: ignore[attr-defined]
            Building.objects.filter(scope.case_place_condition(user)).order_by("code")
        )
        # Where the user may register cases (a grid worker: their grid's community; ADR 0011).
        where = scope.under(scope.case_create_paths(user))
        communities = Area.objects.filter(where, kind="community").order_by("code")
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        if communities.count() == 1:
            self.fields["community"].initial = communities.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("building") and not data.get("community"):
            raise forms.ValidationError(_("Choose a building, or the community."))
        return data

    def case_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "building": data["building"],
            "community": data["community"],
            "address": data["address"],
            "urgency": data["urgency"],
            "reporter_name": data["reporter_name"],
            "reporter_phone": data["reporter_phone"],
            "confidential": data["confidential"],
            "photos": data["photos"],
        }
