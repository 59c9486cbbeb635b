import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimdesk.settings")
application = get_wsgi_application()

from claimdesk.warm import warm_and_freeze  # noqa: E402 (needs the apps loaded)

warm_and_freeze()
