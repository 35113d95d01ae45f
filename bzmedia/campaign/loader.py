"""Load a campaign script: YAML -> typed, validated :class:`Campaign`, or every problem at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bzmedia.campaign.assets import asset_problem
from bzmedia.campaign.checking import CheckContext, ProblemSink, run_checks
from bzmedia.campaign.model import Campaign
from bzmedia.campaign.print_layout import check_variables
from bzmedia.campaign.schema import Located, read_typed
from bzmedia.campaign.sheets import apply_files
from bzmedia.campaign.variables import (
    MAX_FILLED_CHARS,
    MAX_FILLED_LOCALITY,
    MAX_FILLED_TOTAL,
    filled_length,
    locality_variables,
    template_parts,
    templated_texts,
)
from bzmedia.campaign.variables import (
    some_localities as _some,
)
from bzmedia.errors import CampaignError, Problem
from bzmedia.i18n import _, number
from bzmedia.text.legacy import looks_legacy_encoded


def load_campaign(path: str | Path, *, fit_texts: bool = True) -> tuple[Campaign, list[Problem]]:
    """The validated campaign and its warnings; raises :class:`CampaignError` on any error.

    ``fit_texts=False`` (the build) leaves the fitting of message images to the build's preflight
    (:func:`bzmedia.preflight.check_before_build`), which runs it before any job that draws them.
    """
    path = Path(path)
    campaign, problems, objects = read_typed(
        path, Campaign, str(path), _("the file is empty; start from `bzmedia init` or content/minimal.yaml"))
    if campaign is None and not objects:  # unreadable or unparsable: nothing more to check
        raise CampaignError(problems)
    base_dir = path.resolve().parent
    problems += _check_assets(str(path), objects, base_dir)
    problems += _warn_legacy_text(str(path), objects)
    if campaign is not None:
        campaign.base_dir, campaign.source = base_dir, path
        in_files = apply_files(campaign, str(path))  # localities: from a file and stats: read in
        read_whole = all(p.warning for p in in_files)
        problems += in_files + _check_campaign(str(path), campaign, objects, variables=read_whole,
                                               fit_texts=fit_texts)
    if any(not p.warning for p in problems):
        raise CampaignError(problems)
    return campaign, sorted(problems)


def _check_campaign(shown_name: str, campaign: Campaign, objects: list[Located],
                    variables: bool = True, fit_texts: bool = True) -> list[Problem]:
    """Every object's own check and the rules across them (``variables``: False when the
    localities file could not be read whole, so every text's variables would be reported
    missing)."""
    ctx = CheckContext(shown_name, campaign, fit_texts)
    run_checks(objects, ctx)
    ids = {loc.id for loc in campaign.localities}
    for loc in campaign.localities:
        if loc.parent is not None and (loc.parent not in ids or loc.parent == loc.id):
            ctx.error(loc, "parent", _("'{parent}' is not the id of another locality").format(
                parent=loc.parent))
    if variables:
        _check_variables(ctx, campaign)
        _check_layout_variables(ctx, campaign)
    return ctx.problems


def _home_of(name: str) -> str:
    """Where a locality gives a variable: ``hotline`` is a key of its own, the rest go in
    ``vars:`` (a key ``installs:`` on the locality would be an unknown key)."""
    return _("the locality") if name == "hotline" else _("the locality's vars:")


def _check_variables(ctx: CheckContext, campaign: Campaign) -> None:
    """Every placeholder must be filled for every locality, and no filled text may grow past
    its bounds; one problem per place (and name), listing the localities."""
    fills = _measure_fills(campaign)
    for (line, col, keypath, name), where in fills.missing.items():
        ctx.problems.append(Problem(ctx.shown_name, line, col, keypath,
                                    _("variable {{{name}}} is not defined for locality {localities}; add "
                                      "'{name}' to {home} or to variables:").format(
                                        name=name, localities=_some(where), home=_home_of(name))))
    for (line, col, keypath), found in fills.too_long.items():
        ctx.problems.append(Problem(ctx.shown_name, line, col, keypath,
                                    _("filled with its variables this text is {count} characters "
                                      "(locality {localities}); at most {most} are allowed: shorten the "
                                      "text or the variables it uses").format(
                                        count=number(max(n for _loc, n in found)),
                                        localities=_some([loc for loc, _n in found]),
                                        most=number(MAX_FILLED_CHARS))))
    if fills.overfull:
        ctx.error(campaign, "localities", _(
            "filled with their variables the texts of locality {localities} come to {count} "
            "characters; at most {most} are allowed per locality (a long variable used many "
            "times?)").format(localities=_some([loc for loc, _n in fills.overfull]),
                              count=number(max(n for _loc, n in fills.overfull)),
                              most=number(MAX_FILLED_LOCALITY)))
    elif fills.total > MAX_FILLED_TOTAL:
        ctx.error(campaign, "localities", _(
            "filled with their variables the texts of all localities come to {count} characters; "
            "at most {most} are allowed").format(count=number(fills.total), most=number(MAX_FILLED_TOTAL)))


def _check_layout_variables(ctx: CheckContext, campaign: Campaign) -> None:
    """The print layouts' texts name only variables that exist in this campaign, for some
    locality at least (a locality without a value leaves that part out); reported in the
    layout file, once however many items use it."""
    from bzmedia.printing.content import layout_variable_names  # printing builds on campaign

    for item in campaign.print_:
        layout, _problems, _why = item.load_layout(campaign.base_dir)
        if layout is None:  # the item's own check reported why
            continue
        sink = ProblemSink(layout.source)
        known = layout_variable_names(campaign, layout.shows("script"))
        for obj, field_name, message in check_variables(layout, known):
            sink.error(obj, field_name, message)
        ctx.problems += [p for p in sink.problems if p not in ctx.problems]


@dataclasses.dataclass
class _Fills:
    missing: dict[tuple[int, int, str, str], list[str]] = dataclasses.field(default_factory=dict)
    """Placeholders a locality cannot fill: (line, col, key path, name) -> locality ids."""
    too_long: dict[tuple[int, int, str], list[tuple[str, int]]] = dataclasses.field(
        default_factory=dict)
    """Texts that fill past MAX_FILLED_CHARS: (line, col, key path) -> (locality, length)."""
    overfull: list[tuple[str, int]] = dataclasses.field(default_factory=list)
    """Localities whose texts together fill past MAX_FILLED_LOCALITY."""
    total: int = 0


def _measure_fills(campaign: Campaign) -> _Fills:
    """What filling every text for every locality would give, computed from the placeholders
    without filling anything: a variable that multiplies is refused before it costs gigabytes."""
    texts = [(owner, name, *template_parts(text)) for owner, name, text in templated_texts(campaign)]
    fills = _Fills()
    for locality in campaign.kit_localities():
        values = locality_variables(campaign, locality)
        locality_total = 0
        for owner, field_name, fixed, names in texts:
            length = filled_length(fixed, names, values)
            for name in names:
                if name not in values:
                    key = (*owner.mark(field_name), owner.keypath(field_name), name)
                    fills.missing.setdefault(key, []).append(locality.id)
            if length > MAX_FILLED_CHARS:
                key = (*owner.mark(field_name), owner.keypath(field_name))
                fills.too_long.setdefault(key, []).append((locality.id, length))
            locality_total += length
        fills.total += locality_total
        if locality_total > MAX_FILLED_LOCALITY:
            fills.overfull.append((locality.id, locality_total))
    return fills



def _warn_legacy_text(shown_name: str, objects: list[Located]) -> list[Problem]:
    """Warn where text looks typed in TCVN3/VNI: it would be spoken and printed as gibberish."""
    problems = []
    for obj in objects:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            texts = value if isinstance(value, list) else [value]
            if any(isinstance(t, str) and looks_legacy_encoded(t) for t in texts):
                line, col = obj.mark(f.name)
                problems.append(Problem(
                    shown_name, line, col, obj.keypath(f.name),
                    _("text looks like TCVN3/VNI (pre-Unicode) encoding; retype it or convert it "
                      "to Unicode (e.g. with Unikey's converter)"), warning=True))
    return problems


def _check_assets(shown_name: str, objects: list[Located], base_dir: Path) -> list[Problem]:
    """Asset files must exist, stay inside the campaign folder (no ``../`` or absolute escapes)
    and be what they claim: whole images of a sane size, sound files (see :mod:`.assets`)."""
    problems = []
    for obj in objects:
        for f in dataclasses.fields(obj):
            meta = f.metadata
            value = getattr(obj, f.name, None)
            if not meta.get("asset") or not isinstance(value, str):
                continue
            if value in meta.get("asset_except", ()):
                continue
            message = asset_problem(base_dir, value, meta["asset"] if isinstance(meta["asset"], str)
                                    else "file")
            if message:
                line, col = obj.mark(f.name)
                problems.append(Problem(shown_name, line, col, obj.keypath(f.name), message))
    return problems
