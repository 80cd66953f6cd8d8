from django.urls import path

from gridgov.cases import report_views, views

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("new/", views.hotline_new, name="new"),
    path("report/", report_views.report, name="report"),
    path("report/done/", report_views.report_done, name="report_done"),
    path("track/", report_views.track, name="track"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/thumb/", views.attachment_thumbnail, name="attachment_thumb"),
    path("attachments/<int:pk>/retry/", views.retry_attachment, name="attachment_retry"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/<str:action>/", views.case_action, name="action"),
]
