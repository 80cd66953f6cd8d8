"""Downloads of a mediation case's documents as PDFs (ADR 0017): 404 for whoever may not see
the case (the agreement, which prints ID numbers in full, only for those who may act on it);
every download is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse

from gridgov.audit.log import record
from gridgov.core.models import get_visible_or_404
from gridgov.core.pdf import pdf_response
from gridgov.mediation import documents
from gridgov.mediation.documents import DocumentKind
from gridgov.mediation.models import MediationCase


def _audited(
    request: HttpRequest, mediation: MediationCase, kind: str, pk: int | None, data: bytes
) -> HttpResponse:
    with transaction.atomic():
        record(
            "mediation.document_download",
            actor=request.user,
            obj=mediation,
            object_repr=mediation.number,
            detail={"document": kind, "id": pk, "full_ids": kind == DocumentKind.AGREEMENT},
        )
    suffix = f"-{pk}" if pk is not None else ""
    return pdf_response(data, f"{mediation.number}-{kind}{suffix}.pdf")


@login_required
def agreement_pdf(request: HttpRequest, pk: int, agreement: int) -> HttpResponse:
    mediation = get_visible_or_404(MediationCase.objects, request.user, pk=pk)
    if not MediationCase.objects.visible_to(request.user, "change").filter(pk=pk).exists():
        raise Http404
    try:
        data = documents.agreement_pdf(mediation, agreement, request=request)
    except LookupError:
        raise Http404 from None
    return _audited(request, mediation, DocumentKind.AGREEMENT, agreement, data)


@login_required
def transcript_pdf(request: HttpRequest, pk: int, session: int) -> HttpResponse:
    mediation = get_visible_or_404(MediationCase.objects, request.user, pk=pk)
    try:
        data = documents.transcript_pdf(mediation, session, request=request)
    except LookupError:
        raise Http404 from None
    return _audited(request, mediation, DocumentKind.TRANSCRIPT, session, data)


@login_required
def case_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    mediation = get_visible_or_404(MediationCase.objects, request.user, pk=pk)
    data = documents.case_file_pdf(mediation, request=request)
    return _audited(request, mediation, DocumentKind.CASE_FILE, None, data)
