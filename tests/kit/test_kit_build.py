"""The kit stage after real builds: packs match the manifest, zips reproduce, work is incremental."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from kit_helpers import (
    AUDIO_ONLY_CAMPAIGN,
    SMALL_CAMPAIGN,
    assert_links_resolve,
    assert_pack_matches_manifest,
    build_kit,
    links_of,
    run_build,
)

from bzmedia.build import BuildOptions, build
from bzmedia.campaign import load_campaign


def test_every_pack_unpacks_to_exactly_its_manifest_files(small_kit) -> None:
    files = small_kit.files()
    packs = [e for e in files.values() if e["kind"] == "pack"]
    assert {e["path"] for e in packs} == {
        f"packs/{loc}-{aud}.zip" for loc in ("son-vi", "dong-ha") for aud in ("loa", "in", "man-hinh")
    } | {"packs/kit-nho-tron-bo.zip"}
    for entry in packs:
        assert_pack_matches_manifest(small_kit.kit, entry, files)


def test_packs_split_each_locality_by_audience(small_kit) -> None:
    files = small_kit.files()
    for loc in ("son-vi", "dong-ha"):
        packs = {aud: set(files[f"packs/{loc}-{aud}.zip"]["contains"]) for aud in ("loa", "in", "man-hinh")}
        own = {p for p, e in files.items()
               if e["locality"] == loc and not p.startswith(("packs/", "thumbs/"))}
        assert packs["loa"] | packs["in"] | packs["man-hinh"] == own  # nothing left out
        assert not (packs["loa"] & packs["in"]) and not (packs["in"] & packs["man-hinh"])
        assert any(p.endswith(".mp3") for p in packs["loa"])
        assert f"{loc}/print/ban-doc.pdf" in packs["loa"]  # the live-read script goes to the loudspeaker
        assert {files[p]["kind"] for p in packs["in"]} >= {"print"}
        assert {files[p]["kind"] for p in packs["man-hinh"]} >= {"slide", "video"}
    whole = set(files["packs/kit-nho-tron-bo.zip"]["contains"])
    channel = {p for p, e in files.items() if not p.startswith(("packs/", "thumbs/", "index.html"))}
    assert channel <= whole


def test_page_links_and_media_resolve_inside_the_kit(small_kit) -> None:
    page = small_kit.kit / "index.html"
    assert_links_resolve(page, small_kit.kit)
    html = page.read_text(encoding="utf-8")
    assert "xã Sơn Vi" in html and "phường Đông Hà" in html
    assert "Cài đặt Bluezone &lt;ngay&gt; &amp; an toàn" in html  # escaped, not markup
    assert "<ngay>" not in html
    mp3s = [p for p, e in small_kit.files().items() if e["kind"] == "audio"]
    assert sorted(links_of(page).audio_sources) == sorted(mp3s)
    for thumb in (small_kit.kit / "thumbs").rglob("*.png"):
        assert max(_png_size(thumb)) <= 400  # small copies, not the full slides


def _png_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def test_whole_kit_zip_is_a_browsable_kit_on_its_own(small_kit, tmp_path) -> None:
    with zipfile.ZipFile(small_kit.kit / "packs/kit-nho-tron-bo.zip") as archive:
        archive.extractall(tmp_path)
    page = tmp_path / "index.html"
    assert_links_resolve(page, tmp_path)
    assert "packs/" not in page.read_text(encoding="utf-8")


def test_zips_and_previews_are_reproducible(small_kit, tmp_path) -> None:
    """Deleting the kit stage's files and building again (fresh cache) gives the same bytes."""
    output = tmp_path / "output"
    shutil.copytree(small_kit.output, output)
    kit = output / "kit-nho"
    before = {p.relative_to(kit): p.read_bytes() for p in kit.rglob("*")
              if p.is_file() and p.parts[len(kit.parts)] in ("packs", "thumbs")}
    shutil.rmtree(kit / "packs")
    shutil.rmtree(kit / "thumbs")
    run_build(small_kit.script, output, tmp_path / "fresh-cache")
    after = {p.relative_to(kit): p.read_bytes() for p in kit.rglob("*")
             if p.is_file() and p.parts[len(kit.parts)] in ("packs", "thumbs")}
    assert after.keys() == before.keys()
    assert [name for name in before if before[name] != after[name]] == []


def _build_api(script: Path, output: Path, *localities: str):
    campaign, _ = load_campaign(script)
    return build(campaign, BuildOptions(output_root=output, cache_dir=output / ".cache",
                                        locality=localities))


def test_second_build_does_no_work_and_a_change_rebuilds_only_what_covers_it(tmp_path, cache_dir) -> None:
    built = build_kit(tmp_path, SMALL_CAMPAIGN, "kit-nho")
    again = _build_api(built.script, built.output)
    assert again.ran == [] and again.removed == []
    one = _build_api(built.script, built.output, "son-vi")  # a partial build keeps the whole kit
    assert one.ran == [] and one.removed == []
    zips = {p.name: p.read_bytes() for p in (built.kit / "packs").iterdir()}

    text = built.script.read_text(encoding="utf-8")
    built.script.write_text(text.replace("cài đặt ứng dụng Bluezone.", "cài ngay ứng dụng Bluezone."),
                            encoding="utf-8")
    changed = _build_api(built.script, built.output)
    kit_jobs = {job for job in changed.ran if job.startswith("kit/")}
    assert {"kit/*/page", "kit/*/kit-zip", "kit/son-vi/pack-loa", "kit/dong-ha/pack-loa"} <= kit_jobs
    assert not {"kit/son-vi/pack-man-hinh", "kit/dong-ha/pack-man-hinh"} & kit_jobs
    after = {p.name: p.read_bytes() for p in (built.kit / "packs").iterdir()}
    assert after["son-vi-man-hinh.zip"] == zips["son-vi-man-hinh.zip"]
    assert after["son-vi-loa.zip"] != zips["son-vi-loa.zip"]
    assert_pack_matches_manifest(built.kit, built.files()["packs/son-vi-loa.zip"], built.files())

    # The sticker was the only print-shop item: without it the -in packs and its previews go.
    text = built.script.read_text(encoding="utf-8")
    start = text.index("  - id: dan-xe")
    built.script.write_text(text[:start] + text[text.index("\nsignage:"):], encoding="utf-8")
    _build_api(built.script, built.output)
    files = built.files()
    assert not (built.kit / "packs/son-vi-in.zip").exists() and "packs/son-vi-in.zip" not in files
    on_disk = {p.relative_to(built.kit).as_posix() for p in (built.kit / "thumbs").rglob("*.png")}
    assert on_disk == {p for p in files if p.startswith("thumbs/")}
    assert not any("dan-xe" in p for p in on_disk)
    assert "Không có tệp nào cho nhóm này" in (built.kit / "index.html").read_text(encoding="utf-8")


def test_empty_audiences_get_no_zip_and_the_page_says_so(tmp_path, cache_dir) -> None:
    built = build_kit(tmp_path, AUDIO_ONLY_CAMPAIGN, "chi-loa")
    packs = sorted(p.name for p in (built.kit / "packs").iterdir())
    assert packs == ["all-loa.zip", "chi-loa-tron-bo.zip"]
    html = (built.kit / "index.html").read_text(encoding="utf-8")
    assert html.count("Không có tệp nào cho nhóm này nên không có gói tải về.") == 2
    assert "UBND xã Sơn Vi" in html  # the stand-in locality carries the issuer's name
    assert_links_resolve(built.kit / "index.html", built.kit)
