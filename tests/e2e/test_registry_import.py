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


def test_an_interrupted_import_offers_its_creator_a_retry(world, live_server, browser):
    import datetime as dt

    from django.conf import settings

    from gridgov.core import crypto
    from gridgov.registry.import_recovery import sweep_import_jobs
    from gridgov.registry.models import ImportJob, ImportMode, ImportState

    house_in(world.building_a)
    data = workbook(
        [["金美兰", id_number("19870303", male=False), "B-A1", 1, "501", "13944445555"]],
        ["姓名", "公民身份号码", "楼栋编号", "单元", "房号", "手机号码"],
    )
    job = ImportJob.objects.create(
        created_by=world.people.staff,
        filename="居民名单（第三网格）.xlsx",
        mode=ImportMode.VALID_ROWS,
        payload=crypto.encrypt_bytes(data),
    )
    # The worker died twice while checking, at 40 %.
    long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.CHECKING,
        attempts=settings.REGISTRY_IMPORT_MAX_ATTEMPTS,
        checked=2000,
        total=5000,
        updated_at=long_ago,
    )
    sweep_import_jobs(now=long_ago + dt.timedelta(hours=1))
    page = log_in(browser, live_server, "staff")
    page.goto(f"{live_server.url}/registry/import/{job.pk}/")
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_contain_text("导入已中断 2 次")
    expect(page.get_by_test_id("import-state")).to_have_text("已中断")
    screenshot(page, "registry-import-interrupted-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "registry-import-interrupted-1280")
    page.get_by_role("button", name="重新导入").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("已导入：1")
    assert Person.objects.get().name == "金美兰"


def test_a_zip_bomb_is_refused_on_the_form(world, live_server, browser):
    from gridgov.registry.models import ImportJob
    from tests.hostile.xlsx_corpus import zip_bomb

    page = log_in(browser, live_server, "staff")
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "居民.xlsx", "mimeType": "application/octet-stream", "buffer": zip_bomb()}],
    )
    page.get_by_role("button", name="校验并导入").tap()
    expect(page.get_by_role("alert")).to_contain_text("可能是“压缩炸弹”")
    screenshot(page, "registry-import-zip-bomb-390")
    assert not ImportJob.objects.exists() and not Person.objects.exists()
