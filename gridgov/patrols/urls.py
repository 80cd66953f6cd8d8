from django.urls import path

from gridgov.patrols import link_views, plan_views, views

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
    # The plan pages of the community's staff.
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/new/", plan_views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/checkpoints/", plan_views.checkpoint_add, name="checkpoint-add"),
    path("checkpoints/<int:pk>/", plan_views.checkpoint_edit, name="checkpoint"),
    path("checkpoints/<int:pk>/move/", plan_views.checkpoint_move, name="checkpoint-move"),
    path("checkpoints/<int:pk>/remove/", plan_views.checkpoint_remove, name="checkpoint-remove"),
    path("checkpoints/<int:pk>/retire/", plan_views.checkpoint_retire, name="checkpoint-retire"),
]

# The round's hazard pieces (issue 10, gridgov/patrols/link_views.py).
urlpatterns += [
    path("rounds/<int:pk>/hazard/", link_views.hazard_finding, name="hazard-finding"),
    path("rounds/<int:pk>/hazard-update/", link_views.hazard_update, name="hazard-update"),
    path("rounds/<int:pk>/inspect/", link_views.inspect, name="inspect"),
    path("finding/", link_views.quick_finding, name="quick-finding"),
]
