"""The case page's action buttons and forms, generated from the action specs, and the one body
of the pages' action routes (`take_action`, used by the case, hazard and mediation pages).

Each available action becomes a button (the first step of the normal path is the red one) and
a form whose fields come from the spec's input serializer; no template names an action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from rest_framework import serializers

from gridgov.accounts.models import Organisation
from gridgov.cases.inputs import PhotosField
from gridgov.cases.models import Case
from gridgov.lifecycle import ActionSpec, IllegalMove, Lifecycle, NotAllowed, transition


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


def done_message(moved: Any, label: str) -> str:
    """The usual word after a move: "Done: <button>."."""
    return _("Done: %(action)s.") % {"action": label}


def take_action(
    request: Any,
    lifecycle: Lifecycle,
    obj: Any,
    spec: ActionSpec,
    done_url: str,
    page: Callable[[int], HttpResponse],
    *,
    done: Callable[[Any, str], str] = done_message,
    status_first: bool = False,
) -> HttpResponse:
    """A page's post of one move: bind and check the posted input, take the move through the
    kernel, and say how it went. Made: the `done` message and a redirect to `done_url`.
    Refused: the page again (`page(status)`) with the reason — 400 bad input (each field's
    message), 403 no role (`NotAllowed`), 409 the state or a rule (`IllegalMove`).

    `status_first` says a move the object's status does not allow before any input problem
    (the kernel checks it again under the row lock)."""
    form = bind_input(spec, request, obj)
    if status_first and not spec.allows_status(lifecycle.status_of(obj)):
        words = {"status": lifecycle.status_label(lifecycle.status_of(obj)), "action": spec.label}
        messages.error(request, str(lifecycle.wrong_status) % words)
        return page(409)
    if form is not None and not form.is_valid():
        report_input_errors(request, form)
        return page(400)
    # The button's words for this user (a per-role button asks who the user is to the object).
    role = lifecycle.role_for(spec, request.user, obj) if spec.role_buttons else None
    label = spec.button_for(role)
    try:
        moved = transition(
            lifecycle,
            obj,
            spec.name,
            acting_user=request.user,
            data=form.validated_data if form is not None else {},
        )
    except NotAllowed as error:
        messages.error(request, str(error))
        return page(403)
    except IllegalMove as error:
        messages.error(request, str(error))
        return page(409)
    messages.success(request, done(moved, label))
    return redirect(done_url)


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
