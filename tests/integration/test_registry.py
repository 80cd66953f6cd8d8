"""The resident registry: encryption at rest, masking, scope, need-to-know, unmasking, edits."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from gridgov.audit.models import AuditEntry, AuditResult
from gridgov.registry.choices import SpecialGroup
from gridgov.registry.models import NeedToKnowGrant, Person, SpecialGroupRecord
from tests.permissions import check_matrix
from tests.registry_helpers import house_in, id_number, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return make_person(
        world.building_a,
        name="王小明",
        id_number="11010519491231002X",
        sex="female",
        phone="13912345678",
        religion="佛教",
        health="高血压",
        birth_date=dt.date(1949, 12, 31),
    )


def test_personal_data_is_not_stored_in_clear(person):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_person WHERE id = %s", [person.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    for secret in ("11010519491231002X", "13912345678", "佛教", "高血压"):
        assert secret not in row
    again = Person.objects.get(pk=person.pk)
    assert (again.id_number, again.phone, again.religion) == (
        "11010519491231002X",
        "13912345678",
        "佛教",
    )
    assert Person.objects.with_id_number("11010519491231002X").get() == person
    assert Person.objects.with_phone("13912345678").get() == person


def test_the_same_id_number_cannot_be_registered_twice(world, client_for, person):
    data = {
        "name": "李四",
        "id_number": "11010519491231002x",
        "ethnicity": "汉族",
        "registration": "registered",
        "building": "B-A1",
        "unit": "1",
        "house_number": "102",
    }
    response = client_for("worker_a").post(reverse("registry:person-new"), data)
    assert response.status_code == 400
    assert "已登记" in response.content.decode()
    assert Person.objects.count() == 1


def test_registering_derives_sex_and_birth_date_and_audits(world, client_for):
    house_in(world.building_a)  # unit 1 exists; house 301 does not yet
    number = id_number("19900215", male=True)
    data = {
        "name": "赵六",
        "id_number": number,
        "phone": "13800001111",
        "ethnicity": "朝鲜族",
        "registration": "floating",
        "building": "B-A1",
        "unit": "1",
        "house_number": "301",
    }
    response = client_for("worker_a").post(reverse("registry:person-new"), data)
    assert response.status_code == 302
    person = Person.objects.get(name="赵六")
    assert (person.sex, str(person.birth_date), person.grid) == ("male", "1990-02-15", world.grid_a)
    assert person.house.floor == 3
    entry = AuditEntry.objects.get(action="registry.person.create")
    assert entry.actor_name == "worker_a" and number not in str(entry.detail)


def test_list_is_masked_by_default_and_wider_for_the_owning_grid(world, client_for, person):
    own = client_for("worker_a").get(reverse("registry:people")).content.decode()
    assert "110105********002X" in own and "王**" in own and "王小明" not in own
    leader = client_for("leader").get(reverse("registry:people")).content.decode()
    assert "1****************X" in leader and "110105" not in leader


def test_registry_permission_matrix(world, client_for, person):
    detail = reverse("registry:person", args=[person.pk])
    check_matrix(
        client_for,
        "get",
        detail,
        {
            "worker_a": 200,
            "staff": 200,
            "leader": 200,
            "worker_b": 404,
            "other_staff": 404,
            "resident": 404,
            "handler": 404,
            "dispatcher": 404,
            "mediator": 404,
            "sysadmin": 404,
            "secadmin": 404,
            "auditadmin": 404,
            "outsider": 404,
            "anonymous": 302,
        },
    )
    check_matrix(
        client_for,
        "get",
        reverse("registry:person-edit", args=[person.pk]),
        {"worker_a": 200, "staff": 200, "leader": 404, "worker_b": 404, "auditadmin": 404},
    )
    check_matrix(
        client_for,
        "get",
        reverse("registry:people"),
        {"worker_a": 200, "leader": 200, "handler": 404, "sysadmin": 404, "auditadmin": 404},
    )


def test_unmasking_needs_a_reason_and_an_owning_role_and_is_audited(world, client_for, person):
    url = reverse("registry:person-unmask", args=[person.pk])
    worker = client_for("worker_a")
    refused = worker.post(url, {"reason": ""})
    assert refused.status_code == 400 and "11010519491231002X" not in refused.content.decode()
    shown = worker.post(url, {"reason": "入户核查低保材料"})
    assert shown.status_code == 200
    body = shown.content.decode()
    assert "11010519491231002X" in body and "13912345678" in body
    assert shown["Cache-Control"].startswith("max-age=0")
    entry = AuditEntry.objects.filter(action="registry.person.unmask").latest("seq")
    assert (entry.actor_name, entry.result, entry.detail["reason"]) == (
        "worker_a",
        AuditResult.SUCCESS,
        "入户核查低保材料",
    )
    # The next view of the page is masked again: the full values expire with the page.
    again = worker.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert "11010519491231002X" not in again
    denied = client_for("leader").post(url, {"reason": "想看看"})
    assert denied.status_code == 400 and "11010519491231002X" not in denied.content.decode()
    assert AuditEntry.objects.filter(
        action="registry.person.unmask", actor_name="leader", result=AuditResult.DENIED
    ).exists()


def test_a_grid_worker_updates_a_phone_and_the_history_shows_it_masked(world, client_for, person):
    url = reverse("registry:person-edit", args=[person.pk])
    worker = client_for("worker_a")
    edit_page = worker.get(url)
    text = edit_page.content.decode()
    # The edit form holds masked values only: editing is not a way around "show in full".
    for secret in ("11010519491231002X", "13912345678", "王小明", "佛教", "高血压"):
        assert secret not in text
    form = edit_page.context["form"]
    data = {name: form.initial.get(name, "") or "" for name in form.fields}
    data["phone"] = "13700002222"
    response = worker.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.phone == "13700002222"
    entry = AuditEntry.objects.get(action="registry.person.update")
    assert entry.detail["changes"] == {"phone": ["139****5678", "137****2222"]}
    page = worker.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert "137****2222" in page and "13700002222" not in page


def test_bad_input_on_the_form_changes_nothing(world, client_for, person):
    url = reverse("registry:person-edit", args=[person.pk])
    worker = client_for("worker_a")
    data = {name: value or "" for name, value in worker.get(url).context["form"].initial.items()}
    data.update(phone="12345", id_number="110105194912310021", name="<script>x</script>")
    response = worker.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "校验位" in text and "11 位" in text and "<script>x" not in text
    person.refresh_from_db()
    assert person.name == "王小明" and person.phone == "13912345678"


def test_special_groups_need_a_grant_on_top_of_area_scope(world, client_for, person):
    record = SpecialGroupRecord(person=person, group=SpecialGroup.ELDERLY_ALONE)
    record.details = {"visit_frequency": "每周两次", "emergency_contact": "女儿"}
    record.save()
    worker = client_for("worker_a")
    page = worker.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert "每周两次" not in page
    edit = reverse("registry:special-group", args=[person.pk, SpecialGroup.ELDERLY_ALONE])
    assert worker.get(edit).status_code == 404
    assert not SpecialGroupRecord.objects.visible_to(world.people.worker_a).exists()

    NeedToKnowGrant.objects.create(
        user=world.people.worker_a,
        group=SpecialGroup.ELDERLY_ALONE,
        area=world.grid_a,
        reason="关爱走访",
    )
    page = client_for("worker_a").get(reverse("registry:person", args=[person.pk])).content
    assert "每周两次" in page.decode()
    # A grant in another grid, or for another group, shows nothing.
    NeedToKnowGrant.objects.create(
        user=world.people.worker_b, group=SpecialGroup.ELDERLY_ALONE, area=world.grid_b, reason="x"
    )
    NeedToKnowGrant.objects.create(
        user=world.people.staff, group=SpecialGroup.DISABLED, area=world.community_a, reason="x"
    )
    assert not SpecialGroupRecord.objects.visible_to(world.people.worker_b).exists()
    assert not SpecialGroupRecord.objects.visible_to(world.people.staff).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT details_encrypted FROM registry_specialgrouprecord")
        assert "每周两次" not in cursor.fetchone()[0]


def test_the_list_costs_the_same_queries_for_3_or_30_people(
    world, client_for, django_assert_max_num_queries
):
    for n in range(30):
        make_person(
            world.building_a, name=f"张{n}", house=house_in(world.building_a, 1, f"{n + 1:d}01")
        )
    worker = client_for("worker_a")
    with django_assert_max_num_queries(12):
        response = worker.get(reverse("registry:people"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 30


def test_people_api_is_masked_and_scoped(world, client_for, person):
    url = reverse("api:person-detail", args=[person.pk])
    check_matrix(
        client_for,
        "get",
        url,
        {
            "worker_a": 200,
            "staff": 200,
            "leader": 200,
            "worker_b": 404,
            "other_staff": 404,
            "handler": 404,
            "resident": 404,
            "sysadmin": 404,
            "secadmin": 404,
            "auditadmin": 404,
            "anonymous": 403,
        },
    )
    body = client_for("worker_a").get(url).json()
    assert (body["name"], body["id_number"], body["phone"]) == (
        "王**",
        "110105********002X",
        "139****5678",
    )
    listed = client_for("leader").post(
        reverse("api:person-search"), {"q": "11010519491231002X"}, content_type="application/json"
    )
    assert [p["id_number"] for p in listed.json()["results"]] == ["1****************X"]


def test_lookup_by_id_number_uses_the_blind_index(world, person):
    queryset = Person.objects.with_id_number("11010519491231002X").values("id").order_by()
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            pytest.skip("the plan is checked on SQLite; PostgreSQL chooses by statistics")
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "INDEX person_id_unique" in plan and "SCAN" not in plan


def test_need_to_know_grants_are_the_security_administrators_duty(world, client_for):
    from gridgov.audit.models import AuditEntry

    url = "/admin/registry/needtoknowgrant/"
    check_matrix(
        client_for,
        "get",
        url,
        {"secadmin": 200, "sysadmin": 403, "auditadmin": 403, "staff": 302, "anonymous": 302},
    )
    response = client_for("secadmin").post(
        url + "add/",
        {
            "user": world.people.worker_a.pk,
            "group": SpecialGroup.DISABLED,
            "area": world.grid_a.pk,
            "reason": "残疾人两项补贴核查",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    grant = NeedToKnowGrant.objects.get()
    assert grant.granted_by == world.people.secadmin
    assert AuditEntry.objects.filter(action="registry.grant.create", actor_name="secadmin").exists()


def test_marking_a_person_moved_out_and_editing_a_special_group(world, client_for, person):
    worker = client_for("worker_a")
    url = reverse("registry:person-departed", args=[person.pk])
    assert worker.post(url, {"status": "moved_out", "on": "not a date"}).status_code == 400
    assert worker.post(url, {"status": "moved_out", "on": "2026-10-01"}).status_code == 302
    person.refresh_from_db()
    assert (person.status, str(person.left_on)) == ("moved_out", "2026-10-01")
    assert (
        client_for("leader").post(url, {"status": "deceased", "on": "2026-10-02"}).status_code
        == 404
    )

    NeedToKnowGrant.objects.create(
        user=world.people.worker_a, group=SpecialGroup.DISABLED, area=world.grid_a, reason="x"
    )
    edit = reverse("registry:special-group", args=[person.pk, SpecialGroup.DISABLED])
    response = worker.post(
        edit, {"since": "2020-05-01", "detail_disability_category": "肢体", "note": "轮椅"}
    )
    assert response.status_code == 302
    record = SpecialGroupRecord.objects.get(person=person)
    assert record.details["disability_category"] == "肢体" and record.note == "轮椅"
    assert AuditEntry.objects.filter(action="registry.special_group.create").exists()


def test_unmasking_inside_the_page_swaps_the_identity_panel(world, client_for, person):
    url = reverse("registry:person-unmask", args=[person.pk])
    worker = client_for("worker_a")
    refused = worker.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and 'id="identity"' in refused.content.decode()
    assert (
        "<html" not in refused.content.decode()
        and "11010519491231002X" not in refused.content.decode()
    )
    shown = worker.post(url, {"reason": "核对"}, HTTP_HX_REQUEST="true")
    assert "11010519491231002X" in shown.content.decode()


def test_household_page_lists_members_head_first_masked(world, client_for):
    from gridgov.registry.models import Household

    house = house_in(world.building_a, 1, "201")
    house.owner_name = "王大伟"
    house.save()
    household = Household.objects.create(number="HH-201", house=house)
    make_person(world.building_a, name="王小红", house=house, household=household, relation="child")
    make_person(world.building_a, name="王大伟", house=house, household=household, relation="head")
    url = reverse("registry:household", args=[household.pk])
    page = client_for("worker_a").get(url).content.decode()
    assert page.index("户主") < page.index("子女") and "王大伟" not in page and "王**" in page
    check_matrix(client_for, "get", url, {"staff": 200, "worker_b": 404, "handler": 404})


def test_the_special_group_filter_offers_only_granted_groups(world, client_for, person):
    record = SpecialGroupRecord(person=person, group=SpecialGroup.ELDERLY_ALONE)
    record.save()
    assert (
        "group"
        not in client_for("worker_a").get(reverse("registry:people")).context["filters"].fields
    )
    NeedToKnowGrant.objects.create(
        user=world.people.worker_a, group=SpecialGroup.ELDERLY_ALONE, area=world.grid_a, reason="x"
    )
    worker = client_for("worker_a")
    filters = worker.get(reverse("registry:people")).context["filters"]
    assert [v for v, _label in filters.fields["group"].choices] == ["", "elderly_alone"]
    listed = worker.get(reverse("registry:people"), {"group": "elderly_alone"})
    assert listed.context["page"].paginator.count == 1
    assert "独居老人" in listed.content.decode()  # the record's group is marked in the list
    assert "独居老人" not in client_for("staff").get(reverse("registry:people")).content.decode()


def test_special_group_pages_need_a_grant_for_that_group_and_area(world, client_for, person):
    NeedToKnowGrant.objects.create(
        user=world.people.worker_a, group=SpecialGroup.PETITIONER, area=world.grid_a, reason="x"
    )
    NeedToKnowGrant.objects.create(
        user=world.people.staff, group=SpecialGroup.DISABLED, area=world.community_a, reason="x"
    )
    NeedToKnowGrant.objects.create(
        user=world.people.worker_b, group=SpecialGroup.PETITIONER, area=world.grid_b, reason="x"
    )
    url = reverse("registry:special-group", args=[person.pk, SpecialGroup.PETITIONER])
    check_matrix(
        client_for,
        "get",
        url,
        {
            "worker_a": 200,  # area + grant for this group
            "staff": 404,  # area, but a grant for another group
            "worker_b": 404,  # a grant for this group, in another grid
            "leader": 404,
            "sysadmin": 404,
            "secadmin": 404,
            "auditadmin": 404,
            "handler": 404,
        },
    )


def test_people_api_refuses_bad_filters_with_a_message(world, client_for, person):
    response = client_for("staff").get(reverse("api:person-list"), {"grid": "abc", "status": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"grid", "status"}


@pytest.mark.parametrize(
    ("typed", "refused"),
    [("2026-12-02", True), ("1889-12-31", True), ("2026-12-01", False), ("1890-01-01", False)],
)
def test_a_typed_birth_date_must_lie_between_1890_and_today(world, typed, refused):
    """With no ID number to read it from, a birth date typed in is checked on its own (China's
    date: 2026-12-01 08:30 in Shanghai is still 2026-12-01 00:30 UTC)."""
    from gridgov.registry.inputs import PersonInput, Places

    places = Places.for_user(world.people.worker_a)
    now = dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=now):
        checked = PersonInput(places).check({"name": "张三", "birth_date": typed})
    assert ("birth_date" in dict(checked.problems)) is refused
