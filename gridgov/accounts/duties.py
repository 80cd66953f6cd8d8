"""Separation of duties (三权分立, ADR 0003).

- An administrator account (system, security or audit administrator) holds no other role, and
  an account with any other role holds no administrator duty: `check_separation`, called by
  `Membership.clean()` and `Membership.save()`, so no path (admin, shell, import) gets round it.
- The three duties are granted and revoked only on the server, by `gridgov grant-admin-duty` /
  `gridgov revoke-admin-duty` (audited); the admin's forms never offer them.
- Granting a duty clears the account's superuser flag: a superuser opens the admin site and
  nothing else, and `check --deploy` warns while one exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.accounts.choices import ADMIN_ROLES, Role

if TYPE_CHECKING:
    from gridgov.accounts.models import Membership, User
    from gridgov.geo.models import Area

DUTIES = {
    "system": Role.SYSTEM_ADMIN,
    "security": Role.SECURITY_ADMIN,
    "audit": Role.AUDIT_ADMIN,
}


def check_separation(membership: Membership) -> None:
    """Refuse an active membership that would mix an administrator duty with any other role."""
    from gridgov.accounts.models import Membership

    if not membership.is_active or membership.user_id is None:
        return
    others = Membership.objects.filter(user_id=membership.user_id, is_active=True)
    if membership.pk:
        others = others.exclude(pk=membership.pk)
    if membership.role in ADMIN_ROLES:
        if others.exists():
            raise ValidationError(
                _("An administrator account holds no other role: use a separate account."),
                code="admin_holds_other_role",
            )
    elif others.filter(role__in=ADMIN_ROLES).exists():
        raise ValidationError(
            _("This account holds an administrator duty and can hold no other role."),
            code="admin_holds_other_role",
        )


@transaction.atomic
def grant_admin_duty(user: User, duty: str, area: Area) -> Membership:
    """Give `user` one administrator duty over `area` (audited); clears the superuser flag."""
    from gridgov.accounts.models import Membership
    from gridgov.audit.log import record

    role = DUTIES[duty]
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, organisation=None, area=area, defaults={"is_active": False}
    )
    membership.is_active = True
    membership.full_clean()
    membership.save()
    if user.is_superuser:
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])
    record(
        "accounts.admin_duty.grant",
        obj=user,
        object_repr=user.get_username(),
        actor_name="gridgov grant-admin-duty",
        role="",
        detail={"duty": role, "area": area.code},
    )
    return membership


@transaction.atomic
def revoke_admin_duty(user: User, duty: str) -> int:
    """End `user`'s memberships in one administrator duty (audited); returns how many."""
    from gridgov.accounts.models import Membership
    from gridgov.audit.log import record

    role = DUTIES[duty]
    ended = Membership.objects.filter(user=user, role=role, is_active=True).update(is_active=False)
    record(
        "accounts.admin_duty.revoke",
        obj=user,
        object_repr=user.get_username(),
        actor_name="gridgov revoke-admin-duty",
        role="",
        detail={"duty": role, "ended": ended},
    )
    return ended
