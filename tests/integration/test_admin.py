import pytest

from gridgov.accounts.models import User
from gridgov.geo.models import Area
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def test_admin_index_only_for_administrators(world, client_for):
    check_matrix(
        client_for,
        "get",
        "/admin/",
        {
            "anonymous": 302,
            "worker_a": 302,
            "staff": 302,
            "leader": 302,
            "outsider": 302,
            "sysadmin": 200,
            "secadmin": 200,
            "auditadmin": 200,
        },
    )


def test_admin_login_goes_to_the_product_login_or_refuses_non_admins(world, client_for):
    response = client_for("anonymous").get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    check_matrix(
        client_for,
        "get",
        "/admin/login/?next=/admin/",
        {
            "worker_a": 403,
            "leader": 403,
            "sysadmin": 302,
        },
    )
    assert client_for("sysadmin").get("/admin/login/?next=https://evil.example/").url == ("/admin/")


def test_each_duty_sees_only_its_own_pages(world, client_for):
    check_matrix(
        client_for,
        "get",
        "/admin/geo/grid/",
        {
            "sysadmin": 200,
            "secadmin": 403,
            "auditadmin": 403,
        },
    )
    check_matrix(
        client_for,
        "get",
        "/admin/registry/building/",
        {
            "sysadmin": 200,
            "secadmin": 403,
            "auditadmin": 403,
        },
    )
    check_matrix(
        client_for,
        "get",
        "/admin/accounts/user/",
        {
            "sysadmin": 403,
            "secadmin": 200,
            "auditadmin": 403,
        },
    )
    check_matrix(
        client_for,
        "get",
        "/admin/accounts/membership/",
        {
            "sysadmin": 403,
            "secadmin": 200,
            "auditadmin": 403,
        },
    )
    # The security administrator may look areas up (to grant roles) but not change them.
    check_matrix(client_for, "get", "/admin/geo/area/", {"secadmin": 200})
    check_matrix(client_for, "get", f"/admin/geo/area/{world.street.pk}/change/", {"secadmin": 200})
    check_matrix(
        client_for,
        "post",
        f"/admin/geo/area/{world.street.pk}/change/",
        {"secadmin": 403},
        data={"kind": "street", "code": "222405001", "name": "改名", "parent": world.city.pk},
        state=lambda: list(Area.objects.values_list("name", flat=True)),
    )


def test_system_admin_creates_a_grid_in_the_admin(world, client_for):
    response = client_for("sysadmin").post(
        "/admin/geo/grid/add/",
        {
            "code": "222405001001003",
            "name": "第三网格",
            "parent": world.community_a.pk,
            "boundary": '{"type": "Polygon", "coordinates": [[[129.60, 42.70], [129.61, 42.70], '
            "[129.61, 42.71], [129.60, 42.70]]]}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grid = Area.objects.get(code="222405001001003")
    assert grid.kind == "grid" and grid.path.startswith(world.community_a.path)


def edit_user(client, user, **fields):
    """Post the security administrator's user change form."""
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_security_admin_sets_a_phone_that_is_stored_encrypted(world, client_for):
    user = world.people.outsider
    response = edit_user(
        client_for("secadmin"), user, full_name="新名字", phone_number="13700001234"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(pk=user.pk)
    assert (user.full_name, user.phone) == ("新名字", "13700001234")
    # Saving again with the masked value shown in the form keeps the number.
    edit_user(client_for("secadmin"), user, phone_number="137****1234")
    assert User.objects.get(pk=user.pk).phone == "13700001234"


def test_admin_refuses_a_bad_phone_with_a_message(world, client_for):
    user = world.people.outsider
    response = edit_user(client_for("secadmin"), user, phone_number="12345")
    assert response.status_code == 200
    assert "请输入11位中国大陆手机号" in response.content.decode()
    assert User.objects.get(pk=user.pk).phone == ""
