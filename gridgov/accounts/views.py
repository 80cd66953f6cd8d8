from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gridgov.accounts.choices import Role
from gridgov.accounts.forms import LoginForm
from gridgov.geo.models import Area


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    my_grids = (
        Area.objects.grids()
        .filter(
            memberships__user=user, memberships__role=Role.GRID_WORKER, memberships__is_active=True
        )
        .order_by("code")
    )
    return render(
        request,
        "accounts/home.html",
        {"memberships": user.active_memberships, "my_grids": my_grids},  # type: ignore[union-attr]
    )
