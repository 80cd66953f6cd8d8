from django.urls import path

from gridgov.geo import views

app_name = "geo"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("grids/<str:code>/", views.grid_page, name="grid"),
]
