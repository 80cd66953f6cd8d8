"""Notice pages (phone first): the list, writing, the notice itself with its moves, the read
rates per target, and the grid worker's "who has not read it" list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.core.models import get_visible_or_404
from gridgov.lifecycle import IllegalMove, NotAllowed, transition
from gridgov.notices import audience
from gridgov.notices.actions import create_notice, mark_read, mark_told
from gridgov.notices.choices import AUTHOR_ROLES
from gridgov.notices.forms import NoticeForm
from gridgov.notices.lifecycle import NOTICES
from gridgov.notices.models import Notice, NoticeRead


def _owner_area(user: Any) -> Any:
    """The area the user writes notices for: their first author membership's."""
    for m in user.active_memberships:
        if m.role in AUTHOR_ROLES and m.scope_area is not None:
            return m.scope_area
    return None


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Unread marks only for the notices the user is the audience of (not those they wrote).
    for_me = Notice.objects.filter(
        audience.reader_condition(user),  # type: ignore[arg-type]
        pk=OuterRef("pk"),
    )
    notices = (
        Notice.objects.visible_to(user)
        .select_related("owner_area")
        .annotate(
            for_me=Exists(for_me),
            is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user_id=user.pk or 0)),
        )
        .order_by("-published_at", "-created_at")[:100]
    )
    return render(
        request,
        "notices/list.html",
        {"notices": notices, "can_write": _owner_area(user) is not None, "active_nav": "notices"},
    )


@login_required
def notice_new(request: HttpRequest) -> HttpResponse:
    owner = _owner_area(request.user)
    if owner is None:
        raise PermissionDenied
    form = NoticeForm(request.POST or None, owner_area=owner)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = create_notice(
                    acting_user=request.user,  # type: ignore[arg-type]
                    owner_area=owner,
                    title=data["title"],
                    body=data["body"],
                    important=data["important"],
                    for_residents=data["for_residents"],
                    for_staff=data["for_staff"],
                    areas=data["areas"],
                    buildings=data["buildings"],
                    files=request.FILES.getlist("files"),
                )
            except (IllegalMove, NotAllowed) as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Draft saved. Publish or schedule it below."))
                return redirect("notices:detail", pk=notice.pk)
        status = 400
    return render(
        request,
        "notices/new.html",
        {"form": form, "owner": owner, "active_nav": "notices"},
        status=status,
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    notice = get_visible_or_404(Notice.objects.select_related("owner_area"), user, pk=pk)
    mark_read(notice, user)  # type: ignore[arg-type]
    specs = NOTICES.available(user, notice)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "actions": specs,
            "is_author": bool(NOTICES.relations(user, notice)),
            "follows_up": audience.follows_up(user, notice),  # type: ignore[arg-type]
            "attachments": notice.attachments.all(),
            "events": notice.events.select_related("actor"),
            "active_nav": "notices",
        },
    )


@login_required
@require_POST
def notice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    notice = get_visible_or_404(Notice.objects.all(), request.user, pk=pk)
    if action not in NOTICES:
        raise Http404
    spec = NOTICES[action]
    data: dict[str, Any] = {}
    if spec.input is not None:
        serializer = spec.input(data=request.POST)
        if not serializer.is_valid():
            errors = [str(e) for errs in serializer.errors.values() for e in errs]
            messages.error(request, " ".join(errors))
            return redirect("notices:detail", pk=pk)
        data = dict(serializer.validated_data)
    try:
        transition(NOTICES, notice, action, acting_user=request.user, data=data)
    except (IllegalMove, NotAllowed) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
    return redirect("notices:detail", pk=pk)


@login_required
def notice_rates(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_or_404(Notice.objects.all(), request.user, pk=pk)
    if not NOTICES.relations(request.user, notice):
        raise Http404
    return render(
        request,
        "notices/rates.html",
        {"notice": notice, "rates": audience.read_rates(notice), "active_nav": "notices"},
    )


@login_required
def notice_unread(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_or_404(Notice.objects.all(), request.user, pk=pk)
    if not audience.follows_up(request.user, notice):  # type: ignore[arg-type]
        raise Http404
    from django.core.paginator import Paginator

    people = audience.unread_in_grids(notice, request.user)  # type: ignore[arg-type]
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/unread.html",
        {
            "notice": notice,
            "people": page.object_list,
            "page": page,
            "total": page.paginator.count,
            "active_nav": "notices",
        },
    )


@login_required
@require_POST
def notice_told(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    from gridgov.registry.models import Person

    notice = get_visible_or_404(Notice.objects.all(), request.user, pk=pk)
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_pk)
    try:
        mark_told(notice, person, acting_user=request.user)  # type: ignore[arg-type]
    except (IllegalMove, NotAllowed) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Marked as told in person."))
    return redirect("notices:unread", pk=pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An attachment of a notice the user may see, as a download under its own name."""
    from gridgov.notices.models import NoticeAttachment

    item = get_object_or_404(
        NoticeAttachment.objects.filter(notice__in=Notice.objects.visible_to(request.user)),
        pk=pk,
    )
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type == "application/pdf",
        filename=item.name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
