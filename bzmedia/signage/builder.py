"""The signage channel: slides, playlist, MP4 loop and offline slideshow per locality and size.

One job per (locality, screen size) writes ``<locality>/signage/<W>x<H>/``: ``NN-<slide>.png``
in loop order (and ``.jpg`` copies on request), ``playlist.json``, ``loop.mp4`` (plus
``loop-rotated.mp4`` for portrait sizes on request) and ``slideshow.html``.

Work shared by communes is done once: slide images come from the store
(:mod:`bzmedia.signage.slidestore`) and loops are joined from stored pieces
(:mod:`bzmedia.signage.video`).  Planning imports neither Pillow nor the encoder.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

from bzmedia.builder import Builder, Job, JobContext, Output, OutputKind, Plan
from bzmedia.campaign.signage_layout import layout_file, load_layout
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.signage.deck import FPS, SlideContent, SlideDeck, frames
from bzmedia.signage.slideshow import slideshow_html

PALETTE_ROLES = ("primary", "accent", "background", "text", "on_primary")


@dataclass(frozen=True)
class SignageJob:
    """A job's inputs: the deck to draw and what to make of it."""

    deck: SlideDeck
    crossfade: float
    jpeg: bool
    video: bool
    audio_track: bool
    rotate: str | None
    """``clockwise`` / ``counterclockwise`` for a rotated copy of a portrait loop, else ``None``."""


class SignageBuilder(Builder):
    """Slides for elevator and lobby screens."""

    name = "signage"
    version = "8"  # 2: loops joined from stored pieces; 3: slide PNGs at zlib level 1, fades by blend;
    # 4: loop pieces without 4x4 intra search and loop filter (other bytes, the same stills);
    # 5: slide PNGs filtered "Up" on every row (other bytes, the same pixels);
    # 6: a loop's silent track interleaved by time alone (the same bytes every build);
    # 7: a logo turned upright as its EXIF orientation says (other logos: the same slides)
    # 8: slideshow.html's playlist without '<', '>', '&' (a title could swallow its script)
    label = "Màn hình"
    kit_section = "signage"
    pack_audience = "man-hinh"
    pack_label = "Màn hình"
    pack_holds = "ảnh đánh số, video MP4, danh sách phát, trình chiếu"

    def jobs(self, plan: Plan) -> list[Job]:
        jobs = []
        signage = plan.campaign.signage
        if signage is None:
            return jobs
        path, why = layout_file(signage.layout, plan.campaign.base_dir)
        layout, problems = load_layout(path) if path else (None, [])
        if layout is None:  # validation reports these too; a build must not start without them
            where = signage.where(plan.campaign.source, "layout")
            raise BuildError([f"{where}: {why}"] if why else [str(p) for p in problems])
        for locality in plan.localities:
            resolved = plan.resolved[locality.id]
            for width, height in signage.size_pairs():
                deck = _deck(resolved, locality, width, height, layout)
                rotate = (resolved.signage.rotate_direction
                          if resolved.signage.rotate_portrait and height > width else None)
                inputs = SignageJob(deck, signage.crossfade, signage.jpeg, signage.video,
                                    signage.audio_track, rotate)
                folder = f"{locality.id}/signage/{width}x{height}/"
                jobs.append(self.job(locality.id, f"{width}x{height}", inputs, (folder,),
                                     where=_places(resolved)))
        return jobs

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        # Pillow and the encoder are imported here, not at module import: planning stays light.
        from bzmedia.signage.slidestore import stored_slides

        inputs: SignageJob = job.inputs
        deck = inputs.deck
        folder = f"{deck.locality}/signage/{deck.size}"
        _check_numbers(inputs, job.where)
        outputs, entries, warnings = [], [], []
        slides = stored_slides(deck, job.where, ctx.cache, inputs.jpeg, for_video=inputs.video)
        for order, made in enumerate(slides, start=1):
            slide = made.slide
            name = f"{order:02d}-{slide.id}"
            seconds = frames(slide.seconds) / FPS
            meta = {"pixels": deck.size, "seconds": seconds, "order": order,
                    "title": slide.title or slide.id}
            _copy(made.png, ctx, f"{folder}/{name}.png")
            outputs.append(Output(f"{folder}/{name}.png", OutputKind.SLIDE, meta))
            if made.jpeg is not None:
                _copy(made.jpeg, ctx, f"{folder}/{name}.jpg")
                outputs.append(Output(f"{folder}/{name}.jpg", OutputKind.SLIDE_JPEG, dict(meta)))
            entries.append({"file": f"{name}.png", "seconds": seconds, "title": meta["title"]})
            warnings += [w for w in made.warnings if w not in warnings]
        for message in warnings:
            ctx.warn(f"{deck.locality} {deck.size}: {message}")
        if inputs.video:
            outputs += _write_video(inputs, ctx, folder)
        outputs.append(_write_playlist(inputs, ctx, folder, entries))
        ctx.write(f"{folder}/slideshow.html", slideshow_html(
            f"{deck.locality_name} – {deck.size}", entries, inputs.crossfade))
        outputs.append(Output(f"{folder}/slideshow.html", OutputKind.SLIDESHOW,
                              {"pixels": deck.size, "slides": len(entries)}))
        return outputs


def _copy(stored: Path, ctx: JobContext, relative: str) -> None:
    with ctx.open_path(relative) as temp:
        shutil.copyfile(stored, temp)


def _check_numbers(inputs: SignageJob, where: dict | None) -> None:
    """NaN or infinite times would make invalid JSON and a broken page: refuse them, located."""
    where = where or {}
    bad = []
    if not math.isfinite(inputs.crossfade) or inputs.crossfade < 0:
        bad.append(f"{where.get('(crossfade)', 'signage.crossfade')}: " + _(
            "{value} is not a number of seconds").format(value=repr(inputs.crossfade)))
    for slide in inputs.deck.slides:
        if not math.isfinite(slide.seconds) or slide.seconds <= 0:
            place = where.get(slide.id, {}).get(None) or f"signage.slides ({slide.id})"
            bad.append(f"{place}: " + _("seconds {value} is not a number of seconds").format(
                value=repr(slide.seconds)))
    if bad:
        raise BuildError(bad)


def _deck(resolved, locality, width: int, height: int, layout) -> SlideDeck:
    from bzmedia.signage.chartslide import chart_content

    signage = resolved.signage
    slides = tuple(
        SlideContent(id=s.id, kind=s.kind, title=s.title, text=s.text, points=tuple(s.points),
                     seconds=s.seconds or signage.seconds, url=s.url or resolved.campaign.url)
        for s in signage.slides)
    slides = tuple(chart_content(resolved, locality, s) for s in slides)
    colors = resolved.brand.colors
    logo = resolved.asset(resolved.brand.logo) if resolved.brand.logo else None
    return SlideDeck(locality=locality.id, locality_name=locality.name, width=width, height=height,
                     slides=slides, palette={r: getattr(colors, r) for r in PALETTE_ROLES},
                     issuer=resolved.campaign.issuer, logo=logo, layout=layout)


def _places(resolved) -> dict:
    """``file:line:col: key.path`` of each slide and field, for build-time messages."""
    source = resolved.source
    places: dict = {"(issuer)": resolved.campaign.where(source, "issuer"),
                     "(logo)": resolved.brand.where(source, "logo"),
                     "(crossfade)": resolved.signage.where(source, "crossfade")}
    for slide in resolved.signage.slides:
        places[slide.id] = {name: slide.where(source, name)
                            for name in (None, "title", "text", "points", "url")}
    return places


def _write_video(inputs: SignageJob, ctx: JobContext, folder: str) -> list[Output]:
    from bzmedia.signage import slideframes
    from bzmedia.signage.video import VideoSettings, encode_loop

    deck = inputs.deck
    images = [ctx.path(f"{folder}/{n:02d}-{s.id}.png") for n, s in enumerate(deck.slides, 1)]
    durations = [s.seconds for s in deck.slides]
    names = ["loop.mp4"] + (["loop-rotated.mp4"] if inputs.rotate else [])
    settings = VideoSettings(inputs.crossfade, inputs.audio_track, inputs.rotate)
    where = f"signage ({deck.locality}, {deck.size})"
    try:
        with contextlib.ExitStack() as stack:  # every file appears only if all were written
            temps = [stack.enter_context(ctx.open_path(f"{folder}/{name}")) for name in names]
            report = encode_loop(images, durations, settings, (deck.width, deck.height), temps, where,
                                 ctx.cache)
    finally:
        slideframes.forget_drawn()  # the pictures this job drew (up to 40 MB) were held for this alone
    outputs = []
    for name, fact in zip(names, report.facts, strict=True):
        meta = {"duration_s": fact["duration_s"], "pixels": fact["pixels"], "fps": fact["fps"],
                "codec": fact["codec"], "profile": fact["profile"], "audio": fact["audio"],
                "rotated": name != "loop.mp4"}
        outputs.append(Output(f"{folder}/{name}", OutputKind.VIDEO, meta))
    return outputs


def _write_playlist(inputs: SignageJob, ctx: JobContext, folder: str, entries: list[dict]) -> Output:
    deck = inputs.deck
    total = round(sum(e["seconds"] for e in entries), 3)
    playlist = {"locality": deck.locality, "pixels": deck.size, "loop": True,
                "crossfade": inputs.crossfade, "total_seconds": total,
                "video": "loop.mp4" if inputs.video else None, "slides": entries}
    text = json.dumps(playlist, ensure_ascii=False, indent=2, allow_nan=False)  # NaN is not JSON
    ctx.write(f"{folder}/playlist.json", text + "\n")
    return Output(f"{folder}/playlist.json", OutputKind.PLAYLIST,
                  {"pixels": deck.size, "slides": len(entries), "total_seconds": total})
