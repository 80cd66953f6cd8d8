from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from gridgov.accounts.views import home
from gridgov.cases import api as cases_api
from gridgov.geo import api as geo_api
from gridgov.geo import public_api as geo_public_api
from gridgov.registry import api as registry_api

router = SimpleRouter()
router.register("cases", cases_api.CaseViewSet, basename="case")

api_v1 = [
    *router.urls,
    *[
        path(f"cases/<int:pk>/{slug}/", view, name=f"case-{slug}")
        for slug, view in cases_api.action_views()
    ],
    path("categories/", cases_api.CategoryList.as_view(), name="category-list"),
    path("organisations/", cases_api.OrganisationList.as_view(), name="organisation-list"),
    path("areas/", geo_api.AreaList.as_view(), name="area-list"),
    path("people/", registry_api.PersonList.as_view(), name="person-list"),
    path("people/search/", registry_api.PersonSearch.as_view(), name="person-search"),
    path("people/<int:pk>/", registry_api.PersonDetail.as_view(), name="person-detail"),
    path("geo/grids.geojson", geo_api.GridFeatures.as_view(), name="grid-features"),
    path("geo/buildings.geojson", geo_api.BuildingFeatures.as_view(), name="building-features"),
    path(
        "public/grids.geojson",
        geo_public_api.PublicGridFeatures.as_view(),
        name="public-grid-features",
    ),
    path("public/buildings/", geo_public_api.PublicBuildings.as_view(), name="public-buildings"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("gridgov.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("cases/", include("gridgov.cases.urls")),
    path("hazards/", include("gridgov.hazards.urls")),
    path("inbox/", include("gridgov.inbox.urls")),
    path("notices/", include("gridgov.notices.urls")),
    path("registry/", include("gridgov.registry.urls")),
    path("audit/", include("gridgov.audit.urls")),
    path("talkpoints/", include("gridgov.talkpoints.urls")),
    path("patrols/", include("gridgov.patrols.urls")),
    path("reports/", include("gridgov.reports.urls")),
    path("", include("gridgov.geo.urls")),
]
