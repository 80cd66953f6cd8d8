"""The second sign-in step for staff: enrol an authenticator, or give its code."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from gridgov.accounts import two_factor
from gridgov.audit.log import record
from gridgov.audit.models import AuditResult

WRONG = gettext_lazy("The code is wrong or has expired. Try the newest code.")
THROTTLED = gettext_lazy(
    "Too many wrong codes: wait a little (the wait doubles after each wrong code), then try "
    "the newest code."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not two_factor.is_enrolled(user):
        return redirect(f"/accounts/two-factor/setup/?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        device = match_token(user, code)
        if device is not None:
            otp_login(request, device)
            record(
                "auth.two_factor",
                actor=user,
                obj=user,
                object_repr=user.get_username(),
                detail={"with": "recovery_code" if device.name == "recovery" else "totp"},
            )
            return redirect(_next(request))
        record(
            "auth.two_factor",
            actor=user,
            obj=user,
            object_repr=user.get_username(),
            result=AuditResult.FAILURE,
        )
        throttled = any(not d.verify_is_allowed()[0] for d in devices_for_user(user))
        form.add_error("code", THROTTLED if throttled else WRONG)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if form.is_bound else 200,
    )


@login_required
@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if two_factor.is_enrolled(user):
        return redirect(f"/accounts/two-factor/?next={_next(request)}")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", THROTTLED)
        elif device.verify_token(form.cleaned_data["code"].strip()):
            codes = two_factor.confirm(device)
            otp_login(request, device)
            record(
                "auth.two_factor_enrolled", actor=user, obj=user, object_repr=user.get_username()
            )
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        else:
            form.add_error("code", WRONG)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
        },
        status=400 if form.is_bound else 200,
    )
