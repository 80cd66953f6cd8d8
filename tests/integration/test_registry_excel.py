"""Excel in and out: template, all-or-nothing and valid-rows imports, bad files, exports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.audit.models import AuditEntry
from gridgov.registry.models import ImportJob, ImportState, Person
from tests.registry_helpers import house_in, id_number, make_person, workbook

pytestmark = pytest.mark.django_db


def row(name, number, house="101", phone=""):
    return [name, number, "B-A1", 1, house, phone]


HEADERS = ["姓名", "公民身份号码", "楼栋编号", "单元", "房号", "手机号码"]


def upload(client, data, *, mode="all_or_nothing", name="people.xlsx"):
    from django.test import TestCase

    # The import task runs after commit (eagerly here, as without a broker).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("registry:import"),
            {"file": SimpleUploadedFile(name, data), "mode": mode},
        )


@pytest.fixture
def worker(world, client_for):
    house_in(world.building_a)
    return client_for("worker_a")


def test_the_template_has_chinese_headers(worker):
    response = worker.get(reverse("registry:template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:5] == ["姓名", "公民身份号码", "楼栋编号", "单元", "房号"]


def test_all_or_nothing_imports_nothing_when_a_row_fails(worker):
    good = id_number("19850101")
    data = workbook(
        [row("甲", good), row("乙", "110105194912310021"), row("丙", good, "102")], HEADERS
    )
    response = upload(worker, data)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.state == ImportState.DONE and job.imported == 0
    assert Person.objects.count() == 0
    problems = {(p["row"], p["column"]): p for p in job.problems}
    assert "校验位" in problems[(3, "公民身份号码")]["message"]
    assert problems[(3, "公民身份号码")]["value"] == "1****************1"
    assert "第 2 行" in problems[(4, "公民身份号码")]["message"]
    assert job.payload == ""  # the uploaded file is not kept
    report = worker.get(reverse("registry:import-report", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet.max_row == 3


def test_valid_rows_mode_imports_the_good_rows(worker, world):
    make_person(world.building_a, id_number=(existing := id_number("19700101")))
    data = workbook(
        [
            row("甲", id_number("19850101"), phone="13900000001"),
            row("乙", existing),
            row('=HYPERLINK("http://x")', id_number("19860101"), "102"),
            row("丁", id_number("19870101"), "9999", phone="123"),
        ],
        HEADERS,
    )
    upload(worker, data, mode="valid_rows")
    job = ImportJob.objects.get()
    assert (job.state, job.imported, job.failed_rows) == (ImportState.DONE, 2, 2)
    assert Person.objects.count() == 3
    imported = Person.objects.get(name="甲")
    assert imported.grid == world.grid_a and imported.phone == "13900000001"
    assert AuditEntry.objects.filter(action="registry.person.create").count() == 2
    assert AuditEntry.objects.filter(action="registry.import").count() == 1
    # An exported formula-looking name is escaped, and the export is watermarked and audited.
    response = worker.get(reverse("registry:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for r in sheet.iter_rows() for c in r if c.value]
    assert "worker_a" in sheet.cell(row=1, column=1).value
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert "'=**" in values
    assert AuditEntry.objects.filter(action="registry.export").get().detail["rows"] == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 600, ".xls"),
        ("姓名,公民身份号码\n张三,110105194912310029\n".encode(), "CSV"),
        (b"PK\x03\x04 not really a zip", "已损坏"),
    ],
)
def test_files_that_are_not_xlsx_are_named_as_such(worker, content, message):
    response = upload(worker, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_wrong_template_names_the_columns(worker):
    data = workbook([["张三", "x"]], ["名字", "身份证"])
    response = upload(worker, data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "缺少列" in text and "姓名" in text and "无法识别的列" in text


def test_too_many_rows_are_refused_before_anything_runs(worker, settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 5
    data = workbook([row(f"张{n}", id_number()) for n in range(8)], HEADERS)
    response = upload(worker, data)
    assert response.status_code == 400 and "最多导入 5 行" in response.content.decode()
    assert not ImportJob.objects.exists() and not Person.objects.exists()


def test_an_id_typed_as_a_number_is_refused(worker):
    data = workbook([["张三", 110105194912310029, "B-A1", 1, "101"]], HEADERS[:5])
    upload(worker, data, mode="valid_rows")
    job = ImportJob.objects.get()
    assert job.imported == 0 and "文本格式" in job.problems[0]["message"]


def test_a_huge_upload_is_refused_before_it_is_read(worker):
    response = worker.post(
        reverse("registry:import"),
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert "过大" in response.content.decode()


def test_import_pages_belong_to_whoever_started_them(worker, client_for):
    upload(worker, workbook([row("甲", id_number())], HEADERS))
    job = ImportJob.objects.get()
    assert worker.get(reverse("registry:import-job", args=[job.pk])).status_code == 200
    assert client_for("staff").get(reverse("registry:import-job", args=[job.pk])).status_code == 404
    assert client_for("leader").get(reverse("registry:import")).status_code == 404


def test_rows_sharing_a_new_house_share_one_house(worker, world):
    from gridgov.registry.models import House

    data = workbook(
        [row("甲", id_number("19850101"), "901"), row("乙", id_number("19860101"), "901")],
        HEADERS,
    )
    upload(worker, data)
    job = ImportJob.objects.get()
    assert (job.state, job.imported) == (ImportState.DONE, 2), job.message
    house = House.objects.get(number="901")
    assert house.floor == 9 and set(house.people.values_list("name", flat=True)) == {"甲", "乙"}


def test_a_houses_sheet_is_imported_before_the_people(worker, world):
    from openpyxl import Workbook

    from gridgov.registry.models import House

    book = Workbook()
    people = book.active
    people.title = "实有人口"
    people.append(HEADERS)
    people.append(row("甲", id_number("19850101"), "702"))
    houses = book.create_sheet("房屋")
    houses.append(["楼栋编号", "单元", "房号", "楼层", "用途", "是否出租", "产权人"])
    houses.append(["B-A1", 1, "702", 7, "住宅", "是", "李建国"])
    houses.append(["B-A1", 1, "101", "", "商铺", "", ""])  # the existing house: only its use
    houses.append(["B-A1", 1, "703", "七", "宫殿", "也许", ""])
    out = io.BytesIO()
    book.save(out)
    upload(worker, out.getvalue(), mode="valid_rows")
    job = ImportJob.objects.get()
    assert (job.state, job.imported, job.failed_rows) == (ImportState.DONE, 1, 1), job.problems
    assert {p["column"] for p in job.problems} == {"房屋 · 楼层", "房屋 · 用途", "房屋 · 是否出租"}
    new = House.objects.get(number="702")
    assert (new.floor, new.use, new.is_rented, new.owner_name) == (7, "residential", True, "李建国")
    assert new.people.get().name == "甲"
    assert House.objects.get(number="101").use == "commercial"
    assert AuditEntry.objects.filter(action="registry.house.create").count() == 1
    assert AuditEntry.objects.filter(action="registry.house.update").count() == 1
    assert not House.objects.filter(number="703").exists()


def test_the_template_has_a_houses_sheet(worker):
    response = worker.get(reverse("registry:template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["房屋"][1]][:3] == ["楼栋编号", "单元", "房号"]


def test_a_50000_row_file_is_refused_at_once_with_the_limit_named(worker):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("实有人口")
    sheet.append(HEADERS)
    for n in range(50_000):
        sheet.append([f"张{n}", "11010519491231002X", "B-A1", 1, "101", ""])
    out = io.BytesIO()
    book.save(out)
    response = upload(worker, out.getvalue())
    assert response.status_code == 400
    assert "最多导入 20000 行" in response.content.decode()
    # No declared size in a streamed file: the rows were counted, exactly, across read chunks.
    assert "50000" in response.content.decode()
    assert not ImportJob.objects.exists() and not Person.objects.exists()


def test_the_rows_are_parsed_once_between_upload_and_import(worker, monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    parsed = []
    original = WorkSheetParser.parse_row

    def counting(self, element):
        parsed.append(element.get("r"))
        return original(self, element)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    upload(worker, workbook([row(f"张{n}", id_number(), "101") for n in range(10)], HEADERS))
    assert ImportJob.objects.get().imported == 10
    # The header row twice (the form checks it, the task maps the columns), each data row once.
    assert sorted(parsed, key=int) == ["1", "1"] + [str(n) for n in range(2, 12)]


def test_rows_past_a_too_small_declared_size_are_not_skipped(worker):
    import zipfile

    data = workbook([row(f"张{n}", id_number(), "101") for n in range(5)], HEADERS)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                part = part.replace(b'<dimension ref="A1:F6" />', b'<dimension ref="A1:F2" />')
                assert b'ref="A1:F2"' in part
            target.writestr(name, part)
    upload(worker, out.getvalue())
    job = ImportJob.objects.get()
    assert (job.state, job.imported, job.total) == (ImportState.DONE, 5, 5)


def test_people_are_saved_in_batches_each_with_its_audit_rows(worker, monkeypatch):
    from gridgov.registry import importer

    monkeypatch.setattr(importer, "SAVE_BATCH", 2)
    upload(worker, workbook([row(f"张{n}", id_number(), "101") for n in range(5)], HEADERS))
    job = ImportJob.objects.get()
    assert (job.state, job.imported) == (ImportState.DONE, 5)
    assert Person.objects.count() == 5
    assert AuditEntry.objects.filter(action="registry.person.create").count() == 5
    assert AuditEntry.objects.get(action="registry.import").detail["imported"] == 5
