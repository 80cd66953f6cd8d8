"""The hazard register's REST API: hazards (list, detail, report, one route per lifecycle
move, generated from the specs like the case API) and hazard sites (list, detail)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from gridgov.cases.action_routes import ERROR, MoveView, person_move_views
from gridgov.cases.inputs import PhotosField
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.hazards.actions import HAZARDS, report_hazard
from gridgov.hazards.choices import HazardStatus, RiskLevel, SiteKind
from gridgov.hazards.models import Hazard, HazardEvent, HazardSite
from gridgov.lifecycle import IllegalMove, NotAllowed


class HazardSiteSerializer(serializers.ModelSerializer):
    grid = serializers.CharField(source="grid.code", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = HazardSite
        fields = [
            "id",
            "name",
            "kind",
            "grid",
            "address",
            "responsible_party",
            "inspection_interval_days",
            "last_inspected_at",
            "next_inspection_at",
            "is_active",
            "overdue",
        ]

    def get_overdue(self, site: HazardSite) -> bool:
        return site.is_overdue()


class HazardEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = HazardEvent
        fields = ["kind", "actor_role", "from_status", "to_status", "note", "created_at"]


class HazardSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    grid = serializers.CharField(source="grid.code", read_only=True)
    site: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    case: Any = serializers.SlugRelatedField(slug_field="number", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "title",
            "status",
            "risk_level",
            "grid",
            "site",
            "address",
            "lon",
            "lat",
            "responsible_party",
            "deadline",
            "overdue",
            "case",
            "rectified_at",
            "verified_at",
            "created_at",
        ]

    def get_overdue(self, hazard: Hazard) -> bool:
        return hazard.is_overdue()


class HazardDetailSerializer(HazardSerializer):
    events = HazardEventSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(HazardSerializer.Meta):
        fields = [*HazardSerializer.Meta.fields, "description", "events", "actions"]

    def get_actions(self, hazard: Hazard) -> list[str]:
        user = self.context["request"].user
        return [spec.slug for spec in HAZARDS.available(user, hazard) if not spec.system]


class HazardCreateSerializer(serializers.Serializer):
    grid = serializers.CharField(label=_("Grid code"), max_length=32)
    title = serializers.CharField(label=_("title"), max_length=100)
    risk_level = serializers.ChoiceField(label=_("risk level"), choices=RiskLevel.choices)
    deadline = serializers.DateField(label=_("rectification deadline"))
    description = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    responsible_party = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default=""
    )
    site = serializers.IntegerField(required=False, allow_null=True, default=None)
    lon = serializers.FloatField(
        label=_("longitude"), min_value=-180, max_value=180, required=False, allow_null=True
    )
    lat = serializers.FloatField(
        label=_("latitude"), min_value=-90, max_value=90, required=False, allow_null=True
    )
    photos = PhotosField(label=_("Photos"))


class HazardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=HazardStatus.choices)
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices)
    grid = django_filters.CharFilter(field_name="grid__code")
    site = django_filters.NumberFilter(field_name="site_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Hazard
        fields = ["status", "risk_level", "grid", "site", "overdue"]

    def filter_overdue(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        overdue = Hazard.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class SiteFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SiteKind.choices)
    grid = django_filters.CharFilter(field_name="grid__code")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = HazardSite
        fields = ["kind", "grid", "is_active"]


class HazardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Hazards the caller may see (`scope.HAZARDS`); one outside their scope is 404."""

    filterset_class = HazardFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Hazard]:
        queryset = Hazard.objects.visible_to(self.request.user).select_related("grid", "case")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events")
        return queryset.defer("grid__boundary")

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return HazardCreateSerializer
        return HazardDetailSerializer if self.action == "retrieve" else HazardSerializer

    @extend_schema(
        request=HazardCreateSerializer,
        responses={201: HazardDetailSerializer, 400: ERROR, 403: ERROR},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Enter a hazard in the register as found (the grid's worker or community staff)."""
        form = HazardCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        grid = (
            Area.objects.visible_to(request.user)
            .filter(kind=AreaKind.GRID, code=data["grid"])
            .first()
        )
        if grid is None:
            raise serializers.ValidationError({"grid": [_("Choose a grid.")]})
        site = None
        if data["site"] is not None:
            site = HazardSite.objects.visible_to(request.user).filter(pk=data["site"]).first()
            if site is None:
                raise serializers.ValidationError({"site": [_("Choose a hazard site.")]})
        try:
            hazard = report_hazard(
                acting_user=request.user,  # type: ignore[arg-type]
                grid=grid,
                site=site,
                title=data["title"],
                risk_level=data["risk_level"],
                deadline=data["deadline"],
                description=data["description"],
                address=data["address"],
                responsible_party=data["responsible_party"],
                photos=data.get("photos") or (),
                lon=data.get("lon"),
                lat=data.get("lat"),
            )
        except NotAllowed as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except IllegalMove as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            HazardDetailSerializer(
                _detail(hazard.pk, request.user), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


def _detail(pk: int, user: Any) -> Hazard:
    return (
        Hazard.objects.visible_to(user)
        .select_related("grid", "case")
        .prefetch_related("events")
        .get(pk=pk)
    )


class HazardSiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Hazard sites the caller may see; `overdue` is the inspection, not a hazard."""

    serializer_class = HazardSiteSerializer
    filterset_class = SiteFilter

    def get_queryset(self) -> QuerySet[HazardSite]:
        return (
            HazardSite.objects.visible_to(self.request.user)
            .select_related("grid")
            .defer("grid__boundary")
        )


class HazardActionView(MoveView):
    """POST /api/v1/hazards/{id}/{action}/: one move of the hazard's lifecycle."""

    lifecycle = HAZARDS

    def answer(self, request: Request, moved: Any) -> Response:
        return Response(
            HazardDetailSerializer(
                _detail(moved.pk, request.user), context={"request": request}
            ).data
        )


MOVE_RESPONSES = {200: HazardDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def action_views() -> list[tuple[str, Any]]:
    """One route per move a person takes (the system's overdue flag has none)."""
    return person_move_views(HazardActionView, prefix="Hazard", responses=MOVE_RESPONSES)
