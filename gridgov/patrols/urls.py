from django.urls import path

from gridgov.patrols import link_views, views

app_name = "patrols"

urlpatterns = [
    path("", views.today, name="today"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("plans/<int:pk>/start/", views.start, name="start"),
    path("plans/<int:pk>/qr/", views.qr_sheet, name="qr-sheet"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/points/", views.points, name="points"),
    path("rounds/<int:pk>/check-in/", views.check_in, name="check-in"),
    path("rounds/<int:pk>/finding/", views.finding, name="finding"),
    path("rounds/<int:pk>/finish/", views.finish, name="finish"),
    path("rounds/<int:pk>/track/", views.track_page, name="track"),
    path("rounds/<int:pk>/track.json", views.track_json, name="track-json"),
]

# The round's hazard pieces (issue 10, gridgov/patrols/link_views.py).
urlpatterns += [
    path("rounds/<int:pk>/hazard/", link_views.hazard_finding, name="hazard-finding"),
    path("rounds/<int:pk>/hazard-update/", link_views.hazard_update, name="hazard-update"),
    path("rounds/<int:pk>/inspect/", link_views.inspect, name="inspect"),
    path("finding/", link_views.quick_finding, name="quick-finding"),
]
