"""Development and test tools, beside the product and not part of it: the fake LINE
platform (``fakeline``: a WSGI app that plays LINE's servers for the tests and the
demo) and the test helpers (``testing``: the throwaway PostgreSQL cluster plugin, the
browser and server fixtures, the staff sign-in helper). They import nothing from the
domain apps (an import-linter contract in ``pyproject.toml``), and the product imports
them only in tests and, for the fake, where ``config`` mounts it when
``FAKE_LINE_ENABLED``."""
