from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "gridgov.patrols"
    verbose_name = _("Patrols")

    def ready(self) -> None:
        from gridgov.patrols.efile import link_to_open_round
        from gridgov.registry.signals import record_changed

        record_changed.connect(link_to_open_round, dispatch_uid="patrols.efile")
