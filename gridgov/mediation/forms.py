"""The mediation pages' forms: the action forms generated from the specs' input serializers
(as `gridgov.cases.action_forms`, plus dates and several-choice fields), the registration form
and the unmask form."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.cases.action_forms import ActionForm, Widget
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.lifecycle import ActionSpec
from gridgov.mediation.choices import DisputeType, Source
from gridgov.mediation.lifecycle import MEDIATIONS
from gridgov.mediation.models import MediationCase


def _widget(name: str, field: serializers.Field, initial: Any) -> Widget:
    style = field.style
    label = str(field.label or name)
    required = bool(field.required or style.get("required"))
    if isinstance(field, serializers.BooleanField):
        return Widget(
            name, str(style.get("legend", label)), "yesno", True,
            yes=str(style.get("yes", "")), no=str(style.get("no", "")),
        )  # fmt: skip
    if isinstance(field, serializers.MultipleChoiceField):
        choices = [(str(k), str(v)) for k, v in field.choices.items()]
        return Widget(name, label, "checkboxes", required, choices)
    if isinstance(field, serializers.ChoiceField):
        choices = [(str(k), str(v)) for k, v in field.choices.items()]
        if not required and ("", "—") not in choices:
            choices = [("", "—"), *choices]
        return Widget(name, label, "select", required, choices, str(initial or ""))
    if isinstance(field, serializers.DateTimeField):
        return Widget(name, label, "datetime", required)
    if isinstance(field, serializers.DateField):
        return Widget(name, label, "date", required, initial=str(initial or ""))
    long_text = field.max_length is None or field.max_length > 100  # type: ignore[attr-defined]
    kind = "textarea" if long_text else "text"
    return Widget(name, label, kind, required, initial=str(initial or ""), rows=2)


def form_for(spec: ActionSpec, mediation: MediationCase, label: str, primary: bool) -> ActionForm:
    widgets: list[Widget] = []
    hint = ""
    if spec.input is not None:
        serializer = spec.input(case=mediation)
        initial = serializer.initial_for(mediation)
        hint = serializer.hint(mediation)
        widgets = [_widget(n, f, initial.get(n)) for n, f in serializer.fields.items()]
    return ActionForm(spec.name, label, primary, hint, widgets)


def action_forms(user: Any, mediation: MediationCase) -> list[ActionForm]:
    """The forms of the actions the user may take on the case now, in page order."""
    available = MEDIATIONS.available(user, mediation)
    primary = MEDIATIONS.primary(available)
    return [form_for(spec, mediation, spec.button_for(None), spec is primary) for spec in available]


def register_areas(user: Any) -> Any:
    """The grids and communities the user may register a mediation case in."""
    paths = scope.role_paths(user, (*scope.MEDIATION_AREA_ROLES, Role.GRID_WORKER))
    return (
        Area.objects.filter(scope.under(paths), kind__in=[AreaKind.COMMUNITY, AreaKind.GRID])
        .defer("boundary")
        .order_by("code")
    )


class RegisterForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Community or grid"), queryset=Area.objects.none())
    source = forms.ChoiceField(
        label=_("How it came in"),
        choices=[(k, v) for k, v in Source.choices if k != Source.REFERRAL],
    )
    dispute_type = forms.ChoiceField(label=_("Type of dispute"), choices=DisputeType.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    summary = forms.CharField(
        label=_("Summary of the dispute"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=50)
    applicant_phone = forms.CharField(label=_("Applicant's phone"), max_length=20, required=False)
    applicant_id = forms.CharField(label=_("Applicant's ID number"), max_length=18, required=False)
    respondent_name = forms.CharField(label=_("Respondent's name"), max_length=50, required=False)
    respondent_phone = forms.CharField(label=_("Respondent's phone"), max_length=20, required=False)
    respondent_id = forms.CharField(
        label=_("Respondent's ID number"), max_length=18, required=False
    )
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = register_areas(user)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["idempotency_key"].initial = uuid.uuid4().hex

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        parties = [
            {
                "side": "applicant",
                "name": data["applicant_name"],
                "phone": data["applicant_phone"],
                "id_number": data["applicant_id"],
            }
        ]
        if data["respondent_name"].strip():
            parties.append(
                {
                    "side": "respondent",
                    "name": data["respondent_name"],
                    "phone": data["respondent_phone"],
                    "id_number": data["respondent_id"],
                }
            )
        return {
            "area": data["area"],
            "source": data["source"],
            "dispute_type": data["dispute_type"],
            "title": data["title"],
            "summary": data["summary"],
            "parties": parties,
            "idempotency_key": data["idempotency_key"] or "",
        }


class UnmaskForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full details?"), max_length=200)
