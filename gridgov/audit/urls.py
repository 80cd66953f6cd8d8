from django.urls import path

from gridgov.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.xlsx", views.audit_export, name="export"),
]
