"""A small thread-safe LRU cache for results shared by every session of a server process.

The app's query results, figures, tables and CSV bytes depend only on hashable keys (filters, unit, language,
database build); looking them up here costs a dict access, where st.cache_* hashes and copies its arguments
on every call (measured in bench/ as most of the data layer's share of a warm rerun).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LruCache:
    """Up to `size` results by key; the least recently used goes first. Values must not be changed by callers."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value of key, or make()'s result, stored. make runs outside the lock (it may be slow)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
