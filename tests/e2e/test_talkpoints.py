"""Talk points on a phone: a grid worker records a session and raises a dispute as a case in one
step; community staff open a talk point at desktop width and see the coverage."""

import datetime as dt

import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def units(world):
    from gridgov.registry.models import Unit

    return [Unit.objects.create(building=world.building_a, number=n) for n in (1, 2, 3)]


def test_a_grid_worker_records_a_session_and_raises_a_dispute(world, units, live_server, phone):
    from django.utils import timezone

    from gridgov.cases.choices import Channel
    from gridgov.cases.models import Case
    from gridgov.talkpoints import actions
    from gridgov.talkpoints.models import TalkSession

    point = actions.open_talk_point(
        acting_user=world.people.staff,
        name="甲1号楼百姓说事点",
        units=units[:2],
        host=world.people.worker_a,
        schedule="每周六 9:00—11:00",
        place="1单元楼门口",
    )
    sign_in(phone, live_server, "worker_a")
    phone.goto(f"{live_server.url}/talkpoints/{point.pk}/")
    phone.locator("details summary").tap()
    held = timezone.localdate() - dt.timedelta(days=1)
    phone.fill("input[name=held_on]", held.isoformat())
    phone.fill("input[name=attendance]", "14")
    phone.fill("textarea[name=minutes]", "居民反映楼上装修噪音，网格员做了解释。")
    screenshot(phone, "talkpoints-session-form-390")
    phone.locator("form[method=post] button.primary").tap()
    phone.wait_for_url(lambda url: "/talkpoints/sessions/" in url)
    session = TalkSession.objects.get()
    assert (session.attendance, session.held_on) == (14, held)

    phone.fill("input[name=title]", "邻里噪音纠纷")
    phone.fill("textarea[name=description]", "楼上夜间装修，与楼下多次争吵。")
    phone.select_option("select[name=unit]", str(units[1].pk))
    phone.locator("input[name=dispute]").tap()
    with phone.expect_navigation():
        phone.locator("form[method=post] button.primary").tap()
    case = Case.objects.get()
    assert case.channel == Channel.TALK_POINT and case.unit_id == units[1].pk
    assert case.mediation_referred_at is not None
    issues = phone.locator("[data-testid=issues]").inner_text()
    assert case.number in issues and "邻里噪音纠纷" in issues
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "talkpoints-session-390")
    phone.goto(f"{live_server.url}/talkpoints/")
    assert "2 / 3 · 66%" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "talkpoints-list-390")


def test_staff_open_a_talk_point_and_see_the_coverage(world, units, live_server, browser):
    from gridgov.talkpoints.models import TalkPoint

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, "staff", tap=False)
    page.goto(f"{live_server.url}/talkpoints/new/?grid={world.grid_a.code}")
    page.fill("input[name=name]", "甲1号楼说事点")
    for unit in units[:2]:
        page.check(f"input[name=units][value='{unit.pk}']")
    page.select_option("select[name=host]", str(world.people.worker_a.pk))
    page.fill("input[name=schedule]", "每周六 9:00")
    screenshot(page, "talkpoints-open-1280")
    page.locator("form[method=post] button.primary").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    point = TalkPoint.objects.get()
    assert set(point.units.values_list("pk", flat=True)) == {units[0].pk, units[1].pk}
    page.goto(f"{live_server.url}/talkpoints/")
    assert "2 / 3 · 66%" in page.locator("main").inner_text()
    screenshot(page, "talkpoints-list-1280")
    page.goto(f"{live_server.url}/grids/{world.grid_a.code}/")
    assert "2 / 3 · 66%" in page.locator("[data-testid=talk-coverage]").inner_text()
    screenshot(page, "talkpoints-grid-1280")
    context.close()
