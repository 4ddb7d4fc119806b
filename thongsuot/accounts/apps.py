from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thongsuot.accounts"
    label = "accounts"
    verbose_name = "Accounts"
