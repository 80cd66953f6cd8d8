"""Notices over REST: the notices the caller may see (staff and residents), and the read mark."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from gridgov.notices import audience
from gridgov.notices.actions import mark_read
from gridgov.notices.choices import NoticeStatus
from gridgov.notices.models import Notice, NoticeAttachment, NoticeRead


class NoticeAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = NoticeAttachment
        fields = ["id", "name", "content_type", "size", "url"]

    def get_url(self, attachment: NoticeAttachment) -> str:
        return reverse("notices:attachment", args=[attachment.pk])


class NoticeSerializer(serializers.ModelSerializer):
    issued_by = serializers.CharField(source="owner_area.name", read_only=True)
    for_me = serializers.BooleanField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "title",
            "important",
            "status",
            "issued_by",
            "for_residents",
            "for_staff",
            "publish_at",
            "published_at",
            "for_me",
            "is_read",
        ]


class NoticeDetailSerializer(NoticeSerializer):
    attachments = NoticeAttachmentSerializer(many=True, read_only=True)

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "body", "attachments"]


class ReadSerializer(serializers.Serializer):
    read = serializers.BooleanField(help_text="True once the caller's receipt is kept.")
    new = serializers.BooleanField(help_text="True if this call made the receipt.")


class NoticeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices)
    important = django_filters.BooleanFilter()
    unread = django_filters.BooleanFilter(method="filter_unread")

    class Meta:
        model = Notice
        fields = ["status", "important", "unread"]

    def filter_unread(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.filter(for_me=True, is_read=not value)


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notices the caller may see: those reaching them (published), those they write, and in a
    grid worker's grid the important ones to follow up. Anything else is 404. Reading the
    detail does not mark it read; `POST …/read/` does."""

    filterset_class = NoticeFilter
    queryset = Notice.objects.none()

    def get_queryset(self) -> QuerySet[Notice]:
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        user = self.request.user
        for_me = Notice.objects.filter(
            audience.reader_condition(user),  # type: ignore[arg-type]
            pk=OuterRef("pk"),
        )
        queryset = (
            Notice.objects.visible_to(user)
            .select_related("owner_area")
            .defer("owner_area__boundary")
            .annotate(
                for_me=Exists(for_me),
                is_read=Exists(
                    NoticeRead.objects.filter(notice=OuterRef("pk"), user_id=user.pk or 0)
                ),
            )
            .order_by("-published_at", "-created_at", "-pk")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("attachments")
        return queryset

    def get_serializer_class(self) -> Any:
        return NoticeDetailSerializer if self.action == "retrieve" else NoticeSerializer

    @extend_schema(
        request=None,
        responses={
            200: ReadSerializer,
            404: OpenApiResponse(description="Not a notice the caller may see."),
        },
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark the notice read (once). Only a published notice that reaches the caller keeps a
        receipt; for its author or a following-up grid worker `read` stays false."""
        notice = self.get_object()
        new = mark_read(notice, request.user)  # type: ignore[arg-type]
        read = NoticeRead.objects.filter(notice=notice, user=request.user).exists()  # type: ignore[misc]
        return Response({"read": read, "new": new}, status=status.HTTP_200_OK)
