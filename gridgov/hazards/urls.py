from django.urls import path

from gridgov.hazards import views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_new, name="new"),
    path("sites/", views.site_list, name="sites"),
    path("sites/new/", views.site_new, name="site-new"),
    path("sites/<int:pk>/inspect/", views.site_inspect, name="inspect"),
    path("photos/<int:pk>/", views.hazard_photo, name="photo"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.hazard_action, name="action"),
]
