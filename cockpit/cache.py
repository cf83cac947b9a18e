"""The one cached way to run a query: `run(name, params, url, generation)` keyed by (database
generation, URL, query, parameters). A process-level cache usable with and without Streamlit (the
pages, the CLI and the tests share it); entries expire after TTL_SECONDS, and a database swapped in
by an import changes db.generation, so it is never served from a stale entry. Only the access
gateway (cockpit/access/gateway.py) and the registry (cockpit/metrics/__init__.py) call it."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import date, datetime

import pandas as pd

from cockpit import db

TTL_SECONDS = 600
MAX_ENTRIES = 4096

_entries: OrderedDict[tuple, tuple[float, pd.DataFrame]] = OrderedDict()
_lock = threading.Lock()
_running: dict[tuple, threading.Lock] = {}


def _frozen(value: object) -> object:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def key(name: str, params: dict, url: str, generation: str) -> tuple:
    """The cache key: only the parameters the query names count (db.bound)."""
    return (generation, url, name, _frozen(db.bound(name, params)))


def _get(k: tuple) -> pd.DataFrame | None:
    with _lock:
        hit = _entries.get(k)
        if hit is None:
            return None
        if time.monotonic() - hit[0] > TTL_SECONDS:
            del _entries[k]
            return None
        _entries.move_to_end(k)
        return hit[1]


def run(
    name: str, params: dict, url: str | None = None, generation: str | None = None
) -> pd.DataFrame:
    """queries/<name>.sql with bind parameters, from the cache when the same query with the same
    parameters ran against the same database generation within TTL_SECONDS. A caller gets its own
    copy. Two threads asking at once for the same entry run it once."""
    url = url or db.default_url()
    generation = generation if generation is not None else db.generation(url)
    k = key(name, params, url, generation)
    frame = _get(k)
    if frame is None:
        with _lock:
            guard = _running.setdefault(k, threading.Lock())
        with guard:
            frame = _get(k)
            if frame is None:
                frame = db.query(name, params, url)
                with _lock:
                    _entries[k] = (time.monotonic(), frame)
                    while len(_entries) > MAX_ENTRIES:
                        _entries.popitem(last=False)
                    _running.pop(k, None)
    return frame.copy()


def clear() -> None:
    """Forget every entry (after an import, and for cold measurements)."""
    with _lock:
        _entries.clear()
