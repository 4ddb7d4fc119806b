from django.urls import path

from thongsuot.conferences import views, views_attendance, views_quality, views_room
from thongsuot.core.attachments import views as attachment_views

app_name = "conferences"
urlpatterns = [
    path("hoi-nghi/", views.home, name="home"),
    path("hoi-nghi/moi/", views.meeting_new, name="new"),
    path("hoi-nghi/diem-cau/", views.endpoints, name="endpoints"),
    path("hoi-nghi/chat-luong/", views_quality.report, name="quality_report"),
    path("hoi-nghi/diem-cau/<int:pk>/", views.endpoint_calendar, name="endpoint"),
    path("hoi-nghi/tai-lieu/<int:pk>/", attachment_views.download, {"owner": "conferences"}, name="document"),
    path(
        "hoi-nghi/ghi-hinh/<int:pk>/",
        attachment_views.download,
        {"owner": "conferences-recordings"},
        name="recording",
    ),
    path("hoi-nghi/<int:pk>/", views.meeting_detail, name="meeting"),
    path("hoi-nghi/<int:pk>/sua/", views.meeting_edit, name="edit"),
    path("hoi-nghi/<int:pk>/diem-danh/", views_attendance.attendance, name="attendance"),
    path("hoi-nghi/<int:pk>/diem-danh.<str:fmt>", views_attendance.attendance_export, name="attendance_export"),
    path("hoi-nghi/<int:pk>/chat-luong/", views_quality.board, name="quality"),
    path("hoi-nghi/<int:pk>/tham-gia/<int:endpoint_id>/", views_room.join, name="join"),
    path("hoi-nghi/<int:pk>/dieu-hanh/", views_room.console, name="console"),
    path("hoi-nghi/<int:pk>/dieu-hanh/<slug:action>/", views_room.console_act, name="console_all"),
    path("hoi-nghi/<int:pk>/dieu-hanh/<int:participant_id>/<slug:action>/", views_room.console_act, name="console_act"),
    path("hoi-nghi/<int:pk>/<slug:action>/", views.act, name="act"),
]
