"""Where voices live and which can speak here: the voices folder and ``bzmedia voices``.

Piper voices are downloaded files (``vi_VN-vais1000-medium.onnx`` and its ``.onnx.json``).  They
go in one voices folder, so a script names a voice instead of carrying 60 MB beside it
(``model: vi_VN-vais1000-medium``): ``$BZMEDIA_VOICES`` if set, else the user's data folder,
``%LOCALAPPDATA%\\bzmedia\\voices`` on Windows and ``$XDG_DATA_HOME/bzmedia/voices`` (by default
``~/.local/share/bzmedia/voices``) elsewhere.  A voice's ``.onnx.json`` says its language and
sample rate; a voice that is not Vietnamese is refused before any build.

Nothing here imports piper, onnxruntime or numpy: ``validate`` and ``voices`` read only the JSON.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bzmedia.i18n import _

MAX_CONFIG_BYTES = 1_000_000
"""A voice's .onnx.json is a few kB (its phoneme table); a megabyte is not a config."""


def voices_dir() -> Path:
    """The voices folder (it may not exist yet)."""
    configured = os.environ.get("BZMEDIA_VOICES")
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "bzmedia" / "voices"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bzmedia" / "voices"


def is_voice_name(value: str) -> bool:
    """``vi_VN-vais1000-medium`` (a name to look up), not a file name or path in the campaign."""
    return not value.endswith(".onnx") and "/" not in value and "\\" not in value


def find_voice(name: str, folder: Path | None = None) -> Path | None:
    """The ``.onnx`` file of voice ``name`` in the voices folder (also in its subfolders, as the
    download site nests them), or ``None``."""
    folder = folder or voices_dir()
    direct = folder / f"{name}.onnx"
    if direct.is_file():
        return direct
    if not folder.is_dir():
        return None
    found = sorted(p for p in folder.rglob(f"{name}.onnx") if p.is_file())
    return found[0] if found else None


@dataclass(frozen=True)
class PiperVoiceInfo:
    """What a piper voice's ``.onnx.json`` says about it."""

    path: Path
    language: str
    """Language code, e.g. ``vi_VN`` or ``en_US`` (``?`` when the file does not say)."""
    sample_rate: int | None

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".onnx")

    @property
    def vietnamese(self) -> bool:
        return self.language.lower().startswith("vi")


def read_voice_info(onnx: Path) -> PiperVoiceInfo:
    """Language and sample rate of a piper voice; raises ValueError naming what is wrong."""
    config = Path(f"{onnx}.json")
    try:
        if config.stat().st_size > MAX_CONFIG_BYTES:
            raise ValueError(_("{file} is too large to be a voice's settings").format(file=config.name))
        data = json.loads(config.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValueError(_("{file} is missing: download it with the .onnx (both files belong "
                           "together)").format(file=config.name)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(_("{file} cannot be read ({reason})").format(file=config.name, reason=exc)) from exc
    if not isinstance(data, dict):
        raise ValueError(_("{file} is not a piper voice's settings").format(file=config.name))
    language = data.get("language") if isinstance(data.get("language"), dict) else {}
    espeak = data.get("espeak") if isinstance(data.get("espeak"), dict) else {}
    audio = data.get("audio") if isinstance(data.get("audio"), dict) else {}
    code = language.get("code") or espeak.get("voice") or "?"
    rate = audio.get("sample_rate")
    return PiperVoiceInfo(onnx, str(code), rate if isinstance(rate, int) else None)


def voice_problem(onnx: Path) -> str | None:
    """Why ``onnx`` cannot be a Vietnamese voice, or ``None``."""
    try:
        info = read_voice_info(onnx)
    except ValueError as exc:
        return str(exc)
    if not info.vietnamese:
        return _("voice {voice} speaks {language}, not Vietnamese (its .onnx.json says so); download "
                 "a vi_VN voice, e.g. vi_VN-vais1000-medium").format(voice=info.name, language=info.language)
    return None


def resolve_model(base_dir: Path, value: str) -> Path:
    """The voice file a script's ``model:`` names: a voice in the voices folder by name, else a
    file in the campaign folder (which the loader has checked)."""
    if is_voice_name(value):
        found = find_voice(value)
        return found if found is not None else voices_dir() / f"{value}.onnx"
    return (base_dir / value).resolve()


def piper_voices(folder: Path | None = None) -> list[PiperVoiceInfo]:
    """Every voice in the voices folder, by name; an unreadable one says so in its language."""
    folder = folder or voices_dir()
    if not folder.is_dir():
        return []
    voices = []
    for onnx in sorted(folder.rglob("*.onnx"), key=lambda p: p.name):
        try:
            voices.append(read_voice_info(onnx))
        except ValueError as exc:
            voices.append(PiperVoiceInfo(onnx, f"unreadable: {exc}", None))
    return voices


@dataclass
class VoiceRow:
    """One line of ``bzmedia voices``."""

    engine: str
    voice: str
    dialects: str
    usable: str
    """``yes``, ``online`` or ``no``, and why."""


def available_voices(model: Path | None = None) -> list[VoiceRow]:
    """Every engine and voice, and whether it can speak on this machine (no network used)."""
    from bzmedia.tts.espeak_engine import VOICES, usable

    ok, note = usable()
    rows = [VoiceRow("espeak", name, dialect, f"{_('yes') if ok else _('no')}: {note}")
            for dialect, name in VOICES.items()]
    rows.append(VoiceRow("gtts", "vi (Google)", "any", _("online: needs the internet at build time (not "
                                                         "checked here); add 'fallback: [espeak]' for "
                                                         "offline builds")))
    rows += _edge_rows()
    rows += _piper_rows(model)
    return rows


def _edge_rows() -> list[VoiceRow]:
    from bzmedia.tts.edge_engine import VOICES as EDGE_VOICES
    from bzmedia.tts.edge_engine import edge_version

    version = edge_version()
    if version is None:
        return [VoiceRow("edge", "-", "-", _("no: edge-tts is not installed (pip install edge-tts)"))]
    return [VoiceRow("edge", name, "any", _("online: {speaker}, speaker: {speaker} (edge-tts {version}); "
                                            "needs the internet at build time (not checked here)").format(
                         speaker=speaker, version=version))
            for speaker, name in EDGE_VOICES.items()]


def _piper_rows(model: Path | None) -> list[VoiceRow]:
    from bzmedia.tts.piper_engine import piper_version

    version = piper_version()
    installed = (f"piper-tts {version}" if version else
                 _('piper is not installed (pip install "bzmedia[piper]")'))
    rows = []
    for info in piper_voices():
        usable = (_("yes") if version else _("no")) if info.vietnamese else _("no: not Vietnamese")
        rate = f"{info.sample_rate} Hz" if info.sample_rate else _("rate unknown")
        rows.append(VoiceRow("piper", info.name, info.language,
                             _("{usable}: {rate}, {installed}, in {folder}").format(
                                 usable=usable, rate=rate, installed=installed, folder=info.path.parent)))
    if model is not None:
        rows.append(_checked_model_row(model, version))
    if not rows:
        rows.append(VoiceRow("piper", "-", "-", _(
            "{installed}; no voice in {folder}: download vi_VN-vais1000-medium.onnx and its .onnx.json "
            "into that folder (or pass --model to check a file)").format(installed=installed,
                                                                         folder=voices_dir())))
    return rows


def _checked_model_row(model: Path, version: str | None) -> VoiceRow:
    """A voice file given with ``--model``, loaded for real when piper is installed."""
    from bzmedia.tts.base import EngineError
    from bzmedia.tts.piper_engine import load_voice

    if version is None:
        return VoiceRow("piper", model.name, "-",
                        _('no: piper is not installed (pip install "bzmedia[piper]")'))
    try:
        loaded = load_voice(str(model.resolve()))
    except EngineError as exc:
        return VoiceRow("piper", model.name, "-", f"{_('no')}: {exc}")
    return VoiceRow("piper", model.name, loaded.config.espeak_voice,
                    f"{_('yes')}: piper-tts {version}, {loaded.config.sample_rate} Hz")
