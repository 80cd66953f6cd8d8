from django.urls import path

from gridgov.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<str:code>/", views.dashboard, name="area"),
    path("<str:code>/screen/", views.screen, name="screen"),
]
