"""Planning the audio channel stays light, and its schedule is a publishing job."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from audio_helpers import write_small_campaign

HEAVY = ("numpy", "scipy", "pyloudnorm", "mutagen", "gtts", "piper", "espeakng_loader")

PLAN = """
import json, sys
from bzmedia.audio.builder import AudioBuilder
from bzmedia.builder import Plan
from bzmedia.campaign import load_campaign
from bzmedia.campaign.variables import for_locality

campaign, _ = load_campaign(sys.argv[1])
localities = campaign.kit_localities()
plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
jobs = AudioBuilder().jobs(plan)
heavy = sorted(name for name in sys.modules if name.split(".")[0] in json.loads(sys.argv[2]))
print(json.dumps({"heavy": heavy, "jobs": [[job.name, job.locality, job.publish] for job in jobs]}))
"""


def test_planning_imports_no_sound_library_and_schedules_publish_last(tmp_path: Path):
    script = write_small_campaign(tmp_path / "campaign")
    result = subprocess.run([sys.executable, "-c", PLAN, str(script), json.dumps(HEAVY)],
                            capture_output=True, text=True, check=True, timeout=60)
    planned = json.loads(result.stdout)
    assert planned["heavy"] == []
    jobs = planned["jobs"]
    assert [job for job in jobs if job[2]] == [["schedule", "son-vi", True],
                                               ["schedule", "tu-xa", True]]
    # The spots come first, the one with most to say (repeated twice, with ident and closing)
    # first of all, so it does not start last and keep one core busy alone at the end.
    assert [job[0] for job in jobs[:4]] == ["01-thong-bao", "01-thong-bao", "02-khau-hieu",
                                            "02-khau-hieu"]
