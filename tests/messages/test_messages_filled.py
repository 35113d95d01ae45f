"""What ``validate`` says about the message texts as each locality's variables fill them, so that
a script it calls ok builds, and builds what it checked: addresses (never filled), texts that
fill to nothing, and a wifi-portal page over its size."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bzmedia.cli import cli

HEAD = 'campaign: {id: thu, title: "Thử", issuer: "UBND huyện A", url: "https://example.vn"}\n'
BRACES = ("'{locality.id}' in an address: an address is the same for every locality and is never filled "
          "with variables; write the address itself (a brace in an address is written %7B or %7D)")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def write(tmp_path: Path, text: str) -> Path:
    script = tmp_path / "c.yaml"
    script.write_text(text, encoding="utf-8")
    return script


@pytest.mark.parametrize(("text", "where"), [
    ('campaign: {id: thu, title: "Thử", issuer: "UBND huyện A", url: "https://bluezone.gov.vn/?xa='
     '{locality.id}"}\nmessages: {title: "Cài Bluezone", images: false}\n', "1:64: campaign.url"),
    (HEAD + 'messages: {title: "Cài Bluezone", images: false, url: "https://bluezone.gov.vn/?xa='
            '{locality.id}"}\n', "2:55: messages.url"),
    (HEAD + 'signage:\n  slides:\n    - {id: lien-he, kind: cta, url: "https://bluezone.gov.vn/?xa='
            '{locality.id}"}\n', "4:37: signage.slides[0].url"),
], ids=["campaign.url", "messages.url", "slide.url"])
def test_an_address_with_a_variable_is_refused_at_its_key(tmp_path: Path, text: str, where: str) -> None:
    """The build prints and encodes addresses as typed (zalo.txt, the pages' links, every QR code),
    so validate may not fill them either: a brace is refused where it is typed."""
    script = write(tmp_path, text)
    code, output = run("validate", str(script))
    assert code == 1
    assert output.splitlines() == [f"{script}:{where}: {BRACES}", "1 error found."]


BLANK_SCRIPT = HEAD + """variables: {empty: ""}
localities:
  - {id: xa-a, name: "xã A", vars: {ghi: "Cài Bluezone"}}
  - {id: xa-b, name: "xã B", vars: {ghi: ""}}
messages:
  title: "{ghi}"
  steps: ["Mở CH Play", "{empty}"]
  button: "{empty}{empty}"
  images: false
  sms: {text: "📢📢"}
  zalo: {text: " {empty} "}
  article: {title: "{ghi}"}
audio:
  spots:
    - {id: thong-bao, text: "{empty}"}
signage:
  slides:
    - {id: mo-dau, kind: title, title: "{empty}"}
    - {id: lien-he, kind: cta, title: "{empty}"}
"""
FILL_ADVICE = "holds nothing there; give the variable a value there or write words beside it"


def test_texts_that_fill_to_nothing_are_refused_for_the_locality_that_empties_them(tmp_path: Path) -> None:
    """An SMS of one newline, ``<h1></h1>``, a silent spot: at the text's key, naming the
    localities and the variable; the optional title of a cta slide may fill to nothing."""
    script = write(tmp_path, BLANK_SCRIPT)
    code, output = run("validate", str(script))
    assert code == 1
    assert output.splitlines() == [
        f"{script}:7:10: messages.title: the text is empty once filled for locality xa-b: {{ghi}} "
        f"{FILL_ADVICE}",
        f"{script}:8:10: messages.steps: step 2 is empty once filled for locality xa-a, xa-b: {{empty}} "
        f"{FILL_ADVICE}",
        f"{script}:9:11: messages.button: the button is empty once filled for locality xa-a, xa-b: "
        f"{{empty}} {FILL_ADVICE}",
        f"{script}:11:15: messages.sms.text: the SMS without diacritics is empty for locality xa-a, xa-b: "
        "none of the text's characters can be sent without diacritics (emoji and symbols are left out); "
        "write the message in words",
        f"{script}:12:16: messages.zalo.text: the text is empty once filled for locality xa-a, xa-b: "
        f"{{empty}} {FILL_ADVICE}",
        f"{script}:13:20: messages.article.title: the text is empty once filled for locality xa-b: "
        f"{{ghi}} {FILL_ADVICE}",
        f"{script}:16:29: audio.spots[0].text: the text is empty once filled for locality xa-a, xa-b: "
        f"{{empty}} {FILL_ADVICE}",
        f"{script}:19:40: signage.slides[0].title: the title is empty once filled for locality xa-a, "
        f"xa-b: {{empty}} {FILL_ADVICE}",
        "8 errors found."]
    code, output = run("build", str(script), "-o", str(tmp_path / "out"), "--only", "messages")
    assert code == 1 and output.rstrip().endswith("8 errors found.")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.txt"))


def portal_script(tmp_path: Path, length: int) -> Path:
    """Steps and title filled with ``length`` ampersands (5 bytes each in HTML) in locality xa-a."""
    return write(tmp_path, HEAD + f'variables: {{dai: "{"&" * length}"}}\n'
                 'localities:\n  - {id: xa-a, name: "xã A"}\n'
                 '  - {id: xa-b, name: "xã B", vars: {dai: "ngắn"}}\n'
                 'messages:\n  title: "Cài Bluezone {dai}"\n  images: false\n'
                 '  steps: ["{dai} 1", "{dai} 2", "{dai} 3", "{dai} 4", "{dai} 5", "{dai} 6", "{dai} 7", '
                 '"{dai} 8"]\n')


def test_a_portal_page_over_its_size_is_found_by_validate_at_the_key(tmp_path: Path) -> None:
    """Found before the build, at the key adding the most, naming what adds the most; the build
    refuses it as validate does, before writing anything."""
    script = portal_script(tmp_path, 2000)
    expected = [f"{script}:9:10: messages.steps: the wifi-portal page is 103,818 bytes for locality xa-a; "
                "a captive portal page should stay under 100,000: shorten what adds the most, {dai} "
                "(100,000 bytes), messages.title (28 bytes), messages.button (18 bytes)", "1 error found."]
    assert run("validate", str(script)) == (1, "\n".join(expected) + "\n")
    code, output = run("build", str(script), "-o", str(tmp_path / "out"), "--only", "messages")
    assert (code, output.splitlines()[-2:]) == (1, expected)


def test_a_portal_page_just_under_its_size_passes_validate_and_is_built(tmp_path: Path) -> None:
    """Validate measures the page the build writes, QR code included, to the byte."""
    script = portal_script(tmp_path, 1920)
    assert run("validate", str(script)) == (0, f"{script}: ok\n")
    code, output = run("build", str(script), "-o", str(tmp_path / "out"), "--only", "messages")
    assert code == 0, output
    page = tmp_path / "out" / "thu" / "xa-a" / "messages" / "wifi-portal.html"
    assert 99_000 < page.stat().st_size <= 100_000


def test_pages_are_not_made_of_fills_the_loader_refuses(tmp_path: Path) -> None:
    """A title filled to 132,000 characters in 300 localities is refused from its placeholders;
    sizing 300 pages of 1.8 MB each took 40 s."""
    script = write(tmp_path, HEAD + f'variables: {{x: "{"a" * 2000}"}}\nlocalities:\n'
                   + "".join(f"  - {{id: l{i}, name: x}}\n" for i in range(300))
                   + 'messages:\n  images: false\n  title: "' + "{x}" * 66 + '"\n  steps: ['
                   + ", ".join(['"' + "{x}" * 100 + '"'] * 8) + "]\n")
    started = time.monotonic()
    code, output = run("validate", str(script))
    assert time.monotonic() - started < 5
    assert code == 1 and "wifi-portal" not in output
    assert (f"{script}:306:10: messages.title: filled with its variables this text is 132,000 "
            "characters") in output
