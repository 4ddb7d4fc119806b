"""The JSON API under /api/v1 (OpenAPI docs at /api/v1/docs). Each app contributes a router; the mapping
of errors to HTTP statuses is here, once for every router (its bodies: thongsuot.core.api_errors)."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from thongsuot.accounts.services import api_token_authenticate
from thongsuot.core.api_errors import is_illegal_transition
from thongsuot.core.workflow import TransitionError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Thông Suốt API",
    version="1",
    description="Shared systems of the city: directory, accounts, readiness. Authenticate with "
    "`Authorization: Bearer <personal token>` or a browser session.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """Bad input: 400 with the messages by field. An illegal workflow transition (a system's TransitionError,
    core.workflow.TransitionError, or any error coded "illegal_transition") is a conflict with the record's
    current state: 409."""
    if isinstance(exc, TransitionError) or is_illegal_transition(exc):
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "invalid", "errors": errors}, status=400)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    """A value the database cannot hold (an id beyond its integers, say) is bad input, not a server error."""
    errors = {"__all__": [_("A value is out of the range the platform accepts.")]}
    return api.create_response(request, {"detail": "invalid", "errors": errors}, status=400)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _not_found(request, exc):
    """Missing, or not visible to the caller (the selectors do not tell the two apart): 404."""
    detail = f"Not Found: {exc}" if settings.DEBUG else "Not Found"
    return api.create_response(request, {"detail": detail}, status=404)


from thongsuot.accounts.api import router as accounts_router  # noqa: E402
from thongsuot.conferences.api import router as conferences_router  # noqa: E402
from thongsuot.directory.api import router as directory_router  # noqa: E402
from thongsuot.documents.api import router as documents_router  # noqa: E402
from thongsuot.feedback.api import router as feedback_router  # noqa: E402
from thongsuot.procedures.api import router as procedures_router  # noqa: E402
from thongsuot.readiness.api import router as readiness_router  # noqa: E402

api.add_router("/directory", directory_router)
api.add_router("/accounts", accounts_router)
api.add_router("/readiness", readiness_router)
api.add_router("/feedback", feedback_router)
api.add_router("/procedures", procedures_router)
api.add_router("/documents", documents_router)
api.add_router("/feedback/stats", "thongsuot.feedback.api_stats.router")
api.add_router("/conferences", conferences_router)
