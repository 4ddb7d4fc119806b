"""Admin for Open311 clients: a new client's api_key is shown once, after saving; unticking "active" revokes it."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from thongsuot.feedback.open311 import services
from thongsuot.feedback.open311.models import Open311Client


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "organisation", "contact_email", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix", "contact_email"]
    raw_id_fields = ["organisation"]
    fields = ["name", "organisation", "contact_email", "is_active", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the reports keep pointing at their audit rows

    def save_model(self, request, obj, form, change):
        if change:
            if "is_active" in form.changed_data:
                services.open311_client_set_active(actor=request.user, client=obj, is_active=obj.is_active)
            if {"name", "organisation", "contact_email"} & set(form.changed_data):
                services.open311_client_update(
                    actor=request.user,
                    client=obj,
                    name=obj.name,
                    organisation=obj.organisation,
                    contact_email=obj.contact_email,
                )
            return
        client, raw = services.open311_client_create(
            actor=request.user, name=obj.name, organisation=obj.organisation, contact_email=obj.contact_email
        )
        if not obj.is_active:
            client = services.open311_client_set_active(actor=request.user, client=client, is_active=False)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = client.pk, client.prefix, client.key_hash, client.created_at
        obj._state.adding = False
        messages.warning(
            request, _("The api_key of %(name)s (shown only now, copy it): %(key)s") % {"name": client.name, "key": raw}
        )
