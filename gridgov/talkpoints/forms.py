from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.models import User
from gridgov.cases.models import Category
from gridgov.geo.models import Area
from gridgov.registry.models import Unit
from gridgov.talkpoints.actions import MAX_ATTENDANCE, host_candidates


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.username


class TalkPointForm(forms.Form):
    name = forms.CharField(label=_("Talk point name"), max_length=100)
    units = forms.ModelMultipleChoiceField(
        label=_("Building units served"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one building unit.")},
    )
    host = UserChoiceField(label=_("Host"), queryset=User.objects.none())
    schedule = forms.CharField(
        label=_("Schedule"),
        max_length=100,
        help_text=_("For example: every Saturday 9:00–11:00."),
    )
    place = forms.CharField(label=_("Meeting place"), max_length=100, required=False)

    def __init__(self, *args: Any, grid: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(building__grid=grid)
            .select_related("building__grid")
            .order_by("building__code", "number")
        )
        self.fields["host"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in host_candidates(grid)]
        ).order_by("full_name", "username")


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=MAX_ATTENDANCE)
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Issue"), max_length=100)
    description = forms.CharField(
        label=_("What residents said"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    unit = forms.ModelChoiceField(label=_("Building unit"), queryset=Unit.objects.none())
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        empty_label=_("Not sure (staff will choose)"),
        queryset=Category.objects.active().filter(parent__isnull=False).order_by("code"),
    )
    dispute = forms.BooleanField(label=_("A dispute: refer it to mediation"), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
