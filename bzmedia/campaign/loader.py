"""Load a campaign script: YAML -> typed, validated :class:`Campaign`, or every problem at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bzmedia.campaign.model import Campaign
from bzmedia.campaign.schema import Located, read_typed
from bzmedia.campaign.variables import for_locality
from bzmedia.errors import CampaignError, Problem
from bzmedia.text.legacy import looks_legacy_encoded


class CheckContext:
    """Handed to each model object's ``check(ctx)``: the campaign, its folder, a problem sink."""

    def __init__(self, shown_name: str, campaign: Campaign) -> None:
        self.shown_name = shown_name
        self.campaign = campaign
        self.base_dir = campaign.base_dir
        self.problems: list[Problem] = []

    def error(self, obj: Located, field_name: str | None, message: str, *, warning=False) -> None:
        line, col = obj.mark(field_name)
        self.problems.append(Problem(self.shown_name, line, col, obj.keypath(field_name),
                                     message, warning))

    def warning(self, obj: Located, field_name: str | None, message: str) -> None:
        self.error(obj, field_name, message, warning=True)


def load_campaign(path: str | Path) -> tuple[Campaign, list[Problem]]:
    """The validated campaign and its warnings; raises :class:`CampaignError` on any error."""
    path = Path(path)
    campaign, problems, objects = read_typed(
        path, Campaign, str(path), "the file is empty; start from `bzmedia init` or content/minimal.yaml")
    base_dir = path.resolve().parent
    problems += _check_assets(str(path), objects, base_dir)
    problems += _warn_legacy_text(str(path), objects)
    if campaign is not None:
        campaign.base_dir, campaign.source = base_dir, path
        problems += _check_campaign(str(path), campaign, objects)
    if any(not p.warning for p in problems):
        raise CampaignError(problems)
    return campaign, sorted(problems)


def _check_campaign(shown_name: str, campaign: Campaign, objects: list[Located]) -> list[Problem]:
    ctx = CheckContext(shown_name, campaign)
    for obj in objects:
        check = getattr(obj, "check", None)
        if check is not None:
            check(ctx)
    ids = {loc.id for loc in campaign.localities}
    for loc in campaign.localities:
        if loc.parent is not None and (loc.parent not in ids or loc.parent == loc.id):
            ctx.error(loc, "parent", f"'{loc.parent}' is not the id of another locality")
    _check_variables(ctx, campaign)
    return ctx.problems


def _check_variables(ctx: CheckContext, campaign: Campaign) -> None:
    """Every placeholder must be filled for every locality; one problem per place and name."""
    missing: dict[tuple[int, int, str, str], list[str]] = {}
    for locality in campaign.kit_localities():
        def note(obj: Located, field_name: str, name: str, _loc=locality) -> None:
            line, col = obj.mark(field_name)
            key = (line, col, obj.keypath(field_name), name)
            missing.setdefault(key, []).append(_loc.id)

        for_locality(campaign, locality, note)
    for (line, col, keypath, name), where in missing.items():
        who = ", ".join(where)
        ctx.problems.append(Problem(ctx.shown_name, line, col, keypath,
                                    f"variable {{{name}}} is not defined for locality {who}; "
                                    f"add '{name}' to the locality or to variables:"))


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
                    "text looks like TCVN3/VNI (pre-Unicode) encoding; retype it or convert it "
                    "to Unicode (e.g. with Unikey's converter)", warning=True))
    return problems


def _check_assets(shown_name: str, objects: list[Located], base_dir: Path) -> list[Problem]:
    """Asset files must exist and stay inside the campaign folder (no ``../`` or absolute escapes)."""
    problems = []
    for obj in objects:
        for f in dataclasses.fields(obj):
            meta = f.metadata
            value = getattr(obj, f.name, None)
            if not meta.get("asset") or not isinstance(value, str):
                continue
            if value in meta.get("asset_except", ()):
                continue
            message = asset_problem(base_dir, value)
            if message:
                line, col = obj.mark(f.name)
                problems.append(Problem(shown_name, line, col, obj.keypath(f.name), message))
    return problems


def asset_problem(base_dir: Path, value: str) -> str | None:
    """Why ``value`` is not a usable asset path under ``base_dir``, or ``None`` when it is."""
    candidate = Path(value)
    resolved = (base_dir / candidate).resolve()
    if candidate.is_absolute() or not resolved.is_relative_to(base_dir):
        return (f"'{value}' points outside the campaign folder; copy the file into "
                f"{base_dir.name}/ and name it relative to the script")
    if not resolved.is_file():
        return f"file '{value}' not found (looked for {resolved})"
    return None
