from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.geo.models import Area


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, or simple HTML: paragraphs, bold, lists, links."),
    )
    important = forms.BooleanField(label=_("Important"), required=False)
    for_residents = forms.BooleanField(label=_("For residents"), required=False, initial=True)
    for_staff = forms.BooleanField(label=_("For staff"), required=False)
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings"), queryset=Area.objects.none(), required=False
    )

    def __init__(self, *args: Any, owner_area: Area, **kwargs: Any) -> None:
        from gridgov.registry.models import Building

        super().__init__(*args, **kwargs)
        inside = (owner_area.path,)
        areas = self.fields["areas"]
        buildings = self.fields["buildings"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        assert isinstance(buildings, forms.ModelMultipleChoiceField)
        areas.queryset = Area.objects.filter(scope.under(inside)).order_by("path")
        buildings.queryset = (
            Building.objects.filter(scope.under(inside, "grid__path"))
            .select_related("grid")
            .order_by("code")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("for_residents") or data.get("for_staff")):
            raise forms.ValidationError(
                _("Choose who the notice is for: residents, staff or both.")
            )
        return data
