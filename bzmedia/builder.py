"""The one small interface every channel implements (after Sphinx's ``sphinx/builders``).

A :class:`Builder` says which jobs a campaign needs (:meth:`Builder.jobs`, run in the main process
and cheap) and how to make one job's files (:meth:`Builder.make`, run in a worker process).  A
job's key hashes everything that affects its files; the pipeline in :mod:`bzmedia.build` reuses a
job whose key and files are unchanged and runs the rest on a process pool.

Builders never read YAML and never write outside their own folders: :class:`JobContext` hands out
paths inside the job's allowed prefixes and writes them atomically.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from bzmedia.buildstate import KitPaths, leads_outside
from bzmedia.cache import Store, atomic_path, atomic_write, fingerprint
from bzmedia.campaign.model import Campaign, Locality
from bzmedia.errors import BuildError
from bzmedia.oserrors import with_filename


@dataclass(frozen=True)
class Job:
    """One unit of work: the files of one builder for one locality and one item."""

    builder: str
    """Name of the builder that makes it."""
    locality: str
    """Locality id (``all`` when the campaign lists none; ``*`` for kit-wide jobs)."""
    name: str
    """Unique within builder and locality, e.g. ``01-thong-bao``."""
    inputs: Any
    """Everything ``make`` needs, picklable; hashed into ``key`` (asset ``Path``s by content)."""
    key: str
    """Fingerprint of builder, version, name and inputs."""
    writes: tuple[str, ...] = ()
    """Folder prefixes (relative to the kit) the job may write into."""
    where: Any = field(default=None, compare=False)
    """For error messages only (e.g. ``file:line:col: key.path`` of the item); not in ``key``,
    so moving lines in the script does not rebuild anything."""
    publish: bool = False
    """An index of other jobs' files (schedule, playlist): runs only after every non-publishing
    job of the build succeeded, so a failed build never lists a file that was not made."""

    @property
    def id(self) -> str:
        return f"{self.builder}/{self.locality}/{self.name}"


class OutputKind(StrEnum):
    """What a kit file is for: the closed set of manifest ``kind`` values (written as the value).

    The kit page and the packs match files by these members, so a kind a builder makes and the
    kit does not know is a name error here rather than a file silently left off the page.
    """

    AUDIO = "audio"
    TRANSCRIPT = "transcript"
    SCHEDULE = "schedule"
    PLAYLIST = "playlist"
    PRINT = "print"
    OFFICE = "office"
    SCRIPT = "script"
    """The live-read script PDF for the loudspeaker operator."""
    SLIDE = "slide"
    SLIDE_JPEG = "slide-jpeg"
    SLIDESHOW = "slideshow"
    VIDEO = "video"
    SMS = "sms"
    SMS_TABLE = "sms-table"
    ZALO = "zalo"
    PORTAL = "portal"
    ARTICLE = "article"
    ARTICLE_PREVIEW = "article-preview"
    SOCIAL_IMAGE = "social-image"
    BANNER = "banner"
    STEP_IMAGE = "step-image"
    PAGE = "page"
    PACK_PLAN = "pack-plan"
    THUMBNAIL = "thumbnail"
    CHART = "chart"


@dataclass
class Output:
    """A file a job made, with what the manifest should say about it."""

    path: str
    """Relative to the kit folder, with forward slashes."""
    kind: OutputKind
    """What it is for (the manifest holds its value: ``audio``, ``print``, ``slide`` ...)."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Extra facts: duration, loudness, pages, pixels, preflight results."""


@dataclass
class Plan:
    """What :meth:`Builder.jobs` sees: the campaign, the localities chosen, earlier stages' files."""

    campaign: Campaign
    localities: list[Locality]
    resolved: dict[str, Campaign]
    """The campaign with variables filled, per locality id."""
    produced: list[dict[str, Any]] = field(default_factory=list)
    """Manifest entries of earlier stages (for the kit stage)."""


class JobContext:
    """Given to :meth:`Builder.make`: where to write, the shared cache, warnings.

    There is deliberately no campaign here: ``make`` sees only ``job.inputs``, so whatever
    affects a file is in its key and a cached file can never be stale.
    """

    def __init__(self, job: Job, root: Path, cache: Store, kit_dir: Path | None = None) -> None:
        self.job = job
        self.root = root
        """The folder this job writes its kit paths under: the stage (:mod:`bzmedia.kitstage`)."""
        self.kit_dir = kit_dir or root
        """The kit as published: what a job may find already there (``root`` when not staged)."""
        self.kept: set[str] = set()
        """Kit paths this job leaves as the kit has them (:meth:`keep`)."""
        self.cache = cache
        self.warnings: list[str] = []
        self._inside: dict[Path, KitPaths] = {}
        """Each base folder's link checks (the stage's, the kit's), made once per job."""

    def path(self, relative: str) -> Path:
        """Where this job writes (and then reads) the kit file ``relative`` (checked against
        ``job.writes``)."""
        return self._under(self.root, self._allowed(relative))

    def published(self, relative: str) -> Path:
        """The kit's file ``relative`` as published (it may not exist), checked as :meth:`path`."""
        return self._under(self.kit_dir, self._allowed(relative))

    def keep(self, relative: str) -> None:
        """The kit's file ``relative`` already holds what this job would write: it is reported
        as this job's, left in place (its inode and times too), instead of being written again."""
        path = self.published(relative)
        if not path.is_file() or path.is_symlink():
            raise ValueError(f"job {self.job.id} keeps {relative}, which the kit does not have")
        self.kept.add(relative)

    def _allowed(self, relative: str) -> PurePosixPath:
        rel = PurePosixPath(relative)
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"job {self.job.id} may not write {relative}")
        if self.job.writes and not any(
            str(rel) == prefix or str(rel).startswith(prefix.rstrip("/") + "/")
            for prefix in self.job.writes
        ):
            raise ValueError(f"job {self.job.id} may not write {relative} (outside {self.job.writes})")
        return rel

    def _under(self, base: Path, rel: PurePosixPath) -> Path:
        """``base / rel`` once ``rel``'s folder is known not to be reached through a link out of
        the kit: a job never writes, or reads what it keeps, outside it."""
        folder = str(rel.parent)
        if folder != ".":
            paths = self._inside.get(base)
            if paths is None:
                paths = self._inside[base] = KitPaths(base)
            if not paths.folder_inside(folder):
                raise BuildError([leads_outside(base / folder)])
        return base / rel

    @contextlib.contextmanager
    def open_path(self, relative: str) -> Iterator[Path]:
        """A temporary path to write ``relative`` to; renamed into place if the block succeeds."""
        target = self.path(relative)
        try:
            with atomic_path(target) as temp:
                yield temp
        except OSError as exc:  # a full disk or a file-size limit then names the file
            raise with_filename(exc, target) from None

    def write(self, relative: str, data: bytes | str) -> None:
        """Write a whole kit file atomically."""
        target = self.path(relative)
        try:
            atomic_write(target, data)
        except OSError as exc:
            raise with_filename(exc, target) from None

    def warn(self, message: str) -> None:
        """A problem worth telling the user that does not stop the build."""
        self.warnings.append(message)


class Builder(ABC):
    """A channel: plans jobs for a campaign and makes each job's files."""

    name: ClassVar[str]
    """Short name used by ``--only`` and in job ids: ``audio``, ``print``, ``signage``, ``kit``."""
    version: ClassVar[str] = "1"
    """Bump when the builder's output changes for the same inputs, so old files are remade."""
    stage: ClassVar[int] = 0
    """Builders of a later stage plan after earlier stages finished (the kit comes last)."""
    light_jobs: ClassVar[frozenset[str]] = frozenset()
    """Names of this builder's jobs that only write text (no speech, ffmpeg, Pillow or pdfium):
    when they were quick last time, they may run in the build process instead of a worker."""
    channel: ClassVar[bool] = True
    """A channel (``--only`` may name it; its files make the kit) rather than a stage that
    publishes the channels' files.  Unless a builder says otherwise, builders of the first stage
    are channels and later ones (the kit) are not."""

    # What the kit page and the download packs say about a channel (read by bzmedia.kit.catalog
    # from the registry, so a new channel gets its section and its pack without editing kit/).
    label: ClassVar[str] = ""
    """The channel's heading on the kit page, in Vietnamese (``Loa truyền thanh``); empty: the name."""
    kit_section: ClassVar[str] = "files"
    """How the kit page draws this channel's files, by the name of a renderer in
    :mod:`bzmedia.kit.page`: ``audio`` (players), ``print`` (page previews), ``signage`` (slides
    per screen size), ``messages`` (texts with a copy button, framed pages, images) or ``files``
    (a plain download list, the fallback for a name the page does not know)."""
    kit_meta: ClassVar[tuple[str, ...]] = ()
    """Manifest ``meta`` keys of this channel's files that the kit page shows, beyond the common
    ones (title, duration, pages, pixels ...): e.g. a message's ``text`` and ``counts``."""
    pack_audience: ClassVar[str | None] = None
    """Suffix of the per-commune download pack of this channel's files (``<locality>-<suffix>.zip``;
    a slug, also what ``bzmedia pack --audience`` takes); ``None``: the files join no pack."""
    pack_label: ClassVar[str] = ""
    """Who that pack is for, shown on its download button (``Nhà in``)."""
    pack_holds: ClassVar[str] = ""
    """What that pack holds, in a few words under its label (``PDF cho nhà in và bản in A4``)."""
    pack_kinds: ClassVar[tuple[tuple[OutputKind | str, str], ...]] = ()
    """(kind, pack suffix) for kinds of this channel's files that go to another pack: the print
    channel's live-read script (``("script", "loa")``) is for the loudspeaker operator.  A file
    whose print item is of such a kind (its office sheet) goes with it."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "channel" not in cls.__dict__:
            cls.channel = cls.stage == 0

    @abstractmethod
    def jobs(self, plan: Plan) -> list[Job]:
        """The jobs this campaign needs; cheap, runs in the main process."""

    @abstractmethod
    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        """Make one job's files through ``ctx`` and say what they are; runs in a worker."""

    def job(self, locality: str, name: str, inputs: Any, writes: tuple[str, ...],
            where: Any = None, publish: bool = False) -> Job:
        """A job of this builder with its key computed from everything that affects it."""
        key = fingerprint(self.name, self.version, name, self.key_inputs(name, inputs))
        return Job(self.name, locality, name, inputs, key, writes, where, publish)

    def key_inputs(self, name: str, inputs: Any) -> Any:
        """What of a job's ``inputs`` its key is made from: all of them, unless a builder knows
        that part cannot change its files (or has a cheaper stand-in for them)."""
        return inputs
