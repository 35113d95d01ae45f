"""The kit stage after real builds: no stored zips, packs on request match the plan, work is incremental."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from kit_helpers import (
    AUDIO_ONLY_CAMPAIGN,
    SMALL_CAMPAIGN,
    assert_links_resolve,
    assert_pack_matches_plan,
    build_kit,
    links_of,
    pack_plan,
    planned_packs,
    run_build,
    run_pack,
)

from bzmedia.build import BuildOptions, build
from bzmedia.campaign import load_campaign
from bzmedia.cli import cli

AUDIENCES = ("loa", "in", "man-hinh")


def test_the_build_stores_no_zip_and_plans_every_pack(small_kit) -> None:
    files = small_kit.files()
    assert not list(small_kit.kit.rglob("*.zip"))
    assert {e["kind"] for e in files.values()} & {"pack"} == set()
    plan = pack_plan(small_kit.kit)
    assert set(planned_packs(small_kit.kit)) == {
        f"{loc}-{aud}.zip" for loc in ("son-vi", "dong-ha") for aud in AUDIENCES}
    assert plan["whole"]["name"] == "kit-nho-tron-bo.zip"
    for loc in ("son-vi", "dong-ha"):
        packs = {aud: {m[0] for m in planned_packs(small_kit.kit)[f"{loc}-{aud}.zip"]["members"]}
                 for aud in AUDIENCES}
        own = {p for p, e in files.items()
               if e["locality"] == loc and not p.startswith(("packs/", "thumbs/"))}
        assert packs["loa"] | packs["in"] | packs["man-hinh"] == own  # nothing left out
        assert not (packs["loa"] & packs["in"]) and not (packs["in"] & packs["man-hinh"])
        assert any(p.endswith(".mp3") for p in packs["loa"])
        assert f"{loc}/print/ban-doc.pdf" in packs["loa"]  # the live-read script goes to the loudspeaker
        assert {files[p]["kind"] for p in packs["in"]} >= {"print"}
        assert {files[p]["kind"] for p in packs["man-hinh"]} >= {"slide", "video"}


def test_kit_is_little_more_than_its_channel_files(small_kit) -> None:
    """No copies: the kit's bytes are its channel files plus small previews, page and plan."""
    files = small_kit.files()
    channel = sum(e["bytes"] for p, e in files.items() if not p.startswith(("thumbs/", "packs/", "index")))
    on_disk = sum(p.stat().st_size for p in small_kit.kit.rglob("*")
                  if p.is_file() and ".bzmedia" not in p.parts)
    assert on_disk <= 1.3 * channel, (on_disk, channel)


def test_pack_command_writes_the_planned_packs_and_the_page_links_them(small_kit, tmp_path) -> None:
    kit = tmp_path / "kit-nho"
    shutil.copytree(small_kit.kit, kit)
    output = run_pack(kit, "--locality", "son-vi")
    written = sorted(p.name for p in (kit / "packs").glob("*.zip"))
    assert written == sorted(f"son-vi-{aud}.zip" for aud in AUDIENCES)
    assert "son-vi-loa.zip" in output
    files = small_kit.files()
    first = {name: assert_pack_matches_plan(kit, name, files) for name in written}
    available = (kit / "packs" / "available.js").read_text(encoding="utf-8")
    keys = json.loads(available.split("=", 1)[1].strip().rstrip(";"))
    assert keys == {name: planned_packs(kit)[name]["key"] for name in written}
    page = (kit / "index.html").read_text(encoding="utf-8")
    for name, key in keys.items():  # the page carries the same key, so the link is switched on
        assert f'data-pack="{name}" data-key="{key}"' in page
    shutil.rmtree(kit / "packs")  # (the plan goes too: build again to get it back)
    run_build(small_kit.script, tmp_path, tmp_path / "cache2")
    run_pack(kit, "--locality", "son-vi", "--audience", "loa")
    assert (kit / "packs" / "son-vi-loa.zip").read_bytes() == first["son-vi-loa.zip"]  # reproducible


def test_whole_kit_pack_is_a_browsable_kit_on_its_own(small_kit, tmp_path) -> None:
    kit = tmp_path / "kit-nho"
    shutil.copytree(small_kit.kit, kit)
    run_pack(kit, "--audience", "loa", "--whole-kit")
    with zipfile.ZipFile(kit / "packs" / "kit-nho-tron-bo.zip") as archive:
        assert archive.testzip() is None
        assert archive.comment.decode() == pack_plan(kit)["whole"]["key"]
        archive.extractall(tmp_path / "unzipped")
    assert_links_resolve(tmp_path / "unzipped" / "index.html", tmp_path / "unzipped")
    manifest = json.loads((tmp_path / "unzipped" / "manifest.json").read_text(encoding="utf-8"))
    unzipped = tmp_path / "unzipped"
    assert {e["path"] for e in manifest["files"]} | {"manifest.json"} == {
        p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*") if p.is_file()}


def test_pack_refuses_clearly(small_kit, tmp_path) -> None:
    result = CliRunner().invoke(cli, ["pack", str(small_kit.kit), "--locality", "ha-noi"])
    assert result.exit_code == 1
    assert "unknown locality 'ha-noi'; the kit has: dong-ha, son-vi" in result.output
    kit = tmp_path / "kit-nho"
    shutil.copytree(small_kit.kit, kit)
    plan = pack_plan(kit)
    plan["packs"][0]["members"][0][0] = "../../secret.txt"  # an edited plan must not read outside
    (kit / "packs" / "index.json").write_text(json.dumps(plan), encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside")
    result = CliRunner().invoke(cli, ["pack", str(kit)])
    assert result.exit_code == 1 and "'../../secret.txt' is not a path inside the kit" in result.output
    assert "Traceback" not in result.output and not list((kit / "packs").glob("*.zip"))


def test_page_links_and_media_resolve_inside_the_kit(small_kit) -> None:
    page = small_kit.kit / "index.html"
    assert_links_resolve(page, small_kit.kit)
    html = page.read_text(encoding="utf-8")
    assert "xã Sơn Vi" in html and "phường Đông Hà" in html
    assert "Cài đặt Bluezone &lt;ngay&gt; &amp; an toàn" in html  # escaped, not markup
    assert "<ngay>" not in html
    assert "bzmedia pack output/kit-nho --locality son-vi" in html  # how to get a pack from disk
    mp3s = [p for p, e in small_kit.files().items() if e["kind"] == "audio"]
    assert sorted(links_of(page).audio_sources) == sorted(mp3s)
    for thumb in (small_kit.kit / "thumbs").rglob("*.png"):
        assert max(_png_size(thumb)) <= 400  # small copies, not the full slides


def _png_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def test_previews_are_reproducible(small_kit, tmp_path) -> None:
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


def test_second_build_does_no_work_and_a_change_reruns_only_what_covers_it(tmp_path, cache_dir) -> None:
    built = build_kit(tmp_path, SMALL_CAMPAIGN, "kit-nho")
    again = _build_api(built.script, built.output)
    assert again.ran == [] and again.removed == []
    one = _build_api(built.script, built.output, "son-vi")  # a partial build keeps the whole kit
    assert one.ran == [] and one.removed == []
    run_pack(built.kit)
    old_keys = {n: e["key"] for n, e in planned_packs(built.kit).items()}

    text = built.script.read_text(encoding="utf-8")
    built.script.write_text(text.replace("cài đặt ứng dụng Bluezone.", "cài ngay ứng dụng Bluezone."),
                            encoding="utf-8")
    changed = _build_api(built.script, built.output)
    kit_jobs = {job for job in changed.ran if job.startswith("kit/")}
    assert "kit/*/page" in kit_jobs  # and the previews of the live-read script, which reads the spot
    assert kit_jobs <= {"kit/*/page", "kit/son-vi/thumbs", "kit/dong-ha/thumbs"}
    keys = {n: e["key"] for n, e in planned_packs(built.kit).items()}
    assert sorted(n for n in keys if keys[n] != old_keys[n]) == ["dong-ha-loa.zip", "son-vi-loa.zip"]
    assert "removed" in run_pack(built.kit, "--audience", "in")  # the loudspeaker zips were stale
    assert sorted(p.name for p in (built.kit / "packs").glob("*.zip")) == sorted(
        f"{loc}-{aud}.zip" for loc in ("son-vi", "dong-ha") for aud in ("in", "man-hinh"))

    # A new commune: its own jobs and the page; no other commune's previews or packs are touched.
    text = built.script.read_text(encoding="utf-8")
    built.script.write_text(text.replace("\naudio:", '  - id: cao-xa\n    name: "xã Cao Xá"\n'
                                                    '    hotline: "0210 3825 222"\n\naudio:', 1),
                            encoding="utf-8")
    added = _build_api(built.script, built.output)
    assert {job.split("/")[1] for job in added.ran} == {"cao-xa", "*"}
    assert {job for job in added.ran if job.startswith("kit/")} == {"kit/cao-xa/thumbs", "kit/*/page"}
    assert {n: e["key"] for n, e in planned_packs(built.kit).items() if not n.startswith("cao-xa")} == keys
    run_pack(built.kit, "--locality", "cao-xa", "--audience", "loa")

    # A commune taken out: its pack, which `bzmedia pack` wrote (and recorded), goes with the next
    # `bzmedia pack`; a stranger's zip and another kit's pack copied in (the same kind of comment)
    # stay.
    with zipfile.ZipFile(built.kit / "packs" / "cong-van.zip", "w") as other:  # someone's own zip
        other.writestr("cong-van.txt", "công văn")
    shutil.copy(built.kit / "packs" / "cao-xa-loa.zip", built.kit / "packs" / "chien-dich-khac-loa.zip")
    built.script.write_text(built.script.read_text(encoding="utf-8").replace(
        '  - id: cao-xa\n    name: "xã Cao Xá"\n    hotline: "0210 3825 222"\n', ""), encoding="utf-8")
    _build_api(built.script, built.output)
    assert "removed" in run_pack(built.kit, "--locality", "son-vi", "--audience", "in")
    assert not (built.kit / "packs" / "cao-xa-loa.zip").exists()
    assert "cao-xa" not in (built.kit / "packs" / "available.js").read_text(encoding="utf-8")
    assert (built.kit / "packs" / "cong-van.zip").exists()
    assert (built.kit / "packs" / "chien-dich-khac-loa.zip").exists()

    # The sticker was the only print-shop item: without it the -in packs and its previews go.
    text = built.script.read_text(encoding="utf-8")
    start = text.index("  - id: dan-xe")
    built.script.write_text(text[:start] + text[text.index("\nsignage:"):], encoding="utf-8")
    _build_api(built.script, built.output)
    files = built.files()
    assert "son-vi-in.zip" not in planned_packs(built.kit)
    on_disk = {p.relative_to(built.kit).as_posix() for p in (built.kit / "thumbs").rglob("*.png")}
    assert on_disk == {p for p in files if p.startswith("thumbs/")}
    assert not any("dan-xe" in p for p in on_disk)
    assert "Không có tệp nào cho nhóm này" in (built.kit / "index.html").read_text(encoding="utf-8")


def test_empty_audiences_get_no_pack_and_the_page_says_so(tmp_path, cache_dir) -> None:
    built = build_kit(tmp_path, AUDIO_ONLY_CAMPAIGN, "chi-loa")
    assert sorted(planned_packs(built.kit)) == ["all-loa.zip"]
    html = (built.kit / "index.html").read_text(encoding="utf-8")
    assert html.count("Không có tệp nào cho nhóm này nên không có gói tải về.") == 3  # in, screens, messages
    assert "UBND xã Sơn Vi" in html  # the stand-in locality carries the issuer's name
    assert_links_resolve(built.kit / "index.html", built.kit)


def test_a_full_disk_while_packing_is_one_line_and_leaves_no_part(small_kit, tmp_path) -> None:
    """A real write failure: the file-size limit (``ulimit -f``) makes the zip write fail (EFBIG)."""
    import resource
    import signal
    import subprocess
    import sys

    kit = tmp_path / "kit-nho"
    shutil.copytree(small_kit.kit, kit)

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    result = subprocess.run(
        [sys.executable, "-c", "from bzmedia.cli import main; main()", "pack", str(kit),
         "--locality", "son-vi", "--audience", "man-hinh"],
        capture_output=True, text=True, timeout=120, preexec_fn=limit_file_size)
    assert result.returncode == 1
    assert "son-vi-man-hinh.zip: cannot write it: File too large; the pack was not made" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (kit / "packs").iterdir()) == ["index.json"]  # no part, no zip
