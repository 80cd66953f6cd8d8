"""The input of each case action, validated once for both the pages and the API.

`ACTION_INPUTS[action]` is a DRF serializer for what the action takes; `perform()` calls the
action function with the validated data. Serializers validate shape and references (a department
the user may see, a case to merge into); the actions enforce the rules of the trade.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gridgov.accounts.choices import DEPARTMENT_KINDS
from gridgov.accounts.models import Organisation
from gridgov.cases import actions
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


class NoteInput(_Input):
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class RequiredNoteInput(_Input):
    note = serializers.CharField(label=_("Note"), max_length=2000)


class ReasonInput(_Input):
    reason = serializers.CharField(label=_("Reason"), max_length=2000)


class MergeInput(_Input):
    target = serializers.CharField(label=_("Case number to merge into"), max_length=40)
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)

    def validate_target(self, value: str) -> Case:
        target = Case.objects.visible_to(self.user).filter(number=value.strip()).first()
        if target is None:
            raise serializers.ValidationError(_("No case with this number."))
        return target


def DepartmentField(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    """An active department, by id."""
    queryset = Organisation.objects.filter(kind__in=DEPARTMENT_KINDS, is_active=True)
    return serializers.PrimaryKeyRelatedField(queryset=queryset, **kwargs)


class DispatchInput(_Input):
    department = DepartmentField(label=_("Department"))
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class ReturnInput(_Input):
    reason = serializers.CharField(label=_("Reason"), max_length=2000)
    basis = serializers.CharField(label=_("Basis (rule or duty list)"), max_length=2000)


class RuleReturnInput(_Input):
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


class ResultInput(_Input):
    result = serializers.CharField(label=_("Result"), max_length=2000)
    photos = PhotosField(label=_("Result photos"))


class VerifyInput(_Input):
    passed = serializers.BooleanField(label=_("The result is confirmed on site"))
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


class RateInput(_Input):
    solved = serializers.BooleanField(label=_("Solved"))
    satisfaction = serializers.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    comment = serializers.CharField(
        label=_("Comment"), required=False, allow_blank=True, max_length=500
    )


class SuperviseInput(_Input):
    level = serializers.ChoiceField(label=_("Supervision"), choices=Supervision.choices)
    note = serializers.CharField(label=_("Note"), required=False, allow_blank=True, max_length=2000)


def _call(function: Any, *names: str) -> Any:
    def run(case: Case, user: Any, data: dict[str, Any]) -> Case:
        return function(case, acting_user=user, **{n: data[n] for n in names if n in data})

    return run


ACTION_INPUTS: dict[str, tuple[type[_Input], Any]] = {
    "accept": (NoteInput, _call(actions.accept_case, "note")),
    "reject": (ReasonInput, _call(actions.reject_case, "reason")),
    "merge_into": (MergeInput, _call(actions.merge_case, "target", "note")),
    "void": (ReasonInput, _call(actions.void_case, "reason")),
    "handle_locally": (NoteInput, _call(actions.handle_locally, "note")),
    "handle_on_spot": (ResultInput, _call(actions.handle_on_spot, "result", "photos")),
    "escalate": (NoteInput, _call(actions.escalate_case, "note")),
    "dispatch": (DispatchInput, _call(actions.dispatch_case, "department", "note")),
    "claim": (NoteInput, _call(actions.claim_case, "note")),
    "return": (ReturnInput, _call(actions.return_case, "reason", "basis")),
    "rule_return": (
        RuleReturnInput,
        _call(actions.rule_on_return, "decision", "department", "note"),
    ),
    "request_extension": (ExtensionInput, _call(actions.request_extension, "until", "reason")),
    "grant_extension": (GrantExtensionInput, _call(actions.grant_extension, "until", "note")),
    "refuse_extension": (ReasonInput, _call(actions.refuse_extension, "reason")),
    "add_progress_note": (RequiredNoteInput, _call(actions.add_progress_note, "note")),
    "resolve": (ResultInput, _call(actions.resolve_case, "result", "photos")),
    "verify": (VerifyInput, _call(actions.verify_case, "passed", "note")),
    "rate": (RateInput, _call(actions.rate_case, "solved", "satisfaction", "comment")),
    "reopen": (ReasonInput, _call(actions.reopen_case, "reason")),
    "close": (NoteInput, _call(actions.close_case, "note")),
    "supervise": (SuperviseInput, _call(actions.supervise_case, "level", "note")),
    "refer_to_mediation": (NoteInput, _call(actions.refer_to_mediation, "note")),
}


def perform(action: str, case: Case, user: Any, data: dict[str, Any]) -> Case:
    return ACTION_INPUTS[action][1](case, user, data)
