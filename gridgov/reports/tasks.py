"""Celery entry points (beat: Monday 07:00 weekly, the 1st 07:00 monthly); the work is domain
code in `gridgov.reports.actions`."""

from celery import shared_task

from gridgov.reports.actions import generate_scheduled
from gridgov.reports.choices import ReportKind


@shared_task
def generate_weekly_reports() -> int:
    return generate_scheduled(ReportKind.WEEKLY)


@shared_task
def generate_monthly_reports() -> int:
    return generate_scheduled(ReportKind.MONTHLY)
