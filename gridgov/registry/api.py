"""The people registry over the REST API: read-only, masked, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from gridgov.accounts import scope
from gridgov.registry.filters import PersonFilter, is_sensitive_query
from gridgov.registry.models import Person
from gridgov.registry.permissions import owns


class PersonSerializer(serializers.ModelSerializer):
    """A person as the caller may see them: name, ID and phone always masked."""

    name = serializers.CharField(source="masked_name")
    id_number = serializers.SerializerMethodField()
    phone = serializers.CharField(source="masked_phone")
    birth_year = serializers.SerializerMethodField()
    grid = serializers.CharField(source="grid.code", default=None, allow_null=True)
    house: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = Person
        fields = [
            "id", "name", "id_number", "phone", "sex", "birth_year", "ethnicity",
            "registration", "status", "grid", "house",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number(self, person: Person) -> str:
        return person.masked_id(wide=owns(self.context["request"].user, person))

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_birth_year(self, person: Person) -> int | None:
        return person.birth_date.year if person.birth_date else None


def _people(request: Any, params: Any = None) -> QuerySet[Person]:
    """Visible people, filtered by `params`; 404 for users without registry access."""
    user = request.user
    if not scope.registry_paths(user):
        raise NotFound
    filters = PersonFilter(params, user=user)
    if params is not None and not filters.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in filters.errors.items()}
        raise ValidationError(errors)  # 400 with each field's message
    return filters.people()


@extend_schema(
    parameters=[
        OpenApiParameter(name, OpenApiTypes.STR, description=description)
        for name, description in (
            ("q", "Surname prefix, or a full ID or mobile number (exact, via the blind index)"),
            ("grid", "Grid id"),
            ("status", "living, moved_out or deceased"),
            ("registration", "registered or floating"),
            ("group", "Special group (only records you hold a need-to-know grant for)"),
        )
    ]
)
class PersonList(generics.ListAPIView):
    """People in the caller's area (grid workers, community staff, leaders), masked. A search
    by full ID or mobile number goes through `POST /api/v1/people/search/`, not the URL."""

    serializer_class = PersonSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Person]:
        if is_sensitive_query(self.request.query_params.get("q", "")):
            raise ValidationError({"q": [str(NUMBER_IN_URL)]})
        return _people(self.request, self.request.query_params or None)


NUMBER_IN_URL = _(
    "Search by ID number or mobile number with POST /api/v1/people/search/: addresses are "
    "written to access logs."
)


class PersonSearchSerializer(serializers.Serializer):
    """The people list's filters, sent in the body so that no number is in a URL."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text="Surname prefix, or a full ID or mobile number (exact, via the blind index)",
    )
    grid = serializers.CharField(required=False, allow_blank=True, help_text="Grid id")
    status = serializers.CharField(required=False, allow_blank=True)
    registration = serializers.CharField(required=False, allow_blank=True)
    group = serializers.CharField(required=False, allow_blank=True)


@extend_schema(
    request=PersonSearchSerializer,
    responses=PersonSerializer(many=True),
    parameters=[OpenApiParameter("page", OpenApiTypes.INT, description="Page number")],
)
class PersonSearch(generics.GenericAPIView):
    """The people list filtered by a body instead of the URL (ID and mobile number searches)."""

    serializer_class = PersonSerializer
    filter_backends: list[Any] = []

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        body = PersonSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        params = {k: str(v) for k, v in body.validated_data.items()}
        people = _people(request, params)
        page = self.paginate_queryset(people)
        data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)


class PersonDetail(generics.RetrieveAPIView):
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return _people(self.request)
