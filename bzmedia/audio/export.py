"""Export: MP3 (constant bitrate, LAME) or 16-bit WAV, with ID3 tags; then measured.

MP3 encoding changes the waveform (the coder drops what it deems inaudible), which can raise the
true peak by a few tenths of a dB.  So the encoded file is decoded and measured, and if its peak
is over the ceiling the spot is limited a little lower and encoded again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bzmedia import ffmpeg, scratch
from bzmedia.audio.loudness import apply_gain, integrated_lufs, limit_true_peak, true_peak_db
from bzmedia.audio.mp3 import read_exported
from bzmedia.cache import Store
from bzmedia.i18n import _
from bzmedia.oserrors import with_filename
from bzmedia.scratch import write_temporary
from bzmedia.tts.pcm import Sound, decode, write_wav

LOUDNESS_SLACK_LU = 0.2
"""How far an encoded MP3 may measure from the target before its gain is corrected."""


@dataclass(frozen=True)
class Tags:
    """What the ID3 tag says about a spot."""

    title: str
    artist: str
    """The issuing office."""
    album: str
    """The campaign title."""
    year: str | None
    track: int
    tracks: int
    comment: str = ""


@dataclass
class Measured:
    """Facts about an exported file, measured on the decoded file itself."""

    lufs: float
    true_peak_db: float
    seconds: float


LAME_QUALITY = 7
"""LAME's algorithm quality, 0 (slowest) to 9; 7 is its fast mode, plenty for speech at 128 kb/s."""


def encode_mp3(sound: Sound, target: Path, bitrate_kbps: int, gain_db: float = 0.0,
               store: Store | None = None) -> int:
    """Write ``sound`` after ``gain_db`` (the same samples as :func:`apply_gain`'s) as a mono
    constant-bitrate MP3 at its own sample rate: LAME in this process (:mod:`bzmedia.audio.lame`;
    the gain applied on the way to 16 bits, no gained copy of the spot), or through ffmpeg where
    the ``lameenc`` wheel is missing; the samples the file decodes to (LAME's units move the
    pauses a little: :mod:`bzmedia.audio.mp3units`)."""
    from bzmedia.audio import lame

    if lame.can_encode(bitrate_kbps, sound.rate):
        gain = np.float32(10 ** (gain_db / 20)) if gain_db else None
        data, length = lame.encode(sound, bitrate_kbps, LAME_QUALITY, gain, store)
        target.write_bytes(data)
        return length
    # MPEG-2 rates (22,050 Hz), or no lameenc wheel here: ffmpeg has the same LAME
    encode_mp3_with_ffmpeg(apply_gain(sound, gain_db) if gain_db else sound, target, bitrate_kbps)
    return sound.samples.size


def encode_mp3_with_ffmpeg(sound: Sound, target: Path, bitrate_kbps: int) -> None:
    """:func:`encode_mp3` by ffmpeg's libmp3lame (the same LAME, the same settings)."""
    # The samples go to ffmpeg as a file, not down a pipe: Python writes a pipe 4 KB at a time
    # (5,000 writes and polls for a two-minute spot, a quarter of a CPU-second); a file is one write.
    with scratch.temporary_folder("bzmedia-encode-") as folder:
        source = Path(folder) / "spot.f32"
        write_temporary(source, memoryview(sound.samples.astype("<f4", copy=False)).cast("B"))
        command = ["-nostdin", "-v", "error", "-y", "-f", "f32le", "-ar", str(sound.rate),
                   "-ac", "1", "-i", str(source), "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k",
                   # LAME's fast mode (-q 7): a 114 s spot in 0.34 s instead of 1.02 s; at 128 kb/s
                   # mono the speech is as close to its source (26 dB SNR against 25) and 0.01 dB
                   # as loud.
                   "-compression_level", str(LAME_QUALITY),
                   "-ar", str(sound.rate), "-ac", "1", "-map_metadata", "-1", "-id3v2_version", "0",
                   "-write_xing", "1", "-f", "mp3", str(target)]
        ffmpeg.run(command, _("encoding {file} as MP3").format(file=target.name), writes=target)


CODER_LOSS_DB = {
    **{(kbps, rate): 0.445 for kbps in (32, 48, 64, 96, 128, 160) for rate in (32000, 44100, 48000)},
    **{(192, rate): 0.265 for rate in (32000, 44100, 48000)},
    **{(kbps, rate): 0.0 for kbps in (256, 320) for rate in (32000, 44100, 48000)},
    **{(kbps, 22050): 0.447 for kbps in (32, 48, 64, 96, 128, 160)},
}
"""How much quieter LAME (as ffmpeg drives it) makes a mono input, in dB, by (kb/s, Hz).

LAME scales its output by a constant that depends on the bitrate (about 0.95, -0.45 dB, up to
160 kb/s; none from 256 kb/s).  Measured here on two seconds of a 1 kHz tone with
:func:`probe_coder_loss_db` (within 0.002 dB of these values); every spot is still measured
after encoding, so a LAME that behaves differently costs one more encoding, never a wrong spot.
"""


def coder_loss_db(bitrate_kbps: int, rate: int) -> float:
    """The coder's level change at this bitrate and rate: from the table, else probed once."""
    known = CODER_LOSS_DB.get((bitrate_kbps, rate))
    return known if known is not None else probe_coder_loss_db(bitrate_kbps, rate)


@functools.cache
def probe_coder_loss_db(bitrate_kbps: int, rate: int) -> float:
    """Measure the coder's level change on two seconds of a 1 kHz tone (once per process)."""
    t = np.arange(2 * rate) / rate
    probe = Sound((0.1 * np.sin(2 * np.pi * 1000.0 * t)).astype(np.float32), rate)
    with scratch.temporary_folder("bzmedia-coder-") as folder:
        path = Path(folder) / "probe.mp3"
        encode_mp3(probe, path, bitrate_kbps)
        return integrated_lufs(probe) - integrated_lufs(decode(path, rate))


def write_tags(path: Path, tags: Tags, wav: bool = False) -> None:
    """ID3v2.4 tags (title, artist, album, year, track, language, comment)."""
    from mutagen.id3 import COMM, TALB, TDRC, TIT2, TLAN, TPE1, TRCK

    frames = [TIT2(encoding=3, text=tags.title), TPE1(encoding=3, text=tags.artist),
              TALB(encoding=3, text=tags.album), TRCK(encoding=3, text=f"{tags.track}/{tags.tracks}"),
              TLAN(encoding=3, text="vie")]
    if tags.year:
        frames.append(TDRC(encoding=3, text=tags.year))
    if tags.comment:
        frames.append(COMM(encoding=3, lang="vie", desc="", text=tags.comment))
    from mutagen import MutagenError

    try:
        _save_tags(path, frames, wav)
    except MutagenError as exc:  # mutagen wraps the OSError of a full disk in its own type
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise with_filename(cause, path) from None
        raise


def _save_tags(path: Path, frames: list, wav: bool) -> None:
    from mutagen.id3 import ID3

    if wav:
        from mutagen.wave import WAVE

        audio = WAVE(path)
        if audio.tags is None:
            audio.add_tags()
        for frame in frames:
            audio.tags.add(frame)
        audio.save()
        return
    tag = ID3()
    for frame in frames:
        tag.add(frame)
    tag.save(path, v2_version=4)


def measure_file(path: Path, rate: int, length: int | None = None) -> Measured:
    """Loudness, true peak and length of an audio file as a player decodes it (in this process
    when it can, see :mod:`bzmedia.audio.mp3`); ``length``: the sample count it must have."""
    decoded = read_exported(path, rate, length)
    return Measured(integrated_lufs(decoded), true_peak_db(decoded), decoded.seconds)


def export(sound: Sound, target: Path, *, fmt: str, bitrate_kbps: int, target_lufs: float,
           ceiling_db: float, tags: Tags, tries: int = 4) -> Measured:
    """Write ``sound`` to ``target`` (a temporary path) as ``fmt``, tagged, and measured
    (see :func:`export_untagged`)."""
    measured = export_untagged(sound, target, fmt=fmt, bitrate_kbps=bitrate_kbps,
                               target_lufs=target_lufs, ceiling_db=ceiling_db, tries=tries)
    write_tags(target, tags, wav=fmt == "wav")
    return measured


def export_untagged(sound: Sound, target: Path, *, fmt: str, bitrate_kbps: int, target_lufs: float,
                    ceiling_db: float, tries: int = 4, store: Store | None = None) -> Measured:
    """Write ``sound`` to ``target`` (a temporary path) as ``fmt``, untagged, and measured.

    An MP3 is decoded and measured after encoding; if its loudness drifted (LAME's output level
    differs a little from its input) or its true peak rose over the ceiling, the gain or the
    limiter is corrected and the spot encoded again.  ``store``: where MP3 units that spots share
    are kept between builds (:mod:`bzmedia.audio.mp3units`).
    """
    if fmt == "wav":
        write_wav(target, sound)
        return measure_file(target, sound.rate, sound.samples.size)
    # Start from the coder's known level change (saves a second encoding of the whole spot),
    # applied while encoding; the gained spot is made only when it is encoded again.
    current, pending = sound, coder_loss_db(bitrate_kbps, sound.rate)
    for _attempt in range(tries):
        length = encode_mp3(current, target, bitrate_kbps, pending, store)
        measured = measure_file(target, sound.rate, length)
        drift = target_lufs - measured.lufs
        over = measured.true_peak_db - ceiling_db
        if abs(drift) <= LOUDNESS_SLACK_LU and over <= 0:
            return measured
        if pending:
            current, pending = apply_gain(current, pending), 0.0
        current = apply_gain(current, drift)
        # The coder's own peak rise (over the source's) stays about the same: leave room for it.
        rise = measured.true_peak_db - true_peak_db(current) + drift
        current = limit_true_peak(current, ceiling_db - max(rise, 0.0) - 0.1)
    raise RuntimeError(_("after {tries} tries the MP3 measures {lufs} LUFS and {peak} dBTP (target "
                         "{target} LUFS, ceiling {ceiling} dBTP)").format(
        tries=tries, lufs=f"{measured.lufs:.2f}", peak=f"{measured.true_peak_db:.2f}",
        target=f"{target_lufs:g}", ceiling=f"{ceiling_db:g}"))
