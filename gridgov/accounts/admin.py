from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.admin_site import DutyAdmin, scoped_for_duty
from gridgov.accounts.backends import MOBILE
from gridgov.accounts.choices import Role
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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation", "area")


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
    list_display = ("user", "role", "organisation", "area", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "organisation__name", "area__name")
    autocomplete_fields = ("user", "organisation", "area")
    list_select_related = ("user", "organisation", "area")
