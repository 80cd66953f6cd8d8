"""The input of each mediation action, validated once; the page forms are generated from it
(`gridgov.mediation.forms`). Serializers check shape and references; the actions enforce the
rules of the trade. Per-party fields (statements, signatures, consents) are added for the
parties of the case at hand."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gridgov.mediation.choices import (
    ChosenBy,
    ConfirmationResult,
    FollowUpResult,
    NextStep,
    PartySide,
    RightsText,
    Route,
)


class _Input(serializers.Serializer):
    def __init__(self, *args: Any, case: Any = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.mediation = case
        self.user = user

    def initial_for(self, mediation: Any) -> dict[str, Any]:
        return {}

    def hint(self, mediation: Any) -> str:
        return ""

    def parties(self) -> list[Any]:
        if self.mediation is None or self.mediation.pk is None:
            return []
        cached = getattr(self.mediation, "_parties", None)
        if cached is None:
            cached = list(self.mediation.parties.all())
            self.mediation._parties = cached
        return cached


def _text(label: Any, *, required: bool = True, max_length: int = 2000, **kw: Any) -> Any:
    if required:
        return serializers.CharField(label=label, max_length=max_length, **kw)
    return serializers.CharField(
        label=label, required=False, allow_blank=True, default="", max_length=max_length, **kw
    )


class NoteInput(_Input):
    note = _text(_("Note"), required=False)


class ReasonInput(_Input):
    reason = _text(_("Reason"))


class PartyInput(_Input):
    side = serializers.ChoiceField(label=_("Side"), choices=PartySide.choices)
    name = _text(_("Name"), max_length=50)
    phone = _text(_("Contact phone"), required=False, max_length=20)
    id_number = _text(_("ID number"), required=False, max_length=18)
    address = _text(_("Address"), required=False, max_length=200)

    def hint(self, mediation: Any) -> str:
        return str(
            _("A person in the registry is linked by their ID number; their details are kept here.")
        )


class RepresentativeInput(_Input):
    party = serializers.ChoiceField(label=_("For the party"), choices=[])
    name = _text(_("Name"), max_length=50)
    relation = _text(_("Relation to the party"), max_length=30)
    phone = _text(_("Contact phone"), required=False, max_length=20)
    id_number = _text(_("ID number"), required=False, max_length=18)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(str(p.pk), p.masked_name) for p in self.parties()]

    def validate_party(self, value: str) -> Any:
        party = next((p for p in self.parties() if str(p.pk) == str(value)), None)
        if party is None:
            raise serializers.ValidationError(_("Choose a party of this case."))
        return party


class _MediatorChoice(_Input):
    """A mediator eligible for the case's level (`next_level`: for the level above)."""

    next_level = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from gridgov.mediation.actions import eligible_mediators

        level = None
        if self.mediation is not None and self.mediation.pk is not None:
            level = self.mediation.level + (1 if self.next_level else 0)
        self._eligible = (
            list(eligible_mediators(self.mediation, level)) if level and level <= 3 else []
        )
        self.fields["mediator"].choices = [
            ("", "—"),
            *((str(u.pk), u.full_name or u.username) for u in self._eligible),
        ]

    def validate_mediator(self, value: str) -> Any:
        if value in ("", None):
            return None
        user = next((u for u in self._eligible if str(u.pk) == str(value)), None)
        if user is None:
            raise serializers.ValidationError(_("Choose a mediator of this level and area."))
        return user


class AssignInput(_MediatorChoice):
    mediator = serializers.ChoiceField(label=_("Mediator"), choices=[])
    chosen_by = serializers.ChoiceField(
        label=_("Chosen by"), choices=ChosenBy.choices, default=ChosenBy.COMMITTEE
    )


class RecuseInput(_MediatorChoice):
    reason = _text(_("Reason for the recusal"))
    mediator = serializers.ChoiceField(label=_("Replacement mediator"), choices=[])
    chosen_by = serializers.ChoiceField(
        label=_("Replacement chosen by"), choices=ChosenBy.choices, default=ChosenBy.COMMITTEE
    )


class EscalateInput(_MediatorChoice):
    next_level = True
    reason = _text(_("Reason for the escalation"))
    mediator = serializers.ChoiceField(
        label=_("Mediator at the next level"), choices=[], required=False, allow_blank=True
    )


class SessionInput(_Input):
    held_at = serializers.DateTimeField(label=_("Time"))
    place = _text(_("Place"), max_length=200)
    attendees = _text(_("Attendees"))
    rights_explained = serializers.BooleanField(
        label=_("Rights and duties explained"),
        style={"legend": _("Rights and duties explained"), "yes": _("Yes"), "no": _("No")},
    )
    rights_text = serializers.ChoiceField(
        label=_("Notice used"), choices=RightsText.choices, required=False, allow_blank=True
    )
    evidence = _text(_("Evidence"), required=False, max_length=5000)
    outcome = _text(_("Outcome of the session"), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for party in self.parties():
            self.fields[f"statement_{party.pk}"] = _text(
                _("Statement of %(party)s") % {"party": party.masked_name},
                required=False,
                max_length=5000,
            )
            self.fields[f"signed_{party.pk}"] = serializers.BooleanField(
                label=_("%(party)s signed") % {"party": party.masked_name},
                style={
                    "legend": _("%(party)s signed the transcript") % {"party": party.masked_name},
                    "yes": _("Signed"),
                    "no": _("Not signed"),
                },
            )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("rights_explained") and not attrs.get("rights_text"):
            raise serializers.ValidationError(
                {"rights_text": _("Say which notice of rights and duties was explained.")}
            )
        statements = {}
        for party in self.parties():
            statements[party.pk] = (
                attrs.pop(f"statement_{party.pk}", ""),
                attrs.pop(f"signed_{party.pk}", False),
            )
        attrs["statements"] = statements
        return attrs


class ExtendInput(_Input):
    new_due_on = serializers.DateField(label=_("New due date"))
    note = _text(_("Note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for party in self.parties():
            self.fields[f"consent_{party.pk}"] = serializers.BooleanField(
                label=_("%(party)s consents") % {"party": party.masked_name},
                style={
                    "legend": _("%(party)s consents to the extension")
                    % {"party": party.masked_name},
                    "yes": _("Consents"),
                    "no": _("Does not consent"),
                },
            )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["consents"] = {
            party.pk: attrs.pop(f"consent_{party.pk}", False) for party in self.parties()
        }
        return attrs


class WrittenAgreementInput(_Input):
    """人民调解法 Art. 29: the parties' basic information is taken from the parties."""

    main_facts = _text(_("Main facts"), max_length=5000)
    points_in_dispute = _text(_("Points in dispute"), max_length=5000)
    responsibilities = _text(_("Each party's responsibility"), max_length=5000)
    terms = _text(_("Agreed terms"), max_length=5000)
    performance_method = _text(_("How it is performed"), max_length=2000)
    performance_due = serializers.DateField(label=_("Performed by"), required=False)
    signed_on = serializers.DateField(label=_("Signed (effective) on"))

    def initial_for(self, mediation: Any) -> dict[str, Any]:
        return {"signed_on": timezone.localdate().isoformat()}


class OralAgreementInput(_Input):
    terms = _text(_("Agreed terms"), max_length=5000)
    performance_due = serializers.DateField(label=_("Performed by"), required=False)
    agreed_on = serializers.DateField(label=_("Agreed on"))

    def initial_for(self, mediation: Any) -> dict[str, Any]:
        return {"agreed_on": timezone.localdate().isoformat()}


class FailInput(_Input):
    reason = _text(_("Why mediation failed"))
    routes = serializers.MultipleChoiceField(
        label=_("Routes the parties were told about"), choices=Route.choices
    )

    def validate_routes(self, value: Any) -> list[str]:
        if not value:
            raise serializers.ValidationError(_("Tell the parties at least one other route."))
        return sorted(value)


class FollowUpInput(_Input):
    result = serializers.ChoiceField(label=_("Result"), choices=FollowUpResult.choices)
    next_step = serializers.ChoiceField(
        label=_("Next step"), choices=NextStep.choices, required=False, allow_blank=True
    )
    note = _text(_("Note"), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        performed = attrs.get("result") == FollowUpResult.PERFORMED
        if not performed and not attrs.get("next_step"):
            raise serializers.ValidationError(
                {"next_step": _("Choose the next step when it is not fully performed.")}
            )
        if performed:
            attrs["next_step"] = ""
        return attrs


class ApplyConfirmationInput(_Input):
    applied_on = serializers.DateField(label=_("Joint application date"))
    court = _text(_("Court"), max_length=100)

    def hint(self, mediation: Any) -> str:
        from gridgov.mediation.actions import confirmation_hint

        return confirmation_hint(mediation)


class CourtAcceptanceInput(_Input):
    accepted = serializers.BooleanField(
        label=_("Accepted by the court"),
        style={"legend": _("The court's decision"), "yes": _("Accepted"), "no": _("Not accepted")},
    )
    decided_on = serializers.DateField(label=_("Decided on"))
    note = _text(_("Note"), required=False)


class ConfirmationResultInput(_Input):
    result = serializers.ChoiceField(label=_("Result"), choices=ConfirmationResult.choices)
    result_on = serializers.DateField(label=_("Result date"))
    note = _text(_("Note"), required=False)
