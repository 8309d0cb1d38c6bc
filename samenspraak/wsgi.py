"""WSGI entry point: ordinary pages in production (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.settings")
application = get_wsgi_application()
