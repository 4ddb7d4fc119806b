from django.contrib.auth import views as auth_views
from django.urls import path

from thongsuot.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("activate/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("provisioning/", views.provisioning_upload, name="provisioning_upload"),
    path("provisioning/<int:batch_id>/", views.provisioning_preview, name="provisioning_preview"),
    path("provisioning/<int:batch_id>/apply/", views.provisioning_apply, name="provisioning_apply"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
