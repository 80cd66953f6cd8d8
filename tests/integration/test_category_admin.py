"""Case categories are edited by the system administrator in the admin (README)."""

import pytest

from gridgov.audit.models import AuditEntry
from gridgov.cases.models import Category
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db
LIST = "/admin/cases/category/"

NEW = {
    "code": "0302",
    "name": "燃气泄漏",
    "standard_ref": "GridGov 2026",
    "is_active": "on",
    "default_level": "community",
    "accept_limit": "2",
    "accept_unit": "hours",
    "dispatch_limit": "1",
    "dispatch_unit": "hours",
    "claim_limit": "1",
    "claim_unit": "hours",
    "handle_limit": "3",
    "handle_unit": "working_days",
    "yellow_percent": "50",
    "red_percent": "80",
}


def test_only_the_system_administrator_edits_categories(world, client_for):
    check_matrix(client_for, "get", LIST, {"sysadmin": 200, "secadmin": 403, "auditadmin": 403})
    check_matrix(client_for, "get", "/admin/", {"staff": 302, "leader": 302})
    page = client_for("sysadmin").get("/admin/").content.decode()
    assert LIST in page


def test_the_system_administrator_adds_a_category_with_its_limits(world, client_for):
    parent = Category.objects.get(code="03")
    client = client_for("sysadmin")
    data = {**NEW, "parent": parent.pk, "default_department": world.water.pk}
    response = client.post(f"{LIST}add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    made = Category.objects.get(code="0302")
    assert (made.name, made.parent, made.default_department) == ("燃气泄漏", parent, world.water)
    assert (made.default_level, made.limit("accept"), made.limit("handle")) == (
        "community",
        (2.0, "hours"),
        (3.0, "working_days"),
    )
    assert (made.yellow_percent, made.red_percent, made.is_active) == (50, 80, True)
    assert AuditEntry.objects.get(action="admin.create").object_repr == "0302 燃气泄漏"


def test_a_category_is_switched_off_not_deleted(world, client_for):
    category = world.category
    client = client_for("sysadmin")
    assert client.get(f"{LIST}{category.pk}/delete/").status_code == 403
    data = {**NEW, "code": category.code, "name": category.name, "parent": category.parent_id}
    data.pop("is_active")
    assert client.post(f"{LIST}{category.pk}/change/", data).status_code == 302
    category.refresh_from_db()
    assert category.is_active is False


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"parent": "sub"}, "parent", "分类只有两级"),
        ({"code": "0401"}, "code", "子类编码须以上级编码开头"),
        ({"yellow_percent": "90", "red_percent": "80"}, "red_percent", "红色预警须晚于黄色预警"),
    ],
)
def test_bad_categories_are_refused_with_a_message(world, client_for, change, field, message):
    parent = Category.objects.get(code="03")
    data = {**NEW, "parent": parent.pk, **change}
    if data["parent"] == "sub":
        data["parent"] = world.category.pk
        data["code"] = "030101"
    response = client_for("sysadmin").post(f"{LIST}add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Category.objects.filter(code=data["code"]).exists()
