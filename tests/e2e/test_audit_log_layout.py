"""The audit log at phone width (reviewer's walk, item 4): each entry is a card of labelled lines,
not nine columns squeezed until the role reads one character a line; on a desktop it stays a
table."""

import pytest

from gridgov.audit.log import record
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entries(world):
    staff = world.people.staff
    record(
        "registry.person.unmask",
        actor=staff,
        object_repr="王**",
        detail={"reason": "核对住址", "fields": ["id_number", "phone"]},
    )
    record("case.claimed", actor=staff, detail={"from": "dispatched", "to": "in_progress"})


@pytest.mark.parametrize("width", [390, 1280])
def test_the_audit_log_reads_at_phone_and_desktop_width(entries, browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        sign_in(page, live_server, "auditadmin", tap=False)
        page.goto(f"{live_server.url}/audit/?actor=staff")
        role = page.locator("[data-testid=role]").first
        role.scroll_into_view_if_needed()
        assert role.inner_text().strip() == "社区工作人员"
        # One line: the role's six characters side by side, not stacked.
        lines = page.evaluate(
            """el => {
                 const r = document.createRange();
                 r.selectNodeContents(el);
                 return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
               }""",
            role.element_handle(),
        )
        assert lines == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        header = page.get_by_role("columnheader", name="角色")
        if width < 640:
            # Each line names its field, as the hidden header would.
            label = page.evaluate(
                "el => getComputedStyle(el, '::before').content", role.element_handle()
            )
            assert label == '"角色"'
            thead = page.locator("[data-testid=audit-rows] thead").bounding_box()
            assert thead is not None and thead["height"] <= 1 and thead["width"] <= 1
        else:
            assert header.is_visible()
        screenshot(page, f"audit-log-{width}")
    finally:
        context.close()
