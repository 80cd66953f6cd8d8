"""The demo holds three published notices with read receipts (counts worked out by hand from
gridgov/demo/notices.py: 18 residents, two of every three read the heating notice; seven grid
workers read the visiting plan; gw01 tells three people in person)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gridgov.notices.choices import NoticeStatus
from gridgov.notices.models import Notice, NoticeRead, ToldInPerson

pytestmark = pytest.mark.django_db


def test_demo_notices_with_receipts():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    notices = {n.title: n for n in Notice.objects.all()}
    assert len(notices) == 3
    assert {n.status for n in notices.values()} == {NoticeStatus.PUBLISHED}
    heating = notices["关于今冬供暖和用电安全的通知"]
    visits = notices["十二月网格员入户走访工作安排"]
    lift = notices["3号楼电梯改造停运公告"]
    assert NoticeRead.objects.filter(notice=heating).count() == 12
    assert NoticeRead.objects.filter(notice=visits).count() == 7
    assert NoticeRead.objects.filter(notice=lift).exists()
    assert ToldInPerson.objects.filter(notice=heating).count() == 3
