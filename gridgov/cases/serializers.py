from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.accounts.models import Organisation
from gridgov.cases.choices import Channel, Step, Urgency
from gridgov.cases.inputs import PhotosField
from gridgov.cases.models import Case, CaseEvent, Category
from gridgov.cases.permissions import available_actions, may_see_reporter
from gridgov.geo.models import Area
from gridgov.registry.models import Building, Unit


class CategorySerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", default=None, allow_null=True, read_only=True
    )
    default_department = serializers.CharField(
        source="default_department.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "parent_code",
            "standard_ref",
            "default_level",
            "default_department",
            "accept_limit",
            "accept_unit",
            "dispatch_limit",
            "dispatch_unit",
            "claim_limit",
            "claim_unit",
            "handle_limit",
            "handle_unit",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind"]


class EventSerializer(serializers.ModelSerializer):
    actor_org = serializers.CharField(
        source="actor_org.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = CaseEvent
        fields = [
            "kind",
            "actor_role",
            "actor_org",
            "from_status",
            "to_status",
            "note",
            "data",
            "created_at",
        ]


class CaseSerializer(serializers.ModelSerializer):
    category = serializers.CharField(
        source="category.code", default=None, allow_null=True, read_only=True
    )
    grid = serializers.CharField(source="grid.code", default=None, allow_null=True, read_only=True)
    community = serializers.CharField(source="community.code", read_only=True)
    owner = serializers.CharField(source="owner.code", read_only=True)
    department = serializers.CharField(
        source="department.code", default=None, allow_null=True, read_only=True
    )
    # "" when no step clock runs (awaiting feedback, closed, rejected…).
    step = serializers.ChoiceField(choices=Step.choices, allow_blank=True, read_only=True)
    reporter = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "channel",
            "status",
            "category",
            "title",
            "description",
            "address",
            "lat",
            "lon",
            "grid",
            "community",
            "urgency",
            "confidential",
            "reporter",
            "owner",
            "department",
            "step",
            "step_due_at",
            "handle_due_at",
            "sla_level",
            "supervision",
            "rework_count",
            "is_problem",
            "result",
            "solved",
            "satisfaction",
            "created_at",
            "updated_at",
            "closed_at",
        ]

    def get_reporter(self, case: Case) -> str | None:
        request = self.context.get("request")
        if request is None or not may_see_reporter(request.user, case):
            return None
        return case.masked_reporter or None


class CaseDetailSerializer(CaseSerializer):
    events = EventSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "events", "actions"]

    def get_actions(self, case: Case) -> list[str]:
        request = self.context["request"]
        return available_actions(request.user, case)


class CaseCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        default=Channel.CITY_PLATFORM,
        help_text="Staff and integrations only; a resident's case is always `resident_app`.",
    )
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000)
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.active().filter(parent__isnull=False),
        required=False,
        allow_null=True,
    )
    community = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(kind="community"),
        required=False,
        allow_null=True,
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    building = serializers.SlugRelatedField(
        slug_field="code", queryset=Building.objects.all(), required=False, allow_null=True
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    reporter_name = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text="Staff and integrations only; a resident's case uses their account's name.",
    )
    reporter_phone = serializers.RegexField(
        r"^\d{7,12}$",
        required=False,
        allow_blank=True,
        help_text="Staff and integrations only; a resident's case uses their verified phone.",
    )
    confidential = serializers.BooleanField(default=False)
    photos = PhotosField()
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if is_resident_only(user):
            given = [name for name in RESIDENT_SET_BY_SERVER if name in self.initial_data]
            if given:
                raise serializers.ValidationError(
                    {
                        name: _(
                            "A resident cannot set this field: a resident's case always uses "
                            "the resident app channel and the name and phone of their account."
                        )
                        for name in given
                    }
                )
        key = self.context["request"].headers.get("Idempotency-Key", "").strip()
        if key:
            if len(key) > 64:
                raise serializers.ValidationError(
                    {"idempotency_key": _("An idempotency key has at most 64 characters.")}
                )
            if data.get("idempotency_key") and data["idempotency_key"] != key:
                raise serializers.ValidationError(
                    {"idempotency_key": _("The Idempotency-Key header and the field differ.")}
                )
            data["idempotency_key"] = key
        has_point = data.get("lat") is not None and data.get("lon") is not None
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise serializers.ValidationError(_("Give both latitude and longitude."))
        if not (has_point or data.get("building") or data.get("community")):
            raise serializers.ValidationError(
                _("Give a location (lat/lon), a building code or a community code.")
            )
        building = data.get("building")
        nameable = Building.objects.filter(scope.case_place_condition(user))
        if building is not None and not nameable.filter(pk=building.pk).exists():
            raise serializers.ValidationError({"building": _("Unknown building.")})
        return data

    def case_fields(self) -> dict[str, Any]:
        """The arguments of `create_case`; a resident's case is their own report."""
        fields = dict(self.validated_data)
        user = self.context["request"].user
        if is_resident_only(user):
            fields.update(
                channel=Channel.RESIDENT_APP,
                reporter_user=user,
                reporter_name=user.full_name,
                reporter_phone=user.phone,
            )
        return fields


# What the server sets on a resident's case from their account; a resident may not send them.
RESIDENT_SET_BY_SERVER = ("channel", "reporter_name", "reporter_phone")


def is_resident_only(user: Any) -> bool:
    """A resident with no staff role: their API cases are their own reports."""
    return Role.RESIDENT in user.roles and not user.is_staff_member
