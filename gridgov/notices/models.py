"""A notice, its targets (areas and buildings), its events, attachments, read receipts and the
"told in person" marks. Visibility through `visible_to` (rules in `audience.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.notices.choices import NoticeStatus

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class NoticeQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        from gridgov.notices import audience

        return self.filter(
            pk__in=self.model.objects.filter(audience.view_condition(user)).values("pk")
        )

    def _changeable_by(self, user: User) -> Self:
        from gridgov.notices import audience

        return self.filter(audience.author_condition(user))


class Notice(TimeStampedModel):
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), help_text=_("Sanitised HTML."))
    important = models.BooleanField(_("important"), default=False)
    for_residents = models.BooleanField(_("for residents"), default=True)
    for_staff = models.BooleanField(_("for staff"), default=False)
    owner_area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("issued by (area)"),
        on_delete=models.PROTECT,
        related_name="owned_notices",
    )
    areas = models.ManyToManyField(
        "geo.Area", verbose_name=_("target areas"), blank=True, related_name="notices"
    )
    buildings = models.ManyToManyField(
        "registry.Building", verbose_name=_("target buildings"), blank=True, related_name="notices"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "publish_at"], name="notice_status_publish")]

    def __str__(self) -> str:
        return self.title


class NoticeEvent(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.kind}"

    @property
    def label(self) -> str:
        from gridgov.notices.choices import EVENT_LABELS

        return str(EVENT_LABELS.get(self.kind, self.kind))


def _attachment_path(_instance: NoticeAttachment, _filename: str) -> str:
    """A random stored name: the original name is kept in `name`, never in the path."""
    import uuid

    return f"notices/{uuid.uuid4().hex}"


class NoticeAttachment(models.Model):
    """Served only through the notice's visibility (`views.attachment`), never as a public URL."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = models.CharField(_("name"), max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class NoticeRead(models.Model):
    """A read receipt: the account opened the published notice (first time only)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_reads"
    )
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.user_id}"


class ToldInPerson(models.Model):
    """A grid worker told a registered resident about the notice in person (入户告知)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="told")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="notices_told"
    )
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    told_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="notice_told_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.person_id}"
