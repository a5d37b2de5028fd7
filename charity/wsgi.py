"""
WSGI config for charity project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

# Off while Django starts; charity.apps turns it back on (see there why).
gc.disable()

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charity.settings")

application = get_wsgi_application()

# The URLconf, and with it the admin's modules (charity/admin_site.py), loaded here rather than
# on each worker's first request, and frozen with the rest of start-up (charity.apps).
gc.disable()
from django.urls import get_resolver  # noqa: E402

from charity.apps import finish_startup_without_collector  # noqa: E402

get_resolver().url_patterns  # noqa: B018  (loads it)
finish_startup_without_collector()
