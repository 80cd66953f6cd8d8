from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.accounts.models import Organisation
from gridgov.cases import actions
from gridgov.cases.choices import Satisfaction, Supervision
from gridgov.cases.filters import CaseFilter
from gridgov.cases.forms import HotlineForm
from gridgov.cases.inputs import ACTION_INPUTS, perform
from gridgov.cases.labels import button_label
from gridgov.cases.models import Case, CaseAttachment, MediaState
from gridgov.cases.permissions import acting_role, available_actions, may_see_reporter
from gridgov.cases.queues import queue_cases, queues_for
from gridgov.cases.workflow import in_page_order, primary_action
from gridgov.core.models import get_visible_or_404

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


def _note_field(action: str) -> str:
    """ "required", "optional" or "" for the action's note box."""
    field = ACTION_INPUTS[action][0]().fields.get("note")
    if field is None:
        return ""
    return "required" if field.required else "optional"


def _detail_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    allowed = in_page_order(available_actions(user, case))  # type: ignore[arg-type]
    primary = primary_action(allowed)
    return {
        "case": case,
        "events": case.events.select_related("actor", "actor_org"),
        "attachments": case.attachments.all(),
        "actions": [(a, _label(user, case, a), _note_field(a), a == primary) for a in allowed],
        "show_reporter": may_see_reporter(user, case),  # type: ignore[arg-type]
        "departments": Organisation.objects.dispatch_targets()
        if {"dispatch", "rule_return"} & set(allowed)
        else [],
        "duplicates": actions.duplicate_candidates(case) if "merge_into" in allowed else [],
        "satisfaction_choices": Satisfaction.choices,
        "supervision_choices": Supervision.choices,
        "active_nav": "cases",
    }


def _label(user: Any, case: Case, action: str) -> str:
    return button_label(action, acting_role(user, case, action))


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
    if action not in ACTION_INPUTS:
        return render(request, "cases/detail.html", _detail_context(request, case), status=404)
    input_class, _run = ACTION_INPUTS[action]
    data: Any = request.POST.copy()
    if request.FILES:
        data.setlist("photos", request.FILES.getlist("photos"))
    form = input_class(data=data, case=case, user=request.user)
    status = 200
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else str(error))
        status = 400
    else:
        try:
            label = _label(request.user, case, action)
            case = perform(action, case, request.user, form.validated_data)
            messages.success(request, _("Done: %(action)s.") % {"action": label})
        except actions.NotAllowed as error:
            messages.error(request, str(error))
            status = 403
        except actions.IllegalMove as error:
            messages.error(request, str(error))
            status = 409
    if status == 200 and not request.htmx:  # type: ignore[attr-defined]
        return redirect("cases:detail", number=case.number)
    case = _get_case(request, case.number)
    return render(request, "cases/detail.html", _detail_context(request, case), status=status)


@login_required
def hotline_new(request: HttpRequest) -> HttpResponse:
    form = HotlineForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.create_case(
                acting_user=request.user,  # type: ignore[arg-type]
                **form.case_fields(),
            )
        except (actions.IllegalMove, actions.NotAllowed) as error:
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
