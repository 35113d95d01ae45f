"""Any text in the messages block gives a campaign or located problems, never another exception.

The block's checks fill, count and fit texts for every locality (SMS codec, image fitter), so odd
texts (zero-width and combining marks, emoji, braces, only punctuation, thousands of characters)
reach code that a plain schema check never runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bzmedia.campaign.loader import load_campaign
from bzmedia.errors import CampaignError

ODD = st.sampled_from(["\u200b", "\u0301", "😷", "{", "}", "{locality.name}", "{nope}", "–", "…", "“",
                       "\u00a0", " ", "\n", "Đ", "ắ", "W" * 40, "€", "[", "-", "."])
TEXT = st.lists(st.one_of(ODD, st.text(max_size=20)), max_size=12).map("".join)


def script(title: str, steps: list[str], sms: str, zalo: str, url: str) -> str:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted strings

    return (f'campaign: {{id: thu, title: "Thử", issuer: "UBND huyện A", url: {q(url)}}}\n'
            'localities: [{id: a, name: "xã A"}, {id: b, name: "thị trấn Hùng Sơn Mới"}]\n'
            f"messages:\n  title: {q(title)}\n  steps: [{', '.join(q(s) for s in steps)}]\n"
            f"  sms: {{text: {q(sms)}}}\n  zalo: {{text: {q(zalo)}}}\n"
            f"  article: {{title: {q(title)}}}\n")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, steps=st.lists(TEXT, max_size=3), sms=TEXT, zalo=TEXT,
       url=st.sampled_from(["https://example.vn", "https://example.vn/" + "x" * 290, "ftp://x"]))
def test_messages_block_loads_or_says_where(tmp_path: Path, title, steps, sms, zalo, url) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(script(title, steps, sms, zalo, url), encoding="utf-8", errors="surrogatepass")
    try:
        load_campaign(path)
    except CampaignError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.line >= 1 and problem.col >= 1 and problem.path and "\n" not in str(problem)
