"""Previews: a slide's preview filed from the drawn picture is the one the kit would make from its PNG."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from bzmedia.cache import Store, sha256_file
from bzmedia.kit.thumbs import PDF_MAX, SLIDE_MAX, file_slide_preview, render_pdf_first_page, thumbnail


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


def logo_pdf(path: Path, logo_mm: float, in_form: bool) -> None:
    """A CMYK page with the real logo embedded as the print channel embeds it (600 dpi CMYK
    samples), drawn on the page or, like the office sheet's copies, inside a scaled form."""
    from reportlab.pdfgen.canvas import Canvas

    from bzmedia.printing import logos
    from bzmedia.printing.colors import Ink

    mm = 72 / 25.4
    logo = logos.logo_image(LOGO, Ink(c=1.0, m=0.45, y=0.0, k=0.3), logo_mm)
    canvas = Canvas(str(path), pagesize=(148 * mm, 210 * mm), invariant=1)
    canvas.setFillColorCMYK(1.0, 0.45, 0.0, 0.3)
    canvas.rect(0, 150 * mm, 148 * mm, 60 * mm, stroke=0, fill=1)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.rect(20 * mm, 40 * mm, 100 * mm, 20 * mm, stroke=0, fill=1)
    if in_form:
        canvas.beginForm("copy", 0, 0, 148 * mm, 210 * mm)
        logos.embed(canvas, logo, 10 * mm, 170 * mm, logo_mm * mm, logo_mm * mm)
        canvas.endForm()
        canvas.saveState()
        canvas.scale(0.5, 0.5)
        canvas.doForm("copy")
        canvas.restoreState()
    else:
        logos.embed(canvas, logo, 10 * mm, 170 * mm, logo_mm * mm, logo_mm * mm)
    canvas.showPage()
    canvas.save()


LOGO = Path(__file__).resolve().parents[2] / "content" / "assets" / "logo.png"


def rendered(path: Path, lighten: bool) -> tuple[Image.Image, int]:
    import pypdfium2 as pdfium

    from bzmedia.kit.pdfimages import lighten_cmyk_images

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        scale = PDF_MAX / max(page.get_size())
        swapped = lighten_cmyk_images(page, scale) if lighten else 0
        return page.render(scale=scale).to_pil().convert("RGB"), swapped
    finally:
        pdf.close()


def test_a_pdf_preview_shrinks_the_cmyk_logo_first_and_changes_only_its_pixels(tmp_path: Path) -> None:
    """The logo (CMYK, 600 dpi) is swapped for a small RGB copy before rendering, on the page and
    inside a form; the preview differs from pdfium's full render only inside the logo's box and
    only slightly there; the copy is made once per process for every PDF that embeds it."""
    import numpy as np

    from bzmedia.kit import pdfimages

    pdfimages._shrunk.clear()
    for in_form in (False, True):
        path = tmp_path / f"form-{in_form}.pdf"
        logo_pdf(path, 25.0, in_form)
        full, _ = rendered(path, lighten=False)
        light, swapped = rendered(path, lighten=True)
        assert swapped == 1
        diff = np.abs(np.asarray(full, dtype=int) - np.asarray(light, dtype=int)).max(axis=2)
        assert diff.any(), "the logo was rendered from the copy, not the original samples"
        rows, cols = np.nonzero(diff)
        # the logo's box in preview pixels: 10-35 mm from the left, 170-195 mm up (half in the form)
        px = PDF_MAX / 210
        factor = 0.5 if in_form else 1.0
        assert cols.min() >= int(10 * factor * px) - 1 and cols.max() <= int(35 * factor * px) + 1
        top = full.height - (195 * factor * px)
        assert rows.min() >= int(top) - 1 and rows.max() <= int(full.height - 170 * factor * px) + 1
        assert diff.max() <= 40 and diff.mean() < 0.5
        if not in_form:  # what the kit's previews render (a page without a TrimBox: all of it)
            assert (np.asarray(render_pdf_first_page(path)) == np.asarray(light)).all()
    assert len(pdfimages._shrunk) == 2  # one copy per shown size, not per document
    logo_pdf(tmp_path / "again.pdf", 25.0, False)
    rendered(tmp_path / "again.pdf", lighten=True)
    assert len(pdfimages._shrunk) == 2


def test_an_image_shown_at_about_its_own_size_is_left_as_it_is(tmp_path: Path) -> None:
    """Shown with fewer than OVERSAMPLE samples per pixel to spare, the image keeps the PDF's own
    samples: no copy, the same pixels as pdfium's plain render."""
    import numpy as np
    import pypdfium2 as pdfium

    from bzmedia.kit.pdfimages import OVERSAMPLE, lighten_cmyk_images

    path = tmp_path / "big.pdf"
    logo_pdf(path, 25.0, False)  # 591 samples across 25 mm
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        scale = 600 / 72 / OVERSAMPLE  # shown at 591 / OVERSAMPLE px: no room to shrink
        plain = np.asarray(page.render(scale=scale).to_pil())
        assert lighten_cmyk_images(page, scale) == 0
        assert (np.asarray(page.render(scale=scale).to_pil()) == plain).all()
    finally:
        pdf.close()


def test_a_pdf_preview_is_deflated_lighter_with_the_same_pixels(tmp_path: Path) -> None:
    """A PDF's preview is the quantized render at the PDF level (faster than the slides' 6, a
    little larger), pixel for pixel what level 6 would hold."""
    import numpy as np

    from bzmedia.kit.thumbs import PDF_PNG_LEVEL, SLIDE_PNG_LEVEL, _png_bytes

    path = tmp_path / "page.pdf"
    logo_pdf(path, 25.0, True)
    made = thumbnail(path, sha256_file(path), "print", Store(tmp_path / "cache")).read_bytes()
    image = render_pdf_first_page(path)
    assert PDF_PNG_LEVEL < SLIDE_PNG_LEVEL and made == _png_bytes(image, PDF_PNG_LEVEL)
    heavier = _png_bytes(image, SLIDE_PNG_LEVEL)
    assert len(heavier) < len(made)
    (tmp_path / "a.png").write_bytes(made)
    (tmp_path / "b.png").write_bytes(heavier)
    with Image.open(tmp_path / "a.png") as a, Image.open(tmp_path / "b.png") as b:
        assert (np.asarray(a.convert("RGB")) == np.asarray(b.convert("RGB"))).all()


def test_a_damaged_logo_stream_still_gives_a_preview(tmp_path: Path) -> None:
    """Bad day: the logo's samples cut short in the PDF (same length, garbage inside): the preview
    is still made, by pdfium from whatever it can read, with no error."""
    import pikepdf

    path = tmp_path / "damaged.pdf"
    logo_pdf(path, 25.0, True)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                raw = bytearray(obj.read_raw_bytes())
                raw[len(raw) // 3:] = b"\x00" * (len(raw) - len(raw) // 3)
                obj.write(bytes(raw), filter=pikepdf.Name("/FlateDecode"))
        pdf.save(path)
    preview = thumbnail(path, sha256_file(path), "office", Store(tmp_path / "cache"))
    with Image.open(preview) as image:
        assert max(image.size) == PDF_MAX


def test_preview_recipes_keep_their_store_keys_and_the_catalog_follows_them() -> None:
    """The store keys previews were filed under before the recipes became one table (a changed key
    would remake every preview of every kit), and the kit previews exactly the recipes' kinds."""
    from bzmedia.builder import OutputKind
    from bzmedia.kit.catalog import THUMB_KINDS, has_preview
    from bzmedia.kit.thumbs import PDF_RECIPE, RECIPES, SLIDE_RECIPE, _key

    sha = "ab" * 32
    assert _key(OutputKind.SLIDE, sha) == "5b577e7b1ed136c40c4d6935356baab6a6c35b4c5c30d9e0c564d8dbaa86c5e3"
    assert _key("print", sha) == "a95d83e4edad44e31946f501a3f4a2f38274f4e8da526abadab5d7ed0733818e"
    assert _key("script", sha) == "cdc8e51a69fcb3adc94948d1bf248e4c4cdb73dba58c69be3ab9d6d919b8cdcd"
    assert RECIPES[OutputKind.OFFICE] is PDF_RECIPE and RECIPES["slide"] is SLIDE_RECIPE
    assert THUMB_KINDS == {"print": ".pdf", "office": ".pdf", "script": ".pdf", "slide": ".png"}
    assert has_preview({"kind": "slide", "path": "xa/signage/1920x1080/01-a.png"})
    assert not has_preview({"kind": "slide-jpeg", "path": "xa/signage/1920x1080/01-a.jpg"})
    assert not has_preview({"kind": "slide", "path": "xa/signage/1920x1080/01-a.jpg"})


def test_a_thumbs_folder_that_is_a_link_out_of_the_kit_is_neither_written_nor_cleaned(tmp_path: Path) -> None:
    """The thumbs job once removed the previews its locality no longer had itself: through a link
    made in the kit (to a folder of someone's pictures), it wrote there and deleted the rest.  It
    writes nothing through the link now, and the previews it no longer makes are removed by the
    build when it publishes (checked against links like every removal)."""
    import pytest

    from bzmedia.builder import Job, JobContext, OutputKind
    from bzmedia.errors import BuildError
    from bzmedia.kit.builder import KitBuilder, Thumb, ThumbsJob

    kit, store = tmp_path / "kit", Store(tmp_path / "cache")
    (kit / "xa" / "signage").mkdir(parents=True)
    drawn_slide((1920, 1080)).save(kit / "xa/signage/01-a.png", "PNG")
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    drawn_slide((640, 360)).save(pictures / "holiday.png", "PNG")
    (kit / "thumbs").mkdir()
    (kit / "thumbs/xa").symlink_to(pictures, target_is_directory=True)
    thumbs = (Thumb("xa/signage/01-a.png", sha256_file(kit / "xa/signage/01-a.png"), OutputKind.SLIDE,
                    "thumbs/xa/01-a.png"),)
    job = Job("kit", "xa", "thumbs", ThumbsJob(thumbs), "key", ("thumbs/xa/",))
    with pytest.raises(BuildError) as caught:
        KitBuilder().make(job, JobContext(job, kit, store))
    assert caught.value.messages == [f"{kit / 'thumbs/xa'}: this folder leads outside the kit (a link); "
                                     "the kit's files are never written there"]
    empty = Job("kit", "xa", "thumbs", ThumbsJob(()), "key", ("thumbs/xa/",))
    assert KitBuilder().make(empty, JobContext(empty, kit, store)) == []
    assert sorted(p.name for p in pictures.iterdir()) == ["holiday.png"]


def test_in_a_build_a_preview_is_kept_in_the_kit_written_to_the_stage_and_never_read_through_a_link(
        tmp_path: Path) -> None:
    """As a build runs the job: writing into the stage, the kit as published beside it."""
    import shutil

    import pytest

    from bzmedia.builder import Job, OutputKind
    from bzmedia.buildpool import run_job
    from bzmedia.errors import BuildError
    from bzmedia.kit.builder import KitBuilder, Thumb, ThumbsJob

    kit, store = tmp_path / "kit", Store(tmp_path / "cache")
    stage = kit / ".bzmedia" / "stage"
    (kit / "xa/signage").mkdir(parents=True)
    for name, size in (("01-a.png", (1920, 1080)), ("02-b.png", (1080, 1920))):
        drawn_slide(size).save(kit / "xa/signage" / name, "PNG")
    shas = {name: sha256_file(kit / "xa/signage" / name) for name in ("01-a.png", "02-b.png")}
    thumbs = tuple(Thumb(f"xa/signage/{n}", s, OutputKind.SLIDE, f"thumbs/xa/{n}") for n, s in shas.items())
    job = Job("kit", "xa", "thumbs", ThumbsJob(thumbs), "key", ("thumbs/xa/",))
    run_job(KitBuilder(), job, kit, store)  # the kit as an earlier build published it
    kept = (kit / "thumbs/xa/01-a.png").stat().st_ino
    # 02-b is remade (staged) and changed; a stale staged copy of 01-a's source, not the planned one
    changed = drawn_slide((1080, 1920))
    changed.putpixel((5, 5), (255, 0, 0))
    (stage / "xa/signage").mkdir(parents=True)
    changed.save(stage / "xa/signage/02-b.png", "PNG")
    (stage / "xa/signage/01-a.png").write_bytes(b"left by a killed build")
    shas["02-b.png"] = sha256_file(stage / "xa/signage/02-b.png")
    thumbs = tuple(Thumb(f"xa/signage/{n}", s, OutputKind.SLIDE, f"thumbs/xa/{n}") for n, s in shas.items())
    job = Job("kit", "xa", "thumbs", ThumbsJob(thumbs), "key2", ("thumbs/xa/",))
    made = run_job(KitBuilder(), job, stage, Store(tmp_path / "empty-cache"), kit)  # no preview filed
    assert [r["path"] for r in made.records] == ["thumbs/xa/01-a.png", "thumbs/xa/02-b.png"]
    assert (kit / "thumbs/xa/01-a.png").stat().st_ino == kept and not (stage / "thumbs/xa/01-a.png").exists()
    assert (stage / "thumbs/xa/02-b.png").is_file()  # written to the stage, the kit's left alone

    # the kit's previews folder made a link to a copy elsewhere: not kept from there, refused
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(kit / "thumbs/xa", elsewhere, copy_function=shutil.copy2)
    shutil.rmtree(kit / "thumbs/xa")
    (kit / "thumbs/xa").symlink_to(elsewhere, target_is_directory=True)
    shutil.rmtree(stage / "thumbs")
    with pytest.raises(BuildError) as caught:
        run_job(KitBuilder(), job, stage, store, kit)
    assert caught.value.messages == [f"{kit / 'thumbs/xa'}: this folder leads outside the kit (a link); "
                                     "the kit's files are never written there"]
