"""Scripts as a hostile file or a tired office would write them: every one is refused where it
stands, all problems at once, and none ends in a traceback (issue 10, item 4)."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from campaign_helpers import MINIMAL, write

from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.campaign.variables import MAX_FILLED_CHARS, MAX_VARIABLE_CHARS
from bzmedia.campaign.yamlsource import MAX_DEPTH, MAX_FILE_BYTES

SPOTS = "audio:\n  spots: [{id: a, text: x}]\n"
COPIED = "invisible, it often comes with text copied from a web page or Word"
INVISIBLE = [("\u200b", "zero width space"), ("\u00ad", "soft hyphen"), ("\u202e", "right-to-left override"),
             ("\u200f", "right-to-left mark"), ("\u2066", "left-to-right isolate"), ("\u2060", "word joiner"),
             ("\ufeff", "zero width no-break space"), ("\u200c", "zero width non-joiner")]
"""Invisible formatting characters text copied from a web page or Word brings: refused like controls."""




def problems_of(path: Path) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    return [str(p) for p in caught.value.problems]


# -- control characters ----------------------------------------------------------------------

@pytest.mark.parametrize(("char", "name"), [
    ("\x00", "U+0000 (NUL)"), ("\x1b", "U+001B (ESC)"), ("\x7f", "U+007F (DEL)"),
    ("\x01", "U+0001 (control character)"), ("\x85", "U+0085 (NEL)"),
    ("\x9b", "U+009B (control character)"), ("\uffff", "U+FFFF (a non-character)"),
    *((char, f"U+{ord(char):04X} ({name}: {COPIED})") for char, name in INVISIBLE)])
def test_a_control_character_in_a_value_is_refused_under_its_key(tmp_path, char, name):
    path = write(tmp_path, MINIMAL.replace("Sơn Vi", f"Sơn{char}Vi"))
    assert problems_of(path) == [
        f"{path}:4:23: campaign.issuer: character {name} is not allowed in a script; delete it "
        "(most editors do not show it)"]


def test_control_characters_anywhere_are_all_reported_with_their_place(tmp_path):
    text = MINIMAL.replace("demo", "de\x1bmo") + "# a comment with a NUL \x00\n  summary: ok\x7f\n"
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:2:9: campaign.id: character U+001B (ESC) is not allowed in a script; delete it "
        "(most editors do not show it)",
        f"{path}:6:24: syntax: character U+0000 (NUL) is not allowed in a script; delete it "
        "(most editors do not show it)",
        f"{path}:7:14: campaign.summary: character U+007F (DEL) is not allowed in a script; "
        "delete it (most editors do not show it)"]


def test_tabs_and_windows_line_ends_are_fine(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes((MINIMAL + '  summary: "a\tb"\n').replace("\n", "\r\n").encode())
    campaign, _ = load_campaign(path)
    assert campaign.campaign.summary == "a\tb"


def test_a_control_character_written_as_an_escape_is_refused(tmp_path):
    path = write(tmp_path, MINIMAL.replace('"Cài', '"\\x1bCài'))
    assert problems_of(path) == [
        f"{path}:3:10: campaign.title: the text holds U+001B (ESC) (written as an escape such as "
        "\\x1b or \\ud800); remove it"]


def test_a_lone_surrogate_is_refused_at_load_with_its_place(tmp_path):
    path = write(tmp_path, MINIMAL.replace('"Cài', '"\\ud800Cài'))
    assert problems_of(path) == [
        f"{path}:3:13: syntax: found invalid Unicode character escape code (while parsing a "
        "quoted scalar); \\ud800 to \\udfff are halves of a character and cannot stand alone"]


def test_a_binary_file_is_summed_up_not_listed_byte_by_byte(tmp_path):
    path = write(tmp_path, MINIMAL + "# " + "\x01" * 500 + "\n")
    found = problems_of(path)
    assert len(found) == 21
    assert found[-1] == f"{path}:6:23: syntax: and 480 more control characters; is this a text file?"


# -- YAML tags ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "tag"), [
    ("!!int abc", "!!int"), ("!!bool maybe", "!!bool"), ("!!float abc", "!!float"),
    ("!!timestamp nope", "!!timestamp"), ("!!python/name:os.system ''", "!!python/name:os.system"),
    ("!!binary aGVsbG8=", "!!binary"), ("!!str plain", "!!str"), ("!foo bar", "!foo"),
    ("! bar", "!")])
def test_every_explicit_tag_is_refused_where_it_stands(tmp_path, value, tag):
    path = write(tmp_path, MINIMAL + f"  summary: {value}\n")
    assert problems_of(path) == [
        f"{path}:6:12: campaign.summary: YAML tag '{tag}' is not allowed; write the plain value "
        "(put text in quotes) without a tag"]


@pytest.mark.parametrize("value", ["!!set {a, b}", "!!omap [{a: 1}]", "!!map {a: b}", "!!seq [a]"])
def test_tags_on_collections_are_refused(tmp_path, value):
    path = write(tmp_path, MINIMAL + f"variables: {value}\n")
    assert problems_of(path) == [
        f"{path}:6:12: variables: YAML tag '{value.split()[0]}' is not allowed; write the plain "
        "value (put text in quotes) without a tag"]


def test_a_tag_under_an_unknown_key_is_still_reported(tmp_path):
    path = write(tmp_path, MINIMAL + "extra: {a: !!int 1}\n")
    assert problems_of(path) == [
        f"{path}:6:1: extra: unknown key",
        f"{path}:6:12: syntax: YAML tag '!!int' is not allowed; write the plain value (put text "
        "in quotes) without a tag"]


def test_merge_keys_are_refused(tmp_path):
    path = write(tmp_path, MINIMAL + "variables:\n  base: &b {x: y}\n  <<: *b\n")
    found = problems_of(path)
    assert f"{path}:7:9: variables.base: expected text, got a mapping" in found
    assert f"{path}:8:3: variables: merge keys ('<<') are not supported; write the keys out" in found


# -- nesting -----------------------------------------------------------------------------------

def test_deep_flow_nesting_is_refused_with_its_place(tmp_path):
    path = write(tmp_path, MINIMAL + "variables: " + "[" * 500 + "]" * 500 + "\n")
    assert problems_of(path) == [
        f"{path}:6:{12 + MAX_DEPTH - 1}: syntax: values are nested more than {MAX_DEPTH} levels "
        "deep; a campaign script needs fewer than 10"]


def test_deep_block_nesting_is_refused(tmp_path):
    text = MINIMAL + "variables:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 400))
    found = problems_of(write(tmp_path, text))
    assert len(found) == 1 and f"nested more than {MAX_DEPTH} levels deep" in found[0]


def test_aliases_cannot_stack_nesting_past_the_limit(tmp_path):
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, 8)]
    found = problems_of(write(tmp_path, "\n".join(lines) + "\n"))
    assert len(found) == 1
    assert "with its aliases expanded this value is nested more than 50 levels deep" in found[0]


def test_an_alias_to_its_own_container_is_refused(tmp_path):
    path = write(tmp_path, MINIMAL + "variables: &a [*a]\n")
    assert problems_of(path) == [
        f"{path}:6:16: syntax: alias *a refers to the value that contains it (a loop); write the "
        "value out instead"]


# -- empty values ------------------------------------------------------------------------------

def test_empty_optional_values_mean_absent(tmp_path):
    text = MINIMAL + """\
  date:
  start: null
  end: ~
  summary:
audio:
  voice:
  fallback:
  schedule:
    start:
    end: ~
  spots: [{id: a, text: x, title: , times: }]
print:
  - {id: s, kind: leaflet, headline: x, size: , layout: }
signage:
  seconds:
  slides: [{id: a, kind: cta, title: x, url: , seconds: }]
"""
    campaign, _ = load_campaign(write(tmp_path, text))
    info = campaign.campaign
    assert (info.date, info.start, info.end, info.summary) == (None, None, None, "")
    assert campaign.audio.schedule.start is None and campaign.audio.schedule.times == ["06:00", "17:00"]
    assert campaign.audio.voice.engine == "espeak" and campaign.audio.fallback is None
    assert campaign.print_[0].size is None and campaign.signage.slides[0].url is None
    assert campaign.signage.seconds == 8.0


def test_empty_required_values_are_refused_with_their_place(tmp_path):
    text = MINIMAL.replace('issuer: "UBND xã Sơn Vi"', "issuer:") + "audio:\n  spots:\n"
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:4:10: campaign.issuer: expected text, got nothing",
        f"{path}:7:9: audio.spots: expected a list, got nothing"]


# -- numbers -----------------------------------------------------------------------------------

def test_non_finite_and_absurd_numbers_are_refused_everywhere(tmp_path):
    text = MINIMAL + """\
audio:
  voice: {rate: .nan, pitch: 99999999999999999999}
  pause_sentence: .inf
  pause_paragraph: -.inf
  music_db: .NaN
  loudness: {target_lufs: 1e308}
  spots: [{id: a, text: x}]
signage:
  crossfade: 1.0e+309
  seconds: -1e3
  slides: [{id: a, kind: title, title: x, seconds: .nan}]
"""
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:7:17: audio.voice.rate: expected a finite number, got '.nan'",
        f"{path}:7:30: audio.voice.pitch: must be at most 100, got 99999999999999999999",
        f"{path}:8:19: audio.pause_sentence: expected a finite number, got '.inf'",
        f"{path}:9:20: audio.pause_paragraph: expected a finite number, got '-.inf'",
        f"{path}:10:13: audio.music_db: expected a finite number, got '.NaN'",
        f"{path}:11:27: audio.loudness.target_lufs: must be at most -5.0, got 1e+308",
        f"{path}:14:14: signage.crossfade: expected a finite number, got '1.0e+309'",
        f"{path}:15:12: signage.seconds: must be at least 2.0, got -1000.0",
        f"{path}:16:52: signage.slides[0].seconds: expected a finite number, got '.nan'"]


def test_an_integer_too_long_to_read_is_refused(tmp_path):
    path = write(tmp_path, MINIMAL + "audio:\n  highpass_hz: " + "9" * 5000 + "\n" + SPOTS[7:])
    assert problems_of(path) == [
        f"{path}:7:16: audio.highpass_hz: '{'9' * 40}...' cannot be read as a whole number"]


def test_every_number_field_has_a_range():
    """No number field is unbounded: a range (or a list of choices) is what keeps NaN,
    infinity and 1e308 away from the builders and from JSON and HTML output."""
    import dataclasses
    import typing

    from bzmedia.campaign import audio_spec, model, print_layout, print_spec, signage_layout, signage_spec
    from bzmedia.campaign.schema import Located

    unbounded = []
    for module in (model, audio_spec, print_spec, signage_spec, print_layout, signage_layout):
        for cls in vars(module).values():
            if not (isinstance(cls, type) and issubclass(cls, Located) and dataclasses.is_dataclass(cls)):
                continue
            hints = typing.get_type_hints(cls)
            for f in dataclasses.fields(cls):
                kinds = set(typing.get_args(hints[f.name])) | {hints[f.name]}
                bounded = ({"min", "max"} <= f.metadata.keys() or "choices" in f.metadata
                           or (list[float] in kinds and "check" in f.metadata))  # boxes: 0 to 1
                if kinds & {int, float, list[float]} and not bounded:
                    unbounded.append(f"{cls.__name__}.{f.name}")
    assert unbounded == []


def test_numbers_reach_json_as_real_numbers(tmp_path):
    campaign, _ = load_campaign(write(tmp_path, MINIMAL + "signage:\n  crossfade: 1e-1\n"
                                                "  slides: [{id: a, kind: title, title: x}]\n"))
    assert json.loads(json.dumps({"fade": campaign.signage.crossfade}, allow_nan=False)) == {"fade": 0.1}


# -- sizes -------------------------------------------------------------------------------------

def test_a_huge_variable_is_refused_at_its_key(tmp_path):
    text = MINIMAL + 'variables: {x: "' + "a" * 1_000_000 + '"}\naudio:\n  spots: [{id: a, text: "' \
        + "{x}" * 3000 + '"}]\n'
    started = time.monotonic()
    found = problems_of(write(tmp_path, text))
    assert found == [f"{tmp_path / 'c.yaml'}:6:16: variables.x: the text is 1,000,000 characters "
                     f"long; at most {MAX_VARIABLE_CHARS:,} are allowed"]
    assert time.monotonic() - started < 5


def test_a_variable_that_multiplies_is_refused_before_filling(tmp_path):
    text = MINIMAL + 'variables: {x: "' + "a" * 2000 + '"}\nlocalities:\n' + "".join(
        f"  - {{id: l{i}, name: x}}\n" for i in range(300)) + 'audio:\n  spots: [{id: a, text: "' \
        + "{x}" * 3000 + '"}]\n'
    path = write(tmp_path, text)
    started = time.monotonic()
    found = problems_of(path)
    some = "l0, l1, l2, l3, l4, l5, l6, l7, l8, l9 ... (300 in all)"
    assert found == [
        f"{path}:8:3: localities: filled with their variables the texts of locality {some} come "
        "to 6,000,065 characters; at most 200,000 are allowed per locality (a long variable used "
        "many times?)",
        f"{path}:309:25: audio.spots[0].text: filled with its variables this text is 6,000,000 "
        f"characters (locality {some}); at most {MAX_FILLED_CHARS:,} are allowed: shorten the "
        "text or the variables it uses"]
    assert time.monotonic() - started < 5


def test_a_list_of_thousands_of_localities_is_refused_at_once(tmp_path):
    text = MINIMAL + "localities:\n" + "".join(f"  - {{id: l{i}, name: x}}\n" for i in range(1_200))
    path = write(tmp_path, text)
    started = time.monotonic()
    assert problems_of(path) == [f"{path}:7:3: localities: 1,200 entries; at most 1,000 are allowed"]
    assert time.monotonic() - started < 5


def test_too_many_values_even_without_aliases(tmp_path):
    text = MINIMAL + "variables:\n" + "".join(f"  k{i}: [{', '.join(['1'] * 9)}]\n"
                                              for i in range(6_000))
    found = problems_of(write(tmp_path, text))
    assert len(found) == 1 and "the document holds more than 50,000 values" in found[0]


# -- the script file itself ---------------------------------------------------------------------

def test_the_script_path_must_be_a_readable_regular_file(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "folder.yaml").mkdir()
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    started = time.monotonic()
    for path, reason in [
        (fifo, "is a FIFO (named pipe), not a regular file"),
        (Path("/dev/zero"), "is a device, not a regular file"),
        (tmp_path / "folder.yaml", "is a folder, not a file"),
        (tmp_path / "missing.yaml", "does not exist"),
        (tmp_path / "c.yaml" / "x.yaml", "does not exist"),
        (big, f"is {MAX_FILE_BYTES + 1:,} bytes; at most {MAX_FILE_BYTES:,} are allowed"),
        (tmp_path / "a\0b.yaml", "the name holds a NUL character"),
        (tmp_path / ("x" * 300 + ".yaml"), "has a name too long for the file system"),
    ]:
        assert problems_of(path) == [f"{path}:1:1: file: {path} {reason}"]
    assert time.monotonic() - started < 5


def test_garbage_bytes_are_not_utf8(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(MINIMAL.encode() + b"  summary: \xff\xfe\x00\x81\n")
    assert problems_of(path) == [
        f"{path}:6:1: file: file is not UTF-8; save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"]


def test_thousands_of_broken_lines_give_a_screenful(tmp_path):
    text = "campaign:\n" + "".join(f"  k{i}\x01: \x01v\n" for i in range(5000))
    path = write(tmp_path, text)
    started = time.monotonic()
    found = problems_of(path)
    assert len(found) == 101
    assert found[-1] == f"{path}:76:6: file: and 4,925 more problems after this one; fix these first"
    assert time.monotonic() - started < 5


def test_a_campaign_layout_with_a_zero_trim_is_refused_in_the_layout_file(tmp_path):
    layout = Path(__file__).resolve().parents[2] / "layouts" / "poster-a3.yaml"
    mine = tmp_path / "mine.yaml"
    mine.write_text(re.sub(r"(?m)^trim: .*$", "trim: 00x00", layout.read_text(encoding="utf-8")),
                    encoding="utf-8")
    line = next(i for i, text in enumerate(mine.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("trim:"))
    path = write(tmp_path, MINIMAL + "print:\n  - {id: s, kind: poster, headline: x, layout: mine.yaml}\n")
    assert problems_of(path) == [f"{mine}:{line}:7: trim: '00x00': each side must be between 20 "
                                 "and 2000 mm"]


def test_a_text_of_only_spaces_is_refused_where_it_stands(tmp_path):
    # A blank slide title once reached the fitter, which has no word to place: a traceback.
    script = write(tmp_path, MINIMAL + 'variables: {x: "\\u00a0 "}\nsignage:\n  slides:\n'
                   '    - {id: a, kind: title, title: " ", text: "x"}\n'
                   '    - {id: b, kind: points, title: "{x}", points: ["  ", "z"]}\n')
    assert problems_of(script) == [
        f"{script}:6:16: variables.x: the text is only spaces; write the text or remove the key",
        f"{script}:9:35: signage.slides[0].title: the text is only spaces; write the text or "
        "remove the key",
        f"{script}:10:52: signage.slides[1].points[0]: the text is only spaces; write the text or "
        "remove the key",
    ]
