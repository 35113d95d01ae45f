"""Shared checks for the print tests: real PDF inspection with pikepdf, pypdfium2 and zxing-cpp."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import zxingcpp

from bzmedia.build import BuildOptions, build
from bzmedia.campaign import load_campaign
from bzmedia.printing.builder import PrintBuilder

PT_PER_MM = 72 / 25.4
CONTENT = Path(__file__).resolve().parents[2] / "content"
HEAD = """\
campaign:
  id: thu-nghiem
  title: "Cài đặt Bluezone"
  issuer: "UBND xã Sơn Vi"
  url: https://www.bluezone.gov.vn
  date: 2020-08-05
brand:
  logo: assets/logo.png
localities:
  - {id: son-vi, name: "xã Sơn Vi", hotline: "0210 3825 111"}
audio:
  ident: "Đây là Đài truyền thanh {locality.name}."
  spots:
    - id: thong-bao
      text: |
        Đề nghị bà con {locality.name} cài đặt ứng dụng Bluezone.

        Mọi thắc mắc xin gọi số {hotline}.
"""


def write_campaign(folder: Path, print_section: str, head: str = HEAD) -> Path:
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTENT / "assets" / "logo.png", folder / "assets" / "logo.png")
    script = folder / "campaign.yaml"
    script.write_text(head + "print:\n" + print_section, encoding="utf-8")
    return script


def build_print(script: Path, out: Path):
    campaign, _warnings = load_campaign(script)
    report = build(campaign, BuildOptions(output_root=out, workers=1), builders=[PrintBuilder()])
    return report, out / campaign.campaign.id


def fonts_of(pdf: pikepdf.Pdf):
    """Every font dictionary the document refers to (page resources and form XObjects)."""
    seen = {}

    def walk(resources):
        if resources is None:
            return
        for font in resources.get("/Font", {}).values():
            seen[font.objgen] = font
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in pdf.pages:
        walk(page.get("/Resources"))
    return list(seen.values())


def font_problems(path: Path) -> list[str]:
    """Fonts that are not embedded TrueType programs (FontFile2), by name."""
    problems = []
    with pikepdf.open(path) as pdf:
        for font in fonts_of(pdf):
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
            if not any(d is not None and "/FontFile2" in d for d in descriptors):
                problems.append(str(font.get("/BaseFont")))
    return problems


def colour_operators(path: Path) -> set[str]:
    """The colour-setting operators used in the page content streams."""
    found = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for _operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"):
                    found.add(op)
    return found


def text_colours(path: Path) -> set[tuple[float, ...]]:
    """The CMYK fill colours text is shown in, over every page."""
    found = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            fill: tuple[float, ...] = (0, 0, 0, 1)
            stack = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "k":
                    fill = tuple(round(float(v), 3) for v in operands)
                elif op == "q":
                    stack.append(fill)
                elif op == "Q" and stack:
                    fill = stack.pop()
                elif op in ("Tj", "TJ", "'", '"'):
                    found.add(fill)
    return found


def subset_names(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [str(font.get("/BaseFont")) for font in fonts_of(pdf)]


def page_text(path: Path) -> list[str]:
    """The extracted text of every page, as pdfium reads it."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_bounded() for i in range(len(doc))]
    finally:
        doc.close()


def flat(text: str) -> str:
    """Text with line breaks as spaces (wrapped lines join up again)."""
    return " ".join(text.split())


def is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def render_gray(path: Path, index: int = 0, dpi: int = 150):
    """One page rendered in grayscale at ``dpi``, as a PIL image."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[index].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        doc.close()


def qr_texts(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
