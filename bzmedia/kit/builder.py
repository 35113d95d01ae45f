"""The kit stage: page, previews and zips, planned after every channel has made its files.

Jobs (all keyed on the sha256 of every file they cover, so a second build does no work):

- ``<loc>/thumbs``: small PNG previews of that locality's PDFs and slides, under ``thumbs/``;
- ``<loc>/pack-loa|pack-in|pack-man-hinh``: one zip per audience (none when it would be empty);
- ``*/page``: ``index.html``;
- ``*/kit-zip``: ``packs/<campaign-id>-tron-bo.zip``, the whole kit with its own page and previews.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any

from bzmedia.builder import Builder, Job, JobContext, Output, Plan
from bzmedia.cache import sha256_file
from bzmedia.errors import BuildError
from bzmedia.kit.catalog import (
    campaign_site,
    channel_entries,
    describe_print,
    has_preview,
    locality_site,
    pack_plan,
    thumb_path,
    zip_date,
)
from bzmedia.kit.packs import Member, write_zip
from bzmedia.kit.page import render_page
from bzmedia.kit.thumbs import copy_thumbnail, thumbnail

PAGE = "index.html"


def kit_zip_path(campaign_id: str) -> str:
    """The whole-kit zip: ``packs/<campaign-id>-tron-bo.zip`` ("trọn bộ": the complete set)."""
    return f"packs/{campaign_id}-tron-bo.zip"


class KitBuilder(Builder):
    """Makes the kit page, its previews and the download packs from the channels' files."""

    name = "kit"
    version = "2"
    stage = 1

    def jobs(self, plan: Plan) -> list[Job]:
        entries = channel_entries(plan, self.name)
        where = plan.campaign.campaign.where(plan.campaign.source)
        date = zip_date(plan)
        sizes = list(plan.campaign.signage.sizes) if plan.campaign.signage else []
        jobs: list[Job] = []
        localities, thumbs = [], []
        known = {loc.id for loc in plan.campaign.kit_localities()}
        for loc in plan.campaign.kit_localities():
            own = describe_print(plan, loc.id, [e for e in entries if e["locality"] == loc.id])
            packs = pack_plan(loc.id, own)
            localities.append(locality_site(loc.id, loc.name, own, packs, sizes))
            loc_thumbs = [[e["path"], e["sha256"], e["kind"], thumb_path(e["path"])]
                          for e in own if has_preview(e)]
            thumbs.extend(loc_thumbs)
            if loc_thumbs:
                jobs.append(self.job(loc.id, "thumbs", {"thumbs": loc_thumbs},
                                     (f"thumbs/{loc.id}/",), where))
            jobs.extend(self.job(loc.id, f"pack-{p['audience']}",
                                 {"zip": p["path"], "root": p["root"], "members": p["members"],
                                  "date": date}, (p["path"],), where)
                        for p in packs if p["path"])
        shared = [e for e in entries if e["locality"] not in known]
        site: dict[str, Any] = {
            "campaign": campaign_site(plan), "localities": localities,
            "shared": [{k: e[k] for k in ("path", "kind", "bytes", "sha256")} for e in shared],
            "kit_zip": None,
        }
        if entries:
            zip_path = kit_zip_path(plan.campaign.campaign.id)
            files = sorted([e["path"], e["sha256"]] for e in entries)
            site["kit_zip"] = {"path": zip_path, "files": len(files) + len(thumbs) + 1,
                               "bytes": sum(e["bytes"] for e in entries)}
            jobs.append(self.job("*", "kit-zip", {"zip": zip_path, "site": site, "files": files,
                                                  "thumbs": thumbs, "date": date},
                                 (zip_path,), where))
        jobs.append(self.job("*", "page", {"site": site}, (PAGE,), where))
        return jobs

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        if job.name == "page":
            ctx.write(PAGE, render_page(job.inputs["site"]))
            return [Output(PAGE, "page")]
        if job.name == "thumbs":
            return self._thumbs(job, ctx)
        if job.name == "kit-zip":
            return self._kit_zip(job, ctx)
        return self._pack(job, ctx)

    def _thumbs(self, job: Job, ctx: JobContext) -> list[Output]:
        outputs = []
        for source, sha256, kind, target in job.inputs["thumbs"]:
            with ctx.open_path(target) as temp:
                copy_thumbnail(kit_file(ctx, source, sha256), sha256, kind, ctx.cache, temp)
            outputs.append(Output(target, "thumbnail", {"source": source}))
        # Previews of files the locality no longer has would linger unlisted: remove them.
        keep = {ctx.path(out.path) for out in outputs}
        for old in (ctx.kit_dir / "thumbs" / job.locality).rglob("*.png"):
            if old not in keep:
                old.unlink()
        return outputs

    def _pack(self, job: Job, ctx: JobContext) -> list[Output]:
        inputs = job.inputs
        root = inputs["root"]
        members = [Member(path.removeprefix(root), ctx.kit_dir / path, sha256=sha256)
                   for path, sha256, _size in inputs["members"]]
        with ctx.open_path(inputs["zip"]) as temp:
            write_zip(temp, members, tuple(inputs["date"]))
        contains = [path for path, _sha, _size in inputs["members"]]
        return [Output(inputs["zip"], "pack", {"audience": job.name.removeprefix("pack-"),
                                               "root": root, "contains": contains})]

    def _kit_zip(self, job: Job, ctx: JobContext) -> list[Output]:
        """The whole kit: every channel file, the previews, and a page without the pack links."""
        inputs = job.inputs
        page = render_page(inputs["site"], with_packs=False).encode("utf-8")
        members = [Member(path, ctx.kit_dir / path, sha256=sha256) for path, sha256 in inputs["files"]]
        for source, sha256, kind, target in inputs["thumbs"]:
            members.append(Member(target, thumbnail(kit_file(ctx, source, sha256), sha256, kind,
                                                    ctx.cache)))
        members.append(Member(PAGE, data=page))
        with ctx.open_path(inputs["zip"]) as temp:
            write_zip(temp, members, tuple(inputs["date"]))
        contains = sorted([p for p, _ in inputs["files"]] + [t[3] for t in inputs["thumbs"]])
        return [Output(inputs["zip"], "pack", {
            "audience": "tron-bo", "root": "", "contains": contains,
            "page": {"name": PAGE, "sha256": hashlib.sha256(page).hexdigest()}})]


def kit_file(ctx: JobContext, relative: str, sha256: str) -> Path:
    """A channel file of the kit, checked to be inside it and to hold what the job was planned on."""
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise BuildError([f"manifest entry {relative} points outside the kit"])
    path = ctx.kit_dir / rel
    if not path.is_file() or sha256_file(path) != sha256:
        raise BuildError([f"{path}: missing or changed while the kit was being built; "
                          "run the build again"])
    return path
