"""The kit page says who speaks each spot: the engine (in Vietnamese) or the announcer's recording.

A real build (audio and the page only) of two spots, one spoken by eSpeak NG and one read from a
recording; the page is parsed by html5lib as a browser would.
"""

from __future__ import annotations

import json
import wave

import html5lib
from kit_helpers import run_build

from bzmedia.kit.page import spoken_by
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import to_int16

SCRIPT = """\
campaign: {id: ai-doc, title: "Ai đọc", issuer: "UBND xã Sơn Vi", url: "https://x.vn"}
localities: [{id: son-vi, name: "xã Sơn Vi"}]
audio:
  voice: {engine: espeak, dialect: south}
  spots:
    - id: may-doc
      title: "Máy đọc"
      intro: none
      text: "Đề nghị bà con cài đặt ứng dụng."
    - id: nguoi-doc
      title: "Người đọc"
      intro: none
      recording: doc <1>.wav
      text: "Mọi thắc mắc xin gọi cán bộ xã."
"""


def write_recording(path, text: str) -> None:
    sound = EspeakEngine(VoiceSettings()).synthesize(text)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(sound.rate)
        handle.writeframes(to_int16(sound.samples).tobytes())


def spot_lines(page) -> dict[str, str]:
    """Title of each spot on the page -> the line under it saying who speaks."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    tree = parser.parse(page.read_bytes(), transport_encoding="utf-8")
    lines = {}
    for item in tree.iter("li"):
        if "spot" not in (item.get("class") or "").split():
            continue
        title = "".join(item.find("div").find("strong").itertext())
        voice = [p for p in item.iter("p") if "voice" in (p.get("class") or "").split()]
        lines[title] = "".join(voice[0].itertext()) if voice else ""
    return lines


def test_the_page_names_the_voice_of_each_spot(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    write_recording(folder / "doc <1>.wav", "Mọi thắc mắc xin gọi cán bộ xã.")
    script = folder / "s.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    run_build(script, tmp_path / "out", tmp_path / "cache", "--only", "audio")
    kit = tmp_path / "out" / "ai-doc"
    lines = spot_lines(kit / "index.html")
    assert lines == {"01. Máy đọc": "Giọng: espeak-ng, miền Nam (ngoại tuyến)",
                     "02. Người đọc": "Ghi âm: doc <1>.wav"}
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    spots = {e["spot"]: e for e in manifest["files"] if e["kind"] == "audio"}
    assert spots["may-doc"]["engine"] == "espeak" and spots["may-doc"]["voice"] == "espeak (south)"
    assert spots["nguoi-doc"]["recording"] == "doc <1>.wav"


def test_every_engine_has_vietnamese_words():
    assert spoken_by({"engine": "gtts", "voice": "gtts (Google, vi)"}) == "Giọng: Google (gTTS)"
    assert spoken_by({"engine": "edge", "voice": "edge (vi-VN-NamMinhNeural)"}) == (
        "Giọng: Microsoft Edge, vi-VN-NamMinhNeural (giọng thần kinh)")
    assert spoken_by({"engine": "piper", "voice": "piper (vi_VN-vais1000-medium.onnx)"}) == (
        "Giọng: Piper, vi_VN-vais1000-medium.onnx (giọng thần kinh, ngoại tuyến)")
    assert spoken_by({"engine": "espeak", "voice": "espeak (central)"}) == (
        "Giọng: espeak-ng, miền Trung (ngoại tuyến)")
    # A kit built before the manifest said: nothing is claimed.
    assert spoken_by({"title": "x"}) is None
    assert spoken_by({"engine": "espeak", "recording": "a.mp3"}) == "Ghi âm: a.mp3"
