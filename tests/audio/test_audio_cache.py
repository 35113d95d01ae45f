"""The segment cache: what a build synthesizes, counted from the cache's own synthesis log."""

from __future__ import annotations

from audio_helpers import build_audio, write_small_campaign

from bzmedia.cache import Store
from bzmedia.text.speech import normalize_for_speech
from bzmedia.tts.segments import read_synthesis_log


def test_nothing_is_synthesized_twice_and_a_new_locality_costs_only_its_own(tmp_path):
    cache = tmp_path / "cache"
    script = write_small_campaign(tmp_path / "campaign")
    first = build_audio(script, tmp_path / "out", cache)
    log = read_synthesis_log(Store(cache))
    assert len(first.ran) == 6 and log
    texts = [entry["text"] for entry in log]
    assert len(texts) == len(set(texts)), "a phrase was synthesized twice in one build"

    # Same script again: every job is up to date.
    again = build_audio(script, tmp_path / "out", cache)
    assert again.ran == [] and len(read_synthesis_log(Store(cache))) == len(log)

    # A fresh output folder: every spot is made again, every phrase comes from the cache.
    remade = build_audio(script, tmp_path / "fresh-out", cache)
    assert len(remade.ran) == 6 and len(read_synthesis_log(Store(cache))) == len(log)

    # A third commune: only the sentences that name it (or its hotline) are new.
    script = write_small_campaign(tmp_path / "campaign", localities=("son-vi", "tu-xa", "cao-xa"))
    grown = build_audio(script, tmp_path / "out", cache)
    assert sorted(grown.ran) == sorted(f"audio/cao-xa/{n}" for n in
                                       ("01-thong-bao", "02-khau-hieu", "schedule"))
    new = read_synthesis_log(Store(cache))[len(log):]
    own_words = ("Cao Xá", normalize_for_speech("0210 3826 035"))
    assert new and all(any(word.lower() in entry["text"].lower() for word in own_words)
                       for entry in new), new
    assert len(new) == 4  # ident, the text's first sentence, the hotline sentence, the closing
