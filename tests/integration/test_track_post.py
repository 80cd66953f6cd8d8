"""The tracking code opens a case, so it never travels in a URL (reviewer's walk, item 2): the
lookup is a POST with the CSRF token, a code in the query string finds nothing, the "report
done" page follows the report with a POST button, and the rate limit still applies."""

import pytest
from django.test import Client

from gridgov.cases.models import Case

pytestmark = pytest.mark.django_db

TOO_MANY = "请求过于频繁"


@pytest.fixture
def reported(world):
    client = Client()
    client.get("/cases/report/")
    client.post(
        "/cases/report/",
        {
            "description": "小区门口井盖破损",
            "lat": "42.765",
            "lon": "129.415",
            "contact_phone": "13900001111",
            "idempotency_key": "k-track",
        },
    )
    return client, Case.objects.get()


def test_a_posted_code_shows_the_case(reported):
    _, case = reported
    page = Client().post("/cases/track/", {"code": case.tracking_code.lower()})
    assert page.status_code == 200
    assert 'data-testid="status"' in page.content.decode() and "待受理" in page.content.decode()


def test_a_code_in_the_url_finds_nothing_and_the_form_posts(reported):
    _, case = reported
    page = Client().get("/cases/track/", {"code": case.tracking_code})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="status"' not in body and case.number not in body
    assert '<form method="post" action="/cases/track/"' in body
    assert f'value="{case.tracking_code}"' not in body  # not even echoed back into the field


def test_the_lookup_needs_the_csrf_token(reported):
    _, case = reported
    client = Client(enforce_csrf_checks=True)
    assert client.post("/cases/track/", {"code": case.tracking_code}).status_code == 403
    form = client.get("/cases/track/")
    token = form.cookies["csrftoken"].value
    answer = client.post(
        "/cases/track/", {"code": case.tracking_code, "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 200 and case.number in answer.content.decode()


def test_the_done_page_follows_the_report_by_post_without_the_code_in_a_link(reported):
    client, case = reported
    done = client.get("/cases/report/done/").content.decode()
    assert f"?code={case.tracking_code}" not in done
    assert '<form method="post" action="/cases/track/">' in done
    assert f'<input type="hidden" name="code" value="{case.tracking_code}">' in done
    assert 'data-testid="follow-report"' in done


def test_posted_lookups_are_still_rate_limited(reported, rate_limits):
    _, case = reported
    rate_limits.RATE_LIMITS = {**rate_limits.RATE_LIMITS, "track": "2/m"}
    client = Client()
    assert client.post("/cases/track/", {"code": "NOPE1"}).status_code == 404
    assert client.post("/cases/track/", {"code": case.tracking_code}).status_code == 200
    refused = client.post("/cases/track/", {"code": case.tracking_code})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
