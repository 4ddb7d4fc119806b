"""Admin: read-only views of categories and reports. Every change goes through the services, which write
the audit log: categories are edited on /xu-ly-phan-anh/danh-muc/ (or the API), reports on their pages."""

from django.contrib import admin

from thongsuot.feedback.models import Category, Report, ReportEvent


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


from thongsuot.feedback.open311 import admin as _open311_admin  # noqa: E402,F401
