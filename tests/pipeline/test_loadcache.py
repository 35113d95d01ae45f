"""Checked layouts kept across runs (bzmedia/loadcache.py): a changed file, code or argument is
always loaded again; a damaged or unwritable store only means loading the file as before."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bzmedia import loadcache
from bzmedia.cache import fingerprint
from bzmedia.campaign import print_layout, signage_layout
from bzmedia.cli import cli
from bzmedia.loadcache import remembered, remembering_in

REPO = Path(__file__).resolve().parent.parent.parent


def layout_source(folder: Path) -> Path:
    """A small layout file ``a: 1``."""
    source = folder / "layout.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    return source


class Loads:
    """A real load of a real file that counts how often it ran."""

    def __init__(self, path: Path) -> None:
        self.path, self.count = path, 0

    def __call__(self) -> str:
        self.count += 1
        return self.path.read_text(encoding="utf-8")


def test_same_bytes_are_not_loaded_again_and_changed_bytes_always_are(tmp_path: Path) -> None:
    source = layout_source(tmp_path)
    load = Loads(source)
    with remembering_in(tmp_path / "memo"):
        assert remembered("k", source, (), load) == "a: 1\n"
        assert remembered("k", source, (), load) == "a: 1\n"
        assert load.count == 1
        stamp = source.stat()
        source.write_text("a: 2\n", encoding="utf-8")  # same size, and the same mtime put back
        os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert remembered("k", source, (), load) == "a: 2\n"
        assert remembered("k", source, ("other name",), load) == "a: 2\n"  # arguments count
        assert remembered("other kind", source, (), load) == "a: 2\n"
        assert load.count == 4
    assert remembered("k", source, (), load) == "a: 2\n" and load.count == 5  # outside: no store


def test_other_code_loads_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = layout_source(tmp_path)
    load = Loads(source)
    with remembering_in(tmp_path / "memo"):
        remembered("k", source, (), load)
        monkeypatch.setattr(loadcache, "_code", b"an edited or upgraded bzmedia")
        remembered("k", source, (), load)
    assert load.count == 2


def test_code_identity_follows_every_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module edited in place (its size or mtime moves) is other code."""
    package = tmp_path / "bzmedia"
    shutil.copytree(REPO / "bzmedia", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(loadcache, "__file__", str(package / "loadcache.py"))
    monkeypatch.setattr(loadcache, "_code", None)
    before = loadcache.code_identity()
    monkeypatch.setattr(loadcache, "_code", None)
    assert loadcache.code_identity() == before
    schema = package / "campaign" / "schema.py"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(loadcache, "_code", None)
    assert loadcache.code_identity() != before


def test_a_damaged_entry_is_loaded_again_and_rewritten(tmp_path: Path) -> None:
    source = layout_source(tmp_path)
    load = Loads(source)
    memo = tmp_path / "memo"
    with remembering_in(memo):
        remembered("k", source, (), load)
        [entry] = [p for p in memo.rglob("*.pickle")]
        data = bytearray(entry.read_bytes())
        data[-3] ^= 0xFF
        entry.write_bytes(bytes(data))
        assert remembered("k", source, (), load) == "a: 1\n" and load.count == 2
        assert remembered("k", source, (), load) == "a: 1\n" and load.count == 2  # rewritten
        entry.write_bytes(b"short")
        assert remembered("k", source, (), load) == "a: 1\n" and load.count == 3


def test_an_unwritable_store_or_a_missing_file_loads_as_before(tmp_path: Path) -> None:
    source = layout_source(tmp_path)
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    load = Loads(source)
    with remembering_in(blocker / "memo"):
        assert remembered("k", source, (), load) == "a: 1\n"
        assert remembered("k", source, (), load) == "a: 1\n"
    assert load.count == 2
    with remembering_in(tmp_path / "memo"), pytest.raises(FileNotFoundError):
        remembered("k", tmp_path / "missing.yaml", (), Loads(tmp_path / "missing.yaml"))


@pytest.mark.parametrize("name", ["poster-a3", "slides"])
def test_a_remembered_layout_is_the_loaded_one(tmp_path: Path, name: str) -> None:
    """Same layout (same job keys, so a no-op stays one), same problems, for real layout files."""
    path = REPO / "layouts" / f"{name}.yaml"

    def load():
        if name == "slides":
            return signage_layout._load_uncached(path, str(path))
        return print_layout._load_uncached(path, name)

    fresh, problems = load()
    with remembering_in(tmp_path / "memo"):
        remembered("layout", path, (), load)
        kept, kept_problems = remembered("layout", path, (), lambda: pytest.fail("loaded again"))
    assert kept is not fresh
    assert fingerprint(kept) == fingerprint(fresh) and kept_problems == problems


def test_a_changed_campaign_layout_remakes_its_print_job(campaign_dir: Path, tmp_path: Path,
                                                         cache_dir: Path) -> None:
    """Through the CLI in one process (whose per-process layout cache follows size and mtime):
    a layout box edited to the same size and mtime is still a changed input."""
    script = campaign_dir / "bluezone-2020.yaml"
    layout = campaign_dir / "my-sticker.yaml"
    shutil.copy(REPO / "layouts" / "sticker.yaml", layout)
    text = script.read_text(encoding="utf-8")
    assert text.count("    kind: sticker\n") == 1
    script.write_text(text.replace("    kind: sticker\n", "    kind: sticker\n    layout: my-sticker.yaml\n"),
                      encoding="utf-8")
    output = tmp_path / "output"

    def build() -> str:
        result = CliRunner(mix_stderr=False).invoke(
            cli, ["-v", "build", str(script), "-o", str(output), "--only", "print", "-j", "1",
                  "--locality", "son-vi"])
        assert result.exit_code == 0, result.stderr
        return result.stderr

    build()
    assert "made " not in build()  # a no-op
    assert (cache_dir / "loaded").is_dir()
    body = layout.read_text(encoding="utf-8")
    stamp = layout.stat()
    changed = _one_number_changed(body)
    assert len(changed) == len(body)
    layout.write_text(changed, encoding="utf-8")
    os.utime(layout, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    print_layout._load_cached.cache_clear()  # a new process, as the next `bzmedia build` is
    assert "made print/son-vi/" in build()


def _one_number_changed(text: str) -> str:
    """The layout with its first font size one point smaller (same length)."""
    import re

    match = re.search(r"(max_size|size): (\d+)", text)
    assert match, text[:400]
    number = int(match[2])
    smaller = str(number - 1) if len(str(number - 1)) == len(str(number)) else str(number + 1)
    return text[:match.start(2)] + smaller + text[match.end(2):]


def test_a_changed_figure_changes_every_chart_job_key_in_one_process(campaign_dir: Path) -> None:
    """The charts' figures are remembered while planning (charts/data.py): one commune's count
    changed must still change the key of every job that draws the ranking, in the same process."""
    from bzmedia.builder import Plan
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.variables import for_locality
    from bzmedia.signage.builder import SignageBuilder

    def keys() -> dict[str, str]:
        campaign, _ = load_campaign(campaign_dir / "dak-nong-2020.yaml")
        localities = campaign.kit_localities()
        plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
        return {job.id: job.key for job in SignageBuilder().jobs(plan)}

    before = keys()
    sheet = campaign_dir / "dak-nong-2020.csv"
    text = sheet.read_text(encoding="utf-8-sig")
    old = text.splitlines()[4]
    *cells, count = old.split(";")
    changed = ";".join([*cells, str(int(count.replace(".", "")) + 1)])
    sheet.write_text(text.replace(old, changed, 1), encoding="utf-8-sig")
    after = keys()
    assert before.keys() == after.keys() and len(before) > 1
    assert all(before[job] != after[job] for job in before)


def test_filling_a_locality_shares_what_it_does_not_change(example_script: Path) -> None:
    """for_locality copies only the parts holding a placeholder: planning fingerprints the shared
    parts once for every commune (by identity), and each commune still gets its own texts."""
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.variables import for_locality

    campaign, _ = load_campaign(example_script)
    first, second = (for_locality(campaign, loc) for loc in campaign.kit_localities()[:2])
    assert first.brand is campaign.brand and second.brand is campaign.brand
    assert first.print_ is not campaign.print_
    footers = {item.id: (item.footer, other.footer)
               for item, other in zip(first.print_, second.print_, strict=True)}
    assert footers["ap-phich"][0] != footers["ap-phich"][1]
    assert "{locality.name}" in next(i.footer for i in campaign.print_ if i.id == "ap-phich")


def test_a_fifo_is_left_to_the_loader(tmp_path: Path) -> None:
    """Not read here (it would block): the loader's own check refuses it, as without the store."""
    fifo = tmp_path / "layout.yaml"
    os.mkfifo(fifo)
    with remembering_in(tmp_path / "memo"):
        assert remembered("k", fifo, (), lambda: "refused by the loader") == "refused by the loader"
    assert not (tmp_path / "memo").exists()
