from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalkPointsConfig(AppConfig):
    name = "gridgov.talkpoints"
    label = "talkpoints"
    verbose_name = _("Talk points")
