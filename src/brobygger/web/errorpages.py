"""The page for a form refused by the CSRF check (``CSRF_FAILURE_VIEW``): in the user's
language, in the site's layout, saying what to do — usually the session has expired."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
