"""Job keys: the one-pass encoder, its memo and the file digests keep every key what it was.

The key of a job is the SHA-256 of its inputs' canonical form as compact sorted JSON.  The encoder
was rewritten for speed (planning 120 communes fingerprints 1,561 jobs); the reference below is
the definition it replaced, so built kits keep their keys and do not rebuild after an upgrade.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import pytest

from bzmedia.cache import file_digest, fingerprint, fingerprint_memo, sha256_file


def reference_canonical(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: reference_canonical(getattr(value, f.name))
                for f in dataclasses.fields(value) if f.init}
    if isinstance(value, dict):
        return {str(k): reference_canonical(v)
                for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [reference_canonical(v) for v in value]
    if isinstance(value, Path):
        return {"file": value.name, "sha256": sha256_file(value) if value.is_file() else None}
    return value


def reference_fingerprint(*parts) -> str:
    text = json.dumps([reference_canonical(p) for p in parts], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclasses.dataclass(kw_only=True)
class Box:
    text: str
    size: float
    lines: list[str] = dataclasses.field(default_factory=list)
    derived: int = dataclasses.field(init=False, default=0)


@dataclasses.dataclass(frozen=True)
class Item:
    name: str
    box: Box
    logo: Path | None


def odd_values(tmp_path: Path) -> list:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG fake")
    box = Box(text="Xã Sơn Vi \ud800 \"q\" \\ \n\t", size=12.5, lines=["a", "ễ"])
    return [
        "plain", 0, -7, 10**30, 1.0, 0.1, 1e-308, float("nan"), float("inf"), -float("inf"),
        True, False, None, [], (), {}, {"b": 1, "a": [1, (2, 3)], 3: "three", "3": "string three"},
        {True: "t", None: "n", 2.5: "f"}, box, Item("one", box, logo), Item("two", box, None),
        [Item("three", box, tmp_path / "missing.png"), box, box], logo,
    ]


def test_keys_equal_the_json_definition(tmp_path):
    values = odd_values(tmp_path)
    for value in values:
        assert fingerprint("b", "1", value) == reference_fingerprint("b", "1", value), value
    assert fingerprint(*values) == reference_fingerprint(*values)


def test_memo_gives_the_same_keys_and_walks_a_shared_instance_once(tmp_path):
    values = odd_values(tmp_path)
    with fingerprint_memo():
        first = [fingerprint("x", v) for v in values]
        again = [fingerprint("x", v) for v in values]
    assert first == again == [reference_fingerprint("x", v) for v in values]

    walked = []

    class CountingList(list):
        def __iter__(self):
            walked.append(1)
            return super().__iter__()

    @dataclasses.dataclass
    class Holder:
        items: list

    shared = Holder(CountingList(["a", "b"]))
    with fingerprint_memo():
        keys = {fingerprint("job", n, shared) for n in range(5)}
    assert len(keys) == 5 and len(walked) == 1
    fingerprint("job", 0, shared)  # outside the block nothing is remembered
    assert len(walked) == 2


def test_a_changed_file_gets_a_new_key_even_with_size_and_mtime_put_back(tmp_path):
    """The digest memo's rule: size, mtime, ctime, inode and device must all be as they were."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"AAAA")
    before = fingerprint("print", logo)
    info = os.stat(logo)
    logo.write_bytes(b"BBBB")  # same size
    os.utime(logo, ns=(info.st_atime_ns, info.st_mtime_ns))  # mtime put back; ctime moves
    assert os.stat(logo).st_mtime_ns == info.st_mtime_ns
    assert file_digest(logo) == hashlib.sha256(b"BBBB").hexdigest()
    assert fingerprint("print", logo) != before
    logo.write_bytes(b"AAAA")
    assert fingerprint("print", logo) == before


def test_a_file_replaced_by_another_is_read_again(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"one")
    assert file_digest(logo) == hashlib.sha256(b"one").hexdigest()
    other = tmp_path / "other.png"
    other.write_bytes(b"two")
    other.replace(logo)  # a new inode under the old name
    assert file_digest(logo) == hashlib.sha256(b"two").hexdigest()


def test_something_unknown_is_refused():
    with pytest.raises(TypeError, match="cannot fingerprint object"):
        fingerprint(object())
