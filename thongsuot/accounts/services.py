"""Every write to accounts: keyword-only, atomic, audited in the same transaction."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.accounts.audit_actions import (
    AccountAudit,
    ApiTokenAudit,
    CitizenAudit,
    ProvisioningAudit,
    TwoFactorAudit,
)
from thongsuot.accounts.models import ApiToken, ProvisioningBatch, Role, User
from thongsuot.accounts.provisioning import planning
from thongsuot.accounts.provisioning.reading import read_staff_list
from thongsuot.core.audit import audit_entry, audit_record, audit_record_bulk, audited_update, snapshot
from thongsuot.core.models import AuditEntry
from thongsuot.core.secrets import credential_hash, credential_new
from thongsuot.directory.models import Organisation

_USER_FIELDS = ["username", "email", "full_name", "phone", "position", "organisation", "is_active", "kind"]
MAX_TOKEN_DAYS = 365


def _require_provisioner(user: User) -> None:
    if not access.can_provision(user):
        raise PermissionDenied(
            _("Only unit administrators and the Digital Transformation Centre can provision accounts.")
        )


@transaction.atomic
def provisioning_preview(*, uploader: User, data: bytes, filename: str, deactivate_missing: bool = False):
    """Read a staff list and store it with its preview. Raises StaffListError for a file that is not one."""
    _require_provisioner(uploader)
    rows = read_staff_list(data, filename)
    plan = planning.build_plan(rows=rows, uploader=uploader, deactivate_missing=deactivate_missing)
    batch = ProvisioningBatch.objects.create(
        uploaded_by=uploader,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        deactivate_missing=deactivate_missing,
        summary=plan.summary,
    )
    batch.organisations.set(plan.organisation_ids)
    audit_record(actor=uploader, action=ProvisioningAudit.PREVIEW, obj=batch, after=plan.summary)
    return batch, plan


def _user_roles_set(user_ids_roles: list[tuple[int, list[str]]], roles_by_code: dict[str, Role]) -> None:
    through = User.roles.through
    ids = [uid for uid, _codes in user_ids_roles]
    through.objects.filter(user_id__in=ids).delete()
    through.objects.bulk_create(
        [through(user_id=uid, role_id=roles_by_code[c].pk) for uid, codes in user_ids_roles for c in codes],
        batch_size=1000,
    )


def provisioning_apply(*, actor: User, batch: ProvisioningBatch, skip_errors: bool = False):
    """Apply a previewed list in one transaction. The plan is recomputed under a lock on the units,
    so applying the same list twice, or two uploads at once, never duplicates an account."""
    from thongsuot.accounts.tasks import ACTIVATION_BATCH, activation_emails_send

    _require_provisioner(actor)
    if batch.uploaded_by_id != actor.pk and not access.has_city_wide_change(actor):
        raise PermissionDenied(_("This staff list was uploaded by someone else."))
    with transaction.atomic():
        batch = ProvisioningBatch.objects.select_for_update().get(pk=batch.pk)
        org_ids = list(batch.organisations.values_list("pk", flat=True))
        # Serialise concurrent applies that touch the same units (a no-op on SQLite, which locks the file).
        list(Organisation.objects.select_for_update().filter(pk__in=org_ids).order_by("pk").values_list("pk"))
        plan = planning.build_plan(rows=batch.rows, uploader=actor, deactivate_missing=batch.deactivate_missing)
        if plan.has_errors and not skip_errors:
            raise ValidationError(
                _("The list has %(n)d row(s) with errors; correct them or skip them.")
                % {"n": plan.count(planning.ERROR)}
            )
        roles_by_code = {r.code: r for r in Role.objects.all()}
        now = timezone.now()
        audits: list[AuditEntry] = []  # written at once (audit_record_bulk) after the accounts

        def audit(action, user, before, after):
            audits.append(
                audit_entry(
                    actor=actor,
                    action=action,
                    obj=user,
                    object_label=user.full_name,
                    organisation_id=user.organisation_id,
                    before=before,
                    after=after,
                    reason=f"provisioning batch {batch.pk}",
                )
            )

        creates = [r for r in plan.rows if r.action == planning.CREATE]
        new_users = [
            User(
                username=r.email,
                email=r.email,
                full_name=r.full_name,
                phone=r.phone,
                position=r.position,
                organisation_id=r.organisation_id,
                kind=User.Kind.STAFF,
                password="!" + secrets.token_urlsafe(20),
            )
            for r in creates
        ]
        User.objects.bulk_create(new_users, batch_size=1000)
        if new_users and new_users[0].pk is None:  # databases that do not return ids
            by_email = dict(User.objects.filter(email__in=[u.email for u in new_users]).values_list("email", "pk"))
            for u in new_users:
                u.pk = u.id = by_email[u.email]
        role_sets = [(u.pk, r.roles) for u, r in zip(new_users, creates, strict=True)]
        for user, row in zip(new_users, creates, strict=True):
            audit(AccountAudit.CREATE, user, None, {**snapshot(user, _USER_FIELDS), "roles": row.roles})

        updates = [r for r in plan.rows if r.action == planning.UPDATE]
        users = User.objects.in_bulk([r.user_id for r in updates])
        for row in updates:
            user = users[row.user_id]
            before = {**snapshot(user, _USER_FIELDS), "roles": sorted(user.roles.values_list("code", flat=True))}
            user.full_name, user.phone, user.position = row.full_name, row.phone, row.position
            user.organisation_id, user.is_active = row.organisation_id, True
            user.save(update_fields=["full_name", "phone", "position", "organisation", "is_active"])
            role_sets.append((user.pk, row.roles))
            audit(AccountAudit.UPDATE, user, before, {**snapshot(user, _USER_FIELDS), "roles": row.roles})
        _user_roles_set(role_sets, roles_by_code)

        deactivations = [r for r in plan.rows if r.action == planning.DEACTIVATE]
        users = User.objects.in_bulk([r.user_id for r in deactivations])
        for row in deactivations:
            user = users[row.user_id]
            before = snapshot(user, _USER_FIELDS)
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit(AccountAudit.DEACTIVATE, user, before, snapshot(user, _USER_FIELDS))

        audit_record_bulk(audits)
        batch.status, batch.applied_at, batch.summary = ProvisioningBatch.Status.APPLIED, now, plan.summary
        batch.save(update_fields=["status", "applied_at", "summary"])
        audit_record(actor=actor, action=ProvisioningAudit.APPLY, obj=batch, after=plan.summary)
        new_ids = [u.pk for u in new_users]
        if new_ids:
            batches = [new_ids[i : i + ACTIVATION_BATCH] for i in range(0, len(new_ids), ACTIVATION_BATCH)]
            transaction.on_commit(lambda: [activation_emails_send.enqueue(user_ids=ids) for ids in batches])
    return plan


@transaction.atomic
def account_activate(*, user: User, password: str) -> User:
    """Set the password chosen through the activation (or reset) link."""
    password_validation.validate_password(password, user)
    first = user.activated_at is None
    user.set_password(password)
    if first:
        user.activated_at = timezone.now()
    user.save(update_fields=["password", "activated_at"])
    audit_record(
        actor=user,
        action=AccountAudit.ACTIVATE if first else AccountAudit.PASSWORD_RESET,
        obj=user,
        organisation_id=user.organisation_id,
    )
    return user


@transaction.atomic
def citizen_register(*, full_name: str, phone: str = "", email: str = "") -> User:
    phone = planning.normalise_phone(phone)
    email = (email or "").strip().lower()
    if not phone and not email:
        raise ValidationError({"phone": _("A phone number or an email is required.")})
    username = phone or email
    if User.objects.filter(username=username).exists():
        raise ValidationError({"phone" if phone else "email": _("An account with this contact already exists.")})
    user = User(username=username, email=email, phone=phone, full_name=full_name.strip(), kind=User.Kind.CITIZEN)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=user, action=CitizenAudit.REGISTER, obj=user, after=snapshot(user, _USER_FIELDS))
    return user


_token_hash = credential_hash


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new personal token. The raw value is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A token needs a name.")})
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("A token lasts between 1 and %(max)d days.") % {"max": MAX_TOKEN_DAYS}})
    prefix, raw = credential_new("ts")
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        key_hash=_token_hash(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=user,
        action=ApiTokenAudit.CREATE,
        obj=token,
        organisation_id=user.organisation_id,
        after={"name": token.name, "prefix": prefix, "expires_at": token.expires_at},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not access.has_city_wide_change(actor):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    if token.revoked_at is None:
        audited_update(token, actor=actor, fields={"revoked_at": timezone.now()}, action=ApiTokenAudit.REVOKE)
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None (unknown, expired, revoked, inactive)."""
    if not raw or not raw.startswith("ts_"):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=_token_hash(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def totp_device_confirm(*, user: User, device, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=TwoFactorAudit.ENABLE, obj=user, organisation_id=user.organisation_id)
    return True
