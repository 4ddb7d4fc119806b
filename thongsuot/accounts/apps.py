from django.apps import AppConfig

from thongsuot.accounts import roles


class AccountsConfig(AppConfig):
    name = "thongsuot.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    roles = roles.COMMON  # the platform's common roles; each system declares its own (accounts/roles.py)

    def ready(self):
        from thongsuot.accounts import access
        from thongsuot.core.permissions import platform_admin_check_register

        # core asks "may this user administer the platform?" (the calendar, the audit log) through this hook.
        platform_admin_check_register(access.has_city_wide_change)
