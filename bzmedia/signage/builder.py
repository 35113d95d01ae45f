"""The signage channel: slides, playlist, MP4 loop and offline slideshow per locality and size.

One job per (locality, screen size) writes ``<locality>/signage/<W>x<H>/``: ``NN-<slide>.png``
in loop order (and ``.jpg`` copies on request), ``playlist.json``, ``loop.mp4`` (plus
``loop-rotated.mp4`` for portrait sizes on request) and ``slideshow.html``.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

from bzmedia.builder import Builder, Job, JobContext, Output, Plan
from bzmedia.campaign.signage_layout import layout_file, load_layout
from bzmedia.errors import BuildError
from bzmedia.signage.deck import SlideContent, SlideDeck
from bzmedia.signage.slideshow import slideshow_html
from bzmedia.signage.video import FPS, VideoSettings, encode_loop, frames, probe

PALETTE_ROLES = ("primary", "accent", "background", "text", "on_primary")
JPEG_QUALITY = 92


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
    version = "1"

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
        inputs: SignageJob = job.inputs
        from bzmedia.signage.render import SlidePainter  # Pillow: only where slides are drawn

        deck = inputs.deck
        folder = f"{deck.locality}/signage/{deck.size}"
        painter = SlidePainter(deck, job.where)
        outputs, entries = [], []
        for order, slide in enumerate(deck.slides, start=1):
            image = painter.paint(slide)
            name = f"{order:02d}-{slide.id}"
            seconds = frames(slide.seconds) / FPS
            with ctx.open_path(f"{folder}/{name}.png") as temp:
                image.save(temp, "PNG", optimize=False, compress_level=6)
            meta = {"pixels": deck.size, "seconds": seconds, "order": order,
                    "title": slide.title or slide.id}
            outputs.append(Output(f"{folder}/{name}.png", "slide", meta))
            if inputs.jpeg:
                with ctx.open_path(f"{folder}/{name}.jpg") as temp:
                    # Baseline (not progressive), 4:2:0: what the cheapest USB players decode.
                    image.save(temp, "JPEG", quality=JPEG_QUALITY, progressive=False,
                               optimize=False, subsampling="4:2:0")
                outputs.append(Output(f"{folder}/{name}.jpg", "slide-jpeg", dict(meta)))
            entries.append({"file": f"{name}.png", "seconds": seconds, "title": meta["title"]})
        for message in painter.warnings:
            ctx.warn(f"{deck.locality} {deck.size}: {message}")
        if inputs.video:
            outputs += _write_video(inputs, ctx, folder)
        outputs.append(_write_playlist(inputs, ctx, folder, entries))
        ctx.write(f"{folder}/slideshow.html", slideshow_html(
            f"{deck.locality_name} – {deck.size}", entries, inputs.crossfade))
        outputs.append(Output(f"{folder}/slideshow.html", "slideshow",
                              {"pixels": deck.size, "slides": len(entries)}))
        return outputs


def _deck(resolved, locality, width: int, height: int, layout) -> SlideDeck:
    signage = resolved.signage
    slides = tuple(
        SlideContent(id=s.id, kind=s.kind, title=s.title, text=s.text, points=tuple(s.points),
                     seconds=s.seconds or signage.seconds, url=s.url or resolved.campaign.url)
        for s in signage.slides)
    colors = resolved.brand.colors
    logo = resolved.asset(resolved.brand.logo) if resolved.brand.logo else None
    return SlideDeck(locality=locality.id, locality_name=locality.name, width=width, height=height,
                     slides=slides, palette={r: getattr(colors, r) for r in PALETTE_ROLES},
                     issuer=resolved.campaign.issuer, logo=logo, layout=layout)


def _places(resolved) -> dict:
    """``file:line:col: key.path`` of each slide and field, for build-time messages."""
    source = resolved.source
    places: dict = {"(issuer)": resolved.campaign.where(source, "issuer")}
    for slide in resolved.signage.slides:
        places[slide.id] = {name: slide.where(source, name)
                            for name in (None, "title", "text", "points", "url")}
    return places


def _write_video(inputs: SignageJob, ctx: JobContext, folder: str) -> list[Output]:
    deck = inputs.deck
    images = [ctx.path(f"{folder}/{n:02d}-{s.id}.png") for n, s in enumerate(deck.slides, 1)]
    durations = [s.seconds for s in deck.slides]
    names = ["loop.mp4"] + (["loop-rotated.mp4"] if inputs.rotate else [])
    settings = VideoSettings(inputs.crossfade, inputs.audio_track, inputs.rotate)
    where = f"signage ({deck.locality}, {deck.size})"
    with contextlib.ExitStack() as stack:  # every file appears only if all were written
        temps = [stack.enter_context(ctx.open_path(f"{folder}/{name}")) for name in names]
        encode_loop(images, durations, settings, (deck.width, deck.height), temps, where)
        facts = [probe(temp) for temp in temps]
    outputs = []
    for name, fact in zip(names, facts, strict=True):
        meta = {"duration_s": fact["duration_s"], "pixels": fact["pixels"], "fps": fact["fps"],
                "codec": fact["codec"], "profile": fact["profile"], "audio": fact["audio"],
                "rotated": name != "loop.mp4"}
        outputs.append(Output(f"{folder}/{name}", "video", meta))
    return outputs


def _write_playlist(inputs: SignageJob, ctx: JobContext, folder: str, entries: list[dict]) -> Output:
    deck = inputs.deck
    total = round(sum(e["seconds"] for e in entries), 3)
    playlist = {"locality": deck.locality, "pixels": deck.size, "loop": True,
                "crossfade": inputs.crossfade, "total_seconds": total,
                "video": "loop.mp4" if inputs.video else None, "slides": entries}
    ctx.write(f"{folder}/playlist.json", json.dumps(playlist, ensure_ascii=False, indent=2) + "\n")
    return Output(f"{folder}/playlist.json", "playlist",
                  {"pixels": deck.size, "slides": len(entries), "total_seconds": total})
