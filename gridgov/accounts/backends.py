"""Log in with a username or a mainland mobile number, both with the password."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from gridgov.accounts.models import User
from gridgov.core.crypto import blind_index_candidates

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def find_account(identifier: str) -> User | None:
    """The account a login name means: a username, or a mainland mobile number."""
    identifier = identifier.strip()
    if not identifier:
        return None
    user = User.objects.filter(username=identifier).first()
    if user is None and MOBILE.match(identifier):
        user = (
            User.objects.filter(phone_index__in=blind_index_candidates(identifier))
            .exclude(phone_index="")
            .first()
        )
    return user


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = find_account(username)
        if user is None:
            # Spend the same time as a real check so that timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
