from django.urls import path

from gridgov.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/xlsx/", views.report_xlsx, name="xlsx"),
    path("<int:pk>/conclusions/", views.record_conclusion, name="conclusion"),
    path("<int:pk>/action-items/", views.add_action_item, name="add-item"),
    path("action-items/<int:pk>/<slug:action>/", views.item_action, name="item-action"),
]
