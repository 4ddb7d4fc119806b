from django.apps import AppConfig

from thongsuot.accounts import roles


class AccountsConfig(AppConfig):
    name = "thongsuot.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    roles = roles.COMMON  # the platform's common roles; each system declares its own (accounts/roles.py)
