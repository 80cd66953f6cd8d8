"""The input of each hazard action, validated once; the page forms are generated from it
(`gridgov.cases.action_forms`, which reads any spec's serializer)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gridgov.cases.inputs import PhotosField


class _Input(serializers.Serializer):
    def __init__(self, *args: Any, case: Any = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.hazard = case
        self.user = user

    def initial_for(self, hazard: Any) -> dict[str, Any]:
        return {}

    def hint(self, hazard: Any) -> str:
        return ""


class NoteInput(_Input):
    note = serializers.CharField(
        label=_("Note"), required=False, allow_blank=True, max_length=2000, default=""
    )


class RectifiedInput(NoteInput):
    photos = PhotosField(label=_("Photos of the result"))


class ReasonInput(_Input):
    reason = serializers.CharField(label=_("Reason"), max_length=2000)
