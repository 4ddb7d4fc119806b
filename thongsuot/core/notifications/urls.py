from django.urls import path

from thongsuot.core.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/da-doc/", views.notification_read, name="read"),
    path("da-doc-tat-ca/", views.notifications_read_all, name="read_all"),
    path("hop-thu/", views.developer_outbox, name="developer_outbox"),
]
