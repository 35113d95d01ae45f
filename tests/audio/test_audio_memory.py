"""Memory: a long spot is normalized, limited and measured in a few copies of itself, not dozens.

Run in a fresh process so its peak resident memory (what the kernel reports, including scipy's own
C buffers that tracemalloc cannot see) belongs to this work alone.
"""

from __future__ import annotations

import json
import subprocess
import sys

WORK = """
import json, resource
import numpy as np
from bzmedia.audio.loudness import normalize, true_peak_db
from bzmedia.audio.mix import highpass
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import Sound, resample

phrase = resample(EspeakEngine(VoiceSettings()).synthesize(
    "Đề nghị bà con cài đặt ứng dụng Bluezone để phòng, chống dịch bệnh."), 44100)
samples = np.tile(np.concatenate([phrase.samples, np.zeros(22050, np.float32)]), 40)[:120 * 44100]
sound = Sound(samples.astype(np.float32), 44100)
del phrase, samples
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
done, reached = normalize(highpass(sound, 150), -16.0, -2.0)
peak = true_peak_db(done)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"grew": after - before, "sound": sound.samples.nbytes, "lufs": reached,
                  "peak": peak}))
"""


def test_a_long_spot_costs_a_few_copies_of_itself():
    result = subprocess.run([sys.executable, "-c", WORK], capture_output=True, text=True,
                            check=True, timeout=120)
    facts = json.loads(result.stdout)
    assert abs(facts["lufs"] + 16.0) < 0.05 and facts["peak"] <= -2.0 + 0.01
    # 120 s of float32 is 21 MB; a whole-signal float64 4x oversampling alone was 8 times that.
    assert facts["grew"] < 7 * facts["sound"], facts
