"""GridGov: grid-based community governance (网格化管理)."""

from gridgov.celery import app as celery_app

__all__ = ["celery_app"]
