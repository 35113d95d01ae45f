"""``bzmedia validate`` finds text that does not fit, as a build would, at the line to change."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bzmedia.builder import Plan
from bzmedia.campaign import load_campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.cli import cli
from bzmedia.errors import BuildError
from bzmedia.printing.builder import PrintBuilder
from bzmedia.printing.piece import prepare
from bzmedia.signage.builder import SignageBuilder
from bzmedia.signage.render import SlidePainter

LONG_TITLE = "Cài đặt ứng dụng Bluezone – khẩu trang điện tử cho mọi nhà"
"""56+ characters: too long for the A3 poster's one-line 18 pt footer ``{campaign.title} · ...``."""
EXAMPLE_TITLE = 'title: "Cài đặt Bluezone – khẩu trang điện tử"'
REPO_LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"


def validate(*paths: Path):
    return CliRunner(mix_stderr=False).invoke(cli, ["validate", *map(str, paths)])


def eight_localities(script: Path, title: str = LONG_TITLE) -> Path:
    """The example with eight communes: its workbook's columns, written as a CSV it reads."""
    from bzmedia.campaign.sheets import TEMPLATE_HEADINGS, TEMPLATE_NAME

    text = script.read_text(encoding="utf-8").replace(EXAMPLE_TITLE, f'title: "{title}"', 1)
    rows = [",".join(f'"{h}"' for h in TEMPLATE_HEADINGS)] + [
        f"xã Số {i},xa-{i},,0210 3825 11{i},Đài xã {i},{100 * i}" for i in range(1, 9)]
    (script.parent / "tam-xa.csv").write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")
    script.write_text(text.replace(f"file: {TEMPLATE_NAME}", "file: tam-xa.csv", 1), encoding="utf-8")
    return script


def line_of(script: Path, needle: str) -> int:
    return next(n for n, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def test_a_title_too_long_for_the_poster_footer_is_one_message_at_the_title_line(campaign_dir):
    script = eight_localities(campaign_dir / "bluezone-2020.yaml")
    result = validate(script)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line and ":" in line
              and not line.endswith("found.")]
    assert len(errors) == 1, result.stderr
    [message] = errors
    title_line = line_of(script, LONG_TITLE)
    assert message.startswith(f"{script}:{title_line}:10: campaign.title: ")
    assert "box 'title' of layout 'poster-a3' on print item 'ap-phich'" in message
    assert "(all 8 localities)" in message
    budget = int(re.search(r"shorten it to about (\d+) characters", message)[1])
    assert 30 < budget < len(LONG_TITLE)
    # The budget is the build's own answer: that many characters print, one more does not.
    assert _poster_fits(campaign_dir, LONG_TITLE[:budget].rstrip())
    assert not _poster_fits(campaign_dir, LONG_TITLE[:budget + 1].rstrip())


def _poster_fits(campaign_dir: Path, title: str) -> bool:
    """Whether the build's print job fits every box of the poster with this title."""
    script = campaign_dir / "bluezone-2020.yaml"
    campaign, _ = load_campaign(script)
    campaign.campaign.title = title
    locality = campaign.kit_localities()[0]
    plan = Plan(campaign, [locality], {locality.id: for_locality(campaign, locality)})
    [job] = [j for j in PrintBuilder().jobs(plan) if j.name == "ap-phich"]
    try:
        prepare(job.inputs)
    except BuildError:
        return False
    return True


def test_the_build_fails_on_the_same_box_validate_reports(campaign_dir):
    script = eight_localities(campaign_dir / "bluezone-2020.yaml")
    campaign, _ = load_campaign(script)
    locality = campaign.kit_localities()[0]
    plan = Plan(campaign, [locality], {locality.id: for_locality(campaign, locality)})
    failing = []
    for job in PrintBuilder().jobs(plan):
        job.inputs.where = dict(job.where)
        try:
            prepare(job.inputs)
        except BuildError as exc:
            failing += exc.messages
    assert len(failing) == 1 and "print item 'ap-phich', box 'title'" in failing[0]


def test_a_slide_text_too_long_is_reported_at_the_slide_text_line(campaign_dir):
    script = campaign_dir / "bluezone-2020.yaml"
    essay = "Cài đặt ứng dụng Bluezone để bảo vệ mình, gia đình và cộng đồng. " * 12
    text = script.read_text(encoding="utf-8")
    text = text.replace('text: "Cài đặt để bảo vệ mình và cộng đồng"', f'text: "{essay}"', 1)
    script.write_text(text, encoding="utf-8")
    result = validate(script)
    assert result.exit_code == 1
    [message] = [m for m in result.stderr.splitlines() if "signage.slides" in m and "warning" not in m]
    assert message.startswith(f"{script}:{line_of(script, essay[:40])}:13: signage.slides[0].text: ")
    assert "slide 'khau-trang' at 1920x1080 and 1080x1920: the text does not fit" in message
    assert "(all 3 localities)" in message
    budget = int(re.search(r"shorten the text to about (\d+) characters", message)[1])
    # The build draws the slide with that many characters and refuses one more.
    campaign, _ = load_campaign(script)
    locality = campaign.kit_localities()[0]
    plan = Plan(campaign, [locality], {locality.id: for_locality(campaign, locality)})
    job = SignageBuilder().jobs(plan)[0]
    painter = SlidePainter(job.inputs.deck)
    slide = job.inputs.deck.slides[0]
    painter.paint(dataclasses.replace(slide, text=essay[:budget].rstrip()))
    try:
        painter.paint(dataclasses.replace(slide, text=essay[:budget + 1].rstrip()))
    except BuildError:
        pass
    else:
        raise AssertionError("one character more than the budget still fits")


def test_the_example_validates_ok(example_script):
    result = validate(example_script, example_script.parent / "minimal.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(": ok") == 2


def test_validate_imports_neither_reportlab_nor_pillow(example_script):
    code = ("import sys\n"
            "from bzmedia.cli import cli\n"
            f"try:\n    cli(['validate', {str(example_script)!r}])\n"
            "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
            "loaded = {m.split('.')[0] for m in sys.modules}\n"
            "heavy = sorted(loaded & {'reportlab', 'PIL', 'numpy', 'scipy'})\n"
            "print('heavy:', heavy)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("heavy: []"), proc.stdout


def test_an_issuer_too_long_for_several_boxes_is_one_message_with_the_smallest_budget(campaign_dir):
    script = campaign_dir / "bluezone-2020.yaml"
    issuer = "Ủy ban nhân dân huyện Lâm Thao tỉnh Phú Thọ, Ban chỉ đạo phòng chống dịch Covid-19"
    text = script.read_text(encoding="utf-8").replace('issuer: "UBND huyện Lâm Thao"', f'issuer: "{issuer}"')
    # The messages channel checks its own images while loading; this test is about print and slides.
    script.write_text(text.split("\nmessages:")[0] + "\n", encoding="utf-8")
    result = validate(script)
    assert result.exit_code == 1
    [message] = [m for m in result.stderr.splitlines() if ": campaign.issuer: " in m]
    assert message.startswith(f"{script}:{line_of(script, issuer)}:11: campaign.issuer: ")
    for place in ("box 'issuer' of layout 'leaflet-a5' on print item 'to-roi'",
                  "box 'title' of layout 'poster-a3' on print item 'ap-phich'",
                  "the issuer of slide 'khau-trang'"):
        assert place in message
    budgets = re.findall(r"shorten it to about (\d+) characters", message)
    assert len(budgets) == 1 and int(budgets[0]) < len(issuer)
    assert "(all 3 localities)" in message


def test_qr_verdicts_equal_what_the_slide_painter_and_the_encoder_do(campaign_dir):
    """validate's QR rules (pure) against the real encoder and draw_qr, long addresses included."""
    from PIL import Image, ImageDraw

    from bzmedia.preflight import fit_problems
    from bzmedia.signage.qr import draw_qr, qr_modules, qr_version

    for length in (1, 14, 15, 120, 1000, 2213 - 12, 2214 - 12, 3000):
        url = "https://x.vn/" + "a" * (length - 1)
        try:
            modules = len(qr_modules(url))
        except Exception:  # reportlab: "code length overflow"
            modules = None
        version = qr_version(url)
        assert (None if version is None else 17 + 4 * version) == modules, length
    # A layout whose landscape QR box is too small to scan from a distance (portrait is fine).
    layout = (REPO_LAYOUTS / "slides.yaml").read_text(encoding="utf-8")
    small = layout.replace("qr: {box: [0.56, 0.30, 0.95, 0.95], align: right}",
                           "qr: {box: [0.80, 0.70, 0.95, 0.95], align: right}")
    assert small != layout
    (campaign_dir / "small-qr.yaml").write_text(small, encoding="utf-8")
    script = campaign_dir / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8").replace("signage:\n", "signage:\n  layout: small-qr.yaml\n", 1)
    script.write_text(text, encoding="utf-8")
    campaign, _ = load_campaign(script)
    problems = [p for p in fit_problems(campaign) if "QR code" in p.message]
    locality = campaign.kit_localities()[0]
    plan = Plan(campaign, [locality], {locality.id: for_locality(campaign, locality)})
    painted_fail = []
    for job in SignageBuilder().jobs(plan):
        painter = SlidePainter(job.inputs.deck)
        kind = painter.variant.cta
        try:
            draw_qr(ImageDraw.Draw(Image.new("RGB", (10, 10))), campaign.campaign.url,
                    painter.box_px(kind.qr.box), kind.qr.align, painter.short, "here")
        except BuildError:
            painted_fail.append(job.inputs.deck.size)
    assert painted_fail == ["1920x1080"]
    [problem] = problems
    assert problem.path == "campaign.url"
    assert "slide 'quet-ma' at 1920x1080: the QR code would be only" in problem.message
    assert "(all 3 localities)" in problem.message


def test_an_address_too_long_for_any_qr_code_is_found_by_validate(campaign_dir):
    script = campaign_dir / "bluezone-2020.yaml"
    url = "https://www.bluezone.gov.vn/?" + "ẵ" * 800  # 829 characters, 2429 bytes in UTF-8
    text = script.read_text(encoding="utf-8").replace("url: https://www.bluezone.gov.vn", f"url: {url}", 1)
    # The messages channel checks its own images while loading; this test is about QR codes.
    script.write_text(text.split("\nmessages:")[0] + "\n", encoding="utf-8")
    result = validate(script)
    assert result.exit_code == 1
    [message] = [m for m in result.stderr.splitlines() if "QR code" in m]
    assert ": campaign.url: the address is 2429 bytes; a QR code holds at most 2213" in message


def test_a_campaign_layout_whose_own_text_does_not_fit_is_reported_in_the_layout_file(campaign_dir):
    layout = (REPO_LAYOUTS / "poster-a3.yaml").read_text(encoding="utf-8")
    narrow = layout.replace('text: "Quét mã QR để xem thông tin chi tiết", left: 80, top: 304, right: 24, '
                            'height: 26,',
                            'text: "Quét mã QR để xem thông tin chi tiết", left: 80, top: 304, right: 150, '
                            'height: 12,')
    assert narrow != layout
    (campaign_dir / "my-poster.yaml").write_text(narrow, encoding="utf-8")
    script = campaign_dir / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8").replace("    kind: poster\n",
                                                      "    kind: poster\n    layout: my-poster.yaml\n")
    script.write_text(text, encoding="utf-8")
    campaign, _ = load_campaign(script)
    from bzmedia.preflight import fit_problems

    [problem] = fit_problems(campaign)
    assert problem.file.endswith("my-poster.yaml")
    assert problem.line == line_of(campaign_dir / "my-poster.yaml", "Quét mã QR")
    assert problem.path == "pages[0].boxes.qr_label.text"
    assert "make box 'qr_label' larger or its text shorter (all 3 localities)" in problem.message
