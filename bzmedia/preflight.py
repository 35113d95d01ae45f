"""Preflight: fit every text of every print item and slide, for every locality, without building.

``bzmedia validate`` runs this after the script itself checked out, so text that does not fit
its layout box is found in a second instead of at the end of a build.  It plans the print and
signage jobs exactly as the build does (the same :class:`~bzmedia.builder.Plan`, the same
builders' ``jobs``) and fits their inputs with the build's own fitting code, which measures text
with :mod:`bzmedia.fontmetrics`: no reportlab, no Pillow, and the same answer as the build.

It lives beside ``build.py`` rather than in ``campaign/`` because it depends on the channels,
and the campaign model must not.

A finding is reported where the user has to change something: when a box's text comes from a
variable (``campaign.title``, ``issuer``, a locality's name, a ``vars:`` value) at the line
that defines it, with the number of characters that would fit; otherwise at the item's or the
slide's own line.  The same finding for many localities is one message that lists them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bzmedia.builder import Builder, Job, Plan
from bzmedia.campaign.model import Campaign, Locality
from bzmedia.campaign.variables import PLACEHOLDER, fill, for_locality, locality_variables
from bzmedia.errors import BuildError, CampaignError, Problem
from bzmedia.i18n import _, ngettext
from bzmedia.signage.qr import QR_MAX_BYTES, qr_version

BLAMEABLE = ("campaign.title", "campaign.issuer", "issuer", "locality.name", "locality.parent",
             "hotline")
"""Built-in variables a user sets and can shorten (dates and addresses are what they are)."""
MILLIMETRES = re.compile(r" \(\d+(\.\d+)? mm\)")
"""Heights in a fitting detail, left out where a message lists several boxes."""
MESSAGE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<message>.*)$",
                     re.DOTALL)


@dataclass(frozen=True)
class Anchor:
    """The line a finding is reported at."""

    line: int
    col: int
    path: str
    file: str | None = None
    """The file, when not the campaign script (a campaign's own layout file)."""
    cell: str = ""
    """The cell (``Sheet1!B7``) when the value comes from a localities spreadsheet."""


@dataclass
class _Group:
    """One finding, possibly for many localities and screen sizes."""

    anchor: Anchor
    describe: Callable[[str, int | None, str], str]
    """Builds the message from the localities' text, the smallest character budget and the
    screen sizes concerned."""
    localities: list[str] = field(default_factory=list)
    budgets: list[int] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)


@dataclass
class _VariableGroup:
    """A variable too long for one or more boxes: one message at the line that sets it."""

    anchor: Anchor
    name: str
    value: str
    places: dict[tuple, tuple[str, list[str]]] = field(default_factory=dict)
    """Per box: what it is (and why it does not fit), and the screen sizes concerned."""
    localities: list[str] = field(default_factory=list)
    budgets: list[int] = field(default_factory=list)
    """Characters that fit, per box and locality; ``-1`` where even none would fit."""

    def describe(self, who: str) -> str:
        places = "; ".join(text + (_(" at {sizes}").format(sizes=and_list(sizes)) if sizes else "")
                           for text, sizes in self.places.values())
        if min(self.budgets) < 0:
            message = _("{{{name}}} {value} ({length} characters) is too long for {places}; even "
                        "without it a box cannot hold the rest: change that layout box{who}")
        else:
            message = _("{{{name}}} {value} ({length} characters) is too long for {places}; shorten "
                        "it to about {budget} characters, or use a layout with a larger box{who}")
        return message.format(name=self.name, value=quoted(self.value), length=len(self.value),
                              places=places, budget=min(self.budgets), who=who)


class Preflight:
    """Collects fitting findings over every job of a campaign and turns them into problems."""

    def __init__(self, campaign: Campaign, shown_name: str) -> None:
        self.campaign = campaign
        self.shown_name = shown_name
        self.groups: dict[tuple, _Group] = {}
        self.variables: dict[tuple, _VariableGroup] = {}
        self.loose: list[Problem] = []
        self.glyphs: dict[Anchor, object] = {}
        """Characters the font lacks, per place to retype them (:mod:`bzmedia.glyphcheck`)."""

    # -- reporting ---------------------------------------------------------------------------
    def note(self, key: tuple, anchor: Anchor, locality: Locality, budget: int | None,
             describe: Callable[[str, int | None, str], str], size: str = "") -> None:
        group = self.groups.setdefault((anchor, key), _Group(anchor, describe))
        if locality.id not in group.localities:
            group.localities.append(locality.id)
        if budget is not None:
            group.budgets.append(budget)
        if size and size not in group.sizes:
            group.sizes.append(size)

    def note_variable(self, anchor: Anchor, name: str, value: str, locality: Locality,
                      budget: int | None, place: tuple, text: str, size: str = "") -> None:
        """Variable ``name`` is too long for the box ``place`` (described by ``text``)."""
        group = self.variables.setdefault((anchor, name), _VariableGroup(anchor, name, value))
        _, sizes = group.places.setdefault(place, (text, []))
        if size and size not in sizes:
            sizes.append(size)
        if locality.id not in group.localities:
            group.localities.append(locality.id)
        group.budgets.append(-1 if budget is None else budget)

    def note_message(self, message: str) -> None:
        """A build-time message (``file:line:col: key.path: text``) as a problem, once."""
        found = MESSAGE.match(message)
        problem = (Problem(found["file"], int(found["line"]), int(found["col"]), found["path"],
                           found["message"]) if found else Problem(self.shown_name, 1, 1, "(top)", message))
        if problem not in self.loose:
            self.loose.append(problem)

    def problems(self) -> list[Problem]:
        everyone = [loc.id for loc in self.campaign.kit_localities()]
        found = list(self.loose)
        for group in self.groups.values():
            budget = min(group.budgets) if group.budgets else None
            found.append(Problem(group.anchor.file or self.shown_name, group.anchor.line, group.anchor.col,
                                 group.anchor.path,
                                 group.describe(who_of(group.localities, everyone), budget,
                                                and_list(group.sizes)), cell=group.anchor.cell))
        for variable in self.variables.values():
            anchor = variable.anchor
            found.append(Problem(anchor.file or self.shown_name, anchor.line, anchor.col, anchor.path,
                                 variable.describe(who_of(variable.localities, everyone)), cell=anchor.cell))
        return sorted(found)

    # -- where variables live ------------------------------------------------------------------
    def variable_anchor(self, name: str, locality: Locality) -> Anchor | None:
        """The line that sets variable ``name`` for ``locality`` (None: not set by the user)."""
        info, own = self.campaign.campaign, self._own(locality)
        if name == "campaign.title":
            return anchor_at(info, "title")
        if name in ("issuer", "campaign.issuer") or (name == "locality.name" and own is None):
            return anchor_at(info, "issuer")
        if own is not None and name == "locality.name":
            return anchor_at(own, "name")
        if own is not None and name == "locality.parent":
            parent = next((loc for loc in self.campaign.localities if loc.id == own.parent), None)
            return anchor_at(parent, "name") if parent is not None else None
        if own is not None and name in own.vars and getattr(own, "_sheet", None) is not None:
            return anchor_at(own, f"vars.{name}")
        if own is not None and name in own.vars:
            line, col = own.mark("vars")
            return Anchor(line, col, f"{own.keypath('vars')}.{name}")
        if own is not None and name == "hotline" and own.hotline is not None:
            return anchor_at(own, "hotline")
        if name in self.campaign.variables:
            line, col = self.campaign.mark("variables")
            return Anchor(line, col, f"variables.{name}")
        return None

    def _own(self, locality: Locality) -> Locality | None:
        return next((loc for loc in self.campaign.localities if loc.id == locality.id), None)

    def culprit(self, template: str, values: dict[str, str], locality: Locality) -> str | None:
        """The variable of ``template`` to shorten: the longest user-set one, when its value is
        at least as long as the template's own words (else the template itself is to blame)."""
        names = [m.group(1) for m in PLACEHOLDER.finditer(template) if m.group(1) in values]
        names = [n for n in names if (n in BLAMEABLE or n in self.campaign.variables
                                      or n in locality.vars) and values[n].strip()
                 and self.variable_anchor(n, locality) is not None]
        if not names:
            return None
        longest = max(names, key=lambda n: len(values[n]))
        literal = len(PLACEHOLDER.sub("", template).replace(" · ", "").strip())
        return longest if len(values[longest]) >= literal else None


def anchor_at(obj, field_name: str) -> Anchor:
    """Where a finding about ``obj`` (one field, or the object) is reported: a spreadsheet
    locality's cell, else the script's line."""
    line, col = obj.mark(field_name)
    sheet = getattr(obj, "_sheet", None)  # a locality read from a spreadsheet: point at its cell
    if sheet is not None:
        return Anchor(line, col, field_name or obj.keypath(), sheet.shown, sheet.cell(line, col))
    return Anchor(line, col, obj.keypath(field_name))


def who_of(localities: list[str], everyone: list[str]) -> str:
    """The localities a message is about, as its ending says them (none for a one-kit campaign)."""
    if everyone == ["all"] and localities == ["all"]:
        return ""
    if len(localities) == len(everyone) and len(everyone) > 1:
        return _(" (all {count} localities)").format(count=len(everyone))
    return ngettext(" (locality {ids})", " (localities {ids})", len(localities)).format(
        ids=", ".join(localities))


def and_list(items: list[str]) -> str:
    """Items listed in a message: 1920x1080 and 1080x1920; the title of slide 'a' and the chart."""
    return _(" and ").join(items)


def budget(fits: Callable[[str], bool], value: str) -> int | None:
    """How many leading characters of ``value`` fit (``fits`` is monotonic in the length);
    ``None`` when not even an empty value fits, so shortening alone cannot help."""
    if not fits(""):
        return None
    low, high = 0, len(value)  # fits(value[:low]) holds; the full value does not
    while high - low > 1:
        middle = (low + high) // 2
        if fits(value[:middle].rstrip()):
            low = middle
        else:
            high = middle
    return low


def quoted(text: str, limit: int = 60) -> str:
    """``text`` in quotes for a message, cut with an ellipsis when long."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


def check_fit(campaign: Campaign) -> None:
    """Raise :class:`CampaignError` listing every text that would not fit its box in a build."""
    problems = fit_problems(campaign)
    if problems:
        raise CampaignError(problems)


FITTED_CHANNELS = ("print", "signage")
"""Channels whose texts the preflight fits (message images are fitted by the loader's check)."""
MESSAGES = "messages"
"""The channel whose images' texts the build fits here: it loads the script without fitting them
(``load_campaign(fit_texts=False)``), so a no-op build does not pay for it."""


def check_before_build(campaign: Campaign, localities: list[Locality], jobs: list[Job]) -> None:
    """The build's preflight: before ``jobs`` run, fit the texts of the fitted channels among
    them, so an unfit text stops the build at once with validate's own messages, not after the
    audio was made and once per job.  Only the localities whose texts are about to be drawn: a
    commune added to a 120-commune kit fits its own texts, not every commune's again (1.8 s)."""
    builders = {job.builder for job in jobs}
    channels = sorted(builders & set(FITTED_CHANNELS))
    drawn = {job.locality for job in jobs if job.builder in FITTED_CHANNELS}
    if drawn <= {loc.id for loc in localities}:  # else a job of no one locality: fit them all
        localities = [loc for loc in localities if loc.id in drawn]
    problems = fit_problems(campaign, localities, channels) if channels else []
    if MESSAGES in builders:
        problems += message_fit_problems(campaign)
    if problems:
        raise BuildError([str(problem) for problem in problems])


def message_fit_problems(campaign: Campaign) -> list[Problem]:
    """What the loader's messages check finds when it fits the images' texts (every locality)."""
    spec = campaign.messages
    if spec is None:
        return []
    from bzmedia.campaign.checking import CheckContext
    from bzmedia.messages.fitcheck import check_image_fit

    ctx = CheckContext(str(campaign.source), campaign)
    check_image_fit(ctx, spec)
    return ctx.problems


def fit_problems(campaign: Campaign, localities: list[Locality] | None = None,
                 channels: tuple[str, ...] | list[str] = FITTED_CHANNELS) -> list[Problem]:
    """Every text that would not fit its box in a build of ``campaign`` (by default: all its
    localities, print and signage)."""
    preflight = Preflight(campaign, str(campaign.source))
    localities = campaign.kit_localities() if localities is None else localities
    plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
    checks = {"print": check_print, "signage": check_signage}
    for check in (checks[name] for name in channels):
        try:
            check(preflight, plan)
        except BuildError as exc:  # a job that cannot even be planned: say why, as the build would
            for message in exc.messages:
                preflight.note_message(message)
    return preflight.problems()


def planned_jobs(builder_class: type[Builder], plan: Plan) -> list[Job]:
    """The jobs ``builder_class`` plans for a build, without their cache keys (hashing every
    input is most of the planning time, and nothing here looks anything up)."""

    class PlanOnly(builder_class):
        def job(self, locality, name, inputs, writes, where=None, publish=False) -> Job:
            return Job(self.name, locality, name, inputs, "", writes, where, publish)

    return PlanOnly().jobs(plan)


def filled(template: str, values: dict[str, str], name: str, value: str) -> str:
    """``template`` filled with ``values``, variable ``name`` set to ``value``."""
    return fill(template, {**values, name: value})


def replace_values(obj, **changes):
    """A copy of a dataclass with some fields changed (``where`` and other non-init fields kept)."""
    copy = dataclasses.replace(obj, **changes)
    for f in dataclasses.fields(obj):
        if not f.init:
            setattr(copy, f.name, getattr(obj, f.name))
    return copy


# -- print ---------------------------------------------------------------------------------------
SINGLE_FIELDS = ("headline", "subhead", "footer", "steps_title")
"""Item fields printed as one entry: their length can be counted against a box."""


def check_print(preflight: Preflight, plan: Plan) -> None:
    """Fit every box of every print job the build would run."""
    from bzmedia.printing.builder import PrintBuilder
    from bzmedia.printing.piece import fit_pages

    localities = {loc.id: loc for loc in plan.localities}
    items = {item.id: item for item in plan.campaign.print_}
    for job in planned_jobs(PrintBuilder, plan):
        piece = job.inputs
        piece.where = dict(job.where or {})
        _pages, findings = fit_pages(piece)
        for finding in findings:
            _print_finding(preflight, piece, items[piece.item], localities[job.locality], finding)
        _check_chart_glyphs(preflight, piece.chart, localities[job.locality], "print", piece.item,
                            anchor_at(items[piece.item], None))
        if piece.qr and piece.layout.has_qr() and qr_version(piece.url) is None:
            _qr_too_long(preflight, localities[job.locality], piece.url, None)


def _print_box_fits(piece, box) -> bool:
    from bzmedia.printing.piece import box_entries, fit_box
    from bzmedia.printing.textfit import DoesNotFit

    entries = box_entries(piece, box)
    if not entries:
        return True
    try:
        fit_box(piece, box, entries)
    except DoesNotFit:
        return False
    return True


def _print_finding(preflight: Preflight, piece, item, locality: Locality, finding) -> None:
    box, name = finding.box, finding.name
    layout = piece.layout.name
    item_line = item.mark()[0]
    on_item = _("box '{box}' of layout '{layout}' on print item '{item}'").format(
        box=name, layout=layout, item=item.id)
    if finding.kind == "glyph":
        from bzmedia.glyphcheck import check_print_glyphs

        check_print_glyphs(preflight, piece, item, locality, finding)
        return
    if box.show == "script":
        _print_script(preflight, item, locality, finding, on_item)
        return
    template = box.text if box.text is not None else getattr(item, box.show, None)
    var = preflight.culprit(template, piece.values, locality) if isinstance(template, str) else None
    if var is not None:
        _print_variable(preflight, piece, finding, locality, var, template, on_item, item_line)
    elif box.text is not None:
        _print_layout_text(preflight, piece, item, locality, finding, on_item)
    else:
        _print_field(preflight, piece, finding, item, locality, on_item)


def _print_layout_text(preflight: Preflight, piece, item, locality: Locality, finding, on_item) -> None:
    """A layout's own fixed text too long for its box: the layout is what to change."""
    from bzmedia.campaign.print_layout import layout_file
    from bzmedia.printing.piece import does_not_fit

    box, name = finding.box, finding.name
    text = quoted(fill(box.text, piece.values))
    detail = finding.detail.removeprefix(does_not_fit(""))
    path, _why = layout_file(item.layout_name, preflight.campaign.base_dir)
    if item.layout_name.endswith((".yaml", ".yml")) and path is not None:  # the campaign's own file
        line, col = box.mark("text")
        anchor = Anchor(line, col, box.keypath("text"), _shown(path))
        advice = _("make box '{box}' larger or its text shorter").format(box=name)
    else:
        anchor = anchor_at(item, "layout") if item.layout else anchor_at(item, None)
        advice = _("use a layout whose box '{box}' is larger (copy the layout into the campaign "
                   "folder and widen it)").format(box=name)
    preflight.note((item.id, name, "layout"), anchor, locality, None, lambda who, _n, _s: _(
        "{on_item}: the layout's own text {text} does not fit ({detail}); {advice}{who}").format(
        on_item=on_item, text=text, detail=detail, advice=advice, who=who))


def _shown(path) -> str:
    """A file as messages name it: relative to the working folder when inside it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _print_script(preflight: Preflight, item, locality: Locality, finding, on_item: str) -> None:
    """A live-read script too long for its page: the spot's text is what to shorten."""
    audio = preflight.campaign.audio
    spot = next((s for s in audio.spots if s.id == item.spot), None) if audio else None
    anchor = anchor_at(spot, "text") if spot is not None else anchor_at(item, "spot")
    preflight.note((item.id, finding.name, "script"), anchor, locality, None, lambda who, _n, _s: _(
        "{on_item} prints this spot for live reading: {detail}; shorten the spot's text, "
        "or print it with a layout whose box '{box}' is larger{who}").format(
        on_item=on_item, detail=finding.detail, box=finding.name, who=who))


def _print_variable(preflight, piece, finding, locality, var, template, on_item, item_line) -> None:
    box = finding.box

    def fits(shorter: str) -> bool:
        if box.text is not None:
            return _print_box_fits(replace_values(piece, values={**piece.values, var: shorter}), box)
        text = filled(template, piece.values, var, shorter)
        return _print_box_fits(replace_values(piece, content={**piece.content,
                                                              box.show: [[text, None]]}), box)

    from bzmedia.printing.piece import does_not_fit

    detail = MILLIMETRES.sub("", finding.detail.removeprefix(does_not_fit("")))
    text = _("{on_item} (line {line}), which prints {text} ({detail})").format(
        on_item=on_item, line=item_line, text=quoted(template), detail=detail)
    preflight.note_variable(preflight.variable_anchor(var, locality), var, piece.values[var], locality,
                            budget(fits, piece.values[var]), ("print", piece.item, finding.name), text)


def _print_field(preflight, piece, finding, item, locality, on_item) -> None:
    box = finding.box
    anchor = anchor_at(item, box.show)
    entries = piece.content.get(box.show, [])
    n = None
    length = 0
    if box.show in SINGLE_FIELDS and len(entries) == 1:
        text = entries[0][0]
        length = len(text)

        def fits(shorter: str) -> bool:
            return _print_box_fits(replace_values(piece, content={**piece.content,
                                                                  box.show: [[shorter, None]]}), box)

        n = budget(fits, text)

    def describe(who: str, n: int | None, _sizes: str) -> str:
        advice = (_("shorten the text to about {count} characters (it has {length})").format(
            count=n, length=length) if n is not None
            else _("shorten the {field} or use a layout with a larger box '{box}'").format(
                field=box.show, box=finding.name))
        return f"{on_item}: {finding.detail}; {advice}{who}"

    preflight.note((piece.item, finding.name, "field"), anchor, locality, n, describe)


# -- signage -------------------------------------------------------------------------------------
def check_signage(preflight: Preflight, plan: Plan) -> None:
    """Fit every text of every slide, at every screen size, for every locality."""
    from bzmedia.signage.builder import SignageBuilder
    from bzmedia.signage.textfit import SlideFitter, missing_glyphs

    if plan.campaign.signage is None:
        return
    localities = {loc.id: loc for loc in plan.localities}
    slides = {slide.id: slide for slide in plan.campaign.signage.slides}
    for job in planned_jobs(SignageBuilder, plan):
        fitter = SlideFitter(job.inputs.deck, job.where)
        locality = localities[job.locality]
        for slide in fitter.deck.slides:
            try:
                boxes = fitter.boxes(slide)
            except BuildError as exc:
                for message in exc.messages:
                    preflight.note_message(message)
                continue
            original = slides[slide.id]
            for role, paragraphs, box in boxes:
                if missing_glyphs(box.weight, tuple(paragraphs)):
                    from bzmedia.glyphcheck import check_slide_glyphs  # imported when one is found

                    check_slide_glyphs(preflight, original, slide, locality, role, paragraphs, box)
                if fitter.try_fit(paragraphs, box) is None:
                    _slide_finding(preflight, fitter, original, slide, locality, role, box)
            _check_chart_glyphs(preflight, slide.chart, locality, "chart", slide.id,
                                anchor_at(original, None))
            _check_slide_qr(preflight, fitter, original, slide, locality)


def _check_chart_glyphs(preflight: Preflight, chart, locality: Locality, role: str, owner_id: str,
                        fallback: Anchor) -> None:
    """Report a chart's labels the font lacks (:mod:`bzmedia.glyphcheck`, imported only then)."""
    if chart is None:
        return
    from bzmedia.charts.fit import missing_glyphs

    if missing_glyphs(chart):
        from bzmedia.glyphcheck import check_chart_glyphs

        check_chart_glyphs(preflight, chart, locality, role, owner_id, fallback)


def _slide_fits(fitter, text: str, box) -> bool:
    return not text.strip() or fitter.try_fit([text], box) is not None


def _slide_finding(preflight, fitter, original, slide, locality, role: str, box) -> None:
    template = "{issuer}" if role == "issuer" else getattr(original, role, None)
    values = locality_variables(preflight.campaign, locality)
    var = preflight.culprit(template, values, locality) if isinstance(template, str) else None
    paragraphs_of = {"title": slide.title, "text": slide.text, "issuer": fitter.deck.issuer}
    shown = paragraphs_of.get(role)
    smallest = fitter.smallest
    what = _("the {role} of slide '{slide}'").format(role=role, slide=slide.id)
    if var is not None:
        value = values[var]
        n = budget(lambda v: _slide_fits(fitter, filled(template, values, var, v), box), value)
        text = _("{what} (line {line}; not even at the smallest text size allowed, {size} px)").format(
            what=what, line=original.mark()[0], size=smallest)
        preflight.note_variable(preflight.variable_anchor(var, locality), var, value, locality, n,
                                ("slide", slide.id, role), text, fitter.deck.size)
        return
    anchor = anchor_at(original, role) if role != "points" or original.points else anchor_at(original, None)
    n = None
    if isinstance(shown, str):
        n = budget(lambda v: _slide_fits(fitter, v, box), shown)
    length = len(shown) if isinstance(shown, str) else 0

    def describe(who: str, n: int | None, sizes: str) -> str:
        advice = (_("shorten the text to about {count} characters (it has {length}) or split the "
                    "slide").format(count=n, length=length)
                  if n is not None else _("shorten the text or split the slide"))
        # two messages, not a spliced verb: a translation words the plural its own way
        message = (_("slide '{slide}' at {sizes}: the {role} do not fit its box even at the smallest "
                     "text size allowed ({size} px); {advice}{who}") if role == "points" else
                   _("slide '{slide}' at {sizes}: the {role} does not fit its box even at the smallest "
                     "text size allowed ({size} px); {advice}{who}"))
        return message.format(slide=slide.id, sizes=sizes, role=role, size=smallest, advice=advice,
                              who=who)

    preflight.note((slide.id, role, "field"), anchor, locality, n, describe, fitter.deck.size)


# -- QR codes ------------------------------------------------------------------------------------
def url_anchor(preflight: Preflight, slide) -> Anchor:
    if slide is not None and slide.url:
        return anchor_at(slide, "url")
    return anchor_at(preflight.campaign.campaign, "url")


def _qr_too_long(preflight: Preflight, locality: Locality, url: str, slide) -> None:
    limit = QR_MAX_BYTES
    size = len(url.encode("utf-8"))
    preflight.note(("qr", url), url_anchor(preflight, slide), locality, None, lambda who, _n, _s: _(
        "the address is {size} bytes; a QR code holds at most {limit}: use a shorter address{who}").format(
        size=size, limit=limit, who=who))


def _check_slide_qr(preflight: Preflight, fitter, original, slide, locality: Locality) -> None:
    """The slide's QR code is large enough to scan, as ``draw_qr`` will require."""
    from bzmedia.signage.qr import MIN_SHARE_OF_SHORT_SIDE, QUIET_ZONE

    qr = getattr(fitter.variant, slide.kind).qr
    if qr is None:
        return
    version = qr_version(slide.url)
    if version is None:
        _qr_too_long(preflight, locality, slide.url, original)
        return
    left, top, right, bottom = fitter.box_px(qr.box)
    count = 17 + 4 * version + 2 * QUIET_ZONE
    module = min(right - left, bottom - top) // count
    side = module * count
    if module < 2 or side < MIN_SHARE_OF_SHORT_SIDE * fitter.short:
        preflight.note(("qr-size", slide.id), url_anchor(preflight, original), locality, None,
                       lambda who, _n, sizes: _(
                           "slide '{slide}' at {sizes}: the QR code would be only {side} px wide; "
                           "it needs at least {share} of the screen's short side to scan from a "
                           "distance (use a shorter address or a layout with a larger qr box){who}").format(
                           slide=slide.id, sizes=sizes, side=side, share=f"{MIN_SHARE_OF_SHORT_SIDE:.0%}",
                           who=who), fitter.deck.size)
