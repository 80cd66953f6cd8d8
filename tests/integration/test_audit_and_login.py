"""The audit log (append-only, hash-chained) and login hardening."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gridgov.audit.log import record
from gridgov.audit.models import AuditEntry, ImmutableError
from gridgov.registry.models import Person
from tests.conftest import PASSWORD
from tests.permissions import check_matrix
from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db


def test_the_chain_verifies_and_a_changed_row_is_named(world, capsys):
    for n in range(5):
        record("test.thing", detail={"n": n})
    call_command("verify_audit")
    assert "intact: 5 rows" in capsys.readouterr().out
    third = AuditEntry.objects.get(seq=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["mallory", third.pk]
        )
    with pytest.raises(CommandError, match="row #3: its content was changed"):
        call_command("verify_audit")


def test_a_deleted_row_breaks_the_chain(world):
    for n in range(3):
        record("test.thing", detail={"n": n})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
    with pytest.raises(CommandError, match="row #3: row #2 is missing"):
        call_command("verify_audit")


def test_the_product_cannot_change_or_delete_audit_rows(world):
    entry = record("test.thing")
    entry.action = "other"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ImmutableError):
        AuditEntry.objects.update(action="x")


def test_purge_keeps_the_retention_period_and_the_chain(world, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    record("test.old")
    # Make the first row 400 days old, re-hashed as if written then.
    old = AuditEntry.objects.get(seq=1)
    old.at = timezone.now() - dt.timedelta(days=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET at = %s, hash = %s WHERE seq = 1",
            [old.at, old.content_hash()],
        )
        cursor.execute("UPDATE audit_auditchain SET last_hash = %s", [old.content_hash()])
    record("test.new")
    call_command("verify_audit")
    call_command("purge_audit")
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "test.new",
        "audit.purge",
    ]
    call_command("verify_audit")  # the kept rows still verify against the anchor


def test_logins_failures_and_logouts_are_audited_with_ip(world, client):
    url = reverse("accounts:login")
    client.post(url, {"username": "worker_a", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(url, {"username": "worker_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("accounts:logout"))
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "result", "ip"))
    assert actions[:2] == [
        ("auth.login_failed", "failure", "10.1.2.3"),
        ("auth.login", "success", "10.1.2.3"),
    ]
    assert actions[-1][0] == "auth.logout"


def test_five_failures_lock_the_account_for_30_minutes(world, client):
    url = reverse("accounts:login")
    for n in range(5):
        client.post(url, {"username": "worker_a", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(
        url, {"username": "worker_a", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert "请 30 分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from a clean address still logs in.
    ok = client.post(url, {"username": "worker_b", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert ok.status_code == 302


def test_five_failures_from_one_address_lock_that_address(world, client, settings):
    settings.LOGIN_LOCKOUT_IP_FAILURES = 5
    url = reverse("accounts:login")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        client.post(url, {"username": name, "password": "x"}, REMOTE_ADDR="10.7.7.7")
    response = client.post(
        url, {"username": "worker_b", "password": PASSWORD}, REMOTE_ADDR="10.7.7.7"
    )
    assert "已锁定" in response.content.decode()


def test_staff_sessions_end_after_30_idle_minutes(world, client_for):
    staff = client_for("staff")
    assert staff.get(reverse("registry:people")).status_code == 200
    session = staff.session
    session["gridgov_last_seen"] = int(timezone.now().timestamp()) - 31 * 60
    session.save()
    response = staff.get(reverse("registry:people"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AuditEntry.objects.filter(action="auth.idle_timeout").exists()
    # Residents are not timed out the same way.
    resident = client_for("resident")
    session = resident.session
    session["gridgov_last_seen"] = int(timezone.now().timestamp()) - 31 * 60
    session.save()
    assert resident.get(reverse("home")).status_code == 200


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("alllowercase", "12345678901", "Short1!"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Correct-horse-9")


def test_audit_pages_belong_to_the_audit_administrator(world, client_for):
    record("test.thing")
    for url in (reverse("audit:log"), reverse("audit:export")):
        check_matrix(
            client_for,
            "get",
            url,
            {"auditadmin": 200, "sysadmin": 404, "secadmin": 404, "staff": 404, "leader": 404},
        )
    assert AuditEntry.objects.filter(action="audit.export", actor_name="auditadmin").exists()


def test_case_moves_are_audited(world):
    from gridgov.cases import actions
    from tests.cases_helpers import make_case

    case = make_case(world)
    actions.accept_case(case, acting_user=world.people.staff)
    assert AuditEntry.objects.filter(
        action="case.accepted", object_id=str(case.pk), actor_name="staff"
    ).exists()


def test_anonymising_departed_people_keeps_the_counts(world):
    gone = make_person(
        world.building_a, name="李四", status="moved_out", left_on=dt.date(2020, 1, 1)
    )
    make_person(world.building_a, name="王五")
    call_command("anonymise_departed", "--older-than", "365")
    gone.refresh_from_db()
    assert gone.name == "已匿名" and gone.id_number == "" and gone.phone == ""
    assert gone.grid == world.grid_a and gone.status == "moved_out"
    assert Person.objects.count() == 2


def test_key_rotation_re_encrypts_and_lookups_still_work(world, settings):
    person = make_person(world.building_a, id_number="11010519491231002X")
    settings.FIELD_ENCRYPTION_OLD_KEYS = [settings.FIELD_ENCRYPTION_KEY]
    settings.FIELD_ENCRYPTION_KEY = "a-brand-new-key-for-rotation"
    # Before rotating: still readable and found through the old blind index.
    assert Person.objects.with_id_number("11010519491231002X").get() == person
    call_command("rotate_keys", "--batch", "1")
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    again = Person.objects.with_id_number("11010519491231002X").get()
    assert again.phone == "13912345678"


def test_security_headers(world, client_for):
    response = client_for("staff").get(reverse("registry:people"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECURE_COOKIES": "1",
        "SECRET_KEY": "k" * 20 + "-Production-secret-key-with-enough-variety-0123456789",
        "FIELD_ENCRYPTION_KEY": "another-long-production-field-key",
        "ALLOWED_HOSTS": "grid.example.gov.cn",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "SMS_BACKEND": "gridgov.accounts.sms.AliyunSender",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gridgov", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_on_a_weak_field_key_and_no_broker():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "-Production-secret-key-with-enough-variety-0123456789",
        "FIELD_ENCRYPTION_KEY": "a",
        "CELERY_BROKER_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gridgov", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "gridgov.W010" in output
    assert "gridgov.W011" in output


def test_changing_ones_password_follows_the_rules_and_is_audited(world, client_for):
    client = client_for("staff")
    url = reverse("accounts:password-change")
    weak = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "abcdefghijk", "new_password2": "abcdefghijk"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors
    strong = "Another-Horse-42"
    done = client.post(
        url, {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert done.status_code == 302
    world.people.staff.refresh_from_db()
    assert world.people.staff.check_password(strong)
    assert AuditEntry.objects.filter(action="auth.password_changed", actor_name="staff").exists()


def test_the_daily_check_reports_a_broken_chain(world, caplog):
    from gridgov.audit.tasks import verify_audit_chain

    record("test.thing")
    assert verify_audit_chain() == "intact"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE seq = 1")
    assert verify_audit_chain() == "broken at #1"
    assert any(r.levelname == "CRITICAL" for r in caplog.records)


def test_key_rotation_resumes_after_the_last_finished_batch(world, settings):
    from cryptography.fernet import InvalidToken

    from gridgov.core import crypto
    from gridgov.core.models import RotationProgress

    people = [make_person(world.building_a, name=f"张{n}") for n in range(3)]
    settings.FIELD_ENCRYPTION_OLD_KEYS = [settings.FIELD_ENCRYPTION_KEY]
    settings.FIELD_ENCRYPTION_KEY = "the-next-key-for-a-resumed-rotation"
    # A run that stopped after its first batch (one person) left this progress row.
    RotationProgress.objects.create(
        model="registry.person", key_id=crypto.key_fingerprint(), last_pk=people[0].pk
    )
    call_command("rotate_keys", "--batch", "1")

    def raw_phone(pk):
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone FROM registry_person WHERE id = %s", [pk])
            return cursor.fetchone()[0]

    settings.FIELD_ENCRYPTION_OLD_KEYS = []  # only the new key now
    with pytest.raises(InvalidToken):
        crypto.decrypt(raw_phone(people[0].pk))  # not redone: the resumed run skipped it
    assert crypto.decrypt(raw_phone(people[2].pk)) == "13912345678"
    assert RotationProgress.objects.get(model="registry.person").done
