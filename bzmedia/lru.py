"""What a worker keeps in memory between jobs: ordered dicts used least recently first.

Three caches of a build's workers (prepared phrases, filtered sentences, converted slide frames)
keep entries up to a number of bytes, and two of them keep an entry only when it is met a second
time (what a commune meets once, its own sentence or slide, would only push out what every
commune shares).  These functions are that bookkeeping, once, on plain ``OrderedDict``s (the
tests read and replace the dicts themselves).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


def recent(entries: OrderedDict, key: Hashable) -> Any:
    """``entries[key]``, now the most recently used, or None."""
    found = entries.get(key)
    if found is not None:
        entries.move_to_end(key)
    return found


def keep_within(entries: OrderedDict, key: Hashable, value: Any, most_bytes: int,
                size_of: Callable[[Any], int], keep_newest: bool = True) -> None:
    """Add ``value`` as the most recently used, then drop the least recently used until the
    entries' sizes add up to ``most_bytes`` at most (``keep_newest``: never the one just added)."""
    entries[key] = value
    entries.move_to_end(key)
    total = sum(map(size_of, entries.values()))
    while entries and total > most_bytes and (len(entries) > 1 or not keep_newest):
        _, dropped = entries.popitem(last=False)
        total -= size_of(dropped)


def second_sight(seen: OrderedDict, key: Hashable, most: int) -> bool:
    """Whether ``key`` was noted before (it is then forgotten: the caller keeps it now); else
    notes it, remembering the ``most`` latest keys."""
    if key in seen:
        del seen[key]
        return True
    seen[key] = None
    if len(seen) > most:
        seen.popitem(last=False)
    return False
