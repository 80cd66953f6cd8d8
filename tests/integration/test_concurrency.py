import threading

import pytest
from django.db import connections

from gridgov.cases import actions
from gridgov.cases.choices import EventKind, Status
from gridgov.cases.models import Case
from tests.cases_helpers import drive, make_case

# Real threads with their own connections: on PostgreSQL the row lock decides, on SQLite the
# write lock that every transaction takes at BEGIN (transaction_mode IMMEDIATE).
pytestmark = pytest.mark.django_db(transaction=True)


def race(fn, *args_per_thread):
    """Run fn(*args) in one thread per args tuple, released together; collect the outcomes."""
    barrier = threading.Barrier(len(args_per_thread))
    outcomes = []

    def run(args):
        try:
            barrier.wait()
            fn(*args)
            outcomes.append("won")
        except (actions.IllegalMove, actions.NotAllowed) as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(args,)) for args in args_per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_handlers_claiming_at_once_have_exactly_one_winner(world):
    from tests.factories import MembershipFactory, UserFactory

    second = UserFactory()
    MembershipFactory(user=second, role="department_handler", organisation=world.water)
    for _ in range(3):  # a few cases, to give the race a chance to show
        case = drive(world, make_case(world), Status.DISPATCHED)

        def claim(user, pk=case.pk):
            actions.claim_case(Case.objects.get(pk=pk), acting_user=user)

        outcomes = race(claim, (world.people.handler,), (second,))
        assert outcomes.count("won") == 1, outcomes
        loser = next(o for o in outcomes if o != "won")
        assert "现在不能签收" in loser or "cannot be claimed" in loser, loser
        assert case.events.filter(kind=EventKind.CLAIMED).count() == 1
        assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_two_staff_accepting_at_once_write_one_event(world):
    case = make_case(world)

    def accept(_n):
        actions.accept_case(Case.objects.get(pk=case.pk), acting_user=world.people.staff)

    outcomes = race(accept, (1,), (2,))
    assert outcomes.count("won") == 1, outcomes
    assert case.events.filter(kind=EventKind.ACCEPTED).count() == 1
