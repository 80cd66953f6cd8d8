from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gridgov.cases.forms import MultiplePhotoInput, PhotosField
from gridgov.cases.media import InvalidUpload, check_voice
from gridgov.cases.models import Category
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.registry.models import Building, Unit

DESCRIPTION_MAX = 2000
# Django's own wording ("确保该变量…") is not for residents: say the limit and the count plainly.
TOO_LONG = {
    "max_length": _(
        "At most %(limit_value)d characters; this has %(show_value)d. Please shorten it."
    )
}


class CategoryNameField(forms.ModelChoiceField):
    """Residents choose a kind of problem by its name; codes ("0301 …") are for staff."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReportForm(forms.Form):
    """A resident's report from a phone: what, where, photos or a voice message."""

    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=DESCRIPTION_MAX,
        required=False,
        error_messages=TOO_LONG,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("Describe it in a few words"),
                "data-max": DESCRIPTION_MAX,
                "aria-describedby": "description-count",
            }
        ),
    )
    category = CategoryNameField(
        label=_("Kind of problem"),
        required=False,
        empty_label=_("Not sure"),
        queryset=Category.objects.active().filter(parent__isnull=False).order_by("code"),
        # The visible label names the search box; the list needs its own name.
        widget=forms.Select(attrs={"aria-label": _("Kind of problem")}),
    )
    photos = PhotosField(
        label=_("Photos (up to 9)"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*"}),
    )
    voice = forms.FileField(
        label=_("Voice message"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Area.objects.filter(kind=AreaKind.COMMUNITY),
        required=False,
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        required=False,
        queryset=Building.objects.all(),
        empty_label=_("— choose a building —"),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.all())
    address = forms.CharField(
        label=_("Where exactly?"), max_length=200, required=False, error_messages=TOO_LONG
    )
    confidential = forms.BooleanField(
        label=_("Keep my identity confidential (身份保密)"),
        required=False,
        help_text=_("Only the community and above will see who reported it."),
    )
    contact_name = forms.CharField(
        label=_("Your name"), max_length=50, required=False, error_messages=TOO_LONG
    )
    contact_phone = forms.RegexField(
        label=_("Your phone, to be called back"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mainland mobile number.")},
    )
    # Sent back by the page with every retry; a client without one simply gets no retry safety.
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        # No maxlength in the page: the browser would cut a long paste without a word. The page
        # counts instead, and the server refuses with the count.
        self.fields["description"].widget.attrs.pop("maxlength", None)
        if user.is_authenticated:
            scope = Building.objects.visible_to(user).select_related("grid")
            self.fields["building"].queryset = scope.order_by("code")  # type: ignore[attr-defined]
            self.fields["unit"].queryset = Unit.objects.filter(building__in=scope)  # type: ignore[attr-defined]
            for name in ("contact_name", "contact_phone"):
                del self.fields[name]
            home = next(
                (
                    m.area
                    for m in user.active_memberships
                    if m.area and m.area.kind == AreaKind.COMMUNITY
                ),
                None,
            )
            self.fields["community"].initial = home
        else:
            self.fields["contact_phone"].required = True
            # Without an account the buildings are those of the community the reporter chose
            # (the page fetches them from the public list); any other building is refused.
            community = str(self.data.get("community") or "") if self.is_bound else ""
            buildings = (
                Building.objects.filter(grid__parent_id=int(community)).order_by("code")
                if community.isdigit() and len(community) < 19
                else Building.objects.none()
            )
            self.fields["building"].queryset = buildings  # type: ignore[attr-defined]
            self.fields["building"].widget.attrs["data-source"] = reverse("api:public-buildings")
            self.fields["unit"].queryset = Unit.objects.filter(building__in=buildings)  # type: ignore[attr-defined]

    def clean_voice(self) -> Any:
        upload = self.cleaned_data.get("voice")
        if not upload:
            return None
        try:
            return check_voice(upload)
        except InvalidUpload as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("description") and not data.get("photos") and not data.get("voice"):
            raise forms.ValidationError(
                _("Describe the problem, add a photo or record a voice message.")
            )
        has_point = data.get("lat") is not None and data.get("lon") is not None
        has_gps = any(p.gps for p in data.get("photos") or [])
        if not (has_point or data.get("building") or has_gps or data.get("community")):
            raise forms.ValidationError(
                _("Tell us where: use your location, choose a building, or tap the map.")
            )
        return data

    def case_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        category = data.get("category")
        text = data.get("description") or ""
        title = text[:30] if text else (category.name if category else _("Report with media"))
        return {
            "title": str(title),
            "description": text or str(_("(see the photos or voice message)")),
            "category": category,
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "building": data.get("building"),
            "unit": data.get("unit"),
            "community": data.get("community"),
            "address": data.get("address") or "",
            "confidential": data.get("confidential", False),
            "photos": data.get("photos") or [],
            "voice": data.get("voice"),
            "idempotency_key": data.get("idempotency_key") or "",
            "reporter_name": data.get("contact_name") or "",
            "reporter_phone": data.get("contact_phone") or "",
        }
