from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gridgov.accounts.views import home
from gridgov.geo import api as geo_api

api_v1 = [
    path("areas/", geo_api.AreaList.as_view(), name="area-list"),
    path("geo/grids.geojson", geo_api.GridFeatures.as_view(), name="grid-features"),
    path("geo/buildings.geojson", geo_api.BuildingFeatures.as_view(), name="building-features"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("gridgov.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("", include("gridgov.geo.urls")),
]
