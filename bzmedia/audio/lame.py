"""MP3 encoding in this process: LAME through the ``lameenc`` wheel, and the Info tag it omits.

ffmpeg's libmp3lame cost each spot a process start, a temporary file of float samples and a
muxer; ``lameenc`` runs the same LAME (3.100) on the samples in memory: a fifth less CPU for a
two-minute spot, half for a short one.  ``lameenc`` writes no header frame, so the first frame
here is the one LAME itself writes for a constant-bitrate file (``Info``, with the LAME
extension): players and probes (ffmpeg, mpg123, mutagen) read the exact length from it, the
encoder's delay and padding (gapless), the frame and byte counts and a seek table.
"""

from __future__ import annotations

import functools
import platform
import struct

import numpy as np

from bzmedia.audio import mp3units
from bzmedia.cache import Store
from bzmedia.i18n import N_, _
from bzmedia.tts.pcm import Sound, to_int16

ENCODER_DELAY = 576
"""Samples LAME puts before the signal (its ``lame_get_encoder_delay``, 576 since 3.x), which
the Info tag tells decoders to drop; they drop their own 529 of decoder delay themselves."""
FRAME_SAMPLES = mp3units.FRAME_SAMPLES
_SIDE_INFO_MONO = 17
"""Bytes of side information after the header of an MPEG-1 mono frame: the Info tag follows."""
_BITRATES = {32: 1, 40: 2, 48: 3, 56: 4, 64: 5, 80: 6, 96: 7, 112: 8, 128: 9, 160: 10, 192: 11,
             224: 12, 256: 13, 320: 14}
"""MPEG-1 layer III bitrate indices (kb/s to the header's four bits)."""
_RATES = {44100: 0, 48000: 1, 32000: 2}


class EncodeError(RuntimeError):
    """LAME refused the settings or the samples, or gave something that is not MP3 frames."""


_BROKEN_OUTPUT = N_("LAME's output is not whole MP3 frames of the expected length (lameenc damaged?)")


@functools.cache
def _lameenc_found() -> bool:
    try:
        import lameenc  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def can_encode(bitrate_kbps: int, rate: int) -> bool:
    """Whether :func:`encode` makes this file: ``lameenc`` is installed and the rate is an
    MPEG-1 one (the Info frame written here is MPEG-1's; 22,050 Hz goes through ffmpeg)."""
    return bitrate_kbps in _BITRATES and rate in _RATES and _lameenc_found()


def encode(sound: Sound, bitrate_kbps: int, quality: int, gain: np.float32 | None = None,
           store: Store | None = None) -> tuple[bytes, int]:
    """``sound`` (times ``gain``, a float32 factor, when given) as a constant-bitrate mono MP3 at
    its own rate, Info tag first, joined from units encoded one at a time (:mod:`bzmedia.audio.
    mp3units`; units two spots share are filed in ``store``); and the samples it decodes to (the
    pauses between units move by up to half a frame, 13 ms at 44.1 kHz)."""
    def unit_frames(samples: np.ndarray, frames: int | None) -> bytes:
        encoded = _lame(samples, sound.rate, bitrate_kbps, quality)
        if frames is not None and frame_count(encoded) != frames:
            raise _OtherFlush
        return encoded

    pcm = to_int16(sound.samples, gain)
    settings = (bitrate_kbps, quality, _lameenc_version(), platform.machine())
    try:
        spliced = mp3units.encode_spliced(pcm, sound.rate, settings, unit_frames, frame_count, store)
        frames, length = spliced.frames, spliced.length
    except _OtherFlush:  # a LAME that pads otherwise than 3.100: one stream, the exact length
        frames, length = _lame(pcm, sound.rate, bitrate_kbps, quality), pcm.size
    return info_frame(frames, length, bitrate_kbps, sound.rate) + frames, length


class _OtherFlush(Exception):
    """LAME gave a unit other than the frames its length makes in LAME 3.100 (delay 576, padding
    576 or more): units cannot be joined at those lengths, so the spot is encoded whole."""


@functools.cache
def _lameenc_version() -> str:
    """The lameenc wheel's version: units filed by another LAME are not this one's bytes (nor
    are those of another machine type, sharing the cache: LAME picks its SIMD code at run time)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lameenc")
    except PackageNotFoundError:
        return "unknown"


def _lame(samples: np.ndarray, rate: int, bitrate_kbps: int, quality: int) -> bytes:
    """16-bit ``samples`` as the frames of one LAME stream, flushed."""
    import lameenc

    encoder = lameenc.Encoder()
    try:
        encoder.set_channels(1)
        encoder.set_in_sample_rate(rate)
        encoder.set_out_sample_rate(rate)  # LAME would pick a rate of its own otherwise
        encoder.set_bit_rate(bitrate_kbps)
        encoder.set_quality(quality)
        encoder.silence()  # LAME prints its settings on stdout, and the build's progress is there
        # The 16-bit array itself (lameenc reads its buffer): no bytes copy of the whole spot.
        return bytes(encoder.encode(samples)) + bytes(encoder.flush())
    except RuntimeError as exc:
        raise EncodeError(_("LAME cannot encode {rate} Hz mono at {bitrate} kb/s ({reason})").format(
            rate=rate, bitrate=bitrate_kbps, reason=exc)) from exc


def info_frame(frames: bytes, samples: int, bitrate_kbps: int, rate: int) -> bytes:
    """The silent first frame LAME writes for a CBR file: ``Info`` (frame and byte counts, seek
    table) and the LAME extension (version, delay and padding, music length and CRCs); for an
    MPEG-1 ``rate`` and ``bitrate_kbps`` (:func:`can_encode`)."""
    header = bytes([0xFF, 0xFB, _BITRATES[bitrate_kbps] << 4 | _RATES[rate] << 2,
                    0xC4])  # mono, original, no padding bit: the shortest frame of this bitrate
    size = 144_000 * bitrate_kbps // rate
    count = frame_count(frames)
    padding = count * FRAME_SAMPLES - ENCODER_DELAY - samples
    if not 0 <= padding < 4096:
        raise EncodeError(_(_BROKEN_OUTPUT))
    total = size + len(frames)
    seek = bytes(min(255, (size + len(frames) * i // 100) * 256 // total) for i in range(100))
    xing = b"Info" + struct.pack(">III", 0x0F, count, total) + seek + struct.pack(">I", 0)
    lame = (b"LAME3.100" + bytes([0x01, 0])  # revision 0, CBR; lowpass not recorded
            + bytes(4 + 2 + 2 + 1)  # no peak or replay gain, no flags
            + bytes([min(bitrate_kbps, 255)])
            + (ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
            + bytes(1 + 1 + 2)  # misc, MP3 gain, preset and surround: none
            + struct.pack(">IH", total, crc16(frames)))
    body = header + bytes(_SIDE_INFO_MONO) + xing + lame
    body += struct.pack(">H", crc16(body))
    return body + bytes(size - len(body))


def frame_count(frames: bytes) -> int:
    """Frames in LAME's output: each CBR frame is one of two sizes, told by its padding bit."""
    count, position = 0, 0
    while position + 4 <= len(frames):
        bitrate = _KBPS[frames[position + 2] >> 4]
        rate = _HZ[frames[position + 2] >> 2 & 3]
        if frames[position] != 0xFF or frames[position + 1] & 0xE0 != 0xE0 or not bitrate or not rate:
            raise EncodeError(_(_BROKEN_OUTPUT))
        position += 144_000 * bitrate // rate + (frames[position + 2] >> 1 & 1)
        count += 1
    if position != len(frames):
        raise EncodeError(_(_BROKEN_OUTPUT))
    return count


_KBPS = [next((kbps for kbps, bits in _BITRATES.items() if bits == index), 0) for index in range(16)]
"""kb/s by a header's bitrate index (0: free or bad)."""
_HZ = [44100, 48000, 32000, 0]
"""Hz by a header's MPEG-1 rate index (0: reserved)."""


@functools.cache
def _crc_tables() -> tuple[np.ndarray, tuple[int, ...], tuple[int, ...]]:
    """CRC-16/ARC (LAME's: polynomial 0x8005 reflected, no initial or final value): the byte
    table, and the state after ``_CRC_BLOCK`` zero bytes for each low and each high state byte."""
    table = []
    for byte in range(256):
        crc = byte
        for _bit in range(8):
            crc = crc >> 1 ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)

    def through_zeros(state: int) -> int:
        for _zero in range(_CRC_BLOCK):
            state = table[state & 0xFF] ^ state >> 8
        return state
    # Linear: run each of the 16 state bits through the zeros once, then XOR them together.
    bits = [through_zeros(1 << bit) for bit in range(16)]

    def shifted(state: int) -> int:
        result = 0
        for bit in range(16):
            if state >> bit & 1:
                result ^= bits[bit]
        return result
    low = tuple(shifted(value) for value in range(256))
    high = tuple(shifted(value << 8) for value in range(256))
    return np.array(table, np.uint16), low, high


_CRC_BLOCK = 512


@functools.cache
def _crc_pairs() -> np.ndarray:
    """The CRC state after two bytes, for every 16-bit (state ^ little-endian word)."""
    table = _crc_tables()[0].astype(np.uint32)
    word = np.arange(1 << 16, dtype=np.uint32)
    first = table[word & 0xFF]  # after the low byte; its high byte stays in the state
    return (table[(first ^ (word >> 8)) & 0xFF] ^ (first >> 8)).astype(np.uint16)


def crc16(data: bytes) -> int:
    """CRC-16/ARC of ``data``.  Byte by byte in Python a two-minute spot took half a second, so
    every 512-byte block is run at once with numpy, and the blocks' CRCs are joined: the CRC is
    linear (no initial value), so a block's CRC carried through the next block's length of zeros
    and XORed with that block's CRC is the CRC of both."""
    table, low, high = _crc_tables()
    array = np.frombuffer(data, np.uint8)
    whole = array.size // _CRC_BLOCK * _CRC_BLOCK
    # Two bytes a step: the state after them depends only on (state ^ the little-endian word).
    words = np.ascontiguousarray(array[:whole].view("<u2").reshape(-1, _CRC_BLOCK // 2).T)
    pairs = _crc_pairs()
    states = np.zeros(words.shape[1], np.uint16)
    for column in words:
        np.bitwise_xor(states, column, out=states)
        states = pairs[states]
    crc = 0
    for state in states.tolist():
        crc = low[crc & 0xFF] ^ high[crc >> 8] ^ state
    python_table = table.tolist()
    for byte in array[whole:].tolist():
        crc = python_table[(crc ^ byte) & 0xFF] ^ crc >> 8
    return crc
