from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gridgov.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from gridgov.analytics import rollups
        from gridgov.cases.models import CaseEvent

        post_save.connect(rollups.on_case_event, sender=CaseEvent, dispatch_uid="analytics-rollup")
