"""``audio:`` — loudspeaker spots: voice, loudness, export format, spots and schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.patterns import DATE, SLUG
from bzmedia.campaign.schema import MAX_TEXT_CHARS, Located, clip, pattern_check, spec
from bzmedia.campaign.variables import PLACEHOLDER, check_not_blank_when_filled
from bzmedia.i18n import N_, _
from bzmedia.text.numbers import Dialect
from bzmedia.tts.base import EngineName

if TYPE_CHECKING:
    from bzmedia.campaign.model import CampaignInfo

TIME = pattern_check(r"([01]\d|2[0-3]):[0-5]\d", N_("a time written HH:MM (e.g. 05:30)"))


@dataclass(kw_only=True)
class Voice(Located):
    """``audio.voice:`` — which speech engine speaks, and how."""

    _shorthand: ClassVar[str] = "engine"
    engine: EngineName = "espeak"
    """``espeak`` (offline, the default), ``gtts`` (Google, needs internet), ``edge`` (Microsoft's
    neural voices, needs internet) or ``piper`` (offline neural voice; needs ``model``)."""
    dialect: Dialect = "north"
    """Regional voice and words (north: nghìn, linh; south: ngàn, lẻ)."""
    rate: float = field(default=1.0, metadata=spec(min=0.5, max=2.0))
    """Speaking speed; 1.0 is the engine's normal pace, 0.9 a little slower (gtts: time-stretched)."""
    pitch: int = field(default=50, metadata=spec(min=0, max=100))
    """Voice pitch, 0-100 (espeak; edge: 50 is the voice's own, each step 1 Hz)."""
    speaker: Literal["female", "male"] | None = None
    """edge only: ``female`` (vi-VN-HoaiMyNeural, the default) or ``male`` (vi-VN-NamMinhNeural)."""
    model: str | None = field(default=None, metadata=spec(max_chars=500, one_line=True))
    """Piper voice: a name in the voices folder (``vi_VN-vais1000-medium``, see ``bzmedia voices``)
    or an ``.onnx`` file inside the campaign folder (its ``.onnx.json`` beside it)."""

    def check(self, ctx: CheckContext) -> None:
        """piper speaks only with a Vietnamese voice file; the other engines have their voices built in."""
        if self.engine == "piper" and not self.model:
            ctx.error(self, "engine", _("piper needs a voice file: add 'model:' with a voice name from "
                                        "the voices folder (e.g. vi_VN-vais1000-medium) or an .onnx file"))
        elif self.engine == "piper" and self.model:
            why = piper_model_problem(ctx.base_dir, self.model)
            if why:
                ctx.error(self, "model", why)
        elif self.model:
            ctx.warning(self, "model", _("'model' is only used by piper; {engine} ignores it").format(
                engine=self.engine))
        if self.speaker is not None and self.engine != "edge":
            ctx.warning(self, "speaker", _("'speaker' is only used by edge; {engine} ignores it").format(
                engine=self.engine))


def piper_model_problem(base_dir, value: str) -> str | None:
    """Why ``model: value`` is not a usable Vietnamese piper voice, or ``None`` (JSON only: no piper)."""
    from bzmedia.campaign.assets import asset_problem
    from bzmedia.tts.voices import find_voice, is_voice_name, voice_problem, voices_dir

    if is_voice_name(value):
        found = find_voice(value)
        if found is None:
            return _("no voice '{voice}' in the voices folder {folder}; download {voice}.onnx and its "
                     ".onnx.json there (see the README), or set BZMEDIA_VOICES to the folder that has "
                     "them").format(voice=value, folder=voices_dir())
        return voice_problem(found)
    if not value.endswith(".onnx"):
        return _("a piper voice file ends in .onnx")
    why = asset_problem(base_dir, value, "voice")
    return why or voice_problem((base_dir / value).resolve())


@dataclass(kw_only=True)
class Loudness(Located):
    """``audio.loudness:`` — how loud every spot is, measured per ITU-R BS.1770."""

    target_lufs: float = field(default=-16.0, metadata=spec(min=-31.0, max=-5.0))
    """Integrated loudness every spot is normalized to, in LUFS."""
    true_peak_db: float = field(default=-1.5, metadata=spec(min=-9.0, max=0.0))
    """Ceiling for the (oversampled) true peak, in dBTP."""

    def check(self, ctx: CheckContext) -> None:
        """Speech needs about 10 dB between its loudness and its peaks; less only by distortion."""
        if self.true_peak_db - self.target_lufs < 10.0:
            ctx.warning(self, "target_lufs", _(
                "speech seldom reaches {lufs} LUFS with its peaks under {peak} dBTP (it needs about "
                "10 dB between them); the build will stop if a spot cannot").format(
                lufs=f"{self.target_lufs:g}", peak=f"{self.true_peak_db:g}"))


@dataclass(kw_only=True)
class Export(Located):
    """``audio.export:`` — the file format operators download."""

    format: Literal["mp3", "wav"] = "mp3"
    """MP3 plays on every IP/FM station; WAV for stations that want uncompressed audio."""
    bitrate: int = field(default=128, metadata=spec(choices=[64, 96, 128, 160, 192, 256, 320]))
    """MP3 bitrate in kb/s, constant (IP decoders take up to 192)."""
    sample_rate: int = field(default=44100, metadata=spec(choices=[22050, 32000, 44100, 48000]))
    """Samples per second."""

    def check(self, ctx: CheckContext) -> None:
        """MP3 at 22.05 kHz is MPEG-2 audio, which stops at 160 kb/s."""
        if self.format == "mp3" and self.sample_rate < 32000 and self.bitrate > 160:
            ctx.error(self, "bitrate", _("an MP3 at {rate} Hz can be at most 160 kb/s; choose a lower "
                                         "bitrate or sample_rate: 44100").format(rate=self.sample_rate))


@dataclass(kw_only=True)
class Spot(Located):
    """One entry of ``audio.spots:`` — an announcement, in play order."""

    id: str = field(metadata=spec(check=SLUG))
    """File name of the spot, e.g. ``thong-bao`` (numbered in play order)."""
    title: str | None = field(default=None, metadata=spec(one_line=True))
    """Title for the ID3 tag, the schedule and the playlists; defaults to the id."""
    text: str
    """What is said. A blank line starts a new paragraph (a longer pause)."""
    intro: str = field(default="chime", metadata=spec(asset="sound", asset_except=("chime", "none")))
    """``chime`` (made locally), ``none``, or a sound file inside the campaign folder."""
    repeat: int = field(default=1, metadata=spec(min=1, max=5))
    """How many times the text is said; repeats are introduced with "Xin nhắc lại"."""
    ident: bool = True
    """Say ``audio.ident`` (the station ident) before the text."""
    closing: bool = True
    """Say ``audio.closing`` after the text."""
    times: list[str] | None = field(default=None, metadata=spec(max_items=96))
    """Broadcast times for this spot (HH:MM); defaults to ``audio.schedule.times``. ``[]``: played
    by hand only, when needed (an urgent notice): in no playlist, and the schedule says so."""
    recording: str | None = field(default=None, metadata=spec(asset="sound"))
    """An announcer's recording (WAV or MP3 inside the campaign folder) played instead of
    synthesizing ``text``, which stays its transcript; chime, ident, repeats, closing, music bed
    and loudness are the spot's as usual."""

    def check(self, ctx: CheckContext) -> None:
        """A spot must say something, and not for hours; a recording must decode and last about
        as long as its text."""
        if not self.text.strip():
            ctx.error(self, "text", _("the spot has no text to say"))
        elif not self.recording and not PLACEHOLDER.search(self.text) and not any(
                char.isalnum() for char in self.text):  # "📢📢", "!!! ---": a silent spot on air
            ctx.error(self, "text", _("the text '{text}' has no word to say (no letter or digit); write "
                                      "the words to say").format(text=clip(self.text)))
        check_not_blank_when_filled(ctx, self, "text", _("the text"), self.text)
        if self.repeat > 1 and len(self.text) * self.repeat > MAX_TEXT_CHARS:
            ctx.error(self, "repeat", _(
                "the text ({chars} characters) said {times} times is {total} characters, about {minutes} "
                "minutes; a spot says at most {limit} characters in all: lower repeat, shorten the text "
                "or split it into several spots").format(
                chars=len(self.text), times=self.repeat, total=len(self.text) * self.repeat,
                minutes=round(len(self.text) * self.repeat / CHARS_A_MINUTE), limit=MAX_TEXT_CHARS))
        if self.recording and (ctx.base_dir / self.recording).is_file():
            why, is_error = recording_problem(ctx.base_dir / self.recording, self.text, self.repeat)
            if why:
                (ctx.error if is_error else ctx.warning)(self, "recording", why)


READING_PACE = 3.5
"""Syllables a second an announcer reads at; a recording far from it is probably the wrong file."""
CHARS_A_MINUTE = 900
"""Characters of Vietnamese text a voice says in a minute (espeak-ng: 19,840 in 21.7 minutes)."""
LOUDEST_SAMPLE = 1000.0
"""Audio samples lie within +-1 (a float file may go a little past); one beyond this (+60 dB) is
not sound but a damaged file, whose loudness sums overflow."""
MAX_SPOT_MINUTES = 30
"""The longest spot (a loudspeaker spot is usually 1-5 minutes): about the longest text said at
the slowest rate, and 1.6 GB of memory to make; a recording of hours would need tens."""


def _decoded_for_check(path):
    """The recording as 8 kHz float samples (an ``array``: no numpy in validate), no longer than a
    spot may last; or why it cannot be used."""
    import math
    from array import array

    from bzmedia import ffmpeg

    try:
        result = ffmpeg.run(["-nostdin", "-v", "error", "-i", str(path), "-t", str(MAX_SPOT_MINUTES * 60 + 1),
                             "-f", "f32le", "-ac", "1", "-ar", "8000", "pipe:1"],
                            _("decoding {file}").format(file=path.name), timeout=60)
    except ffmpeg.FfmpegError as exc:
        return _("the recording cannot be decoded ({reason})").format(reason=exc)
    samples = array("f", result.stdout[: len(result.stdout) // 4 * 4])
    try:  # fsum is NaN or infinite, or overflows, exactly when a sample is not a finite number
        finite = math.isfinite(math.fsum(samples))
    except (ValueError, OverflowError):
        finite = False
    if not finite:
        return _("the recording holds samples that are not numbers (NaN or infinity)")
    if samples and max(max(samples), -min(samples)) > LOUDEST_SAMPLE:
        return _("the recording's samples reach {peak:.0e}, far outside sound's -1 to 1 (a damaged "
                 "float file?)").format(peak=max(max(samples), -min(samples)))
    return samples


def too_long_message(spot: str) -> str:
    return _("spot '{spot}' would last more than {limit} minutes, the longest a spot may be: "
             "shorten it, lower its repeat or split it into several spots").format(
        spot=spot, limit=MAX_SPOT_MINUTES)


def recording_problem(path, text: str, repeat: int = 1) -> tuple[str | None, bool]:
    """(why the recording at ``path`` does not fit ``text``, whether that is an error) or (None, _).

    Its speech is the span from the first to the last 20 ms that rises above -45 dB of its peak.
    """
    import re

    from bzmedia.text.speech import normalize_for_speech

    samples = _decoded_for_check(path)
    if isinstance(samples, str):
        return samples, True
    if len(samples) / 8000 * repeat > MAX_SPOT_MINUTES * 60:
        return _("with this recording the spot would last more than {limit} minutes, the longest a "
                 "spot may be: cut the recording into several spots, or lower repeat").format(
            limit=MAX_SPOT_MINUTES), True
    window = 160
    peaks = [max(map(abs, samples[i:i + window])) for i in range(0, len(samples), window)]
    floor = max(peaks, default=0) * 10 ** (-45 / 20)
    loud = [i for i, peak in enumerate(peaks) if peak > floor and peak > 0]
    if not loud:
        return _("the recording is silent"), True
    speech_s = (loud[-1] - loud[0] + 1) * window / 8000
    spoken = normalize_for_speech(re.sub(r"\{[^}]*\}", "xã Sơn Vi", text))
    syllables = sum(1 for word in spoken.split() if any(c.isalnum() for c in word))
    expected_s = syllables / READING_PACE
    ratio = speech_s / expected_s if expected_s else 0.0
    if 0.6 <= ratio <= 1.6:
        return None, False
    return _("the recording holds {speech} s of speech, but the text takes about {expected} s to read "
             "({syllables} syllables at {pace} a second): is it the right file?").format(
        speech=f"{speech_s:.1f}", expected=f"{expected_s:.0f}", syllables=syllables,
        pace=f"{READING_PACE:g}"), False


@dataclass(kw_only=True)
class Schedule(Located):
    """``audio.schedule:`` — when operators play the spots."""

    times: list[str] = field(default_factory=lambda: ["06:00", "17:00"], metadata=spec(max_items=96))
    """Times of day (HH:MM) at which every spot is played. ``[]``: no spot is played by the clock
    (each is in no playlist, and the schedule says it is played when needed) unless it has its
    own ``times``."""
    start: str | None = field(default=None, metadata=spec(check=DATE))
    """First broadcast day (YYYY-MM-DD); defaults to ``campaign.start``."""
    end: str | None = field(default=None, metadata=spec(check=DATE))
    """Last broadcast day (YYYY-MM-DD); defaults to ``campaign.end``."""


@dataclass(kw_only=True)
class AudioSpec(Located):
    """``audio:`` — loudspeaker spots for every locality."""

    voice: Voice = field(default_factory=Voice)
    """The speech engine; see ``audio.voice``."""
    fallback: list[Voice] | None = field(default=None, metadata=spec(max_items=4, one_or_list=True))
    """Engines tried in order when ``voice`` fails (e.g. ``fallback: [gtts, espeak]`` under edge,
    or just ``fallback: espeak``): a spot is spoken whole by the first that can, and the build
    warns once per engine that failed. Each keeps the main voice's dialect and rate unless it
    sets its own."""
    loudness: Loudness = field(default_factory=Loudness)
    """Target loudness and true-peak ceiling."""
    export: Export = field(default_factory=Export)
    """File format."""
    ident: str | None = None
    """Station ident said before each spot, e.g. "Đây là Đài truyền thanh {locality.name}."."""
    closing: str | None = None
    """Said after each spot, e.g. "Đài truyền thanh {locality.name} vừa thông báo ..."."""
    pause_sentence: float = field(default=0.5, metadata=spec(min=0.0, max=5.0))
    """Silence between sentences, in seconds."""
    pause_paragraph: float = field(default=1.2, metadata=spec(min=0.0, max=10.0))
    """Silence between paragraphs and around the chime, in seconds."""
    highpass_hz: int = field(default=0, metadata=spec(min=0, max=400))
    """Cut bass below this frequency for horn loudspeakers (0: off; 150-200 suits horns)."""
    music_bed: str | None = field(default=None, metadata=spec(asset="sound"))
    """A music file inside the campaign folder, played softly under the speech."""
    music_db: float = field(default=-22.0, metadata=spec(min=-40.0, max=-6.0))
    """Level of the music bed under speech, relative to the speech, in dB."""
    spots: list[Spot] = field(metadata=spec(min_items=1, max_items=200))
    """The announcements, in play order."""
    schedule: Schedule = field(default_factory=Schedule)
    """When to play them."""

    def times_for(self, spot: Spot) -> list[str]:
        """When ``spot`` is played: its own ``times``, else the schedule's."""
        return spot.times if spot.times is not None else self.schedule.times

    def broadcast_days(self, info: CampaignInfo) -> tuple[str | None, str | None]:
        """First and last broadcast day: the schedule's, else the campaign's (either may be unset)."""
        return self.schedule.start or info.start, self.schedule.end or info.end

    def framing(self, spot: Spot) -> tuple[str | None, str | None]:
        """The ident said before ``spot`` and the closing said after it, where both ask for them."""
        return (self.ident if spot.ident else None), (self.closing if spot.closing else None)

    def check(self, ctx: CheckContext) -> None:
        """Times must be HH:MM (checked here so a list reports each bad entry), each once: a
        time given twice would be printed twice in the schedule and played once."""
        for owner, times in [(self.schedule, self.schedule.times)] + [
            (spot, spot.times) for spot in self.spots if spot.times is not None
        ]:
            seen: dict[str, int] = {}
            for i, value in enumerate(times):
                message = TIME(value)
                if not message and value in seen:
                    message = _("{time} is entry {first} already").format(time=value, first=seen[value])
                seen.setdefault(value, i + 1)
                if message:
                    ctx.error(owner, "times", _("entry {number}: {message}").format(number=i + 1,
                                                                                    message=message))
