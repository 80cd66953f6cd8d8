from django.urls import path

from gridgov.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.mediation_list, name="list"),
    path("new/", views.mediation_new, name="new"),
    path("<int:pk>/", views.mediation_detail, name="detail"),
    path("<int:pk>/parties/<int:party>/unmask/", views.party_unmask, name="unmask"),
    path("<int:pk>/<slug:action>/", views.mediation_action, name="action"),
]
