import pytest
from playwright.sync_api import expect

from gridgov.registry.models import Person
from tests.e2e.conftest import screenshot
from tests.e2e.test_case_loop import log_in
from tests.registry_helpers import house_in, id_number, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_community_staff_import_a_sheet_and_read_the_problem_report(world, live_server, browser):
    house_in(world.building_a)
    data = workbook(
        [
            ["金美兰", id_number("19870303", male=False), "B-A1", 1, "501", "13944445555"],
            ["朴成哲", "222405198703039021", "B-A1", 1, "501", "1394444"],
        ],
        ["姓名", "公民身份号码", "楼栋编号", "单元", "房号", "手机号码"],
    )
    page = log_in(browser, live_server, "staff")
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "居民.xlsx", "mimeType": "application/octet-stream", "buffer": data}],
    )
    page.get_by_label("导入有效行，报告问题行").check()
    page.get_by_role("button", name="校验并导入").tap()
    expect(page.get_by_test_id("import-result")).to_contain_text("已导入：1")
    expect(page.get_by_test_id("import-result")).to_contain_text("问题行：1")
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_contain_text("校验位")
    expect(progress).to_contain_text("2****************1")  # the bad ID, masked
    assert "222405198703039021" not in page.content()
    screenshot(page, "registry-import-result-390")
    assert Person.objects.get().name == "金美兰"
