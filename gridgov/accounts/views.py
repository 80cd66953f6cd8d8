from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gridgov.accounts.choices import Role
from gridgov.accounts.forms import LoginForm
from gridgov.core.ratelimits import over_limit, rate_limited, too_many_requests
from gridgov.geo.models import Area


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (strong-password rules apply); audited."""

    template_name = "accounts/password_change.html"
    success_url = "/"

    def form_valid(self, form: Any) -> HttpResponse:
        from django.contrib import messages

        from gridgov.audit.log import record

        response = super().form_valid(form)
        user = form.user  # the signed-in user whose password changed
        record("auth.password_changed", obj=user, object_repr=user.get_username())
        messages.success(self.request, _("Your password was changed."))
        return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = rate_limited("login", methods=["POST"])(LoginView.as_view())


def _patrol_today(user: Any) -> dict[str, Any] | None:
    """A grid worker's day on patrol (gridgov.patrols), shown first on their home page."""
    if not user.has_role(Role.GRID_WORKER):
        return None
    from gridgov.patrols.today import today_for

    return today_for(user)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    my_grids = (
        Area.objects.visible_to(user)
        .grids()
        .filter(
            memberships__user=user, memberships__role=Role.GRID_WORKER, memberships__is_active=True
        )
        .order_by("code")
    )
    from gridgov.cases.models import Case

    my_reports = (
        Case.objects.visible_to(user)
        .filter(reporter_user_id=user.pk)
        .select_related("owner")
        .order_by("-created_at")[:20]
        if user.has_role(Role.RESIDENT)  # type: ignore[union-attr]
        else []
    )
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": user.active_memberships,  # type: ignore[union-attr]
            "my_grids": my_grids,
            "my_reports": my_reports,
            "is_resident": user.has_role(Role.RESIDENT),  # type: ignore[union-attr]
            "patrol_today": _patrol_today(user),
        },
    )


def _codes_over_limit(request: HttpRequest, phone: str) -> bool:
    """Sign-up codes are limited per client address and per phone number."""
    from gridgov.core.crypto import blind_index

    return over_limit(request, "signup_code", methods=["POST"]) or over_limit(
        request, "signup_code_number", methods=["POST"], key=lambda _g, _r: blind_index(phone)
    )


def signup(request: HttpRequest) -> HttpResponse:
    """Two steps on one page: send a code to the phone, then register with it."""
    from django.contrib import messages
    from django.contrib.auth import login
    from django.shortcuts import redirect

    from gridgov.accounts.forms import SignupForm
    from gridgov.accounts.signup import SignupError, register_resident, send_code

    form = SignupForm(request.POST or None)
    code_sent = request.method == "POST"
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("step") == "send_code":
                if _codes_over_limit(request, data["phone"]):
                    return too_many_requests(request)
                send_code(data["phone"])
                messages.success(
                    request,
                    _("A code was sent to %(phone)s.")
                    % {"phone": data["phone"][:3] + "****" + data["phone"][-4:]},
                )
            elif form.clean_for_registration():
                user = register_resident(
                    phone=data["phone"],
                    code=data["code"],
                    password=data["password"],
                    full_name=data["full_name"],
                    community=data["community"],
                )
                login(request, user, backend="gridgov.accounts.backends.UsernameOrPhoneBackend")
                return redirect("home")
            else:
                status = 400
        except SignupError as error:
            form.add_error(None, str(error))
            status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request, "accounts/signup.html", {"form": form, "code_sent": code_sent}, status=status
    )
