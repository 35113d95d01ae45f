"""Issue 11: the build's preflight fits the texts of the localities whose jobs run, not every
locality's: a commune added to a 120-commune kit cost 1.8 s of fitting the 120 others again."""

from __future__ import annotations

import bzmedia.preflight as preflight
from bzmedia.build import check_before_running
from bzmedia.builder import Plan
from bzmedia.campaign import load_campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.messages.builder import MessagesBuilder
from bzmedia.preflight import planned_jobs
from bzmedia.printing.builder import PrintBuilder
from bzmedia.signage.builder import SignageBuilder


def test_only_the_localities_whose_drawn_jobs_run_are_fitted(campaign_dir, monkeypatch):
    campaign, _ = load_campaign(campaign_dir / "bluezone-2020.yaml", fit_texts=False)
    everyone = campaign.kit_localities()
    assert len(everyone) == 3
    plan = Plan(campaign, everyone, {loc.id: for_locality(campaign, loc) for loc in everyone})
    jobs = {b.name: planned_jobs(b, plan) for b in (PrintBuilder, SignageBuilder, MessagesBuilder)}
    fitted = []
    real = preflight.fit_problems

    def recording(campaign, localities, channels):  # the real fitting, told what it was asked
        fitted.append(sorted(loc.id for loc in localities))
        return real(campaign, localities, channels)

    monkeypatch.setattr(preflight, "fit_problems", recording)
    last = everyone[-1].id
    added = [j for name in ("print", "signage") for j in jobs[name] if j.locality == last]
    check_before_running(campaign, everyone, added + jobs["messages"])  # a commune added
    check_before_running(campaign, everyone, jobs["print"] + jobs["signage"])  # a cold build
    check_before_running(campaign, everyone, jobs["messages"])  # nothing drawn per locality here
    assert fitted == [[last], sorted(loc.id for loc in everyone)]
