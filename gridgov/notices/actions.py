"""Writing a notice, read receipts and "told in person": each change writes its audit row.
The lifecycle moves (schedule, publish, withdraw) are in `lifecycle.py`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.audit.log import record
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.notices import audience
from gridgov.notices.attachments import check_attachment
from gridgov.notices.lifecycle import NOTICES
from gridgov.notices.models import Notice, NoticeAttachment, NoticeEvent, NoticeRead, ToldInPerson
from gridgov.notices.sanitize import clean_html

if TYPE_CHECKING:
    from gridgov.accounts.models import User
    from gridgov.geo.models import Area
    from gridgov.registry.models import Building, Person


def _author_membership(user: User, owner_area: Area) -> Any:
    from gridgov.notices.choices import AUTHOR_ROLES

    for m in user.active_memberships:
        path = scope.membership_path(m)
        if m.role in AUTHOR_ROLES and path and path == owner_area.path:
            return m
    return None


def create_notice(
    *,
    acting_user: User,
    owner_area: Area,
    title: str,
    body: str,
    important: bool = False,
    for_residents: bool = True,
    for_staff: bool = False,
    areas: Iterable[Area] = (),
    buildings: Iterable[Building] = (),
    files: Iterable[UploadedFile] = (),
) -> Notice:
    """A draft notice issued in the author's own area, its targets inside that area."""
    membership = _author_membership(acting_user, owner_area)
    if membership is None:
        raise NotAllowed(_("You may not write notices for this area."))
    areas, buildings = list(areas), list(buildings)
    inside = (owner_area.path,)
    if not all(scope.covers(inside, a.path) for a in areas) or not all(
        b.grid is not None and scope.covers(inside, b.grid.path) for b in buildings
    ):
        raise IllegalMove(_("A notice can only be sent inside your own area."))
    body = clean_html(body)
    if not title.strip() or not body.strip():
        raise IllegalMove(_("A notice needs a title and a text."))
    checked = [check_attachment(f) for f in files]
    with transaction.atomic():
        notice = Notice.objects.create(
            title=title.strip(),
            body=body,
            important=important,
            for_residents=for_residents,
            for_staff=for_staff,
            owner_area=owner_area,
            created_by=acting_user,
        )
        notice.areas.set(areas)
        notice.buildings.set(buildings)
        for upload, content_type in checked:
            NoticeAttachment.objects.create(
                notice=notice,
                file=upload,
                name=(upload.name or "")[:120],
                content_type=content_type,
                size=upload.size or 0,
            )
        NoticeEvent.objects.create(
            notice=notice,
            kind="created",
            actor=acting_user,
            actor_role=membership.role,
            to_status=notice.status,
        )
        record(
            "notice.created",
            actor=acting_user,
            role=membership.role,
            obj=notice,
            object_repr=notice.title,
        )
    return notice


def mark_read(notice: Notice, user: User) -> bool:
    """The reader's receipt, once; only a published notice that reaches them. True if new."""
    if not audience.is_reader(user, notice):
        return False
    try:
        with transaction.atomic():
            NoticeRead.objects.create(notice=notice, user=user)
    except IntegrityError:
        return False
    return True


def mark_told(notice: Notice, person: Person, *, acting_user: User) -> ToldInPerson:
    """The grid worker told a resident of their grid in person (one mark per person)."""
    if not audience.follows_up(acting_user, notice):
        raise NotAllowed(_("You may not do this with this notice."))
    if not audience.unread_in_grids(notice, acting_user).filter(pk=person.pk).exists():
        raise IllegalMove(_("This person is not in the notice's audience in your grid."))
    with transaction.atomic():
        told, created = ToldInPerson.objects.get_or_create(
            notice=notice, person=person, defaults={"told_by": acting_user}
        )
        if not created:
            raise IllegalMove(_("This person has already been told."))
        record(
            "notice.told_in_person",
            actor=acting_user,
            obj=notice,
            object_repr=notice.title,
            detail={"person": person.pk},
        )
    return told


__all__ = ["NOTICES", "create_notice", "mark_read", "mark_told"]
