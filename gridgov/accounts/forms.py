from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )

    error_messages = {
        "invalid_login": _("The username/mobile number or the password is wrong."),
        "inactive": _("This account is disabled. Ask your security administrator."),
        "locked": _("Too many failed attempts: logging in is locked for %(minutes)d more minutes."),
        "address_locked": _(
            "Too many failed logins from this network address: logging in from this address is "
            "locked for %(minutes)d more minutes."
        ),
    }

    def clean(self) -> dict[str, Any]:
        from gridgov.accounts import lockout
        from gridgov.audit.context import client_ip
        from gridgov.audit.log import record
        from gridgov.audit.models import AuditResult

        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        lock = lockout.current_lock(username, ip)
        if lock is not None:
            record(
                "auth.login_locked",
                actor=None,
                actor_name="",
                object_repr="",
                result=AuditResult.DENIED,
                detail={"minutes": lock.minutes, "locked": lock.scope},
            )
            code = "address_locked" if lock.scope == "address" else "locked"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"minutes": lock.minutes}
            )
        try:
            data = super().clean()
        except forms.ValidationError:
            if username:
                lockout.note_failure(username, ip)
            raise
        lockout.clear_account(username)
        return data


class SignupForm(forms.Form):
    """Sign-up for residents: mobile number, SMS code, name, password, community."""

    phone = forms.RegexField(
        label=_("Mobile number"),
        regex=r"^1[3-9]\d{9}$",
        error_messages={"invalid": _("Enter an 11-digit mainland mobile number.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Your community"), queryset=Area.objects.none()
    )
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    full_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        communities = Area.objects.filter(kind=AreaKind.COMMUNITY).select_related("parent")
        self.fields["community"].queryset = communities.order_by("code")  # type: ignore[attr-defined]

    def clean_for_registration(self) -> bool:
        """The second step needs the code, a name and a strong password."""
        from django.contrib.auth.password_validation import validate_password

        data = self.cleaned_data
        for field in ("code", "full_name", "password"):
            if not data.get(field):
                self.add_error(field, _("This field is required."))
        if data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return not self.errors
