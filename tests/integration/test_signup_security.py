"""Sign-up: no registered-number oracle, an atomic try counter, limits on codes (item 10)."""

import datetime as dt
import re
import threading

import pytest
from django.db import connections
from django.test import Client

from gridgov.accounts import signup, sms
from gridgov.accounts.models import PhoneVerification, User
from gridgov.core.crypto import blind_index

REGISTERED = "13811112222"
NEW = "13933334444"


def _send(client, world, phone, ip="10.1.1.1"):
    return client.post(
        "/accounts/signup/",
        {"phone": phone, "community": world.community_a.pk, "step": "send_code"},
        REMOTE_ADDR=ip,
    )


def _register(client, world, phone, code, ip="10.1.1.1"):
    return client.post(
        "/accounts/signup/",
        {
            "phone": phone,
            "community": world.community_a.pk,
            "code": code,
            "full_name": "王小明",
            "password": "Spring-river-2026",
            "step": "register",
        },
        REMOTE_ADDR=ip,
    )


def _visible_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    body = re.sub(r'"X-CSRFToken": "[^"]*"', "", body)
    return (
        body.replace(REGISTERED, "PHONE")
        .replace(NEW, "PHONE")
        .replace(REGISTERED[:3] + "****" + REGISTERED[-4:], "MASKED")
        .replace(NEW[:3] + "****" + NEW[-4:], "MASKED")
    )


@pytest.mark.django_db
def test_sign_up_answers_the_same_for_registered_and_new_numbers(world):
    owner = User.objects.create(username="owner")
    owner.phone = REGISTERED
    owner.save()
    registered = _send(Client(), world, REGISTERED)
    new = _send(Client(), world, NEW)
    assert registered.status_code == new.status_code == 200
    assert _visible_text(registered) == _visible_text(new)
    assert "该手机号已注册" not in registered.content.decode()
    # The owner is told by text, with no usable code; the new number gets a code.
    texts = {text.phone: text for text in sms.outbox}
    assert texts[REGISTERED].template == "account_exists"
    assert not re.search(r"\d{6}", texts[REGISTERED].message)
    assert texts[NEW].template == "signup_code"
    # A guessed code is "wrong" for both, word for word.
    wrong_registered = _register(Client(), world, REGISTERED, "123456")
    wrong_new = _register(Client(), world, NEW, "123456")
    assert wrong_registered.status_code == wrong_new.status_code == 400
    assert _visible_text(wrong_registered) == _visible_text(wrong_new)
    assert "验证码错误" in wrong_registered.content.decode()
    assert User.objects.filter(phone_index=blind_index(REGISTERED)).count() == 1


@pytest.mark.django_db
def test_a_try_is_spent_before_the_code_is_compared(world, monkeypatch):
    """A second guess arriving between the first one's read and its write gets no extra try."""
    signup.send_code(NEW)
    PhoneVerification.objects.update(attempts=signup.MAX_ATTEMPTS - 1)  # one try left
    original = signup.blind_index
    comparisons = []

    def interleaving(value):
        if ":" in value:  # hashing a guessed code = one comparison
            comparisons.append(value)
            if len(comparisons) == 1:  # another request arrives right now
                with pytest.raises(signup.SignupError):
                    signup.check_code(NEW, "000001")
        return original(value)

    monkeypatch.setattr(signup, "blind_index", interleaving)
    with pytest.raises(signup.SignupError):
        signup.check_code(NEW, "000000")
    assert len(comparisons) == 1  # before the fix: 2 (a sixth guess)
    assert PhoneVerification.objects.get().attempts == signup.MAX_ATTEMPTS


@pytest.mark.django_db
def test_after_five_wrong_codes_even_the_right_one_is_refused(world):
    signup.send_code(NEW)
    code = re.search(r"\d{6}", sms.outbox[-1].message).group(0)
    for n in range(signup.MAX_ATTEMPTS):
        with pytest.raises(signup.SignupError, match=r"验证码错误|wrong"):
            signup.check_code(NEW, f"{(int(code) + n + 1) % 10**6:06d}")
    with pytest.raises(signup.SignupError, match=r"次数过多|Too many"):
        signup.check_code(NEW, code)


@pytest.mark.django_db(transaction=True)
def test_forty_concurrent_wrong_codes_get_five_comparisons(world, monkeypatch):
    signup.send_code(NEW)
    original = signup.blind_index
    lock = threading.Lock()
    comparisons = []

    def counting(value):
        if ":" in value:
            with lock:
                comparisons.append(value)
        return original(value)

    monkeypatch.setattr(signup, "blind_index", counting)
    barrier = threading.Barrier(40)

    def guess(n):
        try:
            barrier.wait()
            signup.check_code(NEW, f"{n:06d}")
        except signup.SignupError:
            pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(comparisons) <= signup.MAX_ATTEMPTS
    assert PhoneVerification.objects.get().attempts == signup.MAX_ATTEMPTS


@pytest.mark.django_db
def test_codes_are_limited_per_number(world, rate_limits, monkeypatch):
    rate_limits.RATE_LIMITS = {**rate_limits.RATE_LIMITS, "signup_code_number": "2/h"}
    monkeypatch.setattr(signup, "RESEND_AFTER", dt.timedelta(0))
    for n in range(2):
        assert _send(Client(), world, NEW, ip=f"10.2.0.{n}").status_code == 200
    refused = _send(Client(), world, NEW, ip="10.2.0.9")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert len(sms.outbox) == 2


@pytest.mark.django_db
def test_codes_are_limited_per_address(world, rate_limits):
    rate_limits.RATE_LIMITS = {**rate_limits.RATE_LIMITS, "signup_code": "2/h"}
    for phone in ("13900000001", "13900000002"):
        assert _send(Client(), world, phone, ip="10.3.0.1").status_code == 200
    refused = _send(Client(), world, "13900000003", ip="10.3.0.1")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert len(sms.outbox) == 2
    # Another address may still ask.
    assert _send(Client(), world, "13900000003", ip="10.3.0.2").status_code == 200
