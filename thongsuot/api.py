"""The JSON API under /api/v1 (OpenAPI docs at /api/v1/docs). Each app contributes a router."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from thongsuot.accounts.services import api_token_authenticate


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
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "invalid", "errors": errors}, status=400)


from thongsuot.accounts.api import router as accounts_router  # noqa: E402
from thongsuot.conferences.api import router as conferences_router  # noqa: E402
from thongsuot.directory.api import router as directory_router  # noqa: E402
from thongsuot.feedback.api import router as feedback_router  # noqa: E402
from thongsuot.readiness.api import router as readiness_router  # noqa: E402

api.add_router("/directory", directory_router)
api.add_router("/accounts", accounts_router)
api.add_router("/readiness", readiness_router)
api.add_router("/feedback", feedback_router)
api.add_router("/feedback/stats", "thongsuot.feedback.api_stats.router")
api.add_router("/conferences", conferences_router)
