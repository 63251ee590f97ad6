"""A bench-only Django entry point for ``bench/bench_http_booking.py``: the real
settings and URLs plus one trivial view, served by gunicorn next to the real API."""
