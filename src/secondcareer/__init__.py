"""Second Career Platform: a senior (60+) career-support centre, end to end."""

__version__ = "0.1.0"
