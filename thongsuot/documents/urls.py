from django.urls import path

from thongsuot.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.home, name="home"),
    path("soan-thao/", views.create, name="create"),
    path("theo-doi/", views.follow_up, name="follow_up"),
    path("so-van-ban/", views.registers, name="registers"),
    path("ho-so/", views.workfiles, name="workfiles"),
    path("ho-so/<int:pk>/", views.workfile, name="workfile"),
    path("ho-so/<int:pk>/<str:command>/", views.workfile_act, name="workfile_act"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tep/<int:file_id>/", views.download, name="download"),
    path("<int:pk>/<str:command>/", views.act, name="act"),
]
