"""Background jobs of accounts: thin, idempotent, calling services and templates."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from thongsuot.accounts.models import User


def activation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:activate", args=[uid, token])


# New accounts of one staff list are e-mailed by jobs of this many accounts each: 10,000 accounts make 50
# jobs, not 10,000 (each job row is a write in the apply's commit), and several workers share them.
ACTIVATION_BATCH = 200


@task()
def activation_emails_send(user_ids: list[int]) -> int:
    """Send the activation link to each of these accounts not activated yet; returns how many were sent.
    A job run twice sends again only to accounts still not activated."""
    return sum(activation_email_send.call(user_id=user_id) for user_id in user_ids)


@task()
def activation_email_send(user_id: int) -> bool:
    """Send the link that lets a new account set its own password. Skips accounts already activated."""
    user = User.objects.filter(pk=user_id, is_active=True, activated_at__isnull=True).first()
    if user is None or not user.email:
        return False
    context = {"user": user, "link": activation_link(user), "days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    send_mail(
        subject=render_to_string("accounts/email/activation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/activation_body.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
