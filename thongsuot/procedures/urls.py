from django.urls import path

from thongsuot.procedures import dossier_views, views

app_name = "procedures"

urlpatterns = [
    path("thu-tuc/", views.catalogue_list, name="catalogue"),
    path("thu-tuc/xuat.xlsx", views.catalogue_export, name="catalogue_export"),
    path("thu-tuc/nhap/", views.import_upload, name="import_upload"),
    path("thu-tuc/nhap/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("thu-tuc/nhap/<int:batch_id>/ap-dung/", views.import_apply, name="import_apply"),
    path("thu-tuc/<str:code>/", views.catalogue_detail, name="detail"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", dossier_views.submit_online, name="submit_online"),
    path("ho-so/", dossier_views.queue, name="queue"),
    path("ho-so/tiep-nhan/", dossier_views.intake, name="intake"),
    path("ho-so/cua-toi/", dossier_views.my_dossiers, name="mine"),
    path("ho-so/so-theo-doi.<str:fmt>", dossier_views.tracking_log, name="tracking_log"),
    path("ho-so/<str:code>/", dossier_views.detail, name="dossier"),
    path("ho-so/<str:code>/ket-qua.pdf", dossier_views.result_file, name="result_file"),
    path("ho-so/<str:code>/mau-<str:number>.pdf", dossier_views.form_pdf, name="form_pdf"),
    path("ho-so/<str:code>/<str:command>/", dossier_views.act, name="act"),
    path("tra-cuu-ho-so/", dossier_views.lookup, name="lookup"),
]
