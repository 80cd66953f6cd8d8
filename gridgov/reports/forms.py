from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.reports.choices import ReportKind


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *ReportKind.choices], required=False
    )
    area = forms.CharField(label=_("Area code"), required=False, max_length=32)


class ConclusionForm(forms.Form):
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action to take"), max_length=200)
    owner = forms.TypedChoiceField(label=_("Responsible person"), coerce=int)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, owners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {u.pk: u for u in owners}
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            (u.pk, u.full_name or u.username) for u in owners
        ]

    def clean_owner(self) -> Any:
        return self.owners[self.cleaned_data["owner"]]
