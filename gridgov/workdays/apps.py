from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "gridgov.workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from gridgov.workdays import checks  # noqa: F401  (registers the system check)
