"""The audio channel's warm-up: its libraries, the normalizer's compiled tables, the filters."""

from __future__ import annotations

from bzmedia.prewarm import run


def warm() -> None:
    import numpy as np

    from bzmedia.audio import builder, export, render  # noqa: F401 - imported to be shared
    from bzmedia.audio.loudness import integrated_lufs
    from bzmedia.text.speech import normalize_for_speech
    from bzmedia.tts import espeak_engine  # noqa: F401
    from bzmedia.tts.pcm import Sound

    # The abbreviation table's patterns (hundreds of alternatives) compile on first use.
    normalize_for_speech("UBND xã gọi 0210.3846.123 lúc 17h00 ngày 20/8/2020, đạt 35%")
    # The K-weighting design and the check of scipy's filter loop, at the usual rates.
    for rate in (44100, 22050):
        integrated_lufs(Sound(np.zeros(rate, dtype=np.float32), rate))
    import lameenc  # noqa: F401
    import mutagen.id3  # noqa: F401
    import soundfile  # noqa: F401


run(warm)
