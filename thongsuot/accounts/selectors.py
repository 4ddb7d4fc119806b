from django.db.models import QuerySet

from thongsuot.accounts import access
from thongsuot.accounts.models import ApiToken, ProvisioningBatch, User


def staff_list(*, user: User, organisation_id: int | None = None) -> QuerySet[User]:
    qs = access.scope_to_user(User.objects.filter(kind=User.Kind.STAFF), user).select_related("organisation")
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.prefetch_related("roles").order_by("organisation__name", "full_name")


def provisioning_batch_get(*, user: User, batch_id: int) -> ProvisioningBatch:
    """A batch its uploader (or the Centre) may see; DoesNotExist otherwise."""
    qs = ProvisioningBatch.objects.all()
    if not access.has_city_wide_change(user):
        qs = qs.filter(uploaded_by=user)
    return qs.get(pk=batch_id)


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
