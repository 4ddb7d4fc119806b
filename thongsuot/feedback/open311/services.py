"""Writes of the Open311 interface: client keys (created, switched on and off) and submitted requests.
Keyword-only, atomic, audited; a request becomes a report only through feedback.services.submission_accept."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.core.audit import audit_record, audited_update
from thongsuot.core.local_cache import instance_copy, local_cache
from thongsuot.core.secrets import credential_hash, credential_new
from thongsuot.feedback import selectors as feedback_selectors
from thongsuot.feedback import services as feedback_services
from thongsuot.feedback.audit_actions import Open311ClientAudit
from thongsuot.feedback.models import Attachment, Channel
from thongsuot.feedback.open311.models import Open311Client
from thongsuot.feedback.open311.selectors import unit_by_address_id
from thongsuot.feedback.services.submissions import Accepted

KEY_PREFIX = "o311"
# submission_accept's field → the Open311 argument the client sent (errors name what the client knows)
FIELD_NAMES = {
    "category": "service_code",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "contact_name": "first_name",
    "contact_phone": "phone",
    "contact_email": "email",
    "description": "description",
    "files": "media",
    "__all__": "",
}


key_hash = credential_hash


@transaction.atomic
def open311_client_create(*, actor, name: str, organisation=None, contact_email: str = "") -> tuple[Open311Client, str]:
    """A new client and its api_key. The plaintext key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("A client needs a name.")]})
    prefix, raw = credential_new(KEY_PREFIX)
    client = Open311Client.objects.create(
        name=name[:150],
        prefix=prefix,
        key_hash=key_hash(raw),
        organisation=organisation,
        contact_email=(contact_email or "").strip().lower(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=Open311ClientAudit.CREATE,
        obj=client,
        organisation_id=client.organisation_id,
        after={"name": client.name, "prefix": prefix, "organisation": client.organisation_id},
    )
    return client, raw


@transaction.atomic
def open311_client_set_active(*, actor, client: Open311Client, is_active: bool, reason: str = "") -> Open311Client:
    """Revoke (is_active=False) or restore a client's key."""
    client = Open311Client.objects.select_for_update().get(pk=client.pk)
    audited_update(
        client,
        actor=actor,
        fields={"is_active": is_active},
        action=Open311ClientAudit.ACTIVATE if is_active else Open311ClientAudit.REVOKE,
        organisation_id=client.organisation_id,
        reason=reason,
        only_if_changed=True,
    )
    return client


@transaction.atomic
def open311_client_update(*, actor, client: Open311Client, name: str, organisation=None, contact_email: str = ""):
    """Change a client's name, organisation or contact (not its key)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("A client needs a name.")]})
    client = Open311Client.objects.select_for_update().get(pk=client.pk)
    audited_update(
        client,
        actor=actor,
        fields={
            "name": name[:150],
            "organisation": organisation,
            "contact_email": (contact_email or "").strip().lower(),
        },
        action=Open311ClientAudit.UPDATE,
        organisation_id=organisation.pk if organisation else None,
        only_if_changed=True,
    )
    return client


@local_cache(max_entries=256, keep_none=False)
def _active_client(hashed: str) -> Open311Client | None:
    """The active client with this key hash, read once per REFERENCE_CACHE_SECONDS per process
    (thongsuot.core.local_cache), which is also when its last_used_at is written. A key revoked in this
    process is refused at once (the signals below); in the other workers within that time. Unknown keys
    are not kept: each is looked up again."""
    client = Open311Client.objects.filter(key_hash=hashed, is_active=True).first()
    if client is not None:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


post_save.connect(_active_client.clear, sender=Open311Client, dispatch_uid="open311_active_client_save")
post_delete.connect(_active_client.clear, sender=Open311Client, dispatch_uid="open311_active_client_delete")


def open311_client_authenticate(raw: str) -> Open311Client | None:
    """The active client a raw api_key belongs to, or None (unknown or revoked). Its last_used_at is
    exact to REFERENCE_CACHE_SECONDS."""
    if not raw or not raw.startswith(f"{KEY_PREFIX}_"):
        return None
    client = _active_client.get(key_hash(raw))
    return instance_copy(client) if client is not None else None


def _error(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _renamed(message_dict: dict) -> dict[str, list[str]]:
    return {FIELD_NAMES.get(field, field): list(messages) for field, messages in message_dict.items()}


def open311_request_submit(*, client: Open311Client, data, files=(), client_ip: str | None = None) -> Accepted:
    """Create a report from the Open311 arguments in `data` (service_code, lat/long | address_string |
    address_id, description, first_name/last_name, email/phone, media_url, device_id, account_id).

    The submission is accepted like the public form's (feedback.services.submissions): numbered at once,
    registered by a worker, with the client, device_id and account_id in its audit row. Raises
    ValidationError whose message_dict is keyed by Open311 argument names, or RateLimited. The hourly
    limit is counted per device (device_id) of the client, else per connection.
    """

    def get(name: str):
        value = data.get(name)
        return value.strip() if isinstance(value, str) else value

    errors: dict[str, list[str]] = {}
    service_code = get("service_code")
    if not service_code:
        _error(errors, "service_code", _("This argument is required."))
    elif feedback_selectors.active_category(service_code) is None:
        _error(errors, "service_code", _("Unknown service_code; see services.json for the list."))
    lat, lng, address, address_id = get("lat"), get("long"), get("address_string") or "", get("address_id")
    if address_id and not address:
        unit = unit_by_address_id(address_id)
        if unit is None:
            _error(errors, "address_id", _("Unknown address_id: give the identifier of a commune-level unit."))
        else:
            address = f"{unit.name}, Thành phố Hồ Chí Minh"
    if lat in (None, "") and lng in (None, "") and not address and "address_id" not in errors:
        _error(errors, "lat", _("Give lat and long, address_string or address_id."))
    description = get("description") or ""
    media_url = get("media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            _error(errors, "media_url", _("Enter a valid http(s) URL."))
        else:
            if len(media_url) > Attachment._meta.get_field("source_url").max_length:
                _error(errors, "media_url", _("The URL is too long."))
    if errors:
        raise ValidationError(errors)
    name = " ".join(part for part in (get("first_name"), get("last_name")) if part)
    device_id = (get("device_id") or "")[:100]
    try:
        return feedback_services.submission_accept(
            category=service_code,
            description=description,
            contact_name=name,
            contact_phone=get("phone") or "",
            contact_email=get("email") or "",
            address=address,
            latitude=lat,
            longitude=lng,
            files=files,
            channel=Channel.OPEN311,
            actor=None,
            client_ip=client_ip,
            throttle_key=f"open311:{client.pk}:{device_id}" if device_id else client_ip,
            media_url=media_url or "",
            source={
                "open311_client": client.pk,
                "open311_client_name": client.name,
                "device_id": device_id,
                "account_id": (get("account_id") or "")[:100],
            },
        )
    except feedback_services.RateLimited as exc:
        raise feedback_services.RateLimited(_renamed(exc.message_dict), code="rate_limited")
    except ValidationError as exc:
        raise ValidationError(_renamed(exc.message_dict))
