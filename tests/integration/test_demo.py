import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership, Organisation, User
from gridgov.geo.lookup import grid_id_at
from gridgov.geo.models import Area
from gridgov.registry.models import Building, Household

pytestmark = pytest.mark.django_db


def counts():
    return (
        Area.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Organisation.objects.count(),
        Building.objects.count(),
        Household.objects.count(),
    )


def test_seed_demo_builds_hexi_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    community = Area.objects.get(code="222405001001")
    assert community.name == "河西社区" and community.parent.name == "梨园街道"
    assert community.parent.parent.code == "222405"
    grids = Area.objects.grids().filter(parent=community)
    assert grids.count() == 9
    assert 35 <= Building.objects.count() <= 45
    assert Building.objects.filter(grid=None).count() == 0
    # Every grid has exactly one grid worker, and the demo grids tile without overlap.
    for grid in grids:
        assert Membership.objects.filter(area=grid, role=Role.GRID_WORKER).count() == 1
        assert grid_id_at(grid.centre_lat, grid.centre_lon) == grid.pk
    assert Household.objects.count() > 1000


def test_demo_logins_print_one_working_login_per_role():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    logins = json.loads(out.getvalue())
    assert set(logins) == {str(role) for role in Role}
    assert logins["grid_worker"]["area"] == "222405001001001"
    assert logins["department_handler"]["organisation"] == "LJ-SW"
    for role, login in logins.items():
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": login["username"], "password": login["password"]}
        )
        assert response.status_code == 302, role
        assert role in client.get("/").wsgi_request.user.roles


def test_demo_logins_without_a_seed_says_so():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="seed-demo"):
        call_command("demo_logins", stdout=io.StringIO())
