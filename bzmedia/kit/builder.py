"""The kit stage: the page and its previews, planned after every channel has made its files.

Jobs (all keyed on the sha256 of every file they cover, so a second build does no work):

- ``<loc>/thumbs``: small PNG previews of that locality's PDFs and slides, under ``thumbs/``;
- ``*/page``: ``index.html`` and ``packs/index.json``, the pack plan it was drawn from.

Zip packs are not stored: they would repeat every MP3, MP4 and PNG (about two thirds of the kit's
bytes).  ``bzmedia serve`` streams them on request and ``bzmedia pack`` writes them (see
:mod:`bzmedia.kit.offer`), so adding a commune runs its own jobs and the page, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bzmedia.builder import Builder, Job, JobContext, Output, OutputKind, Plan
from bzmedia.cache import sha256_file
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.kit.catalog import (
    audiences,
    campaign_site,
    channel_entries,
    describe_print,
    has_preview,
    locality_site,
    pack_plan,
    thumb_path,
    whole_kit_plan,
    zip_date,
)
from bzmedia.kit.chart import KitCharts, make_chart
from bzmedia.kit.offer import PLAN_FILE, PLAN_FORMAT, KitPathError, safe_kit_path
from bzmedia.kit.page import render_page

PAGE = "index.html"


@dataclass(frozen=True)
class Thumb:
    """One preview to make: of kit file ``source`` (as the manifest had it) into ``target``."""

    source: str
    sha256: str
    kind: OutputKind
    target: str


@dataclass(frozen=True)
class ThumbsJob:
    """A ``thumbs`` job's inputs: every preview of one locality."""

    thumbs: tuple[Thumb, ...]


@dataclass(frozen=True)
class PageJob:
    """The ``page`` job's inputs, as JSON texts, not nested data: hashing 120 communes' entries
    value by value took most of the kit's planning time, which every build (even one with nothing
    to do) pays."""

    site: str
    """What :func:`bzmedia.kit.page.render_page` draws."""
    offer: str
    """The pack plan (``packs/index.json``) that ``bzmedia serve`` and ``bzmedia pack`` read."""


class KitBuilder(Builder):
    """Makes the kit page, its previews and the plan of the download packs."""

    name = "kit"
    # 4: a section per channel (registry), copy buttons; 5: message boxes fit their text;
    # 6: each locality's ranking chart; 7-8: the chart's PNG deflated at level 3, rows unfiltered;
    # 9: PDF previews render the logo from a shrunk copy (bzmedia.kit.pdfimages), the chart's PNG
    # deflated by bands
    # 10: the chart's alt text says the locality's place; the whole ranking is one table
    version = "10"
    stage = 1
    light_jobs = frozenset({"page"})  # charts draw with reportlab, thumbnails with Pillow and pdfium

    def jobs(self, plan: Plan) -> list[Job]:
        entries = channel_entries(plan, self.name)
        where = plan.campaign.campaign.where(plan.campaign.source)
        sizes = list(plan.campaign.signage.sizes) if plan.campaign.signage else []
        jobs: list[Job] = []
        localities, packs = [], []
        known = {loc.id for loc in plan.campaign.kit_localities()}
        by_locality: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:  # once, not once per commune: planning runs on every build
            by_locality.setdefault(entry["locality"], []).append(entry)
        charts = KitCharts(plan.campaign)
        for loc in plan.campaign.kit_localities():
            own = describe_print(plan, loc.id, by_locality.get(loc.id, []))
            loc_packs = pack_plan(loc.id, own)
            packs.extend(p for p in loc_packs if p["name"])
            localities.append(locality_site(loc.id, loc.name, own, loc_packs, sizes))
            chart = charts.inputs(loc.id)
            if chart is not None:
                localities[-1]["chart"] = charts.page_chart(loc.id)
                jobs.append(self.job(loc.id, "chart", chart, (f"{loc.id}/chart/",), where))
            loc_thumbs = tuple(Thumb(e["path"], e["sha256"], OutputKind(e["kind"]), thumb_path(e["path"]))
                               for e in own if has_preview(e))
            if loc_thumbs:
                jobs.append(self.job(loc.id, "thumbs", ThumbsJob(loc_thumbs), (f"thumbs/{loc.id}/",), where))
        shared = [e for e in entries if e["locality"] not in known]
        whole = whole_kit_plan(plan.campaign.campaign.id, entries)
        site: dict[str, Any] = {
            "campaign": campaign_site(plan), "localities": localities,
            "shared": [{k: e[k] for k in ("path", "kind", "bytes", "sha256")} for e in shared],
            "kit_zip": whole, "ranking": charts.page_table(),
        }
        offer = {"format": PLAN_FORMAT, "date": zip_date(plan),
                 "audiences": [audience for audience, _label, _holds in audiences()],
                 "packs": [{k: p[k] for k in ("name", "key", "root", "members", "audience")}
                           | {"locality": p["root"].rstrip("/")} for p in packs],
                 "whole": {k: whole[k] for k in ("name", "key")} if whole else None}
        page = PageJob(_json_text(site), _json_text(offer))
        jobs.append(self.job("*", "page", page, (PAGE, PLAN_FILE), where, publish=True))
        return jobs

    def key_inputs(self, name: str, inputs: Any) -> Any:
        """The page job's key from the sha256 of its two texts and of the page's script and style
        (a fix there reaches every kit's page): fingerprinting the texts escapes 3.7 MB of JSON
        again at 120 communes (112 ms of every build's planning, even with nothing to do); hashing
        their bytes takes 8 ms."""
        if not isinstance(inputs, PageJob):
            return inputs
        from bzmedia.kit.assets import PAGE_CSS, PAGE_JS

        digest = hashlib.sha256()
        for text in (inputs.site, inputs.offer, PAGE_JS, PAGE_CSS):
            data = text.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        if job.name == "page":
            inputs: PageJob = job.inputs
            ctx.write(PAGE, render_page(json.loads(inputs.site)))
            ctx.write(PLAN_FILE, json.dumps(json.loads(inputs.offer), ensure_ascii=False, indent=0,
                                            sort_keys=True) + "\n")
            return [Output(PAGE, OutputKind.PAGE), Output(PLAN_FILE, OutputKind.PACK_PLAN)]
        if job.name == "chart":
            return make_chart(job.locality, job.inputs, ctx)
        return self._thumbs(job, ctx)

    def _thumbs(self, job: Job, ctx: JobContext) -> list[Output]:
        from bzmedia.kit.thumbs import same_file, thumbnail  # Pillow, pdfium: worker

        outputs = []
        inputs: ThumbsJob = job.inputs
        for thumb in inputs.thumbs:
            # The job reruns whenever one of the locality's files changes (a new rank changes its
            # chart slide, in every commune); the other previews are found by their source's
            # hash, not read from it, and a preview already in the kit is left there.
            preview = thumbnail(lambda thumb=thumb: kit_file(ctx, thumb.source, thumb.sha256), thumb.sha256,
                                thumb.kind, ctx.cache)
            if same_file(ctx.published(thumb.target), preview):
                ctx.keep(thumb.target)
            else:
                with ctx.open_path(thumb.target) as temp:
                    shutil.copyfile(preview, temp)
            outputs.append(Output(thumb.target, OutputKind.THUMBNAIL, {"source": thumb.source}))
        # Previews of files the locality no longer has are the ones this job made before and no
        # longer makes: the build removes them when it publishes (BuildState.dropped).
        return outputs


def _json_text(data: dict[str, Any]) -> str:
    # ASCII escapes: json's C encoder writes them twice as fast as raw Vietnamese (35 against 70
    # ms for the 120-commune page, on every build's planning); the worker reads the same data.
    return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def kit_file(ctx: JobContext, relative: str, sha256: str) -> Path:
    """A channel file of the kit, checked to be inside it and to hold what the job was planned
    on: made by this build (still staged), else before (in the kit).  A staged copy a stopped
    build left that is not the planned one is passed over."""
    found, reason = None, None
    for root in (ctx.root, ctx.kit_dir):
        try:
            path = safe_kit_path(root.resolve(), relative)
        except KitPathError as exc:
            reason = reason or exc
            continue
        found = found or path
        if sha256_file(path) == sha256:
            return path
    if found is None:
        raise BuildError([_("manifest entry {path}: {reason}; run the build again").format(
            path=relative, reason=reason)])
    raise BuildError([_("{path}: changed while the kit was being built; run the build again").format(
        path=found)])
