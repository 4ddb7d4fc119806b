from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from thongsuot import errors, frontpage
from thongsuot.api import api
from thongsuot.core import views as core_views

urlpatterns = [
    path("", frontpage.front_page, name="home"),
    path("he-thong/<str:name>/", core_views.system, name="system"),
    path("nhat-ky/", core_views.audit_log, name="audit_log"),
    path("lich-lam-viec/", core_views.working_calendar, name="working_calendar"),
    path("thong-bao/", include("thongsuot.core.notifications.urls")),
    path("healthz", core_views.health, name="health"),
    # Browsers ask for /favicon.ico where a page names no icon (the API's JSON, a PDF).
    path("favicon.ico", core_views.favicon),
    path("accounts/", include("thongsuot.accounts.urls")),
    path("", include("thongsuot.core.attachments.urls")),
    path("san-sang/", include("thongsuot.readiness.urls")),
    path("van-ban/", include("thongsuot.documents.urls")),
    # Open311 before the feedback pages and the API: its requests, like the citizens' form (third of the
    # feedback pages), are the busiest, and URLs are tried in order.
    path("open311/v2/", include("thongsuot.feedback.open311.urls")),
    path("", include("thongsuot.feedback.urls")),
    path("", include("thongsuot.procedures.urls")),
    path("", include("thongsuot.conferences.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
