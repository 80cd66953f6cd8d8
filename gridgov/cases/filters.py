from operator import attrgetter
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gridgov.cases.choices import Channel, Status
from gridgov.cases.models import Case, Category


class CaseFilter(django_filters.FilterSet):
    """Filters of the workbench lists and the API list."""

    q = django_filters.CharFilter(label=_("Number or text"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.filter(parent__isnull=False),
        field_name="category",
    )
    grid = django_filters.CharFilter(label=_("Grid code"), field_name="grid__code")
    created_from = django_filters.DateFilter(
        label=_("From"), field_name="created_at", lookup_expr="date__gte"
    )
    created_to = django_filters.DateFilter(
        label=_("To"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Case
        fields = ["q", "status", "channel", "category", "grid", "created_from", "created_to"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and not getattr(user, "is_staff_member", False):
            # Residents read category names; codes ("0301 …") are for staff.
            self.form.fields["category"].label_from_instance = attrgetter("name")

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(address__icontains=value)
        )
