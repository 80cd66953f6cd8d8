"""Registry search by ID number or phone keeps the number out of every URL (item 9)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def people(world):
    wang = make_person(
        world.building_a,
        name="王小明",
        id_number=ID_NUMBER,
        sex="female",
        phone=PHONE,
        birth_date=dt.date(1949, 12, 31),
    )
    li = make_person(world.building_a, name="李大山", sex="male", phone="13700001111")
    return wang, li


@pytest.mark.parametrize("q", [ID_NUMBER, PHONE])
def test_searching_by_number_redirects_to_a_url_without_it(world, client_for, people, q):
    worker = client_for("worker_a")
    posted = worker.post(reverse("registry:people"), {"q": q})
    assert posted.status_code == 302
    assert q not in posted.url and "search=" in posted.url
    page = worker.get(posted.url)
    names = [p.name for p in page.context["page"]]
    assert names == ["王小明"]
    body = page.content.decode()
    # No link on the page (pager, export) carries the number.
    assert f"q={q}" not in body and f"={q}&" not in body
    export = worker.get(reverse("registry:export") + "?" + posted.url.split("?", 1)[1])
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_number_in_the_address_is_not_searched(world, client_for, people):
    page = client_for("worker_a").get(reverse("registry:people"), {"q": ID_NUMBER})
    assert page.status_code == 200
    assert "不要写在网址中" in page.content.decode()
    assert page.context["filters"].data.get("q") == ""


def test_a_stored_search_belongs_to_its_session(world, client_for, people):
    posted = client_for("worker_a").post(reverse("registry:people"), {"q": PHONE})
    other = client_for("worker_a").get(posted.url)  # another session, same token
    assert sorted(p.name for p in other.context["page"]) == ["李大山", "王小明"]


def test_name_searches_and_other_filters_still_work_through_the_form(world, client_for, people):
    worker = client_for("worker_a")
    posted = worker.post(reverse("registry:people"), {"q": "李", "status": ""})
    assert [p.name for p in worker.get(posted.url).context["page"]] == ["李大山"]
    # Plain GET filters without a number stay usable as links.
    listed = worker.get(reverse("registry:people"), {"q": "王"})
    assert [p.name for p in listed.context["page"]] == ["王小明"]


def test_the_api_searches_numbers_in_the_body_and_refuses_them_in_the_url(
    world, client_for, people
):
    client = client_for("worker_a")
    url = reverse("api:person-list")
    refused = client.get(url, {"q": PHONE})
    assert refused.status_code == 400
    assert "POST /api/v1/people/search/" in refused.json()["q"][0]
    found = client.post(reverse("api:person-search"), {"q": PHONE}, content_type="application/json")
    assert found.status_code == 200
    assert [p["phone"] for p in found.json()["results"]] == ["139****5678"]
    assert client.get(url, {"q": "李"}).json()["count"] == 1  # a surname stays in the URL
    # Registry scope holds: a department handler finds nobody, whatever the body says.
    assert (
        client_for("handler")
        .post(reverse("api:person-search"), {"q": PHONE}, content_type="application/json")
        .status_code
        == 404
    )
