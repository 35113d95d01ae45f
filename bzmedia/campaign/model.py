"""The campaign model: what a campaign script may say, with a docstring for every key.

The top of the script (``campaign``, ``brand``, ``localities`` ...) lives here; each channel's
section lives in its own module (:mod:`.audio_spec`, :mod:`.print_spec`, :mod:`.signage_spec`) so
the channel rooms evolve independently.  Builders receive these objects, never YAML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from bzmedia.campaign.audio_spec import AudioSpec
from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.messages_spec import MessagesSpec
from bzmedia.campaign.patterns import DATE, URL, file_id_check
from bzmedia.campaign.print_spec import PrintItem
from bzmedia.campaign.schema import Located, pattern_check, spec
from bzmedia.campaign.sheets import LocalitySheet
from bzmedia.campaign.signage_spec import SignageSpec
from bzmedia.campaign.stats import StatsSpec
from bzmedia.campaign.variables import MAX_VARIABLE_CHARS
from bzmedia.i18n import N_, _

RESERVED_LOCALITY_IDS = frozenset({"packs", "thumbs", "messages"})
"""Top-level kit folders (``packs``, ``thumbs``: the kit stage; ``messages``: the campaign-wide SMS
table); ``all`` is fine (it is the no-locality folder)."""
CAMPAIGN_ID = file_id_check("chien-dich-")
LOCALITY_ID = file_id_check("xa-")
"""A locality's id names its folder (YAML list or spreadsheet column alike)."""
COLOR = pattern_check(r"#[0-9A-Fa-f]{6}", N_("a colour written #RRGGBB (e.g. #0B5FA5)"))


@dataclass(kw_only=True)
class CampaignInfo(Located):
    """``campaign:`` — who says what, and where people find out more."""

    id: str = field(metadata=spec(check=CAMPAIGN_ID))
    """Folder name of the kit under the output directory, e.g. ``bluezone-2020``."""
    title: str = field(metadata=spec(max_chars=500, one_line=True))
    """The message in a few words; the headline of the kit page and the audio tags' album."""
    issuer: str = field(metadata=spec(max_chars=500, one_line=True))
    """The office that issues the campaign, e.g. ``UBND huyện Lâm Thao``."""
    url: str = field(metadata=spec(check=URL, max_chars=2_000))
    """Where residents find out more; printed as a QR code and read out in the spots.  The same for
    every locality: variables such as ``{locality.id}`` are not filled in an address."""
    summary: str = ""
    """One or two sentences describing the campaign, shown on the kit page."""
    date: str | None = field(default=None, metadata=spec(check=DATE))
    """Date of issue (YYYY-MM-DD), printed on leaflets."""
    start: str | None = field(default=None, metadata=spec(check=DATE))
    """First day of the campaign (YYYY-MM-DD); the broadcast schedule starts here."""
    end: str | None = field(default=None, metadata=spec(check=DATE))
    """Last day of the campaign (YYYY-MM-DD); the broadcast schedule ends here."""

    def check(self, ctx: CheckContext) -> None:
        """Dates must be real calendar days, and the campaign must not end before it starts."""
        days = {}
        for name in ("date", "start", "end"):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                days[name] = datetime.date.fromisoformat(value)
            except ValueError:
                ctx.error(self, name, _("'{value}' is not a day of the calendar").format(value=value))
        if "start" in days and "end" in days and days["end"] < days["start"]:
            ctx.error(self, "end", _("the campaign ends ({end}) before it starts ({start})").format(
                end=self.end, start=self.start))


@dataclass(kw_only=True)
class Colors(Located):
    """``brand.colors:`` — the palette every channel draws from."""

    primary: str = field(default="#0B5FA5", metadata=spec(check=COLOR))
    """Main colour: headline bands, backgrounds of title slides."""
    accent: str = field(default="#F2A900", metadata=spec(check=COLOR))
    """Highlight colour: step numbers, rules, call-to-action buttons."""
    background: str = field(default="#FFFFFF", metadata=spec(check=COLOR))
    """Page and slide background."""
    text: str = field(default="#1A1A1A", metadata=spec(check=COLOR))
    """Body text on ``background``."""
    on_primary: str = field(default="#FFFFFF", metadata=spec(check=COLOR))
    """Text drawn on ``primary`` (headline bands)."""


@dataclass(kw_only=True)
class Brand(Located):
    """``brand:`` — colours and logo."""

    colors: Colors = field(default_factory=Colors)
    """The palette; see ``brand.colors``."""
    logo: str | None = field(default=None, metadata=spec(asset="image"))
    """A PNG or JPEG inside the campaign folder, printed on leaflets and slides."""


@dataclass(kw_only=True)
class Locality(Located):
    """One entry of ``localities:`` — a commune (or ward, district ...) that gets its own kit."""

    id: str = field(metadata=spec(check=LOCALITY_ID))
    """Folder name of this locality's part of the kit, e.g. ``son-vi``."""
    name: str = field(metadata=spec(max_chars=MAX_VARIABLE_CHARS, one_line=True))
    """Display name with its level, e.g. ``xã Sơn Vi``; fills ``{locality.name}``."""
    parent: str | None = field(default=None, metadata=spec(one_line=True))
    """The ``id`` of the locality this one belongs to, if that one is listed too."""
    hotline: str | None = field(default=None, metadata=spec(max_chars=MAX_VARIABLE_CHARS, one_line=True))
    """Phone number residents call for help; fills ``{hotline}``."""
    vars: dict[str, str] = field(default_factory=dict, metadata=spec(max_chars=MAX_VARIABLE_CHARS))
    """More variables for this locality's texts, e.g. ``{station: "Đài truyền thanh xã"}``."""

    def check(self, ctx: CheckContext) -> None:
        """A locality's folder sits beside the kit's own folders, so it may not take their names."""
        why = kit_folder_problem(self.id)
        if why:
            ctx.error(self, "id", why)


def kit_folder_problem(loc_id: str) -> str | None:
    """Why a locality may not have the id ``loc_id`` although it is a valid id: the kit's own
    folders beside the localities' take those names (listed or read from a spreadsheet alike)."""
    if loc_id not in RESERVED_LOCALITY_IDS:
        return None
    folders = ", ".join(sorted(RESERVED_LOCALITY_IDS))
    return _("'{id}' is the name of a kit folder ({folders}); choose another id").format(
        id=loc_id, folders=folders)


@dataclass(kw_only=True)
class Campaign(Located):
    """A whole campaign script: one message, every channel."""

    campaign: CampaignInfo
    """Who says what; see ``campaign``."""
    brand: Brand = field(default_factory=Brand)
    """Colours and logo; see ``brand``."""
    variables: dict[str, str] = field(default_factory=dict, metadata=spec(max_chars=MAX_VARIABLE_CHARS))
    """Variables every locality shares (a locality's own value wins), e.g. ``hotline``. A value may
    hold line breaks (a contact block in a leaflet's box); where it fills a text that is one line
    by nature (a spot's title in the playlists, its tags and the schedule), it is written on one
    line."""
    localities: list[Locality] | LocalitySheet = field(default_factory=list,
                                                       metadata=spec(max_items=1_000))
    """The communes that each get their own kit, listed one by one or read from a spreadsheet
    (``localities: xa-phuong.xlsx``, or a mapping saying which columns to read); none means one
    kit in ``all/``."""
    stats: StatsSpec | None = None
    """Figures per locality (e.g. installs) that texts can quote; see ``stats``."""
    pronunciations: dict[str, str] = field(default_factory=dict, metadata=spec(max_items=5_000))
    """How to say words the speech engine gets wrong, e.g. ``Bluezone: "Blu dôn"``."""
    audio: AudioSpec | None = None
    """Loudspeaker spots; see ``audio``. Left out: no audio is built."""
    print_: list[PrintItem] = field(default_factory=list, metadata=spec(max_items=100))
    """``print:`` — leaflets, posters, stickers and live-read scripts."""
    signage: SignageSpec | None = None
    """Slides for screens; see ``signage``. Left out: no slides are built."""
    messages: MessagesSpec | None = None
    """SMS, Zalo, wifi-portal page, web article and social images; see ``messages``."""

    base_dir: Path = field(default=Path("."), init=False, repr=False, compare=False)
    """Folder of the script; asset paths are relative to it (set by the loader)."""
    source: Path = field(default=Path("campaign.yaml"), init=False, repr=False, compare=False)
    """The script file itself (set by the loader)."""
    locality_sheet: LocalitySheet | None = field(default=None, init=False, repr=False, compare=False)
    """The spreadsheet ``localities:`` named, if it named one; the loader then puts the rows it
    read in ``localities``, so builders always see a list."""

    def kit_localities(self) -> list[Locality]:
        """The localities that get a kit folder: the listed ones, or one ``all`` stand-in."""
        if self.localities:
            return list(self.localities)
        return [Locality(id="all", name=self.campaign.issuer)]

    def asset(self, relative: str) -> Path:
        """Absolute path of an asset named in the script (validated by the loader)."""
        return (self.base_dir / relative).resolve()
