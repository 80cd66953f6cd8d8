from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.cases import actions
from gridgov.cases.action_forms import action_forms, take_action
from gridgov.cases.actions import CASES, CaseAction
from gridgov.cases.filters import CaseFilter
from gridgov.cases.forms import HotlineForm
from gridgov.cases.models import Case, CaseAttachment, MediaState
from gridgov.cases.permissions import may_see_reporter
from gridgov.cases.queues import queue_cases, queues_for
from gridgov.core.models import get_visible_or_404
from gridgov.lifecycle import IllegalMove, NotAllowed

LIST_FIELDS = ("category", "grid", "owner")


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    queue, cases = queue_cases(request.user, request.GET.get("queue", ""))
    filters = CaseFilter(
        request.GET,
        queryset=cases.select_related(*LIST_FIELDS).defer("grid__boundary"),
        request=request,
    )
    page = Paginator(filters.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "queues": queues_for(request.user),
        "queue": queue,
        "filters": filters,
        "page": page,
        "query_prefix": f"{query.urlencode()}&" if query else "",
        "can_register": bool(scope.case_create_paths(request.user)),  # type: ignore[arg-type]
        "active_nav": "cases",
    }
    template = "cases/_case_list.html" if request.htmx else "cases/workbench.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _detail_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    forms = action_forms(CASES, request.user, case)
    merging = any(f.action == CaseAction.MERGE_INTO for f in forms)
    return {
        "case": case,
        "events": case.events.select_related("actor", "actor_org"),
        "attachments": case.attachments.all(),
        "actions": forms,
        "show_reporter": may_see_reporter(request.user, case),  # type: ignore[arg-type]
        "duplicates": actions.duplicate_candidates(case) if merging else [],
        "active_nav": "cases",
    }


def _get_case(request: HttpRequest, number: str) -> Case:
    queryset = Case.objects.select_related(
        "category",
        "grid",
        "community",
        "owner",
        "department",
        "building",
        "unit",
        "reporter_user",
        "merged_into",
        "area",
    )
    return get_visible_or_404(queryset, request.user, number=number)


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _get_case(request, number)
    return render(request, "cases/detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    case = _get_case(request, number)
    if action not in CASES:
        return render(request, "cases/detail.html", _detail_context(request, case), status=404)

    def page(status: int) -> HttpResponse:
        again = _get_case(request, case.number)
        return render(request, "cases/detail.html", _detail_context(request, again), status=status)

    url = reverse("cases:detail", kwargs={"number": case.number})
    return take_action(request, CASES, case, CASES[action], url, page, done=_case_done)


def _case_done(case: Case, label: str) -> str:
    # A button ending in "…" ("Merge into…") asks for more; once done, say what was chosen.
    done = label.rstrip("…")
    if done != label and case.merged_into is not None:
        done = f"{done} {case.merged_into.number}"
    # Say where the case went: a failed verification is "done" but sends it back.
    return _("Done: %(action)s. The case is now: %(status)s.") % {
        "action": done,
        "status": case.get_status_display(),
    }


@login_required
def hotline_new(request: HttpRequest) -> HttpResponse:
    # Staff register cases for others here; residents report their own at /cases/report/, and
    # roles that register nowhere are told so before they fill anything in.
    if not scope.case_create_paths(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only community, grid and street staff register cases here."))
    form = HotlineForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.create_case(
                acting_user=request.user,  # type: ignore[arg-type]
                **form.case_fields(),
            )
        except (IllegalMove, NotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
            return redirect("cases:detail", number=case.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/new.html", {"form": form, "active_nav": "cases"}, status=status)


def serve_attachment(request: HttpRequest, pk: int, variant: str) -> HttpResponseBase:
    """The display copy or thumbnail of an attachment the user may see (never the original)."""
    item = get_visible_or_404(CaseAttachment.objects, request.user, pk=pk)
    file = item.thumbnail if variant == "thumb" else item.display
    if item.state != MediaState.READY or not file:
        raise Http404(_("This file is still being processed, or its processing failed."))
    content_type = "audio/mp4" if item.is_voice else "image/jpeg"
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    return serve_attachment(request, pk, "display")


@login_required
def attachment_thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    return serve_attachment(request, pk, "thumb")


@login_required
@require_POST
def retry_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the processing of a failed or stuck attachment again (staff who may see the case)."""
    from gridgov.cases.processing import retry

    item = get_visible_or_404(CaseAttachment.objects.select_related("case"), request.user, pk=pk)
    if request.user.is_staff_member:  # type: ignore[union-attr]
        retry(item)
    return redirect("cases:detail", number=item.case.number)
