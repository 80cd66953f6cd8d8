from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    OFFICE = "office", _("Office")
    VACANT = "vacant", _("Vacant")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Registration(models.TextChoices):
    REGISTERED = "registered", _("Registered (户籍)")
    FLOATING = "floating", _("Floating (流动)")


class PersonStatus(models.TextChoices):
    LIVING = "living", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class SpecialGroup(models.TextChoices):
    """Special groups (特殊人群) of domain.md §2: need-to-know, each with its own fields."""

    COMMUNITY_CORRECTION = "community_correction", _("Community correction")
    RELEASED_PRISONER = "released_prisoner", _("Released prisoner")
    DRUG_REHABILITATION = "drug_rehabilitation", _("Drug rehabilitation")
    SEVERE_MENTAL_DISORDER = "severe_mental_disorder", _("Severe mental disorder")
    PETITIONER = "petitioner", _("Petitioner")
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    DISABLED = "disabled", _("Disabled")


# The fields each special group keeps beside the common ones (stored encrypted as one document).
SPECIAL_GROUP_FIELDS: dict[str, list[tuple[str, Any]]] = {
    SpecialGroup.COMMUNITY_CORRECTION: [
        ("sentence", _("Sentence or measure")),
        ("supervision_until", _("Supervision ends")),
        ("supervising_office", _("Supervising judicial office")),
    ],
    SpecialGroup.RELEASED_PRISONER: [
        ("released_on", _("Release date")),
        ("placement", _("Placement and help")),
    ],
    SpecialGroup.DRUG_REHABILITATION: [
        ("programme", _("Programme")),
        ("programme_until", _("Programme ends")),
    ],
    SpecialGroup.SEVERE_MENTAL_DISORDER: [
        ("guardian", _("Guardian")),
        ("risk_level", _("Risk level (0–5)")),
        ("treatment", _("Treatment")),
    ],
    SpecialGroup.PETITIONER: [
        ("subject", _("Subject of the petition")),
        ("handling", _("Handling")),
    ],
    SpecialGroup.ELDERLY_ALONE: [
        ("visit_frequency", _("Visit frequency")),
        ("emergency_contact", _("Emergency contact")),
    ],
    SpecialGroup.LEFT_BEHIND_CHILD: [
        ("guardian", _("Guardian")),
        ("parents_whereabouts", _("Parents' whereabouts")),
    ],
    SpecialGroup.DISABLED: [
        ("disability_category", _("Disability category")),
        ("certificate_grade", _("Certificate grade")),
    ],
}
