"""The service's WSGI app with the bare views mounted (bench/urls.py).

bench/settings.py cannot be the settings module any more: factcheck/__init__ starts Celery,
whose beat schedule reads the settings while that module is still being imported. So the
service's own settings are used, and only the URLconf is swapped."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"

from django.conf import settings
from django.core.wsgi import get_wsgi_application

settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
