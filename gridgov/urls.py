from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from gridgov.accounts.views import home
from gridgov.analytics import map_api as analytics_map_api
from gridgov.cases import api as cases_api
from gridgov.geo import api as geo_api
from gridgov.geo import public_api as geo_public_api
from gridgov.hazards import api as hazards_api
from gridgov.mediation import api as mediation_api
from gridgov.notices import api as notices_api
from gridgov.patrols import api as patrols_api
from gridgov.registry import api as registry_api
from gridgov.talkpoints import api as talkpoints_api

router = SimpleRouter()
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("hazards", hazards_api.HazardViewSet, basename="hazard")
router.register("hazard-sites", hazards_api.HazardSiteViewSet, basename="hazard-site")
router.register("talk-points", talkpoints_api.TalkPointViewSet, basename="talk-point")
router.register("talk-sessions", talkpoints_api.TalkSessionViewSet, basename="talk-session")
router.register("notices", notices_api.NoticeViewSet, basename="notice")
router.register("patrol-rounds", patrols_api.RoundViewSet, basename="patrol-round")
router.register("mediations", mediation_api.MediationViewSet, basename="mediation")

api_v1 = [
    *router.urls,
    *[
        path(f"cases/<int:pk>/{slug}/", view, name=f"case-{slug}")
        for slug, view in cases_api.action_views()
    ],
    *[
        path(f"hazards/<int:pk>/{slug}/", view, name=f"hazard-{slug}")
        for slug, view in hazards_api.action_views()
    ],
    *[
        path(f"mediations/<int:pk>/{slug}/", view, name=f"mediation-{slug}")
        for slug, view in mediation_api.action_views()
    ],
    path("categories/", cases_api.CategoryList.as_view(), name="category-list"),
    path("organisations/", cases_api.OrganisationList.as_view(), name="organisation-list"),
    path("areas/", geo_api.AreaList.as_view(), name="area-list"),
    path("people/", registry_api.PersonList.as_view(), name="person-list"),
    path("people/search/", registry_api.PersonSearch.as_view(), name="person-search"),
    path("people/<int:pk>/", registry_api.PersonDetail.as_view(), name="person-detail"),
    path("geo/grids.geojson", geo_api.GridFeatures.as_view(), name="grid-features"),
    path("geo/buildings.geojson", geo_api.BuildingFeatures.as_view(), name="building-features"),
    path("geo/basemap.geojson", geo_api.BaseMapFeatures.as_view(), name="basemap-features"),
    path("map/cases.geojson", analytics_map_api.CaseFeatures.as_view(), name="map-cases"),
    path("map/hazards.geojson", analytics_map_api.HazardFeatures.as_view(), name="map-hazards"),
    path("map/grid-metric/", analytics_map_api.GridMetric.as_view(), name="map-grid-metric"),
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
    path("mediation/", include("gridgov.mediation.urls")),
    path("notices/", include("gridgov.notices.urls")),
    path("registry/", include("gridgov.registry.urls")),
    path("audit/", include("gridgov.audit.urls")),
    path("talkpoints/", include("gridgov.talkpoints.urls")),
    path("patrols/", include("gridgov.patrols.urls")),
    path("dashboard/", include("gridgov.analytics.urls")),
    path("reports/", include("gridgov.reports.urls")),
    path("", include("gridgov.geo.urls")),
]

handler404 = "gridgov.core.error_views.not_found"
