"""The workers' in-memory bookkeeping (bzmedia.lru), shared by the phrase, sentence and frame caches."""

from collections import OrderedDict

from bzmedia.lru import keep_within, recent, second_sight


def test_the_least_recently_used_go_first_until_the_sizes_fit():
    entries: OrderedDict = OrderedDict()
    for key in "abc":
        keep_within(entries, key, b"x" * 4, 12, len)
    assert recent(entries, "a") == b"xxxx"  # a is now the most recent: b goes next
    keep_within(entries, "d", b"x" * 4, 12, len)
    assert list(entries) == ["c", "a", "d"]
    assert recent(entries, "b") is None and list(entries) == ["c", "a", "d"]


def test_the_newest_entry_stays_unless_told_otherwise():
    kept: OrderedDict = OrderedDict()
    keep_within(kept, "big", b"x" * 20, 10, len)
    assert list(kept) == ["big"]
    dropped: OrderedDict = OrderedDict()
    keep_within(dropped, "big", b"x" * 20, 10, len, keep_newest=False)
    assert not dropped


def test_a_key_counts_from_its_second_sight_and_only_the_latest_are_remembered():
    seen: OrderedDict = OrderedDict()
    assert not second_sight(seen, "a", 2)
    assert second_sight(seen, "a", 2)
    assert not second_sight(seen, "a", 2)  # kept by the caller now: counting starts again
    for key in "bcd":
        second_sight(seen, key, 2)
    assert list(seen) == ["c", "d"]  # b and a forgotten
    assert not second_sight(seen, "b", 2)
