"""The people registry over the REST API: read-only, masked, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError

from gridgov.registry.filters import PersonFilter
from gridgov.registry.models import Person
from gridgov.registry.people import registry_paths
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
    if not (user.is_superuser or registry_paths(user)):
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
    """People in the caller's area (grid workers, community staff, leaders), masked."""

    serializer_class = PersonSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Person]:
        return _people(self.request, self.request.query_params or None)


class PersonDetail(generics.RetrieveAPIView):
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return _people(self.request)
