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

# Documents (PDF) and workbenches (m2).
from gridgov.mediation import document_views, workbench_views  # noqa: E402

urlpatterns += [
    path(
        "<int:pk>/pdf/agreement/<int:agreement>/",
        document_views.agreement_pdf,
        name="agreement_pdf",
    ),
    path(
        "<int:pk>/pdf/transcript/<int:session>/",
        document_views.transcript_pdf,
        name="transcript_pdf",
    ),
    path("<int:pk>/pdf/case-file/", document_views.case_file_pdf, name="case_file_pdf"),
    path("workbench/", workbench_views.workbench_page, name="workbench"),
]
