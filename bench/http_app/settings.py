"""The project's settings, unchanged, with a URLconf that adds the trivial view.

Bench only (gunicorn gets ``DJANGO_SETTINGS_MODULE=http_app.settings``); the project
never imports this module.
"""

from secondcareer.config.settings import *  # noqa: F403 - the real settings, one override

ROOT_URLCONF = "http_app.urls"
