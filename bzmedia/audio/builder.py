"""The audio channel: loudspeaker spots and their schedule in ``<locality>/audio/``.

Jobs: one per (locality, spot), writing ``NN-<spot>.mp3`` (or ``.wav``) and its transcript
``NN-<spot>.txt``; one per locality for ``schedule.txt`` and the per-slot playlists.  Phrases are
shared across all of them through the segment cache, so a spot that differs between communes
only in the commune's name costs one new sentence per commune.

The schedule job is a publishing job (an index of the spot files): the build runs it only after
every spot of the build was made, so a failed spot never leaves a playlist naming a missing MP3.
Planning (:meth:`AudioBuilder.jobs`) runs in the main process of every build, even one with
nothing to do: the sound modules (numpy, mutagen, the engines) are imported only in
:meth:`AudioBuilder.make`, and making a spot imports neither scipy.signal nor pyloudnorm.
"""

from __future__ import annotations

from typing import Any, ClassVar

from bzmedia.audio.schedule import (
    ScheduledSpot,
    ScheduleInputs,
    one_line,
    playlist,
    schedule_text,
    slot_file,
    slots,
    transcript,
)
from bzmedia.audio.script import SpotInputs, blocks
from bzmedia.builder import Builder, Job, JobContext, Output, OutputKind, Plan
from bzmedia.cache import sha256_file
from bzmedia.campaign.audio_spec import Voice
from bzmedia.campaign.model import Campaign
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.tts import VoiceSettings
from bzmedia.tts.voices import resolve_model

LOUDNESS_TOLERANCE_LU = 1.0
"""Every spot must measure within this of the target after export."""


class AudioBuilder(Builder):
    """Loudspeaker spots (MP3/WAV), transcripts, schedule and playlists per locality."""

    name: ClassVar[str] = "audio"
    version: ClassVar[str] = "10"
    """2: loudness measured once before export (limiter loss predicted), chime set against the
    voice as it plays; the same inputs now make other bytes, so kits built before remake spots.
    3: MP3s encoded in LAME's fast mode (:data:`bzmedia.audio.export.LAME_QUALITY`).
    4: espeak at 150 wpm for rate 1.0 (was 175) and piper without random noise: the engines'
    identities key only the phrase cache, not the spot jobs.
    5: filters, resampling, true peak and limiter without scipy.signal (:mod:`bzmedia.audio.iir`,
    :mod:`bzmedia.audio.truepeak`): the same numbers to float32 rounding, so other MP3 bytes.
    6: LAME in-process (:mod:`bzmedia.audio.lame`, 16-bit input) with an Info tag of exact
    padding: other MP3 bytes, the same sound (the two coders' outputs differ 50 dB down).
    7: filtering sentence by sentence (:mod:`bzmedia.audio.filtered`), float32 limiter sums and
    squares of the float32 K-weighted signal (:mod:`bzmedia.audio.loudness`): the same sound to
    float32 rounding, but a gain can round the other way, so another spot's MP3 bytes may differ
    (the example's 12 came out the same).  A kit's bytes must not depend on its cache history.
    8: true peak interpolated a group of 16 samples per matrix row (:func:`bzmedia.audio.truepeak.
    group_peaks`): the same envelope to float32 rounding, but other limiter gains in the last
    bit, so other MP3 bytes (11 of the example's 12).
    9: the normalizer's secant starts where a coarse model (16-sample groups, sample peaks) puts
    the target, so it stops at another gain within the same 0.01 LU: other MP3 bytes.
    10: MP3s joined from units encoded one at a time (:mod:`bzmedia.audio.mp3units`), gains on a
    0.2 dB grid and the limiter stretch by stretch, so communes share what they say alike: other
    bytes, each pause within half a frame (13 ms at 44.1 kHz) of its length."""
    label = "Loa truyền thanh"
    kit_section = "audio"
    pack_audience = "loa"
    pack_label = "Loa truyền thanh"
    pack_holds = "MP3, lịch phát, danh sách phát, bản đọc"
    kit_meta = ("engine", "voice", "recording")  # the page says who speaks each spot

    def jobs(self, plan: Plan) -> list[Job]:
        spot_jobs: list[Job] = []
        schedule_jobs: list[Job] = []
        digests: dict[str, str] = {}
        for locality in plan.localities:
            campaign = plan.resolved[locality.id]
            if campaign.audio is None:
                continue
            spots = [self._spot_job(campaign, locality, order, digests)
                     for order in range(1, len(campaign.audio.spots) + 1)]
            spot_jobs += spots
            schedule_jobs.append(self._schedule_job(campaign, locality, spots))
        # Longest first, so a long spot does not start last and leave a core idle at the end.
        spot_jobs.sort(key=_expected_work, reverse=True)
        return spot_jobs + schedule_jobs

    def _spot_job(self, campaign: Campaign, locality, order: int, digests: dict[str, str]) -> Job:
        audio = campaign.audio
        spot = audio.spots[order - 1]
        info = campaign.campaign
        year = (info.date or info.start or "")[:4] or None
        ident, closing = audio.framing(spot)
        inputs = SpotInputs(
            locality_id=locality.id, locality_name=locality.name, order=order,
            total=len(audio.spots), spot_id=spot.id, title=one_line(spot.title or spot.id), text=spot.text,
            ident=ident, closing=closing, repeat=spot.repeat,
            intro=spot.intro if spot.intro in ("chime", "none") else campaign.asset(spot.intro),
            voice=voice_settings(campaign, audio.voice, digests),
            fallback=tuple(voice_settings(campaign, voice, digests, inherit=audio.voice)
                           for voice in audio.fallback or ()) or None,
            pronunciations=dict(campaign.pronunciations), pause_sentence=audio.pause_sentence,
            pause_paragraph=audio.pause_paragraph, highpass_hz=audio.highpass_hz,
            music_bed=campaign.asset(audio.music_bed) if audio.music_bed else None,
            music_db=audio.music_db, target_lufs=audio.loudness.target_lufs,
            ceiling_db=audio.loudness.true_peak_db, format=audio.export.format,
            bitrate=audio.export.bitrate, sample_rate=audio.export.sample_rate,
            album=info.title, artist=info.issuer, year=year,
            recording=campaign.asset(spot.recording) if spot.recording else None)
        source = campaign.source
        where = {"spot": spot.where(source), "intro": spot.where(source, "intro"),
                 "text": spot.where(source, "text"),
                 "voice": audio.voice.where(source, "engine"),
                 "recording": spot.where(source, "recording"),
                 "music_bed": audio.where(source, "music_bed"),
                 "loudness": audio.loudness.where(source, "target_lufs")}
        folder = f"{locality.id}/audio"
        writes = (f"{folder}/{inputs.stem}.{inputs.format}", f"{folder}/{inputs.stem}.txt")
        return self.job(locality.id, inputs.stem, inputs, writes, where)

    def _schedule_job(self, campaign: Campaign, locality, spot_jobs: list[Job]) -> Job:
        audio = campaign.audio
        scheduled = tuple(
            ScheduledSpot(f"{job.inputs.stem}.{job.inputs.format}", job.inputs.title,
                          tuple(audio.times_for(spot)))
            for job, spot in zip(spot_jobs, audio.spots, strict=True))
        start, end = audio.broadcast_days(campaign.campaign)
        inputs = ScheduleInputs(
            locality_id=locality.id, locality_name=locality.name,
            campaign_title=campaign.campaign.title, issuer=campaign.campaign.issuer,
            start=start, end=end, spots=scheduled)
        folder = f"{locality.id}/audio"
        writes = (f"{folder}/schedule.txt",
                  *(f"{folder}/{slot_file(time)}" for time, _ in slots(inputs)))
        # Only the spots' file names and titles go in: the schedule never reads the spot files,
        # and publishing makes sure they all exist before it is written.
        return self.job(locality.id, "schedule", inputs, writes,
                        audio.schedule.where(campaign.source), publish=True)

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        if isinstance(job.inputs, ScheduleInputs):
            return self._make_schedule(job.inputs, ctx)
        return self._make_spot(job, ctx)

    def _make_spot(self, job: Job, ctx: JobContext) -> list[Output]:
        from bzmedia.audio import samesound
        from bzmedia.audio.export import Tags, write_tags
        from bzmedia.tts.pcm import DecodeError

        inputs: SpotInputs = job.inputs
        where: dict[str, str] = job.where or {}
        place = f"{inputs.locality_id} ({inputs.locality_name})"
        folder = f"{inputs.locality_id}/audio"
        audio_path = f"{folder}/{inputs.stem}.{inputs.format}"
        tags = Tags(inputs.title, inputs.artist, inputs.album, inputs.year, inputs.order,
                    inputs.total, comment=inputs.locality_name)
        key = samesound.sound_key(inputs, str(ctx.cache.root))
        kept = samesound.made(key)
        # Rendering raises its own located errors: only the export's are about the file.
        rendered = _spoken(inputs, ctx, where, place) if kept is None else None
        try:
            with ctx.open_path(audio_path) as temp:
                made = _untagged_spot(inputs, key, kept, rendered, temp, ctx.cache)
                write_tags(temp, tags, wav=inputs.format == "wav")
        except (RuntimeError, DecodeError) as exc:  # ffmpeg refused or gave no readable file back
            raise BuildError([f"{where.get('spot', '')}: {place}: {audio_path}: {exc}"]) from exc
        measured = made.measured
        if abs(measured.lufs - inputs.target_lufs) > LOUDNESS_TOLERANCE_LU:
            ctx.warn(f"{where.get('loudness', '')}: {place}: " + _(
                "{file} measures {lufs} LUFS, target {target}").format(
                file=audio_path, lufs=f"{measured.lufs:.1f}", target=f"{inputs.target_lufs:g}"))
        text_path = f"{folder}/{inputs.stem}.txt"
        ctx.write(text_path, transcript(inputs.title, inputs.locality_name, inputs.intro != "none",
                                        blocks(inputs, made.voice.dialect)))
        meta: dict[str, Any] = {
            "title": inputs.title, "order": inputs.order, "spot": inputs.spot_id,
            "duration_s": round(measured.seconds, 2), "lufs": round(measured.lufs, 2),
            "true_peak_db": round(measured.true_peak_db, 2), "format": inputs.format,
            "bitrate": inputs.bitrate if inputs.format == "mp3" else None,
            "sample_rate": inputs.sample_rate, "channels": 1, "voice": made.voice.describe(),
            "engine": made.voice.engine,
            "syllables": made.syllables}
        if inputs.recording is not None:  # the text was the announcer's, not the engine's
            meta["recording"] = inputs.recording.name
        return [Output(audio_path, OutputKind.AUDIO, meta),
                Output(text_path, OutputKind.TRANSCRIPT, {"title": inputs.title, "order": inputs.order,
                                                 "spot": inputs.spot_id})]

    def _make_schedule(self, inputs: ScheduleInputs, ctx: JobContext) -> list[Output]:
        folder = f"{inputs.locality_id}/audio"
        ctx.write(f"{folder}/schedule.txt", schedule_text(inputs))
        outputs = [Output(f"{folder}/schedule.txt", OutputKind.SCHEDULE,
                          {"title": "Lịch phát thanh", "slots": [t for t, _ in slots(inputs)]})]
        for time, spots in slots(inputs):
            path = f"{folder}/{slot_file(time)}"
            ctx.write(path, playlist(spots))
            outputs.append(Output(path, OutputKind.PLAYLIST, {"time": time, "spots": len(spots)}))
        return outputs


def voice_settings(campaign: Campaign, voice: Voice, digests: dict[str, str],
                   inherit: Voice | None = None) -> VoiceSettings:
    """The engine-side settings of a script voice.

    A fallback written as just ``fallback: espeak`` speaks the main voice's dialect at its rate:
    only keys the script gives for the fallback itself override them.
    """
    given = getattr(voice, "_marks", {})
    dialect, rate = voice.dialect, voice.rate
    if inherit is not None:
        dialect = voice.dialect if "dialect" in given else inherit.dialect
        rate = voice.rate if "rate" in given else inherit.rate
    model = digest = None
    if voice.model:
        path = resolve_model(campaign.base_dir, voice.model)
        model = str(path)
        if model not in digests:  # a voice file is ~60 MB: hash it once per plan, not per job
            digests[model] = sha256_file(path) if path.is_file() else "missing"
        digest = digests[model]
    return VoiceSettings(voice.engine, dialect, rate, voice.pitch, model, digest, voice.speaker)


def _expected_work(job: Job) -> int:
    """About how long a spot takes to make: the characters it speaks."""
    inputs: SpotInputs = job.inputs
    return (len(inputs.text) * inputs.repeat + len(inputs.ident or "")
            + len(inputs.closing or ""))


def _spoken(inputs: SpotInputs, ctx: JobContext, where: dict[str, str], place: str):
    """The spot rendered (:func:`_render`), a warning said for each voice that fell back."""
    rendered = _render(inputs, ctx, where, place)
    for voice, error in rendered.fell_back:
        # No locality, spot or sentence in it: the build keeps one line per engine that failed.
        ctx.warn(f"{where.get('voice', '')}: " + _(
            "{voice} failed ({reason}); spoken with the fallback {fallback}").format(
            voice=voice.describe(), reason=engine_error_text(error, True),
            fallback=rendered.voice.describe()))
    return rendered


def _untagged_spot(inputs: SpotInputs, key: str | None, kept, rendered, temp, store):
    """The spot's file written to ``temp`` without its tags, as :class:`bzmedia.audio.samesound.Made`
    says it: the file this worker made for another commune (``kept``), or ``rendered`` exported."""
    from bzmedia.audio import samesound
    from bzmedia.audio.export import export_untagged

    if kept is not None:
        temp.write_bytes(kept.untagged)
        return kept
    measured = export_untagged(rendered.sound, temp, fmt=inputs.format, bitrate_kbps=inputs.bitrate,
                               target_lufs=inputs.target_lufs, ceiling_db=inputs.ceiling_db, store=store)
    made = samesound.Made(temp.read_bytes(), measured, rendered.voice, rendered.syllables)
    if not rendered.fell_back:
        samesound.keep(key, made)
    return made


def _render(inputs: SpotInputs, ctx: JobContext, where: dict[str, str], place: str):
    """The spot's sound, or a :class:`BuildError` pointing at the key to change."""
    from bzmedia.audio.render import LoudnessUnreachable, SoundFileError, SpotFailed, render

    try:
        return render(inputs, ctx.cache)
    except SpotFailed as exc:
        raise BuildError([_failure_message(where.get("voice", ""), place, inputs, exc)]) from exc
    except SoundFileError as exc:
        raise BuildError([f"{where.get(exc.field_name, '')}: {place}: {exc}"]) from exc
    except LoudnessUnreachable as exc:
        raise BuildError([f"{where.get('loudness', '')}: {place}: " + _("spot '{spot}': {reason}").format(
            spot=inputs.spot_id, reason=exc)]) from exc


def engine_error_text(error: Exception, has_fallback: bool) -> str:
    """An engine's message; its advice to add a fallback is dropped when the script has one
    (a warning that asks for what is already there is not believed)."""
    from bzmedia.tts.online import OFFLINE_ADVICE

    return str(error).replace(_(OFFLINE_ADVICE), "") if has_fallback else str(error)


def _failure_message(where: str, place: str, inputs: SpotInputs, exc) -> str:
    voice, error = exc.failures[-1]
    has_fallback = bool(inputs.fallback)
    # The sentence and the first voice's failure are clauses of their own, added at the end.
    sentence = _('; sentence: "{sentence}"').format(sentence=error.phrase) if error.phrase else ""
    tried = ""
    if len(exc.failures) > 1:
        first_voice, first_error = exc.failures[0]
        tried = _(" (after {voice} failed: {reason})").format(
            voice=first_voice.describe(), reason=engine_error_text(first_error, True))
    return f"{where}: {place}: " + _("spot '{spot}' could not be spoken by {voice}: {reason}").format(
        spot=inputs.spot_id, voice=voice.describe(),
        reason=engine_error_text(error, has_fallback)) + sentence + tried
