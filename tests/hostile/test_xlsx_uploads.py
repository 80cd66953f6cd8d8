"""The hostile .xlsx corpus through the registry's upload page: every file refused with a
message in Chinese, nothing stored (no import job, no payload, no people)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from gridgov.registry.excel import SheetError, read_workbook
from gridgov.registry.models import ImportJob, Person
from gridgov.registry.xlsx_archive import ArchiveLimits, BoundedZipFile
from tests.hostile import xlsx_corpus as corpus
from tests.registry_helpers import house_in, workbook

pytestmark = pytest.mark.django_db

# Each hostile file → the words of its refusal (written here, not taken from the code).
EXPECTED = {
    "zip_bomb": "压缩炸弹",
    "lying_sizes": "已损坏",
    "old_xls": ".xls",
    "csv_renamed": "CSV",
    "jpeg_renamed": "不是 Excel .xlsx 文件",
    "plain_zip": "不是 Excel 工作簿",
    "climbing_part": "不安全",
    "reversed_part": "不安全",
    "many_parts": "5009",
    "entity_bomb": "无法读取",
    "external_entity": "无法读取",
}


@pytest.fixture
def worker(world, client_for):
    house_in(world.building_a)
    return client_for("worker_a")


def _post(client, data, name="people.xlsx"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("registry:import"),
            {"file": SimpleUploadedFile(name, data), "mode": "valid_rows"},
        )


def test_the_corpus_is_complete():
    assert set(EXPECTED) == set(corpus.CORPUS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_workbook_is_refused_and_nothing_is_stored(worker, name):
    response = _post(worker, corpus.CORPUS[name]())
    assert response.status_code == 400
    assert EXPECTED[name] in response.content.decode(), name
    assert "root:" not in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Person.objects.exists()


def test_the_zip_bomb_really_declares_a_gibibyte():
    archive = zipfile.ZipFile(io.BytesIO(corpus.zip_bomb()))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 1024**3 and len(corpus.zip_bomb()) < 2 * 1024**2


def test_the_zip_bomb_is_refused_without_unpacking_it():
    data = corpus.zip_bomb()
    tracemalloc.start()
    try:
        with pytest.raises(SheetError):
            read_workbook(data, max_rows=20_000)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024**2  # the 1 GiB sheet was never decompressed


def test_a_small_bomb_under_the_size_limit_is_refused_by_its_ratio():
    # 32 MB of spaces: under the 64 MB size limit, but compressed ~1000:1.
    with pytest.raises(SheetError, match="压缩炸弹"):
        read_workbook(corpus.zip_bomb.__wrapped__(32 * 1024**2), max_rows=20_000)


def test_a_part_yielding_more_than_allowed_is_cut_off_while_reading():
    # The central directory is the zip's own claim: reading is bounded too.
    limits = ArchiveLimits(total_bytes=10**9, member_bytes=1000, ratio=10**6, members=100)
    data = corpus.zip_bomb.__wrapped__(1024**2)
    with BoundedZipFile(data, limits) as archive:
        with pytest.raises(SheetError):
            archive.read("xl/worksheets/sheet1.xml")
        assert archive.read("[Content_Types].xml").startswith(b"<Types")


def test_a_file_name_with_a_right_to_left_override_loses_it(worker):
    # "名单\u202excod.xlsx" shows as "名单xslx.docx"; Django drops non-printable characters.
    response = _post(worker, workbook([]), name="名单\u202excod.xlsx")
    assert response.status_code == 302
    assert ImportJob.objects.get().filename == "名单xcod.xlsx"


def test_a_climbing_file_name_keeps_only_its_last_part(worker):
    body = (
        b'--xyz\r\nContent-Disposition: form-data; name="mode"\r\n\r\nvalid_rows\r\n'
        b'--xyz\r\nContent-Disposition: form-data; name="file"; '
        b'filename="../../etc/people.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + workbook([])
        + b"\r\n--xyz--\r\n"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = worker.post(
            reverse("registry:import"), data=body, content_type="multipart/form-data; boundary=xyz"
        )
    assert response.status_code == 302
    assert ImportJob.objects.get().filename == "people.xlsx"
