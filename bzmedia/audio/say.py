"""``bzmedia say``: hear one text as a spot (the voices list is :mod:`bzmedia.tts.voices`).

``say`` makes a one-spot campaign in memory (no chime, ident, closing, repeats or music bed) with
the script's audio settings, or the audio spec's own defaults when there is no script, and runs
it through the spot pipeline itself: :func:`bzmedia.audio.script.running_order` (pauses, phrase
splitting), :func:`bzmedia.audio.render.render` (voices and fallbacks, high-pass, loudness) and
:func:`bzmedia.audio.export.export`.  So what ``say`` plays is by construction what a spot of that
text plays on the loudspeakers, sample for sample.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bzmedia.audio.script import SpotInputs, spoken_paragraphs
from bzmedia.campaign.audio_spec import AudioSpec
from bzmedia.campaign.patterns import device_file_problem, is_device_name
from bzmedia.i18n import _
from bzmedia.tts import VoiceSettings

FORMATS = {".mp3": "mp3", ".wav": "wav"}
"""The files ``say`` writes, by extension (the spot formats of ``audio.export.format``)."""
TAG = "bzmedia say"


class SayError(Exception):
    """``say`` could not speak the text: one line saying why (no voice could, or the export failed)."""


@dataclass(frozen=True)
class SayRequest:
    """Who speaks and how, for ``say``: the command line's options over the script's."""

    voice: VoiceSettings
    fallback: tuple[VoiceSettings, ...] = ()
    """The script's fallback voices (only when the command line did not choose the engine)."""
    pronunciations: dict[str, str] = dataclasses.field(default_factory=dict)
    audio: AudioSpec | None = None
    """The script's ``audio:`` (pauses, high-pass, loudness, export); ``None``: the defaults."""


@dataclass
class Said:
    """What ``say`` made."""

    path: Path
    spoken: str
    """The text as the engine read it (after normalization)."""
    seconds: float
    lufs: float
    true_peak_db: float
    voice: VoiceSettings
    """The voice that spoke (a fallback when the first could not)."""


def default_file_name(text: str, suffix: str = ".mp3") -> str:
    """A file name from the first words, without diacritics: ``xin-chao-ba-con.mp3``."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].rstrip("-")
    if is_device_name(slug):  # "Còn" would be con.mp3, which Windows cannot make
        slug = f"{slug}-1"
    return f"{slug or 'bzmedia-say'}{suffix}"


def output_problem(path: Path) -> str | None:
    """Why ``say`` cannot write ``path`` (a format it does not write, a name Windows keeps for a
    device), or ``None``."""
    if path.suffix.lower() in FORMATS:
        return device_file_problem(path.name)
    formats = _(" or ").join(FORMATS)
    if not path.suffix:
        return _("{file}: say writes {formats} (the spot formats), not a name without one").format(
            file=path.name, formats=formats)
    return _("{file}: say writes {formats} (the spot formats), not '{suffix}'").format(
        file=path.name, formats=formats, suffix=path.suffix)


def spot_for_say(text: str, request: SayRequest, fmt: str = "mp3") -> SpotInputs:
    """The one-spot campaign ``say`` speaks: ``text`` alone, with the script's (or default) audio."""
    audio = request.audio if request.audio is not None else AudioSpec(spots=[])
    return SpotInputs(
        locality_id="say", locality_name="", order=1, total=1, spot_id="say", title=text[:80],
        text=text, ident=None, closing=None, repeat=1, intro="none", voice=request.voice,
        fallback=request.fallback or None, pronunciations=dict(request.pronunciations),
        pause_sentence=audio.pause_sentence, pause_paragraph=audio.pause_paragraph,
        highpass_hz=audio.highpass_hz, music_bed=None, music_db=audio.music_db,
        target_lufs=audio.loudness.target_lufs, ceiling_db=audio.loudness.true_peak_db,
        format=fmt, bitrate=audio.export.bitrate, sample_rate=audio.export.sample_rate,
        album=TAG, artist=TAG, year=None)


def say(text: str, output: Path, request: SayRequest) -> Said:
    """Speak ``text`` into ``output`` (``.mp3`` or ``.wav``) as a spot; raises :class:`SayError`."""
    from bzmedia.audio.export import Tags, export
    from bzmedia.audio.render import LoudnessUnreachable, SpotFailed, render
    from bzmedia.cache import atomic_path
    from bzmedia.ffmpeg import FfmpegError
    from bzmedia.oserrors import os_problem
    from bzmedia.tts.pcm import DecodeError

    why = output_problem(output)
    if why:
        raise SayError(why)
    inputs = spot_for_say(text, request, FORMATS[output.suffix.lower()])
    if not spoken_paragraphs(text, request.voice.dialect, inputs.pronunciations):
        raise SayError(_("there is nothing to say: the text has no words"))
    try:
        rendered = render(inputs, None)
    except SpotFailed as exc:
        raise SayError(_failure_text(exc)) from exc
    except LoudnessUnreachable as exc:
        raise SayError(str(exc)) from exc
    except FfmpegError as exc:  # decoding an online voice's MP3
        raise SayError(exc.messages[0]) from exc
    tags = Tags(inputs.title, inputs.artist, inputs.album, inputs.year, inputs.order, inputs.total)
    try:
        with atomic_path(output) as temp:
            measured = export(rendered.sound, temp, fmt=inputs.format, bitrate_kbps=inputs.bitrate,
                              target_lufs=inputs.target_lufs, ceiling_db=inputs.ceiling_db, tags=tags)
    except FfmpegError as exc:  # missing, hanging or failing: its own message says which
        raise SayError(exc.messages[0]) from exc
    except (RuntimeError, DecodeError) as exc:  # ffmpeg gave no readable or loud enough file back
        raise SayError(f"{output}: {exc}") from exc
    except OSError as exc:  # a folder that is a file, a read-only place, a full disk: said of the output
        raise SayError(os_problem(OSError(exc.errno, exc.strerror or str(exc), str(output)))) from exc
    spoken = " ".join(phrase for part in rendered.parts if part.kind == "speech"
                      for phrase in part.phrases)
    return Said(output, spoken, measured.seconds, measured.lufs, measured.true_peak_db, rendered.voice)


def _failure_text(exc) -> str:
    """Each voice tried and why it could not speak, the first voice first."""
    lines = []
    for voice, error in exc.failures:
        sentence = _(' (sentence: "{sentence}")').format(sentence=error.phrase) if error.phrase else ""
        lines.append(f"{voice.describe()}: {error}{sentence}")
    return _("; then ").join(lines)


def say_request(campaign, engine: str | None, dialect: str | None, rate: float | None,
                model: Path | None, speaker: str | None = None) -> SayRequest:
    """The voice for ``say``: command-line options over the campaign's voice over defaults.

    With a script and no ``--engine``, the script's fallback voices stand behind its voice, as in
    a build; ``--dialect`` and ``--rate`` apply to them too.
    """
    from bzmedia.audio.builder import voice_settings
    from bzmedia.cache import sha256_file
    from bzmedia.tts.voices import resolve_model

    audio = campaign.audio if campaign is not None else None
    voice = audio.voice if audio is not None else None
    model_path = model.resolve() if model else (
        resolve_model(campaign.base_dir, voice.model) if voice is not None and voice.model else None)
    settings = VoiceSettings(
        engine=engine or (voice.engine if voice else "espeak"),
        dialect=dialect or (voice.dialect if voice else "north"),
        rate=rate if rate is not None else (voice.rate if voice else 1.0),
        pitch=voice.pitch if voice else 50,
        model=str(model_path) if model_path else None,
        model_sha256=sha256_file(model_path) if model_path and model_path.is_file() else None,
        speaker=speaker or (voice.speaker if voice else None))
    fallback: tuple[VoiceSettings, ...] = ()
    if audio is not None and audio.fallback and engine is None:
        digests: dict[str, str] = {}
        given = {key: value for key, value in (("dialect", dialect), ("rate", rate)) if value is not None}
        fallback = tuple(
            dataclasses.replace(voice_settings(campaign, f, digests, inherit=audio.voice), **given)
            for f in audio.fallback)
    pronunciations = dict(campaign.pronunciations) if campaign is not None else {}
    return SayRequest(settings, fallback, pronunciations, audio)
