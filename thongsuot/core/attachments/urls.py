from django.urls import path

from thongsuot.core.attachments import views

app_name = "attachments"
urlpatterns = [path("tep/<slug:owner>/<int:pk>/", views.download, name="download")]
