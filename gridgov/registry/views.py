"""Registry pages: the people list, a person's e-file, editing in the field, unmasking."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.audit.models import AuditEntry
from gridgov.core.masking import mask_name
from gridgov.core.models import get_visible_or_404
from gridgov.registry import actions, search
from gridgov.registry.choices import SPECIAL_GROUP_FIELDS, Relation, SpecialGroup
from gridgov.registry.filters import PersonFilter
from gridgov.registry.forms import (
    DepartedForm,
    PersonForm,
    SpecialGroupForm,
    UnmaskForm,
    initial_for,
)
from gridgov.registry.inputs import Places
from gridgov.registry.models import Household, Person, SpecialGroupRecord
from gridgov.registry.permissions import (
    can_edit,
    can_register,
    granted_groups,
    may_edit_special_group,
    owns,
)

PAGE_SIZE = 30
CHANGE_LABELS = {
    field.name: field.verbose_name
    for field in Person._meta.get_fields()
    if hasattr(field, "verbose_name")
}


def _registry_user(request: HttpRequest) -> Any:
    user = request.user
    if not scope.registry_paths(user):  # type: ignore[arg-type]
        raise Http404
    return user


def _person(request: HttpRequest, pk: int) -> Person:
    queryset = Person.objects.select_related("grid", "house__unit__building", "household")
    return get_visible_or_404(queryset, request.user, pk=pk)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    if request.method == "POST":  # the filter form: kept server-side, the URL holds a token
        token = search.remember(request, request.POST)
        return redirect(f"{reverse('registry:people')}?{urlencode({'search': token})}")
    data, refused = search.filter_data(request)
    filters = PersonFilter(data, user=user)
    if refused:
        messages.error(
            request,
            _("Search by ID number or mobile number with the search box, not in the address."),
        )
    page = Paginator(filters.people(), PAGE_SIZE).get_page(request.GET.get("page"))
    groups: dict[int, list[str]] = {}
    if "group" in filters.fields:  # the user holds a need-to-know grant: show their groups
        records = SpecialGroupRecord.objects.visible_to(user).filter(
            person__in=[p.pk for p in page]
        )
        for record in records:
            groups.setdefault(record.person_id, []).append(record.get_group_display())
    for person in page:
        person.shown_id = person.masked_id(wide=owns(user, person))  # type: ignore[attr-defined]
        person.groups = groups.get(person.pk, [])  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    if refused:
        query.pop("q", None)
    return render(
        request,
        "registry/people.html",
        {
            "filters": filters,
            "page": page,
            "query_prefix": f"{query.urlencode()}&" if query else "",
            "query": query.urlencode(),
            "can_register": can_register(user),
            "active_nav": "registry",
        },
    )


def _detail_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    user = request.user
    records = SpecialGroupRecord.objects.visible_to(user).filter(person=person)
    granted = granted_groups(user, person)  # type: ignore[arg-type]
    history = (
        AuditEntry.objects.history_of("registry.person", person.pk)
        .filter(action__startswith="registry.")
        .exclude(action="registry.person.unmask")[:20]
    )
    return {
        "person": person,
        "owner": owns(user, person),  # type: ignore[arg-type]
        "can_edit": can_edit(user, person),  # type: ignore[arg-type]
        "shown_id": person.masked_id(wide=owns(user, person)),  # type: ignore[arg-type]
        "special_groups": [
            (r, [(label, r.details.get(key, "")) for key, label in SPECIAL_GROUP_FIELDS[r.group]])
            for r in records
        ],
        "groups_to_add": [
            (value, label)
            for value, label in SpecialGroup.choices
            if value in granted and value not in {r.group for r in records}
        ],
        "history": [
            (
                entry,
                [
                    (CHANGE_LABELS.get(f, f), before, after)
                    for f, (before, after) in (entry.detail.get("changes") or {}).items()
                ],
            )
            for entry in history
        ],
        "unmask_form": extra.pop("unmask_form", UnmaskForm()),
        "departed_form": extra.pop("departed_form", DepartedForm()),
        "active_nav": "registry",
        **extra,
    }


@login_required
@never_cache
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _registry_user(request)
    person = _person(request, pk)
    return render(request, "registry/person.html", _detail_context(request, person))


@login_required
@never_cache
@require_POST
def person_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full ID number and phone in this one response: nothing is stored, so the
    full values expire with the page."""
    user = _registry_user(request)
    person = _person(request, pk)
    form = UnmaskForm(request.POST)
    full: dict[str, str] | None = None
    if form.is_valid():
        try:
            full = actions.unmask(person, form.cleaned_data["reason"], acting_user=user)
        except PermissionDenied as error:
            form.add_error(None, str(error))
    template = "registry/_identity.html" if request.htmx else "registry/person.html"  # type: ignore[attr-defined]
    # htmx swaps only 2xx answers: a refusal inside the panel is still shown to the user.
    status = 200 if full or request.htmx else 400  # type: ignore[attr-defined]
    context = _detail_context(request, person, unmask_form=form, full=full)
    return render(request, template, context, status=status)


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    if not can_register(user):
        raise Http404
    places = Places.for_user(user)
    form = PersonForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        person = actions.register_person(form.checked_values, acting_user=user)
        messages.success(request, _("Registered."))
        return redirect("registry:person", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "title": _("Register a person"), "active_nav": "registry"},
        status=400 if form.is_bound else 200,
    )


@login_required
@never_cache
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _registry_user(request)
    person = _person(request, pk)
    if not can_edit(user, person):
        raise Http404
    places = Places.for_user(user)
    form = PersonForm(
        request.POST or None, places=places, editing=person, initial=initial_for(person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.update_person(person, form.checked_values, acting_user=user)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if changes:
                messages.success(request, _("Saved; the change is in the record's history."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("registry:person", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "person": person, "title": _("Update record"), "active_nav": "registry"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def person_departed(request: HttpRequest, pk: int) -> HttpResponse:
    user = _registry_user(request)
    person = _person(request, pk)
    form = DepartedForm(request.POST)
    if not can_edit(user, person):
        raise Http404
    if not form.is_valid():
        context = _detail_context(request, person, departed_form=form)
        return render(request, "registry/person.html", context, status=400)
    actions.mark_departed(
        person, form.cleaned_data["status"], form.cleaned_data["on"], acting_user=user
    )
    messages.success(request, _("Saved; the change is in the record's history."))
    return redirect("registry:person", pk=person.pk)


@login_required
@never_cache
def special_group_edit(request: HttpRequest, pk: int, group: str) -> HttpResponse:
    user = _registry_user(request)
    person = _person(request, pk)
    if group not in SpecialGroup.values:
        raise Http404
    if not may_edit_special_group(user, person, group):
        raise Http404
    records = SpecialGroupRecord.objects.visible_to(user, "change")
    entry = records.filter(person=person, group=group).first()
    initial: dict[str, Any] = {}
    if entry is not None:
        initial = {"since": entry.since, "note": entry.note}
        initial.update({f"detail_{k}": v for k, v in entry.details.items()})
    form = SpecialGroupForm(request.POST or None, group=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.set_special_group(
            person,
            group,
            acting_user=user,
            since=form.cleaned_data["since"],
            details=form.details(),
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Saved."))
        return redirect("registry:person", pk=person.pk)
    return render(
        request,
        "registry/special_group_form.html",
        {
            "form": form,
            "person": person,
            "group_label": SpecialGroup(group).label,
            "active_nav": "registry",
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _registry_user(request)
    household = get_visible_or_404(
        Household.objects.select_related("house__unit__building__grid"), user, pk=pk
    )
    members = (
        Person.objects.visible_to(user)
        .filter(household=household)
        .order_by(Case(When(relation=Relation.HEAD, then=0), default=1), "birth_date", "id")
    )
    return render(
        request,
        "registry/household.html",
        {
            "household": household,
            "house": household.house,
            "owner": mask_name(household.house.owner_name),
            "members": members,
            "active_nav": "registry",
        },
    )
