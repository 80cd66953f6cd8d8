from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "gridgov.demo"
    verbose_name = _("Demo community")

    def ready(self) -> None:
        from gridgov.demo import checks  # noqa: F401  (registers the deploy check)
