"""The notice pages at phone size: axe-core finds no serious violation, every target is 40 px,
and a resident's home page shows the notice (screenshots in var/screenshots)."""

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import check, phone_without_csp  # noqa: F401 (a fixture)
from tests.notices_helpers import notice
from tests.registry_helpers import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def notice_scene(world):
    make_person(world.building_a, name="王小明")
    made = notice(
        world.people.staff,
        world.community_a,
        areas=[world.community_a],
        important=True,
        body="<p>今冬供暖自11月15日起。</p><ul><li>不私拉乱接电线</li></ul>",
    )
    draft = notice(world.people.staff, world.community_a, areas=[world.grid_a], publish=False)
    return made, draft


PAGES = {
    "resident": ["/", "/notices/", "/notices/{made}/"],
    "worker_a": ["/", "/notices/{made}/", "/notices/{made}/unread/"],
    "staff": ["/notices/", "/notices/new/", "/notices/{draft}/", "/notices/{made}/rates/"],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_notice_pages_pass_axe_and_have_40px_targets(
    role,
    notice_scene,
    live_server,
    phone_without_csp,  # noqa: F811
):
    made, draft = notice_scene
    page = phone_without_csp
    sign_in(page, live_server, role)
    found = {}
    for n, path in enumerate(PAGES[role]):
        url = live_server.url + path.format(made=made.pk, draft=draft.pk)
        problems = check(page, url, f"notices-{role}-{n}")
        if problems:
            found[path] = problems
    assert found == {}
    if role == "resident":
        page.goto(live_server.url + "/")
        assert made.title in page.locator("[data-testid=home-notices]").inner_text()
