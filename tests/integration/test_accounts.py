import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from gridgov.accounts.models import User
from gridgov.core.crypto import blind_index
from tests.conftest import PASSWORD, current_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def test_log_in_with_username_then_log_out(world):
    client = Client()
    response = client.post(LOGIN, {"username": "worker_a", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    # Staff give their authenticator's code before anything else.
    code = current_code(world.people.worker_a)
    assert client.get("/")["Location"] == "/accounts/two-factor/?next=%2F"
    second = client.post("/accounts/two-factor/", {"code": code, "next": "/"})
    assert second.status_code == 302 and second["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "第一网格" in home.content.decode()  # the worker's grid is on the home page
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302  # logged out: back to the login page


def test_log_in_with_mobile_number(db):
    UserFactory(username="zhang", phone="13912345678")
    client = Client()
    response = client.post(LOGIN, {"username": "13912345678", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.username == "zhang"


def test_wrong_password_gets_a_clear_message_in_chinese(db):
    UserFactory(username="zhang", phone="13912345678")
    response = Client().post(LOGIN, {"username": "13912345678", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名/手机号或密码错误" in response.content.decode()


def test_disabled_account_cannot_log_in(db):
    UserFactory(username="gone", is_active=False)
    response = Client().post(LOGIN, {"username": "gone", "password": PASSWORD})
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


def test_phone_is_stored_encrypted_with_a_blind_index(db):
    user = UserFactory(username="li", phone="13800001111")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user WHERE id = %s", [user.pk])
        row = cursor.fetchone()
    assert not any("13800001111" in str(value) for value in row)
    stored = User.objects.get(pk=user.pk)
    assert stored.phone == "13800001111"
    assert stored.phone_index == blind_index("13800001111")
    assert stored.masked_phone == "138****1111"


def test_pages_are_chinese_by_default_whatever_the_browser_asks(db):
    response = Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_switching_to_english_is_remembered(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    page = client.get(LOGIN)
    assert page["Content-Language"] == "en"
    assert "Username or mobile number" in page.content.decode()


def test_area_scope_per_persona(world):
    people = world.people
    assert people.worker_a.area_scope().paths == (world.grid_a.path,)
    assert people.staff.area_scope().paths == (world.community_a.path,)
    assert people.dispatcher.area_scope().paths == (world.street.path,)
    assert people.handler.area_scope().paths == (world.city.path,)
    assert people.sysadmin.area_scope().paths == (world.city.path,)
    assert people.secadmin.area_scope().paths == ()
    assert people.auditadmin.area_scope().paths == ()
    assert people.outsider.area_scope().paths == ()
