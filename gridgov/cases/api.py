from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from gridgov.accounts.models import Organisation
from gridgov.cases import actions
from gridgov.cases.action_routes import ERROR, MoveView, move_view
from gridgov.cases.actions import CASES
from gridgov.cases.filters import CaseFilter
from gridgov.cases.models import Case, Category
from gridgov.cases.serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CategorySerializer,
    OrganisationSerializer,
)
from gridgov.lifecycle import ActionSpec, IllegalMove, NotAllowed

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="A key of up to 64 characters; a retry with the same key returns the first case.",
)


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases the caller may see; a case they may not see is 404."""

    filterset_class = CaseFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Case]:
        queryset = (
            Case.objects.visible_to(self.request.user)
            .select_related("category", "grid", "community", "owner", "department", "reporter_user")
            .defer("grid__boundary", "community__boundary")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events__actor_org")
        return queryset

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return CaseCreateSerializer
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(
        request=CaseCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: CaseDetailSerializer, 400: ERROR, 403: ERROR},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a case; the creator always gets it back (201), even one they cannot list.

        A resident's case is theirs: channel "resident app", their name and verified phone; a
        resident who sends `channel`, `reporter_name` or `reporter_phone` gets a 400 naming the
        field. With an `Idempotency-Key` header (or `idempotency_key`), a retry answers with the
        case the first request made."""
        serializer = CaseCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            case = actions.create_case(
                acting_user=request.user,  # type: ignore[arg-type]
                **serializer.case_fields(),
            )
        except NotAllowed as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except IllegalMove as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        # Read back through visible_to(): the creator sees what they registered while they may
        # register there (a grid worker naming only the community included; ADR 0011).
        return Response(
            CaseDetailSerializer(
                _with_history(case.pk, request.user), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


def _with_history(pk: int, user: Any) -> Case:
    """A case the user may see, with what the detail serializer reads."""
    return (
        Case.objects.visible_to(user)
        .select_related("category", "grid", "community", "owner", "department", "reporter_user")
        .prefetch_related("events__actor_org")
        .get(pk=pk)
    )


class CaseActionView(MoveView):
    """POST /api/v1/cases/{id}/{action}/: one move of the closed loop."""

    lifecycle = CASES

    def answer(self, request: Request, moved: Any) -> Response:
        return Response(
            CaseDetailSerializer(
                _with_history(moved.pk, request.user), context={"request": request}
            ).data
        )


MOVE_RESPONSES = {200: CaseDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def action_views() -> list[tuple[str, Any]]:
    """One route per action spec, each with its own request schema in the OpenAPI document.
    The hyphenated spellings of before (`merge-into`) stay as aliases outside the schema."""
    views = []
    for spec in CASES.ordered():
        views.append((spec.slug, _move(spec)))
        if "_" in spec.slug:
            views.append((spec.slug.replace("_", "-"), _move(spec, alias=True)))
    return views


def _move(spec: ActionSpec, *, alias: bool = False) -> Any:
    return move_view(CaseActionView, spec, prefix="Case", responses=MOVE_RESPONSES, alias=alias)


class CategoryList(generics.ListAPIView):
    """Active categories with their default department and time limits."""

    serializer_class = CategorySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.active().select_related("parent", "default_department")


class OrganisationList(generics.ListAPIView):
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(self.request.user).filter(is_active=True)
