"""Personas (style.md §12): a small world of two communities, three grids and one user per role.

grid A and grid B are in community A; grid C is in community B. Each persona is a user with
exactly the memberships its name says; `outsider` has none.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.geo.choices import AreaKind
from gridgov.geo.lookup import forget_index
from tests.factories import (
    AreaFactory,
    BuildingFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    square,
)

PASSWORD = "Correct-horse-9"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate limits are off unless a test asks for them (`rate_limits`); texts start empty."""
    from django.core.cache import cache

    from gridgov.accounts import sms

    settings.RATELIMIT_ENABLE = False
    cache.clear()
    sms.outbox.clear()


@pytest.fixture
def rate_limits(settings):
    """Rate limits on, with fresh counters."""
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    cache.clear()
    return settings


@pytest.fixture(autouse=True)
def _fresh_grid_index():
    forget_index()
    yield
    forget_index()


@pytest.fixture
def world(db):
    city = AreaFactory(kind=AreaKind.CITY, code="222405", name="龙井市")
    street = AreaFactory(kind=AreaKind.STREET, code="222405001", name="梨园街道", parent=city)
    community_a = AreaFactory(
        kind=AreaKind.COMMUNITY, code="222405001001", name="河西社区", parent=street
    )
    community_b = AreaFactory(
        kind=AreaKind.COMMUNITY, code="222405001002", name="河东社区", parent=street
    )
    grid_a = AreaFactory(
        kind=AreaKind.GRID,
        code="222405001001001",
        name="第一网格",
        parent=community_a,
        boundary=square(129.40, 42.76),
    )
    grid_b = AreaFactory(
        kind=AreaKind.GRID,
        code="222405001001002",
        name="第二网格",
        parent=community_a,
        boundary=square(129.41, 42.76),
    )
    grid_c = AreaFactory(
        kind=AreaKind.GRID,
        code="222405001002001",
        name="河东第一网格",
        parent=community_b,
        boundary=square(129.42, 42.76),
    )
    office_a = OrganisationFactory(code="HX-SQ", name="河西社区居委会", area=community_a)
    office_b = OrganisationFactory(code="HD-SQ", name="河东社区居委会", area=community_b)
    street_office = OrganisationFactory(
        code="LY-JD", name="梨园街道综治中心", kind=OrganisationKind.STREET_OFFICE, area=street
    )
    water = OrganisationFactory(
        code="LJ-SW", name="龙井市水务局", kind=OrganisationKind.WATER, area=city
    )
    judicial = OrganisationFactory(
        code="LY-SFS", name="梨园司法所", kind=OrganisationKind.JUDICIAL_OFFICE, area=street
    )
    urban = OrganisationFactory(
        code="LJ-CG", name="龙井市城管局", kind=OrganisationKind.URBAN_MANAGEMENT, area=city
    )
    committee = OrganisationFactory(
        code="HX-TWH",
        name="河西调委会",
        kind=OrganisationKind.MEDIATION_COMMITTEE,
        area=community_a,
    )
    building_a = BuildingFactory(code="B-A1", name="甲1号楼", lon=129.405, lat=42.765)
    building_b = BuildingFactory(code="B-B1", name="乙1号楼", lon=129.415, lat=42.765)
    building_c = BuildingFactory(code="B-C1", name="丙1号楼", lon=129.425, lat=42.765)

    def persona(username: str, role: str | None = None, **where: object):
        user = UserFactory(username=username)
        if role:
            MembershipFactory(user=user, role=role, **where)
        return user

    people = SimpleNamespace(
        resident=persona("resident", Role.RESIDENT, area=community_a),
        worker_a=persona("worker_a", Role.GRID_WORKER, organisation=office_a, area=grid_a),
        worker_b=persona("worker_b", Role.GRID_WORKER, organisation=office_a, area=grid_b),
        staff=persona("staff", Role.COMMUNITY_STAFF, organisation=office_a),
        other_staff=persona("other_staff", Role.COMMUNITY_STAFF, organisation=office_b),
        dispatcher=persona("dispatcher", Role.STREET_DISPATCHER, organisation=street_office),
        handler=persona("handler", Role.DEPARTMENT_HANDLER, organisation=water),
        handler_urban=persona("handler_urban", Role.DEPARTMENT_HANDLER, organisation=urban),
        mediator=persona("mediator", Role.MEDIATOR, organisation=committee),
        judicial=persona("judicial", Role.JUDICIAL_OFFICER, organisation=judicial),
        leader=persona("leader", Role.LEADER, organisation=street_office),
        sysadmin=persona("sysadmin", Role.SYSTEM_ADMIN, area=city),
        secadmin=persona("secadmin", Role.SECURITY_ADMIN, area=city),
        auditadmin=persona("auditadmin", Role.AUDIT_ADMIN, area=city),
        outsider=persona("outsider"),
    )
    return SimpleNamespace(
        city=city,
        street=street,
        community_a=community_a,
        community_b=community_b,
        grid_a=grid_a,
        grid_b=grid_b,
        grid_c=grid_c,
        office_a=office_a,
        office_b=office_b,
        street_office=street_office,
        water=water,
        urban=urban,
        judicial_office=judicial,
        committee=committee,
        category=_categories(water),
        building_a=building_a,
        building_b=building_b,
        building_c=building_c,
        people=people,
    )


def _categories(water):
    from gridgov.cases.models import Category

    parent = Category.objects.create(code="03", name="突发事件")
    return Category.objects.create(
        code="0301",
        name="突发漏水/水管破裂",
        parent=parent,
        default_department=water,
        standard_ref="GridGov 2026",
    )


@pytest.fixture
def client_for(world) -> Callable[[str], Client]:
    """`client_for("worker_a")` → a Client logged in as that persona; "anonymous" → logged out."""

    def make(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            user = getattr(world.people, name)
            client.force_login(user)
            pass_two_factor(client, user)
        return client

    return make


def authenticator(user):
    """The persona's confirmed authenticator (made once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    return device


def current_code(user) -> str:
    from django_otp.oath import totp

    device = authenticator(user)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def pass_two_factor(client: Client, user) -> None:
    """Staff personas pass the second sign-in step, as after giving a code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from gridgov.accounts.two_factor import requires_two_factor

    if requires_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()


@pytest.fixture
def english():
    """Run a test in English (messages asserted in English; zh-Hans is the product default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def photo(settings, tmp_path):
    """`photo()` → a small real JPEG upload, checked like a user's photo."""
    settings.MEDIA_ROOT = tmp_path
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from gridgov.cases.media import check_photo

    def make(name: str = "photo.jpg"):
        buffer = BytesIO()
        Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
        return check_photo(SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg"))

    return make
