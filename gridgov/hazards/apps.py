from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "gridgov.hazards"
    verbose_name = _("Hazard register")

    def ready(self) -> None:
        from gridgov.hazards import actions  # noqa: F401  (registers the hazard lifecycle)
