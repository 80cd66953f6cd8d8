from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "gridgov.mediation"
    verbose_name = _("People's mediation")

    def ready(self) -> None:
        from gridgov.mediation import actions  # noqa: F401  (registers the mediation lifecycle)
