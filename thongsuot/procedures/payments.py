"""Fees paid online: the payment adapter. A backend charges an amount for a reference and answers the
gateway's transaction id, or raises PaymentRefused. PROCEDURES_PAYMENT_BACKEND names the backend (a dotted
path); the development backend (the default outside production) approves every payment at once, so the
whole path can be tried without a gateway. A real gateway (the national portal's payment platform) is a
class with the same `charge` method."""

import uuid

from django.conf import settings
from django.utils.module_loading import import_string


class PaymentRefused(Exception):
    pass


class DevelopmentBackend:
    """Approves every payment: for development machines and tests only."""

    name = "development"

    def charge(self, *, amount: int, reference: str, payer: str) -> str:
        if amount <= 0:
            raise PaymentRefused("nothing to pay")
        return f"DEV-{uuid.uuid4().hex[:12].upper()}"


def backend():
    path = getattr(settings, "PROCEDURES_PAYMENT_BACKEND", "")
    if not path:
        if getattr(settings, "PRODUCTION", False):
            raise PaymentRefused("no payment gateway is configured")
        return DevelopmentBackend()
    return import_string(path)()
