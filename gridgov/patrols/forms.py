"""Forms of the plan pages (community staff); the checks that matter are in `planning.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.hazards.models import HazardSite
from gridgov.patrols.choices import CheckpointKind
from gridgov.patrols.planning import MAX_RADIUS_M, MAX_ROUNDS_PER_DAY, grid_workers
from gridgov.registry.models import Unit
from gridgov.talkpoints.models import TalkPoint


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.username


class PlanForm(forms.Form):
    worker = WorkerChoice(label=_("Grid worker"), queryset=None, empty_label=None)
    rounds_per_day = forms.IntegerField(
        label=_("Rounds per working day"), min_value=1, max_value=MAX_ROUNDS_PER_DAY, initial=2
    )
    starts_on = forms.DateField(
        label=_("Active from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Active to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for no end."),
    )
    is_active = forms.BooleanField(label=_("In force"), required=False, initial=True)

    def __init__(self, *args: Any, grid: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from gridgov.accounts.models import User

        workers = [u.pk for u in grid_workers(grid)]
        users = User.objects.filter(pk__in=workers).order_by("full_name", "username")
        self.fields["worker"].queryset = users  # type: ignore[attr-defined]
        if not editing:
            del self.fields["is_active"]
            self.fields["starts_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("A plan cannot end before it starts."))
        return data


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class CheckpointForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CheckpointKind.choices)
    name = forms.CharField(
        label=_("name"),
        max_length=120,
        required=False,
        help_text=_("Empty: the name of the unit, talk point or hazard site."),
    )
    unit = UnitChoice(label=_("Building unit"), queryset=Unit.objects.none(), required=False)
    hazard_site = UnitChoice(
        label=_("hazard site"), queryset=HazardSite.objects.none(), required=False
    )
    talk_point = UnitChoice(
        label=_("talk point"), queryset=TalkPoint.objects.none(), required=False
    )
    lat = forms.FloatField(
        label=_("latitude"), required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lon = forms.FloatField(
        label=_("longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    radius_m = forms.IntegerField(
        label=_("check-in radius (m)"), min_value=5, max_value=MAX_RADIUS_M, initial=50
    )

    def __init__(self, *args: Any, grid: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(building__grid=grid)
            .select_related("building")
            .order_by("building__code", "number")
        )
        # The grid's sites and talk points in use (plus the ones the checkpoint links already).
        linked = self.initial or {}
        self.fields["hazard_site"].queryset = HazardSite.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=linked.get("hazard_site") or 0), grid=grid
        ).order_by("name", "pk")
        self.fields["talk_point"].queryset = TalkPoint.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=linked.get("talk_point") or 0), grid=grid
        ).order_by("name", "pk")

    def target(self) -> dict[str, Any]:
        """The picked target of the chosen kind only (a picker of another kind is ignored)."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "unit": data["unit"] if kind == CheckpointKind.UNIT else None,
            "hazard_site": data["hazard_site"] if kind == CheckpointKind.HAZARD_SITE else None,
            "talk_point": data["talk_point"] if kind == CheckpointKind.TALK_POINT else None,
        }
