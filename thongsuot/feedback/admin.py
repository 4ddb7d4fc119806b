"""Admin: read-only views of categories, reports and pending submissions. Every change goes through the
services, which write the audit log: categories are edited on /xu-ly-phan-anh/danh-muc/ (or the API),
reports on their pages; a pending submission that failed can be queued again (an audited service)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from thongsuot.feedback.models import Category, PendingSubmission, Report, ReportEvent
from thongsuot.feedback.services import submissions


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "responsible", "department", "handling_days", "is_active"]


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor_label", "action", "from_status", "to_status", "note", "public"]
    fields = readonly_fields


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["code", "category", "status", "organisation", "received_at", "due_date", "overdue"]
    list_filter = ["status", "channel", "category", "overdue"]
    search_fields = ["code", "search_folded"]
    inlines = [EventInline]


@admin.register(PendingSubmission)
class PendingSubmissionAdmin(ReadOnlyAdmin):
    """Citizens' submissions waiting for a worker; those that failed PendingSubmission.MAX_ATTEMPTS times
    show their error and can be queued again once its cause is fixed. The contact data is not listed."""

    list_display = ["code", "received_at", "attempts", "last_error"]
    fields = ["code", "received_at", "attempts", "last_error"]
    actions = ["retry"]

    @admin.action(description=_("Register again"))
    def retry(self, request, queryset):
        count = submissions.submissions_retry(actor=request.user, codes=list(queryset.values_list("code", flat=True)))
        message = ngettext("%(n)d submission queued again.", "%(n)d submissions queued again.", count)
        self.message_user(request, message % {"n": count}, messages.SUCCESS)


from thongsuot.feedback.open311 import admin as _open311_admin  # noqa: E402,F401
