from django.urls import path

from thongsuot.readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.board, name="board"),
    path("export.xlsx", views.board_export, name="export"),
]
