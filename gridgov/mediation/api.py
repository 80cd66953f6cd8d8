"""The mediation files' REST API, read-only: the cases the caller may see (need-to-know,
`access.py`, the same rule as the pages: 404 outside it) with the parties masked as on the
pages (no unmasking here; that is the audited page form), and one route per move a person
takes, generated from the specs like the case and hazard APIs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from gridgov.cases.action_routes import ERROR, MoveView, person_move_views
from gridgov.mediation.choices import RUNNING_STATUSES, Level, MediationStatus
from gridgov.mediation.lifecycle import MEDIATIONS
from gridgov.mediation.models import (
    MediationCase,
    MediationEvent,
    MediationParty,
    MediationRepresentative,
)


class RepresentativeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="masked_name", read_only=True)
    phone = serializers.CharField(source="masked_phone", read_only=True)

    class Meta:
        model = MediationRepresentative
        fields = ["name", "relation", "phone"]


class PartySerializer(serializers.ModelSerializer):
    """A party as the page shows it: name, phone and ID number masked; no address."""

    name = serializers.CharField(source="masked_name", read_only=True)
    phone = serializers.CharField(source="masked_phone", read_only=True)
    id_number = serializers.CharField(source="masked_id", read_only=True)
    in_registry = serializers.SerializerMethodField()
    representatives = RepresentativeSerializer(many=True, read_only=True)

    class Meta:
        model = MediationParty
        fields = ["id", "side", "name", "phone", "id_number", "in_registry", "representatives"]

    def get_in_registry(self, party: MediationParty) -> bool:
        return party.person_id is not None


class MediationEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationEvent
        fields = ["kind", "actor_role", "from_status", "to_status", "note", "created_at"]


class MediationSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    community = serializers.CharField(source="community.code", read_only=True)
    grid = serializers.CharField(source="grid.code", read_only=True, default=None)
    case: Any = serializers.SlugRelatedField(slug_field="number", read_only=True)
    warning = serializers.SerializerMethodField()

    class Meta:
        model = MediationCase
        fields = [
            "id",
            "number",
            "title",
            "status",
            "level",
            "dispute_type",
            "source",
            "community",
            "grid",
            "case",
            "risk_of_violence",
            "due_on",
            "warning",
            "extended",
            "created_at",
            "accepted_at",
            "concluded_at",
            "closed_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_warning(self, mediation: MediationCase) -> str:
        return mediation.warning(timezone.localdate())


class MediationDetailSerializer(MediationSerializer):
    parties = PartySerializer(many=True, read_only=True)
    events = MediationEventSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(MediationSerializer.Meta):
        fields = [
            *MediationSerializer.Meta.fields,
            "summary",
            "end_reason",
            "routes_told",
            "parties",
            "events",
            "actions",
        ]

    def get_actions(self, mediation: MediationCase) -> list[str]:
        user = self.context["request"].user
        return [spec.slug for spec in MEDIATIONS.available(user, mediation) if not spec.system]


DUE = (("yellow", "yellow"), ("red", "red"), ("overdue", "overdue"))


class MediationFilter(django_filters.FilterSet):
    """The page's filters: status, level and time-limit warning."""

    status = django_filters.ChoiceFilter(choices=MediationStatus.choices)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    due = django_filters.ChoiceFilter(choices=DUE, method="filter_due")

    class Meta:
        model = MediationCase
        fields = ["status", "level", "due"]

    def filter_due(self, queryset: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        queryset = queryset.filter(status__in=RUNNING_STATUSES)
        if value == "overdue":
            return queryset.filter(due_on__lt=today)
        days = settings.MEDIATION_RED_DAYS if value == "red" else settings.MEDIATION_YELLOW_DAYS
        return queryset.filter(due_on__gte=today, due_on__lt=today + dt.timedelta(days=days))


def _visible(user: Any) -> QuerySet[MediationCase]:
    return (
        MediationCase.objects.visible_to(user)
        .select_related("community", "grid", "case")
        .defer("community__boundary", "grid__boundary")
    )


def _detail(pk: int, user: Any) -> MediationCase:
    return _visible(user).prefetch_related("parties__representatives", "events").get(pk=pk)


class MediationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Mediation cases within the caller's need-to-know (ADR 0016); any other is 404. The list
    runs the soonest due first, as the page does."""

    filterset_class = MediationFilter

    def get_queryset(self) -> QuerySet[MediationCase]:
        queryset = _visible(self.request.user)
        if self.action == "retrieve":
            return queryset.prefetch_related("parties__representatives", "events")
        return queryset.order_by(F("due_on").asc(nulls_last=True), "-created_at", "-pk")

    def get_serializer_class(self) -> Any:
        return MediationDetailSerializer if self.action == "retrieve" else MediationSerializer


class MediationActionView(MoveView):
    """POST /api/v1/mediations/{id}/{action}/: one move of the mediation case's lifecycle."""

    lifecycle = MEDIATIONS

    def answer(self, request: Request, moved: Any) -> Response:
        # A move may end the caller's reach (escalated past level 1, recused): nothing to show.
        if not _visible(request.user).filter(pk=moved.pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = MediationDetailSerializer(
            _detail(moved.pk, request.user), context={"request": request}
        )
        return Response(body.data)


MOVE_RESPONSES = {
    200: MediationDetailSerializer,
    204: OpenApiResponse(description="Moved; the case is now outside the caller's reach."),
    400: ERROR,
    403: ERROR,
    404: ERROR,
    409: ERROR,
}


def action_views() -> list[tuple[str, Any]]:
    """One route per move a person takes (the system's warning flag has none)."""
    return person_move_views(MediationActionView, prefix="Mediation", responses=MOVE_RESPONSES)
