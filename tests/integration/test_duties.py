"""Separation of duties (item 5): no one changes their own roles or grants, an administrator
account holds no other role, the duties come only from the server-side command, and the
superuser flag opens the admin site and nothing else."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership, User
from gridgov.audit.models import AuditEntry
from gridgov.cases.models import Case
from gridgov.registry.models import NeedToKnowGrant, Person
from tests.cases_helpers import make_case
from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db


def _add_membership(client, user, role, **where):
    data = {"user": user.pk, "role": role, "is_active": "on", **where}
    return client.post("/admin/accounts/membership/add/", data)


def test_the_security_admin_cannot_give_themselves_a_role(world, client_for):
    secadmin = world.people.secadmin
    client = client_for("secadmin")
    for role, where in (
        (Role.COMMUNITY_STAFF, {"organisation": world.office_a.pk}),
        (Role.LEADER, {"organisation": world.street_office.pk}),
    ):
        response = _add_membership(client, secadmin, role, **where)
        assert response.status_code == 200
        assert "不能修改自己的角色" in response.content.decode()
    assert User.objects.get(pk=secadmin.pk).roles == {Role.SECURITY_ADMIN}


def test_the_security_admin_cannot_edit_their_own_account_or_its_roles(world, client_for):
    secadmin = world.people.secadmin
    client = client_for("secadmin")
    page = client.get(f"/admin/accounts/user/{secadmin.pk}/change/")
    assert page.status_code == 200 and "memberships-__prefix__-role" not in page.content.decode()
    response = client.post(
        f"/admin/accounts/user/{secadmin.pk}/change/",
        {
            "username": secadmin.username,
            "full_name": "x",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-role": Role.AUDIT_ADMIN,
            "memberships-0-area": world.city.pk,
            "memberships-0-is_active": "on",
        },
    )
    assert response.status_code == 403
    assert Membership.objects.filter(user=secadmin).count() == 1
    own = Membership.objects.get(user=secadmin)
    assert (
        client.post(f"/admin/accounts/membership/{own.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def _inline_role(client, user, role, **where):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-role": role,
        "memberships-0-is_active": "on",
        **{f"memberships-0-{k}": v for k, v in where.items()},
    }
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_roles_of_other_accounts_are_managed_on_their_page(world, client_for):
    client = client_for("secadmin")
    outsider = world.people.outsider
    refused = _inline_role(client, outsider, Role.SECURITY_ADMIN, area=world.city.pk)
    assert refused.status_code == 200 and not Membership.objects.filter(user=outsider).exists()
    added = _inline_role(client, outsider, Role.COMMUNITY_STAFF, organisation=world.office_a.pk)
    assert added.status_code == 302
    assert User.objects.get(pk=outsider.pk).roles == {Role.COMMUNITY_STAFF}


def test_the_admin_never_grants_an_administrator_duty(world, client_for):
    outsider = world.people.outsider
    response = _add_membership(
        client_for("secadmin"), outsider, Role.AUDIT_ADMIN, area=world.city.pk
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=outsider).exists()
    # An existing duty is read-only in the admin.
    duty = Membership.objects.get(user=world.people.auditadmin)
    edit = client_for("secadmin").post(
        f"/admin/accounts/membership/{duty.pk}/change/",
        {"user": world.people.secadmin.pk, "role": Role.AUDIT_ADMIN, "area": world.city.pk},
    )
    assert edit.status_code == 403
    assert Membership.objects.get(pk=duty.pk).user == world.people.auditadmin


def test_an_administrator_account_holds_no_other_role(world, client_for):
    response = _add_membership(
        client_for("secadmin"),
        world.people.auditadmin,
        Role.COMMUNITY_STAFF,
        organisation=world.office_a.pk,
    )
    assert response.status_code == 200
    assert "管理员" in response.content.decode()
    assert User.objects.get(pk=world.people.auditadmin.pk).roles == {Role.AUDIT_ADMIN}
    # The model refuses on every path, not only in the admin.
    with pytest.raises(ValidationError):
        Membership.objects.create(
            user=world.people.sysadmin, role=Role.LEADER, organisation=world.street_office
        )
    with pytest.raises(ValidationError):
        Membership.objects.create(user=world.people.staff, role=Role.AUDIT_ADMIN, area=world.city)
    # A role of an ordinary account can still be added by the security administrator.
    ok = _add_membership(
        client_for("secadmin"),
        world.people.outsider,
        Role.COMMUNITY_STAFF,
        organisation=world.office_a.pk,
    )
    assert ok.status_code == 302
    assert User.objects.get(pk=world.people.outsider.pk).roles == {Role.COMMUNITY_STAFF}


def test_nobody_grants_need_to_know_access_to_themselves(world, client_for):
    response = client_for("secadmin").post(
        "/admin/registry/needtoknowgrant/add/",
        {
            "user": world.people.secadmin.pk,
            "group": "elderly_alone",
            "area": world.city.pk,
            "reason": "自己看看",
        },
    )
    assert response.status_code == 200
    assert not NeedToKnowGrant.objects.exists()


def test_duties_are_granted_and_revoked_by_the_command_and_audited(world):
    newcomer = User.objects.create(username="newsec", is_superuser=True)
    call_command("grant_admin_duty", "newsec", "security", "--area", world.city.code)
    newcomer = User.objects.get(pk=newcomer.pk)
    assert newcomer.roles == {Role.SECURITY_ADMIN} and not newcomer.is_superuser
    granted = AuditEntry.objects.get(action="accounts.admin_duty.grant")
    assert granted.object_repr == "newsec" and granted.detail["duty"] == Role.SECURITY_ADMIN
    with pytest.raises(CommandError, match=r"管理员账号不能兼任|no other role"):
        call_command("grant_admin_duty", "staff", "audit", "--area", world.city.code)
    assert User.objects.get(pk=world.people.staff.pk).roles == {Role.COMMUNITY_STAFF}
    call_command("revoke_admin_duty", "newsec", "security")
    assert User.objects.get(pk=newcomer.pk).roles == frozenset()
    assert AuditEntry.objects.filter(action="accounts.admin_duty.revoke").count() == 1
    # Granted again later: the same membership comes back.
    call_command("grant_admin_duty", "newsec", "audit", "--area", world.city.code)
    assert User.objects.get(pk=newcomer.pk).roles == {Role.AUDIT_ADMIN}


def test_the_superuser_flag_opens_the_admin_site_and_no_data(world, client_for):
    make_person(world.building_a, name="王小明")
    make_case(world)
    root = User.objects.create(username="root", is_superuser=True)
    assert not Person.objects.visible_to(root).exists()
    assert not Case.objects.visible_to(root).exists()
    assert root.area_scope().paths == ()
    from django.test import Client

    client = Client()
    client.force_login(root)
    from tests.conftest import pass_two_factor

    pass_two_factor(client, root)
    assert client.get("/admin/").status_code == 200
    for url in ("/admin/accounts/membership/add/", "/admin/accounts/user/", "/admin/geo/grid/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/registry/").status_code == 404
    assert client.get("/audit/").status_code == 404
    assert client.get("/api/v1/people/").status_code == 404


def test_check_deploy_warns_while_a_superuser_exists(world):
    from gridgov.accounts.checks import no_superuser

    assert no_superuser(databases=["default"]) == []
    User.objects.create(username="root", is_superuser=True)
    assert [w.id for w in no_superuser(databases=["default"])] == ["gridgov.W013"]
    assert no_superuser() == []  # without a database named, no query


def test_no_visibility_rule_mentions_the_superuser_flag():
    """Grep: the flag may only appear in the admin-site entry, 2FA and idle timeout."""
    root = os.path.join(os.path.dirname(__file__), "..", "..", "gridgov")
    allowed = {
        "accounts/admin_site.py",
        "accounts/two_factor.py",
        "accounts/middleware.py",
        "accounts/context_processors.py",
        "accounts/duties.py",
        "accounts/checks.py",
    }
    used = set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".py") and "migrations" not in folder:
                with open(path, encoding="utf-8") as source:
                    if "is_superuser" in source.read():
                        used.add(os.path.relpath(path, root))
    assert used <= allowed, used - allowed
