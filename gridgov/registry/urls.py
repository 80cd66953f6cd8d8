from django.urls import path

from gridgov.registry import excel_views, views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="people"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/unmask/", views.person_unmask, name="person-unmask"),
    path("people/<int:pk>/departed/", views.person_departed, name="person-departed"),
    path("people/<int:pk>/groups/<str:group>/", views.special_group_edit, name="special-group"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("template.xlsx", excel_views.template_download, name="template"),
    path("import/", excel_views.import_start, name="import"),
    path("import/<int:pk>/", excel_views.import_job, name="import-job"),
    path("import/<int:pk>/retry/", excel_views.import_retry, name="import-retry"),
    path("import/<int:pk>/report.xlsx", excel_views.import_report, name="import-report"),
    path("export.xlsx", excel_views.export_people, name="export"),
]
