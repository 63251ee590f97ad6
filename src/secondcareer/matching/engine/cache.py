"""One index per key per process, rebuilt when the caller's version of the data moves.

The caller (later the jobs selector) passes a version it reads cheaply from the
database, e.g. (count, max updated_at) of the open postings, so that an edit made in
another process is seen at the next request; ``invalidate`` drops an entry at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from secondcareer.matching.engine.index import Index

T = TypeVar("T")


class IndexCache(Generic[T]):
    """One value per key (an :class:`Index`, or whatever a caller keeps with it, such as
    the database feed's index and its id maps), rebuilt when the version moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[Hashable, T]] = {}

    def get(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> T:
        """The index cached under key if its version matches, else ``build()``'s."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                return entry[1]
            index = build()
            self._entries[key] = (version, index)
            return index

    def invalidate(self, key: Hashable | None = None) -> None:
        """Drop one key's index, or every index."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)


CACHE: IndexCache[Index] = IndexCache()
