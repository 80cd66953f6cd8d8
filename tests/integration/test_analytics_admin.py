"""The metric settings: the system administrator's, in the admin, every change audited; and the
other apps' figures reach the analytics through their own functions."""

import datetime as dt

import pytest
from django.core.management import call_command

from gridgov.analytics import gridwork
from gridgov.analytics.metrics import counts
from gridgov.analytics.models import MetricSettings
from gridgov.analytics.periods import Period
from gridgov.audit.models import AuditEntry
from gridgov.cases.models import Case

pytestmark = pytest.mark.django_db

URL = "/admin/analytics/metricsettings/"


def test_the_system_administrator_edits_the_settings_and_it_is_audited(world, client_for):
    client = client_for("sysadmin")
    page = client.get(URL)
    assert page.status_code == 302 and page["Location"].endswith("/1/change/")
    response = client.post(
        f"{URL}1/change/",
        {
            "basic_counts_as_satisfied": "",
            "weight_response": "20",
            "weight_resolution": "40",
            "weight_satisfaction": "40",
        },
    )
    assert response.status_code == 302
    row = MetricSettings.current()
    assert (row.basic_counts_as_satisfied, row.weights) == (False, (20, 40, 40))
    entry = AuditEntry.objects.filter(action="admin.update").latest("pk")
    assert (entry.actor_name, entry.object_type) == ("sysadmin", "analytics.metricsettings")


def test_weights_must_add_up_to_100(world, client_for):
    client = client_for("sysadmin")
    client.get(URL)
    response = client.post(
        f"{URL}1/change/",
        {"weight_response": "50", "weight_resolution": "40", "weight_satisfaction": "40"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert MetricSettings.current().weights == (30, 35, 35)


@pytest.mark.parametrize("who", ["staff", "leader", "secadmin"])
def test_others_may_not(world, client_for, who):
    assert client_for(who).get(f"{URL}1/change/").status_code in (302, 403)
    assert not MetricSettings.objects.filter(weight_response=0).exists()


def test_generate_load_then_rollups_equal_direct(world):
    call_command("generate_load", cases=120, area=world.community_a.code, seed=7, days=60)
    assert Case.objects.count() == 120
    assert set(Case.objects.values_list("grid__parent", flat=True)) == {world.community_a.pk}
    today = dt.date.today()
    for period in (Period.month(today.year, today.month).previous(), Period.year(today.year)):
        assert counts(world.city, period) == counts(world.city, period, source="direct")
        assert counts(world.grid_a, period, department=world.water) == counts(
            world.grid_a, period, department=world.water, source="direct"
        )


def test_grid_work_figures(world):
    period = Period.month(2026, 11)
    figures = gridwork.grid_work(world.community_a, period)
    assert figures["patrols"].planned == 0 and figures["patrols"].rate is None
    assert figures["hazards"].open == 0
    assert figures["talk_points"].sessions == 0
    # Mediation is wired in when gridgov.mediation.metrics exists; absent here, it is None.
    try:
        import gridgov.mediation.metrics  # noqa: F401
    except ImportError:
        assert figures["mediation"] is None
