from django.urls import path

from gridgov.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_new, name="new"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/rates/", views.notice_rates, name="rates"),
    path("<int:pk>/unread/", views.notice_unread, name="unread"),
    path("<int:pk>/told/<int:person_pk>/", views.notice_told, name="told"),
    path("<int:pk>/<slug:action>/", views.notice_action, name="action"),
]
