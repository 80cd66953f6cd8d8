"""Talk points and their sessions over REST: list, detail, and recording a session."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.talkpoints.actions import record_session
from gridgov.talkpoints.models import TalkIssue, TalkPoint, TalkSession

ERROR = OpenApiResponse(description="A clear, localized message in `detail`; nothing changed.")


class TalkPointSerializer(serializers.ModelSerializer):
    grid = serializers.CharField(source="grid.code", read_only=True)
    host = serializers.CharField(source="host.full_name", read_only=True)
    units: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TalkPoint
        fields = [
            "id",
            "name",
            "grid",
            "units",
            "host",
            "schedule",
            "place",
            "is_active",
            "closed_at",
            "session_count",
        ]


class TalkIssueSerializer(serializers.ModelSerializer):
    case: Any = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = TalkIssue
        fields = ["id", "case", "is_dispute"]


class TalkSessionSerializer(serializers.ModelSerializer):
    issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TalkSession
        fields = ["id", "talk_point", "held_on", "attendance", "issue_count"]


class TalkSessionDetailSerializer(TalkSessionSerializer):
    issues = TalkIssueSerializer(many=True, read_only=True)

    class Meta(TalkSessionSerializer.Meta):
        fields = [*TalkSessionSerializer.Meta.fields, "minutes", "issues"]


class SessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(label=_("date"))
    attendance = serializers.IntegerField(label=_("attendance"), min_value=0, max_value=999)
    minutes = serializers.CharField(label=_("minutes"), max_length=10000)


class TalkPointFilter(django_filters.FilterSet):
    grid = django_filters.CharFilter(field_name="grid__code")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = TalkPoint
        fields = ["grid", "is_active"]


class SessionFilter(django_filters.FilterSet):
    talk_point = django_filters.NumberFilter(field_name="talk_point_id")
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = TalkSession
        fields = ["talk_point", "held_from", "held_to"]


class TalkPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Talk points the caller may see (`scope.TALK_POINTS`); one outside their scope is 404."""

    serializer_class = TalkPointSerializer
    filterset_class = TalkPointFilter

    def get_queryset(self) -> QuerySet[TalkPoint]:
        return (
            TalkPoint.objects.visible_to(self.request.user)
            .select_related("grid", "host")
            .defer("grid__boundary")
            .prefetch_related("units")
            .annotate(session_count=Count("sessions"))
            .order_by("grid__code", "name", "pk")
        )

    @extend_schema(
        request=SessionInputSerializer,
        responses={
            201: TalkSessionDetailSerializer,
            400: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
        },
    )
    @action(detail=True, methods=["post"], url_path="sessions")
    def record_session(self, request: Request, pk: str | None = None) -> Response:
        """Record a session held at this talk point (the grid's worker or community staff)."""
        point = self.get_object()
        form = SessionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            session = record_session(
                point,
                acting_user=request.user,  # type: ignore[arg-type]
                **form.validated_data,
            )
        except NotAllowed as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except IllegalMove as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        session = _sessions(request.user).get(pk=session.pk)
        return Response(TalkSessionDetailSerializer(session).data, status=status.HTTP_201_CREATED)


def _sessions(user: Any) -> QuerySet[TalkSession]:
    return (
        TalkSession.objects.visible_to(user)
        .annotate(issue_count=Count("issues"))
        .prefetch_related("issues__case")
        .order_by("-held_on", "-pk")
    )


class TalkSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sessions of the talk points the caller may see; minutes and issues in the detail."""

    filterset_class = SessionFilter

    def get_queryset(self) -> QuerySet[TalkSession]:
        if self.action == "retrieve":
            return _sessions(self.request.user)
        return (
            TalkSession.objects.visible_to(self.request.user)
            .annotate(issue_count=Count("issues"))
            .order_by("-held_on", "-pk")
        )

    def get_serializer_class(self) -> Any:
        return TalkSessionDetailSerializer if self.action == "retrieve" else TalkSessionSerializer
