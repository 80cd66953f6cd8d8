"""The product's URLs plus one page that fails, for the 500 page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from gridgov.urls import urlpatterns as product


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), *product]
