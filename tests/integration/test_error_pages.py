"""Error pages: Chinese by default, English when chosen, each with a way home (DEBUG is off)."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error


@pytest.mark.django_db
def test_a_mistyped_url_gets_the_chinese_404_page_with_a_link_home():
    response = Client().get("/caess/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and 'href="/" data-testid="home-link"' in page
    assert "回到首页" in page
    # Not Django's debug page listing every URL pattern.
    assert "URLconf" not in page and "api/v1/" not in page


@pytest.mark.django_db
def test_an_english_request_gets_the_english_404_page():
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "Back to the home page" in page
    assert "页面不存在" not in page


def test_the_500_page_needs_neither_the_request_context_nor_the_database():
    # No django_db mark: any query here would fail the test.
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in page and "不是您的网络问题" in page and 'href="/"' in page


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_a_failing_page_gets_the_chinese_500_page_not_a_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in page and "RuntimeError" not in page and "a bug" not in page


def test_a_signed_in_user_without_an_admin_duty_gets_the_chinese_403_page(client_for):
    response = client_for("resident").get("/admin/login/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page and 'data-testid="home-link"' in page


@pytest.mark.django_db
def test_a_form_sent_without_its_token_gets_the_chinese_csrf_page():
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "表单已过期" in page and "重新" in page and 'data-testid="home-link"' in page


@pytest.mark.django_db
def test_an_unknown_api_address_answers_in_json_like_the_api():
    response = Client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}
    # A page address still gets the page.
    assert "页面不存在" in Client().get("/apix/").content.decode()
