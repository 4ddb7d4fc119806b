from django.urls import path

from thongsuot.procedures import views

app_name = "procedures"

urlpatterns = [
    path("thu-tuc/", views.catalogue_list, name="catalogue"),
    path("thu-tuc/xuat.xlsx", views.catalogue_export, name="catalogue_export"),
    path("thu-tuc/nhap/", views.import_upload, name="import_upload"),
    path("thu-tuc/nhap/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("thu-tuc/nhap/<int:batch_id>/ap-dung/", views.import_apply, name="import_apply"),
    path("thu-tuc/<str:code>/", views.catalogue_detail, name="detail"),
]
