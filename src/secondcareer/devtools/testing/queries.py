"""Query counting for list screens: the same number of queries with a few rows and with
many (an N+1 shows as a difference), and under a stated ceiling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client: Client, url: str, params: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def same_count_with_more_rows(
    client: Client,
    url: str,
    params: dict[str, Any] | None,
    grow: Callable[[], object],
    ceiling: int,
    django_assert_max_num_queries: Any,
) -> None:
    """GET ``url`` with the rows there are, ``grow()`` them, GET again: the counts must
    be equal, and the last GET within ``ceiling`` queries."""
    client.get(url, params or {})  # warm the session, the permission and schedule caches
    few = count_queries(client, url, params)
    grow()
    many = count_queries(client, url, params)
    assert many == few, f"{url}: {few} queries with a few rows, {many} with many (an N+1)"
    with django_assert_max_num_queries(ceiling):
        client.get(url, params or {})
