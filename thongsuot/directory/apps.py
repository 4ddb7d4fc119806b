from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "thongsuot.directory"
    label = "directory"
    verbose_name = "Directory"
