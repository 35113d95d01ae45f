"""Previews: a slide's preview filed from the drawn picture is the one the kit would make from its PNG."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from bzmedia.cache import Store, sha256_file
from bzmedia.kit.thumbs import SLIDE_MAX, file_slide_preview, thumbnail


def drawn_slide(size: tuple[int, int]) -> Image.Image:
    """A slide-like picture: flat colour, a band, text-sized marks and a gradient (resampling shows)."""
    image = Image.new("RGB", size, (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], size[1] // 6), fill=(11, 95, 165))
    for k in range(40):
        draw.rectangle((60 + 40 * k, size[1] // 2, 75 + 40 * k, size[1] // 2 + 30), fill=(26, 26, 26))
    for x in range(0, size[0], 8):
        draw.line((x, size[1] - 60, x, size[1]), fill=(x * 255 // size[0], 169, 0))
    return image


def test_preview_filed_from_the_picture_equals_the_one_made_from_its_png(tmp_path: Path) -> None:
    for size in ((1920, 1080), (1080, 1920)):
        image = drawn_slide(size)
        png = tmp_path / f"{size[0]}x{size[1]}.png"
        image.save(png, "PNG", compress_level=6)
        digest = sha256_file(png)
        filed_store, made_store = Store(tmp_path / "filed"), Store(tmp_path / "made")
        file_slide_preview(image, digest, filed_store)
        # the filed one is found (no decode: the PNG is gone) and equals a fresh rendering
        made = thumbnail(png, digest, "slide", made_store).read_bytes()
        png.rename(tmp_path / "moved.png")
        filed = thumbnail(png, digest, "slide", filed_store).read_bytes()
        assert filed == made
        with Image.open(thumbnail(png, digest, "slide", filed_store)) as preview:
            assert max(preview.size) == SLIDE_MAX and preview.mode == "P"


def test_a_rerun_remakes_only_the_preview_whose_source_changed(tmp_path: Path) -> None:
    """A locality's thumbs job reruns when any of its files changes (a new rank changes its chart
    slide); the other previews are neither read from their sources again nor rewritten."""
    from bzmedia.builder import Job, JobContext, OutputKind
    from bzmedia.kit.builder import KitBuilder, Thumb, ThumbsJob

    kit, store = tmp_path / "kit", Store(tmp_path / "cache")
    slides = kit / "xa" / "signage"
    slides.mkdir(parents=True)
    drawn_slide((1920, 1080)).save(slides / "01-a.png", "PNG")
    drawn_slide((1080, 1920)).save(slides / "02-chart.png", "PNG")

    def run(shas: dict[str, str], key: str) -> None:
        thumbs = tuple(Thumb(f"xa/signage/{name}", sha, OutputKind.SLIDE, f"thumbs/xa/{name}")
                       for name, sha in sorted(shas.items()))
        job = Job("kit", "xa", "thumbs", ThumbsJob(thumbs), key, ("thumbs/xa/",))
        KitBuilder().make(job, JobContext(job, kit, store))

    shas = {name: sha256_file(slides / name) for name in ("01-a.png", "02-chart.png")}
    run(shas, "first")
    kept = (kit / "thumbs/xa/01-a.png").stat().st_ino
    before = (kit / "thumbs/xa/02-chart.png").read_bytes()
    changed = drawn_slide((1080, 1920))
    ImageDraw.Draw(changed).rectangle((0, 900, 1080, 1100), fill=(242, 169, 0))  # a new rank
    changed.save(slides / "02-chart.png", "PNG")
    shas["02-chart.png"] = sha256_file(slides / "02-chart.png")
    (slides / "01-a.png").write_bytes(b"never read again: its preview is found by its hash")
    run(shas, "second")
    assert (kit / "thumbs/xa/01-a.png").stat().st_ino == kept  # left in place, not rewritten
    after = kit / "thumbs/xa/02-chart.png"
    assert after.read_bytes() != before and after.read_bytes() == thumbnail(
        slides / "02-chart.png", shas["02-chart.png"], "slide", store).read_bytes()  # remade
