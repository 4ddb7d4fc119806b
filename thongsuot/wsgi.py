import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thongsuot.settings")
application = get_wsgi_application()

# Each server worker reads the address data before its first request, so no citizen waits for it.
from thongsuot.directory.address import address_data_load  # noqa: E402 (needs the app registry above)

address_data_load()
