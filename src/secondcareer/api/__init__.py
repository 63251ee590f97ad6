"""The platform's JSON API (``/api/``): one django-ninja site (:mod:`.site`) to which
each app adds its router (``<app>/api.py``)."""
