from django.urls import path

from gridgov.talkpoints import views

app_name = "talkpoints"
urlpatterns = [
    path("", views.talk_point_list, name="list"),
    path("new/", views.talk_point_new, name="new"),
    path("<int:pk>/", views.talk_point_detail, name="detail"),
    path("<int:pk>/edit/", views.talk_point_edit, name="edit"),
    path("<int:pk>/close/", views.talk_point_close, name="close"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
]
