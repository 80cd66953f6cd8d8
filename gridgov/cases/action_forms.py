"""The case page's action buttons and forms, generated from the action specs.

Each available action becomes a button (the first step of the normal path is the red one) and
a form whose fields come from the spec's input serializer; no template names an action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.utils.translation import pgettext
from rest_framework import serializers

from gridgov.accounts.models import Organisation
from gridgov.cases.inputs import PhotosField
from gridgov.cases.models import Case
from gridgov.lifecycle import ActionSpec, Lifecycle


@dataclass
class Widget:
    name: str
    label: str
    kind: str  # text, textarea, select, datetime, file, yesno
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    initial: str = ""
    rows: int = 2
    yes: str = ""
    no: str = ""


@dataclass
class ActionForm:
    action: str
    label: str
    primary: bool
    hint: str
    widgets: list[Widget]


def _choices(field: serializers.Field) -> list[tuple[str, str]]:
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        queryset = field.get_queryset()
        assert queryset is not None
        if queryset.model is Organisation:
            queryset = queryset.order_by("name")
        return [("", "—"), *((str(o.pk), str(getattr(o, "name", o))) for o in queryset)]
    if isinstance(field, serializers.ChoiceField):
        return [(str(k), str(v)) for k, v in field.choices.items()]
    return []


def _widget(name: str, field: serializers.Field, initial: Any) -> Widget:
    style = field.style
    label = str(field.label or name)
    required = bool(field.required or style.get("required"))
    if isinstance(field, serializers.BooleanField):
        return Widget(
            name, str(style.get("legend", label)), "yesno", True,
            yes=str(style.get("yes", "")), no=str(style.get("no", "")),
        )  # fmt: skip
    if isinstance(field, PhotosField):
        return Widget(name, label, "file", required)
    if isinstance(field, serializers.ChoiceField | serializers.PrimaryKeyRelatedField):
        return Widget(name, label, "select", required, _choices(field), str(initial or ""))
    if isinstance(field, serializers.DateTimeField):
        return Widget(name, label, "datetime", required)
    long_text = field.max_length is None or field.max_length > 100  # type: ignore[attr-defined]
    kind = "textarea" if long_text else "text"
    return Widget(
        name, label, kind, required, initial=str(initial or ""), rows=style.get("rows", 2)
    )


def form_for(spec: ActionSpec, case: Case, label: str, primary: bool) -> ActionForm:
    widgets: list[Widget] = []
    hint = ""
    if spec.input is not None:
        serializer = spec.input(case=case)
        initial = serializer.initial_for(case)
        hint = serializer.hint(case)
        widgets = [_widget(n, f, initial.get(n)) for n, f in serializer.fields.items()]
    return ActionForm(spec.name, label, primary, hint, widgets)


def action_forms(lifecycle: Lifecycle, user: Any, case: Case) -> list[ActionForm]:
    """The forms of the actions the user may take on the case now, in page order."""
    available = lifecycle.available(user, case)
    primary = lifecycle.primary(available)
    return [
        form_for(spec, case, spec.button_for(lifecycle.role_for(spec, user, case)), spec is primary)
        for spec in available
    ]


def bind_input(spec: ActionSpec, request: Any, obj: Any) -> Any:
    """The spec's input serializer bound to the posted form (None for an action without input).

    A browser sends an empty part for a file input left empty: that is "no photo", not a photo.
    """
    if spec.input is None:
        return None
    data: Any = request.POST.copy()
    data.setlist("photos", [f for f in request.FILES.getlist("photos") if f.size])
    return spec.input(data=data, case=obj, user=request.user)


def report_input_errors(request: Any, form: Any) -> None:
    """Each refused field as a page message: "label：message"."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in _flat(errors):
            messages.error(
                request, f"{label}{pgettext('label separator', ': ')}{error}" if label else error
            )


def _flat(errors: Any) -> list[str]:
    """A serializer field's messages, whether a list or, for a list field, a dict by item index."""
    if isinstance(errors, dict):
        return [message for item in errors.values() for message in _flat(item)]
    if isinstance(errors, list | tuple):
        return [message for item in errors for message in _flat(item)]
    return [str(errors)]
