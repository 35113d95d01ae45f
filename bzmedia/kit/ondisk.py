"""``bzmedia pack``: write chosen packs of a built kit into its ``packs/`` folder, on request.

The bytes are the ones ``serve`` streams (same plan, same layout).  ``packs/available.js`` is
rewritten to list the packs on disk that match the current plan, so the page links exactly those;
a planned pack whose zip no longer matches (the kit was rebuilt since) is removed, and so is a zip
this command wrote for a pack the plan no longer has (a commune taken out of the script).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bzmedia.buildstate import KitPaths, is_linked, leads_outside, read_regular
from bzmedia.cache import atomic_path, atomic_write
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.kit.offer import AVAILABLE_FILE, PACKS_DIR, KitOffer, KitPathError, pack_key
from bzmedia.kit.packs import Pack, write_pack
from bzmedia.kitlock import KitLock


@dataclass
class PackReport:
    """What ``write_packs`` did, for the command's output."""

    written: list[tuple[str, int]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def chosen_packs(offer: KitOffer, localities: tuple[str, ...], audiences: tuple[str, ...],
                 whole_kit: bool) -> list[str]:
    """Names of the packs asked for (no audience: every one); an unknown locality or audience is a
    user error."""
    known = sorted({entry.locality for entry in offer.packs.values()})
    unknown = [_("unknown locality '{locality}'; the kit has: {known}").format(
        locality=loc, known=", ".join(known)) for loc in localities if loc not in known]
    unknown += [_("unknown audience '{audience}'; packs are: {known} (or all)").format(
        audience=name, known=", ".join(offer.audiences)) for name in audiences if name not in offer.audiences]
    if unknown:
        raise BuildError(unknown)
    names = [name for name, entry in sorted(offer.packs.items())
             if (not localities or entry.locality in localities)
             and (not audiences or entry.audience in audiences)]
    if whole_kit and offer.whole:
        names.append(offer.whole.name)
    return names


def write_packs(kit_dir: Path, localities: tuple[str, ...] = (), audiences: tuple[str, ...] = (),
                whole_kit: bool = False) -> PackReport:
    """Write the chosen packs (atomically) and ``packs/available.js``; BuildError on user problems."""
    if not (kit_dir / "index.html").is_file():
        raise BuildError([_("{folder}: no built kit here (no index.html); run `bzmedia build` first").format(
            folder=kit_dir)])
    _refuse_linked_packs(kit_dir)
    KitOffer(kit_dir)  # a folder with no readable plan is no kit: say so before the lock makes .bzmedia
    report = PackReport()
    with KitLock(kit_dir / ".bzmedia" / "lock"):
        offer = KitOffer(kit_dir)  # read again under the lock: a build may have rewritten it since
        packs = _laid_out(offer, chosen_packs(offer, localities, audiences, whole_kit), kit_dir)
        for name, pack in packs.items():
            target = kit_dir / PACKS_DIR / name
            with _reported(target), atomic_path(target) as temp:
                write_pack(temp, pack)
            report.written.append((f"{PACKS_DIR}/{name}", pack.length))
        current, stale = offer.on_disk()
        made = _made_before(kit_dir)
        stale += sorted(name for name in made - set(offer.names()) if pack_key(kit_dir / PACKS_DIR / name))
        for name in stale:
            with _reported(kit_dir / PACKS_DIR / name):
                (kit_dir / PACKS_DIR / name).unlink(missing_ok=True)
            report.removed.append(f"{PACKS_DIR}/{name}")
        with _reported(kit_dir / MADE_RECORD):
            kept = {name for name in made | set(packs) if (kit_dir / PACKS_DIR / name).is_file()}
            atomic_write(kit_dir / MADE_RECORD, json.dumps(sorted(kept - set(stale))))
        with _reported(kit_dir / AVAILABLE_FILE):
            atomic_write(kit_dir / AVAILABLE_FILE, offer.available_script(current))
    return report


MADE_RECORD = ".bzmedia/packs-made.json"
"""The zips ``bzmedia pack`` wrote into this kit: a commune taken out of the script leaves its
packs unplanned, and only this record tells them from a zip someone else put in ``packs/``."""
_ZIP_NAME = re.compile(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]{0,250}\.zip")


def _made_before(kit_dir: Path) -> set[str]:
    """The names in :data:`MADE_RECORD` (none when it is missing or not a list of zip names)."""
    try:
        names = json.loads(read_regular(kit_dir / MADE_RECORD, 1 << 20))
    except (OSError, ValueError, RecursionError):
        return set()
    if not isinstance(names, list):
        return set()
    return {name for name in names if isinstance(name, str) and _ZIP_NAME.fullmatch(name)}


def _laid_out(offer: KitOffer, names: list[str], kit_dir: Path) -> dict[str, Pack]:
    """Every pack checked (paths, sizes, sha256) before any is written."""
    packs = {}
    for name in names:
        try:
            packs[name] = offer.pack(offer.entry(name))
        except KitPathError as exc:
            raise BuildError([_("{folder}: {reason}; run `bzmedia build` again; no pack was "
                                "written").format(folder=kit_dir, reason=exc)]) from exc
    return packs


def _refuse_linked_packs(kit_dir: Path) -> None:
    """``packs/`` is where zips are written and stale ones removed: made a link (or a junction),
    it would take both wherever it leads, so it must be a folder of the kit itself."""
    folder = kit_dir / PACKS_DIR
    if not is_linked(folder):  # not there: the plan inside it cannot be read either, said next
        return
    if not KitPaths(kit_dir).folder_inside(PACKS_DIR):
        raise BuildError([leads_outside(folder)])
    raise BuildError([_("{path}: is a link; `bzmedia pack` writes and removes zips only in the kit's "
                        "own packs folder, never through a link: remove the link and run `bzmedia "
                        "build` again").format(path=folder)])


@contextlib.contextmanager
def _reported(path: Path) -> Iterator[None]:
    """A file-system failure (disk full, read-only, file too large) as one line naming the file."""
    try:
        yield
    except OSError as exc:
        raise BuildError([_("{path}: cannot write it: {reason}; the pack was not made").format(
            path=path, reason=exc.strerror or exc)]) from exc
