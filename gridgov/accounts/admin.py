from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.admin_site import DutyAdmin, scoped_for_duty
from gridgov.accounts.backends import MOBILE
from gridgov.accounts.choices import ADMIN_ROLES, Role
from gridgov.accounts.models import Membership, Organisation, User
from gridgov.core.crypto import blind_index


class PhoneFormMixin(forms.ModelForm):
    phone_number = forms.CharField(
        label=_("mobile number"),
        required=False,
        help_text=_("Used to sign in; stored encrypted and shown masked."),
    )

    def clean_phone_number(self) -> str | None:
        phone = self.cleaned_data["phone_number"].strip()
        if self.instance.pk and phone == self.instance.masked_phone:
            return None  # the masked value shown back: keep the stored number
        if phone and not MOBILE.match(phone):
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
        if (
            phone
            and User.objects.exclude(pk=self.instance.pk)
            .filter(phone_index=blind_index(phone))
            .exists()
        ):
            raise forms.ValidationError(_("Another account already uses this mobile number."))
        return phone

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        if self.cleaned_data.get("phone_number") is not None:
            user.phone = self.cleaned_data["phone_number"]
        if commit:
            user.save()
            self.save_m2m()
        return user


class GridGovUserCreationForm(PhoneFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "full_name")


class GridGovUserChangeForm(PhoneFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "full_name", "is_active")


NON_ADMIN_ROLES = [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]
OWN_ROLES_MESSAGE = _("Nobody changes their own roles: ask another security administrator.")


def _is_self(request: HttpRequest, user: Any) -> bool:
    return user is not None and getattr(user, "pk", None) == request.user.pk


class MembershipAdminForm(forms.ModelForm):
    """Roles other than the administrator duties (granted by `gridgov grant-admin-duty` only),
    never for the acting user's own account; the model refuses mixing a duty with a role."""

    acting_user: Any = None

    class Meta:
        model = Membership
        fields = ("user", "role", "organisation", "area", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].choices = [("", "---------"), *NON_ADMIN_ROLES]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = data.get("user") or getattr(self.instance, "user", None)
        if self.acting_user is not None and _is_self_user(self.acting_user, user):
            raise forms.ValidationError(OWN_ROLES_MESSAGE, code="own_roles")
        return data


def _is_self_user(acting: Any, user: Any) -> bool:
    return user is not None and getattr(user, "pk", None) == acting.pk


def _with_acting_user(form: Any, request: HttpRequest) -> Any:
    return type(form.__name__, (form,), {"acting_user": request.user})


class MembershipInline(admin.TabularInline):
    """Roles on the account page. Administrator duties are not listed here (the command
    manages them); one's own account's roles cannot be changed."""

    model = Membership
    form = MembershipAdminForm
    extra = 0
    autocomplete_fields = ("organisation", "area")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).exclude(role__in=ADMIN_ROLES)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _with_acting_user(formset.form, request)
        return formset

    # Permissions follow the duty (not Django's per-model permissions), like DutyAdmin.
    def _on_duty(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.has_role(Role.SECURITY_ADMIN))

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        if not self._on_duty(request) or _is_self(request, obj):
            return False
        return not (obj is not None and obj.pk and obj.roles & ADMIN_ROLES)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._on_duty(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


@admin.register(User)
class UserAdmin(DutyAdmin, DjangoUserAdmin):
    duty = Role.SECURITY_ADMIN
    form = GridGovUserChangeForm
    add_form = GridGovUserCreationForm
    list_display = ("username", "full_name", "masked_phone", "is_active", "last_login")
    list_filter = ("is_active", "memberships__role")
    search_fields = ("username", "full_name")
    ordering = ("username",)
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("username", "password", "full_name", "phone_number", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "phone_number", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    actions = ("reset_two_factor",)

    @admin.display(description=_("mobile number"))
    def masked_phone(self, obj: User) -> str:
        return obj.masked_phone

    @admin.action(description=_("Reset two-factor sign-in (the user enrols again)"))
    def reset_two_factor(self, request: HttpRequest, queryset: Any) -> None:
        from gridgov.accounts import two_factor
        from gridgov.audit.log import record

        for user in queryset:
            two_factor.reset(user)
            record("auth.two_factor_reset", obj=user, object_repr=user.get_username())
        self.message_user(
            request, _("Two-factor sign-in reset for %(n)d accounts.") % {"n": queryset.count()}
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            form.base_fields["phone_number"].initial = obj.masked_phone
            form.base_fields["phone_number"].help_text = _(
                "Shown masked. Type a new number to replace it; leave as is to keep it."
            )
        return form

    def get_queryset(self, request: HttpRequest) -> Any:
        # Accounts are not area data: the security administrator manages all of them.
        return admin.ModelAdmin.get_queryset(self, request)

    # One's own account is read-only here: no one edits their own roles, flags or password
    # through the admin (the password has its own page, with the old password).
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_self(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_self(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(DutyAdmin):
    viewers = (Role.SECURITY_ADMIN,)

    def get_queryset(self, request: HttpRequest) -> Any:
        return scoped_for_duty(super().get_queryset(request), request, Organisation.objects)

    list_display = ("code", "name", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("area",)


@admin.register(Membership)
class MembershipAdmin(DutyAdmin):
    duty = Role.SECURITY_ADMIN
    form = MembershipAdminForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        return _with_acting_user(super().get_form(request, obj, change=change, **kwargs), request)

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        # Administrator duties are the command's; one's own roles are someone else's job.
        return obj is None or (obj.role not in ADMIN_ROLES and not _is_self(request, obj.user))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj) and super().has_delete_permission(request, obj)

    list_display = ("user", "role", "organisation", "area", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "organisation__name", "area__name")
    autocomplete_fields = ("user", "organisation", "area")
    list_select_related = ("user", "organisation", "area")
