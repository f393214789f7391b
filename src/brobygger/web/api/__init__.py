"""The REST API under /api/ (OpenAPI at /api/openapi.json, docs at /api/docs).

Authentication: ``Authorization: Bearer <token>`` (``manage.py createapitoken``) or the browser
session. Every object comes through ``accounts.scoping``, like the screens. Every error has one
shape: ``{"errors": [{"location": "...", "message": "..."}]}`` and never echoes the input.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from brobygger.errors import Problem
from brobygger.web.accounts.models import ApiToken
from brobygger.web.problems import problem_message


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="brobygger registry API",
    version="1",
    description="Participants, pathway events, partnerships, accelerator enterprises and "
    "growth figures, scoped to the caller's organisations.",
    auth=[TokenAuth(), django_auth],
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


def _errors(request, status: int, errors: list[dict]):
    return api.create_response(request, {"errors": errors}, status=status)


def _location(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def _validation(request, exc: NinjaValidationError):
    # pydantic errors carry the submitted value under "input": never send it back (CPR!)
    return _errors(request, 422, [
        {"location": _location(e.get("loc", ())), "message": _said(e)} for e in exc.errors
    ])


def _said(error: dict) -> str:
    """A pydantic error in the request's language, as the rules' errors are (the schema
    checks' templates: ``brobygger.problem_text``), without the value given."""
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    context = tuple((k, v if isinstance(v, int | float | str) else str(v))
                    for k, v in (error.get("ctx") or {}).items() if k != "error")
    return problem_message(Problem("", "", message, str(error.get("type", "")), context))


#: the rules name a model's fields; the API's bodies name a relation by its id
_API_NAMES = {"corrects": "corrects_id", "employer": "employer_id", "__all__": ""}


@api.exception_handler(DjangoValidationError)
def _django_validation(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        items = [{"location": _API_NAMES.get(k, k), "message": m}
                 for k, msgs in exc.message_dict.items() for m in msgs]
    else:
        items = [{"location": "", "message": m} for m in exc.messages]
    return _errors(request, 422, items)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _errors(request, 401, [{"location": "", "message": _("authentication required")}])


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _errors(request, 403, [{"location": "", "message": _(
        "your role does not allow this")}])


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _errors(request, 404, [{"location": "", "message": _("not found")}])


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _errors(request, exc.status_code, [{"location": "", "message": str(exc)}])


from brobygger.web.api import enterprises, participants  # noqa: E402  (routers need `api`)

api.add_router("/participants", participants.router)
api.add_router("/", enterprises.router)
