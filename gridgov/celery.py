"""The Celery app. With no CELERY_BROKER_URL, tasks run eagerly in the calling process.

Production: a Redis broker, one or more workers and one beat process:
    celery -A gridgov worker -l info
    celery -A gridgov beat -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")

app = Celery("gridgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
