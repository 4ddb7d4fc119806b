from django.urls import path

from thongsuot.core.attachments import views as attachment_views
from thongsuot.feedback.views import categories, failed, public, staff
from thongsuot.feedback.views import stats as stats_views

app_name = "feedback"
urlpatterns = [
    # public, no login
    path("phan-anh/", public.public_list, name="public_list"),
    path("phan-anh/gui/", public.report_new, name="new"),
    path("phan-anh/ban-do.json", public.map_points, name="map_points"),
    path("phan-anh/tra-cuu/", public.lookup, name="lookup"),
    # the shared download view (core.attachments), which asks feedback.uploads.can_view first
    path("phan-anh/tep/<int:pk>/", attachment_views.download, {"owner": "feedback"}, name="attachment"),
    path("phan-anh/xep-hang/", stats_views.public_ranking, name="ranking"),
    path("phan-anh/<str:code>/", public.follow, name="follow"),
    path("phan-anh/<str:code>/danh-gia/", public.rate, name="rate"),
    path("phan-anh/<str:code>/mo-lai/", public.reopen, name="reopen"),
    # staff
    path("xu-ly-phan-anh/", staff.home, name="staff_home"),
    path("xu-ly-phan-anh/dieu-phoi/", staff.queue, name="queue"),
    path("xu-ly-phan-anh/tiep-nhan/", staff.hotline, name="hotline"),
    path("xu-ly-phan-anh/qua-han/", staff.escalations, name="escalations"),
    path("xu-ly-phan-anh/danh-muc/", categories.category_list, name="categories"),
    path("xu-ly-phan-anh/danh-muc/moi/", categories.category_edit, name="category_new"),
    path("xu-ly-phan-anh/danh-muc/<int:pk>/", categories.category_edit, name="category_edit"),
    path("xu-ly-phan-anh/dang-ky-loi/", failed.failed_submissions, name="failed_submissions"),
    path("xu-ly-phan-anh/thong-ke/", stats_views.stats_page, name="stats"),
    path("xu-ly-phan-anh/thong-ke/xlsx/", stats_views.stats_xlsx, name="stats_xlsx"),
    path("xu-ly-phan-anh/thong-ke/pdf/", stats_views.stats_pdf, name="stats_pdf"),
    path("xu-ly-phan-anh/<str:code>/", staff.report_detail, name="staff_report"),
    path("xu-ly-phan-anh/<str:code>/<slug:action>/", staff.act, name="act"),
]
