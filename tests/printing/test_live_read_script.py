"""The printed live-read script says what the loudspeaker spot says, and when (no PDF drawn)."""

from __future__ import annotations

from print_helpers import HEAD as PRINT_HEAD
from print_helpers import write_campaign

from bzmedia.audio.builder import AudioBuilder
from bzmedia.builder import Plan
from bzmedia.campaign import load_campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.printing.content import spot_script

HEAD = PRINT_HEAD.split("brand:")[0] + """\
  start: 2020-08-05
  end: 2020-08-20
localities:
  - {id: son-vi, name: "xã Sơn Vi"}
audio:
  ident: "Đây là Đài truyền thanh {locality.name}."
  closing: "Đài vừa phát thông báo của {locality.name}."
  schedule: {times: ["06:00", "17:00"], start: 2020-08-07}
  spots:
    - id: thong-bao
      repeat: 2
      times: ["05:30"]
      text: |
        Đề nghị bà con {locality.name} cài đặt ứng dụng Bluezone.

        Mọi thắc mắc xin gọi số 0210 3825 111.
    - id: nhac-lai
      closing: false
      text: "Bluezone bảo vệ bạn."
"""


def _scripts_and_audio(tmp_path):
    script = write_campaign(tmp_path, """\
  - {id: ban-doc, kind: script, spot: thong-bao}
  - {id: ban-doc-2, kind: script, spot: nhac-lai}
""", head=HEAD)
    campaign, _warnings = load_campaign(script)
    [locality] = campaign.kit_localities()
    resolved = for_locality(campaign, locality)
    jobs = AudioBuilder().jobs(Plan(campaign, [locality], {locality.id: resolved}))
    printed = {item.spot: spot_script(resolved, item) for item in resolved.print_}
    return printed, jobs


def test_script_reads_the_spots_running_order_once_with_its_schedule(tmp_path):
    printed, _jobs = _scripts_and_audio(tmp_path)
    parts, values = printed["thong-bao"]
    assert [text for text, _marker in parts] == [
        "Đây là Đài truyền thanh xã Sơn Vi.",
        "Đề nghị bà con xã Sơn Vi cài đặt ứng dụng Bluezone.",
        "Mọi thắc mắc xin gọi số 0210 3825 111.",
        "Đài vừa phát thông báo của xã Sơn Vi."]
    assert values["spot.times"] == "05:30"  # the spot's own times win over the schedule's
    assert values["spot.reading"] == "Đọc 2 lần; từ lần thứ hai mở đầu bằng “Xin nhắc lại”"
    assert values["spot.days"] == "07/8/2020 – 20/8/2020"  # schedule's start, campaign's end
    parts, values = printed["nhac-lai"]
    assert [text for text, _marker in parts] == ["Đây là Đài truyền thanh xã Sơn Vi.", "Bluezone bảo vệ bạn."]
    assert values["spot.times"] == "06:00 · 17:00" and values["spot.reading"] == "Đọc 1 lần"


def test_script_and_audio_say_the_same_words_at_the_same_times(tmp_path):
    printed, jobs = _scripts_and_audio(tmp_path)
    spots = {job.inputs.spot_id: job.inputs for job in jobs if job.name != "schedule"}
    [schedule] = [job.inputs for job in jobs if job.name == "schedule"]
    for spot_id, (parts, values) in printed.items():
        said = [p for p in (spots[spot_id].ident, spots[spot_id].text, spots[spot_id].closing) if p]
        assert " ".join(text for text, _marker in parts).split() == " ".join(said).split()
        [scheduled] = [s for s in schedule.spots if s.file.startswith(spots[spot_id].stem)]
        assert values["spot.times"] == " · ".join(scheduled.times)
    assert (schedule.start, schedule.end) == ("2020-08-07", "2020-08-20")
