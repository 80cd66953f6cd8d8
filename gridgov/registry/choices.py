from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    OFFICE = "office", _("Office")
    VACANT = "vacant", _("Vacant")
    OTHER = "other", _("Other")
