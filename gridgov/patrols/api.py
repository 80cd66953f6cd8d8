"""Patrol rounds over REST: list and detail without the track; the track, to the few who may
read it (the worker, leaders over the grid, audit administrators), each read audited."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from gridgov.patrols.access import may_view_track
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.models import CheckIn, Round
from gridgov.patrols.tracks import read_track


class CheckInSerializer(serializers.ModelSerializer):
    checkpoint = serializers.CharField(source="checkpoint.name", read_only=True)

    class Meta:
        model = CheckIn
        fields = ["checkpoint", "method", "at", "distance_m"]


class RoundSerializer(serializers.ModelSerializer):
    grid = serializers.CharField(source="grid.code", read_only=True)
    worker = serializers.CharField(source="worker.full_name", read_only=True)
    check_in_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "plan",
            "grid",
            "worker",
            "day",
            "status",
            "started_at",
            "finished_at",
            "point_count",
            "distance_m",
            "track_purged",
            "check_in_count",
        ]


class RoundDetailSerializer(RoundSerializer):
    check_ins = CheckInSerializer(many=True, read_only=True)
    findings = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "note", "check_ins", "findings"]

    def get_findings(self, round_: Round) -> list[str]:
        return [finding.case.number for finding in round_.findings.all()]


class TrackSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="[[latitude, longitude, epoch seconds, accuracy m], …] in time order.",
    )


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices)
    grid = django_filters.CharFilter(field_name="grid__code")
    worker = django_filters.NumberFilter(field_name="worker_id")
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte")
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte")

    class Meta:
        model = Round
        fields = ["status", "grid", "worker", "day_from", "day_to"]


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rounds the caller may see (the worker their own; community staff, street dispatchers and
    leaders by area); anything else is 404. No track here: see `track`."""

    filterset_class = RoundFilter

    def get_queryset(self) -> QuerySet[Round]:
        queryset = (
            Round.objects.visible_to(self.request.user)
            .select_related("grid", "worker")
            .defer("grid__boundary")
            .annotate(check_in_count=Count("check_ins"))
            .order_by("-day", "-started_at", "-pk")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("check_ins__checkpoint", "findings__case")
        return queryset

    def get_serializer_class(self) -> Any:
        return RoundDetailSerializer if self.action == "retrieve" else RoundSerializer

    @extend_schema(
        responses={
            200: TrackSerializer,
            404: OpenApiResponse(description="Not a round whose track the caller may read."),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def track(self, request: Request, pk: str | None = None) -> Response:
        """The round's track (行踪轨迹): the worker, leaders over the grid and audit
        administrators only; every read is written to the audit log. 404 for anyone else."""
        round_ = Round.objects.filter(pk=int(pk)).first() if pk and pk.isdigit() else None
        if round_ is None or not may_view_track(request.user, round_):
            raise NotFound()
        response = Response({"round": round_.pk, "points": read_track(request.user, round_)})
        response["Cache-Control"] = "no-store"
        return response
