from django.urls import path

from gridgov.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("new/", views.hotline_new, name="new"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/thumb/", views.attachment_thumbnail, name="attachment_thumb"),
    path("attachments/<int:pk>/retry/", views.retry_attachment, name="attachment_retry"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/<str:action>/", views.case_action, name="action"),
]
