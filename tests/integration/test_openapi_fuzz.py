"""The committed OpenAPI document is true: schemathesis fuzzes every operation of
docs/api/openapi.yaml in-process (Django's WSGI handler, no network) as three roles, and every
response must be no server error and conform to the document (issue #8 item 15).

All operations are run, the moves (POST) included: each request runs inside the test's
transaction, so the world is rolled back afterwards. The run is bounded (EXAMPLES per operation
and role, no shrinking, no example database), about 1,000 requests. Half the examples of an
operation with an `{id}` aim at a real case or person instead of a random number, so the
answers with bodies (200, 201, 400, 409) are checked, not only 404s.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from gridgov.cases import actions
from gridgov.cases.choices import Satisfaction, Status
from tests.cases_helpers import drive, make_case
from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
ROLES = ("resident", "worker_a", "dispatcher")
EXAMPLES = 5
CHECKS = [not_a_server_error, response_schema_conformance]


def _operations() -> list[tuple[str, object]]:
    schema = schemathesis.openapi.from_path(DOCUMENT)
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        found.append((f"{operation.method.upper()} {operation.path}", operation))
    return found


OPERATIONS = _operations()
assert len(OPERATIONS) == 80, (
    "an operation was added or removed: check EXAMPLES keeps the run short"
)


@pytest.fixture
def cases_in_every_state(world):
    """Cases the three roles can see, in the states that give the document's fields values
    and nulls: no grid (community only), no category, dispatched, rated, merged."""
    p = world.people
    made = [drive(world, make_case(world), status) for status in Status]
    made.append(make_case(world, building=None, community=world.community_a, category=None))
    rated = drive(world, make_case(world), Status.AWAITING_FEEDBACK)
    made.append(
        actions.rate_case(
            rated, acting_user=p.resident, solved=False, satisfaction=Satisfaction.DISSATISFIED
        )
    )
    return [case.pk for case in made]


@pytest.fixture
def app():
    """Django's WSGI handler, keeping the test's connection open (as Django's test client does:
    the handler closes database connections when a request finishes)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_as_its_document_says(world, cases_in_every_state, app, role):
    person = make_person(world.building_a)
    token = Token.objects.create(user=getattr(world.people, role))
    headers = {"Authorization": f"Token {token.key}"}
    failures = []
    answers: Counter[int] = Counter()
    for name, operation in OPERATIONS:
        real_id = (
            st.just(person.pk) if "/people/" in name else st.sampled_from(cases_in_every_state)
        )

        @given(case=operation.as_strategy(), real=st.booleans(), pick=real_id)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case, real, pick):
            if real and case.path_parameters and "id" in case.path_parameters:
                case.path_parameters["id"] = pick
            response = case.call(app=app, base_url="http://testserver", headers=headers)
            answers[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as error:  # collect every operation's failures, then report them all
            failures.append(f"{name}: {error}")
    assert not failures, f"{len(failures)} operations failed as {role}:\n" + "\n\n".join(failures)
    print(role, sorted(answers.items()))
    # The run reached real answers, not only refusals: lists and cases were read, and moves
    # were refused for bad input or a wrong state.
    assert {200, 400} <= set(answers), answers
