"""The error bodies of the JSON API, for the routers' OpenAPI docs. thongsuot/api.py maps the exceptions
to them, once for every router: an illegal transition → 409, PermissionDenied → 403, a record missing or
not visible → 404, a ValidationError → 400 with the fields' names."""

from ninja import Schema

# The code a system's illegal workflow transition carries (a ValidationError with this code: 409).
ILLEGAL_TRANSITION = "illegal_transition"


class ErrorOut(Schema):
    """What went wrong, in the user's language."""

    detail: str


class InvalidOut(Schema):
    """Bad input: the messages by field name ("__all__" for the whole request); a body that cannot be read
    at all has the detail only."""

    detail: str
    errors: dict[str, list[str]] = {}


# A router's `response={200: X, **ERRORS}`: what any read or write may answer besides success.
ERRORS = {400: InvalidOut, 403: ErrorOut, 404: ErrorOut}
# ... and a workflow transition (the report's state no longer allows it).
TRANSITION_ERRORS = {**ERRORS, 409: ErrorOut}


def is_illegal_transition(exc) -> bool:
    """Whether a ValidationError says an illegal transition (its code, or every one of its errors')."""
    if getattr(exc, "code", None) == ILLEGAL_TRANSITION:
        return True
    errors = [e for errors in exc.error_dict.values() for e in errors] if hasattr(exc, "error_dict") else exc.error_list
    return bool(errors) and all(getattr(e, "code", None) == ILLEGAL_TRANSITION for e in errors)
