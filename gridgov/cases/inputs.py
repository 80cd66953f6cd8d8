"""The input of each case action, validated once for both the pages and the API.

Each action's spec names its serializer (`ActionSpec.input`); the page form and the API request
schema are both generated from it. Serializers validate shape and references (a department, a
case to merge into); the actions enforce the rules of the trade. A field's `style` may carry
what a page form needs beyond the type (`rows`, the labels of a yes/no choice, `initial`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from rest_framework import serializers

from gridgov.accounts.models import Organisation
from gridgov.cases.choices import Satisfaction, Supervision
from gridgov.cases.media import InvalidUpload, check_photos
from gridgov.cases.models import Case


class PhotosField(serializers.ListField):
    """Up to 9 photos, each checked by content."""

    def __init__(self, **kwargs: Any):
        super().__init__(child=serializers.FileField(), required=False, max_length=9, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return check_photos(super().to_internal_value(data))
        except InvalidUpload as error:
            raise serializers.ValidationError(str(error)) from None


class _Input(serializers.Serializer):
    def __init__(self, *args: Any, case: Case | None = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    def initial_for(self, case: Case) -> dict[str, Any]:
        """What a page form shows filled in for this case."""
        return {}

    def hint(self, case: Case) -> str:
        """A line a page form shows above the fields."""
        return ""


class NoteInput(_Input):
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class RequiredNoteInput(_Input):
    note = serializers.CharField(label=_("Note"), max_length=2000)


class ReasonInput(_Input):
    reason = serializers.CharField(label=_("Reason"), max_length=2000)


class MergeInput(_Input):
    target = serializers.CharField(label=_("Case number to merge into"), max_length=40)
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)

    def initial_for(self, case: Case) -> dict[str, Any]:
        from gridgov.cases.actions.intake import duplicate_candidates

        first = next(iter(duplicate_candidates(case, limit=1)), None)
        return {"target": first.number} if first is not None else {}

    def validate_target(self, value: str) -> Case:
        target = Case.objects.visible_to(self.user).filter(number=value.strip()).first()
        if target is None:
            raise serializers.ValidationError(_("No case with this number."))
        return target


def DepartmentField(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    """An active department, by id."""
    queryset = Organisation.objects.dispatch_targets()
    return serializers.PrimaryKeyRelatedField(queryset=queryset, **kwargs)


class _ToDepartment(_Input):
    def initial_for(self, case: Case) -> dict[str, Any]:
        default = case.category.default_department_id if case.category else None
        return {"department": default} if default else {}


class DispatchInput(_ToDepartment):
    department = DepartmentField(label=_("Department"))
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class ReturnInput(_Input):
    reason = serializers.CharField(label=_("Reason"), max_length=2000)
    basis = serializers.CharField(label=_("Basis (rule or duty list)"), max_length=2000)


class RuleReturnInput(_ToDepartment):
    decision = serializers.ChoiceField(
        label=_("Decision"),
        choices=[
            ("redispatch", _("Re-dispatch to another department")),
            ("force", _("Refuse the return: send it back")),
        ],
    )
    department = DepartmentField(label=_("Department"), required=False, allow_null=True)
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class ExtensionInput(_Input):
    until = serializers.DateTimeField(label=_("New deadline"))
    reason = serializers.CharField(label=_("Reason"), max_length=2000)


class GrantExtensionInput(_Input):
    until = serializers.DateTimeField(
        label=_("New deadline (empty: as asked)"), required=False, allow_null=True
    )
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)

    def hint(self, case: Case) -> str:
        asked = case.extension_requested_until
        if asked is None:
            return ""
        when = timezone.localtime(asked).strftime("%Y-%m-%d %H:%M")
        separator = pgettext("label separator", ": ")
        return f"{_('Asked for')}{separator}{when} · {case.extension_reason}"


class ResultInput(_Input):
    result = serializers.CharField(label=_("Result"), max_length=2000, style={"rows": 3})
    photos = PhotosField(label=_("Result photos"))


class OnSpotInput(ResultInput):
    """A matter handled on the spot needs a result photo (the action says so; the page asks)."""

    photos = PhotosField(label=_("Result photos"), style={"required": True})


class VerifyInput(_Input):
    passed = serializers.BooleanField(
        label=_("The result is confirmed on site"),
        style={"legend": _("On site"), "yes": _("Confirmed"), "no": _("Not done: rework")},
    )
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class RateInput(_Input):
    solved = serializers.BooleanField(
        label=_("Solved"), style={"legend": _("Solved?"), "yes": _("Yes"), "no": _("No")}
    )
    satisfaction = serializers.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    comment = serializers.CharField(
        label=_("Comment"), required=False, allow_blank=True, max_length=500
    )


class SuperviseInput(_Input):
    level = serializers.ChoiceField(label=_("Supervision"), choices=Supervision.choices)
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class MediationOutcomeInput(_Input):
    """What the mediation app reports when a referred dispute's mediation ends."""

    outcome = serializers.ChoiceField(
        label=_("Outcome of the mediation"),
        choices=[
            ("agreed", _("Agreement reached")),
            ("failed", _("Mediation failed")),
            ("not_accepted", _("Mediation not accepted")),
        ],
    )
    mediation = serializers.CharField(label=_("Mediation case number"), max_length=40)
    result = serializers.CharField(label=_("Result"), max_length=2000, allow_blank=True)
