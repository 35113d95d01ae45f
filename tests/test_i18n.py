"""Messages in Vietnamese: the CLI through the real interpreter, and the catalog kept in step with
the code (every marked message translated, the committed .mo compiled from the .po, the same
placeholders in every translation)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from cli_helpers import LANG_VARS, run_cli

from bzmedia import i18n
from bzmedia.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "bzmedia" / "locale" / "vi" / "LC_MESSAGES" / "bzmedia.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": (1, 2)}  # as babel.cfg's command line says
@pytest.fixture
def typo_script(tmp_path: Path) -> Path:
    script = tmp_path / "typo.yaml"
    script.write_text((ROOT / "content" / "minimal.yaml").read_text(encoding="utf-8").replace(
        "  title:", "  titel:", 1), encoding="utf-8")
    return script


def test_validate_speaks_vietnamese_with_lang_vi_and_keeps_the_place_prefix(typo_script: Path) -> None:
    result = run_cli("--lang", "vi", "validate", str(typo_script), LANG="en_US.UTF-8")
    assert result.returncode == 1
    assert result.stderr == (f"{typo_script}:5:3: campaign.title: thiếu mục bắt buộc 'title'\n"
                             f"{typo_script}:6:3: campaign.titel: mục không hợp lệ (có phải là 'title'?)\n"
                             "Tìm thấy 2 lỗi.\n")


def test_english_is_the_default_and_lang_en_overrides_a_vietnamese_system(typo_script: Path) -> None:
    english = (f"{typo_script}:5:3: campaign.title: required key 'title' is missing\n"
               f"{typo_script}:6:3: campaign.titel: unknown key (did you mean 'title'?)\n"
               "2 errors found.\n")
    assert run_cli("validate", str(typo_script)).stderr == english
    assert run_cli("--lang", "en", "validate", str(typo_script), LANG="vi_VN.UTF-8").stderr == english


def test_build_help_is_vietnamese_on_a_vietnamese_system() -> None:
    shown = run_cli("build", "--help", LANG="vi_VN.UTF-8")
    assert shown.returncode == 0
    assert shown.stdout.startswith("Cách dùng: bzmedia build [OPTIONS] FILE\n")
    assert "Tạo bộ tài liệu truyền thông từ tệp kịch bản chiến dịch FILE." in shown.stdout
    assert "Hiện trợ giúp này rồi thoát." in shown.stdout
    assert "Usage:" not in shown.stdout and "Build the media kit" not in shown.stdout
    english = run_cli("build", "--help", LANG="C.UTF-8")
    assert english.stdout.startswith("Usage: bzmedia build [OPTIONS] FILE\n")
    assert "Build the media kit of campaign script FILE." in english.stdout


def test_a_click_usage_error_is_vietnamese_too() -> None:
    result = run_cli("--lang", "vi", "build")
    assert result.returncode == 2
    assert result.stderr.endswith("Lỗi: Thiếu tham số 'FILE'.\n")


def test_an_unknown_language_is_refused_by_name() -> None:
    result = run_cli("--lang", "fr", "validate", "x.yaml")
    assert result.returncode == 2
    assert "Invalid value for '--lang': 'fr' is not one of 'en', 'vi'." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "en"),
    ({"LANG": "vi_VN.UTF-8"}, "vi"),
    ({"LANG": "vi_VN.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL wins over LANG, as in gettext
    ({"LANGUAGE": "vi:en", "LANG": "en_US.UTF-8"}, "vi"),
    ({"BZMEDIA_LANG": "en", "LANGUAGE": "vi"}, "en"),
    ({"BZMEDIA_LANG": "klingon"}, "en"),  # anything not Vietnamese is English
])
def test_the_language_comes_from_the_environment(monkeypatch, env: dict, expected: str) -> None:
    for name in LANG_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def test_a_stopped_build_says_so_in_vietnamese(monkeypatch) -> None:
    monkeypatch.setenv("BZMEDIA_LANG", "vi")
    shown = io.StringIO()
    BuildError(["a: b", "c: d"], outcome="nothing was published, the previous kit is unchanged").show(shown)
    assert shown.getvalue() == ("a: b\nc: d\n2 lỗi; đã dừng tạo bộ tài liệu: không xuất bản gì, "
                                "bộ tài liệu trước vẫn giữ nguyên.\n")
    assert i18n.number(12_345) == "12.345" and i18n.decimal(1.25, 1) == "1,2"
    monkeypatch.setenv("BZMEDIA_LANG", "en")
    assert i18n.number(12_345) == "12,345" and i18n._("no kit was published") == "no kit was published"


_HEAD = "campaign:\n  id: a\n  title: T\n  issuer: I\n  url: https://x.vn\n"
_SPOT = "audio:\n  spots:\n    - id: s\n      text: xin chào\n"


@pytest.mark.parametrize(("script", "expected"), [
    (_HEAD + "brand:\n  logo: ../khac/logo.png\n" + _SPOT,
     "7:9: brand.logo: '../khac/logo.png' trỏ ra ngoài thư mục chiến dịch; hãy chép tệp vào {folder}/ "
     "rồi ghi tên tệp tính từ thư mục của kịch bản"),
    (_HEAD + "brand:\n  logo: khong-co.png\n" + _SPOT,
     "7:9: brand.logo: không tìm thấy tệp 'khong-co.png' (đã tìm ở {folder_path}/khong-co.png)"),
    (_HEAD + "  id: b\n" + _SPOT, "6:3: campaign.id: mục bị ghi hai lần (lần đầu ở dòng 2)"),
    (_HEAD + "audio: [\n", "7:1: syntax: thiếu giá trị ở chỗ cần có (có dấu ngoặc nào chưa đóng?) "
                           "(khi đọc một giá trị trong dấu ngoặc)"),
    (_HEAD.replace("title: T", "title: [T]") + _SPOT, "3:10: campaign.title: cần văn bản, nhưng lại là "
                                                      "một danh sách"),
], ids=["outside-the-folder", "file-not-found", "duplicate-key", "yaml-syntax", "wrong-type"])
def test_the_loaders_common_messages_in_vietnamese(monkeypatch, tmp_path: Path, script: str,
                                                   expected: str) -> None:
    from bzmedia.campaign import CampaignError, load_campaign

    monkeypatch.setenv("BZMEDIA_LANG", "vi")
    path = tmp_path / "kich-ban.yaml"
    path.write_text(script, encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    shown = expected.format(folder=tmp_path.name, folder_path=tmp_path.resolve())
    assert [str(p) for p in caught.value.problems] == [f"{path}:{shown}"]


def test_a_damaged_catalog_falls_back_to_english(monkeypatch, tmp_path: Path) -> None:
    broken = tmp_path / "vi" / "LC_MESSAGES" / "bzmedia.mo"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(MO.read_bytes()[:100])  # a truncated copy: its index points past the end
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_catalogs", {})
    monkeypatch.setenv("BZMEDIA_LANG", "vi")
    assert i18n._("required key '{key}' is missing") == "required key '{key}' is missing"


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="vi")


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_marked_message_is_in_the_catalog_and_translated() -> None:
    """The sqlite-utils "cog" habit: nobody adds an untranslated message silently.  After adding
    one, update bzmedia.po as babel.cfg says, translate it and compile the .mo."""
    method_map, options_map = parse_mapping_cfg(io.StringIO((ROOT / "babel.cfg").read_text()))
    extracted = {message for _file, _line, message, _comments, _context in
                 extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)}
    catalog = _catalog()
    in_po = {message.id for message in catalog if message.id}
    assert sorted(map(str, extracted - in_po)) == []
    untranslated = [_key(m) for m in catalog if m.id and (m.fuzzy or not all(
        m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert untranslated == []


def test_the_committed_mo_is_the_compiled_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog())
    compiled.seek(0)

    def messages(catalog) -> dict:  # plural ids and strings come back as lists
        return {str(m.id): str(m.string) for m in catalog if m.id}

    with MO.open("rb") as handle:
        assert messages(read_mo(handle)) == messages(read_mo(compiled))


_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}|%\(\w+\)[sd]|%[sd]")


def test_every_translation_keeps_its_placeholders() -> None:
    """``{name}`` and ``%s`` are filled by the code: one lost or renamed is a KeyError or a
    message with a hole.  Vietnamese has one plural form; it takes the plural's placeholders."""
    wrong = []
    for message in _catalog():
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        target = message.string[0] if isinstance(message.string, tuple) else message.string
        if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(target)):
            wrong.append((source, target))
    assert wrong == []


def test_lang_works_after_the_command_name_too(typo_script: Path) -> None:
    after = run_cli("validate", "--lang", "vi", str(typo_script), LANG="en_US.UTF-8")
    assert after.returncode == 1
    assert after.stderr == run_cli("--lang", "vi", "validate", str(typo_script)).stderr
    assert after.stderr.endswith("Tìm thấy 2 lỗi.\n")
    english = run_cli("build", "--lang", "en", "--help", LANG="vi_VN.UTF-8")
    assert english.stdout.startswith("Usage: bzmedia build [OPTIONS] FILE\n")
    assert "--lang [en|vi]" in english.stdout  # each command's help lists it
    refused = run_cli("validate", "--lang", "fr", str(typo_script))
    assert refused.returncode == 2 and "'fr' is not one of 'en', 'vi'." in refused.stderr


_LONG_TITLE = ("campaign:\n  id: a\n  title: \"Cài đặt ứng dụng Bluezone để bảo vệ mình, bảo vệ gia đình "
               "và cộng đồng xã Sơn Vi\"\n  issuer: UBND xã Sơn Vi\n  url: https://x.vn\n"
               "print:\n  - id: ap-phich\n    kind: poster\n    headline: \"{campaign.title}\"\n"
               "    points: [Bật Bluetooth]\n")
_SHEET = ("campaign:\n  id: a\n  title: T\n  issuer: I\n  url: https://x.vn\nlocalities:\n  file: xa.csv\n"
          "  name: Tên xã\n  hotline: Điện thoại\n" + _SPOT)
_STATS = ("campaign:\n  id: a\n  title: T\n  issuer: I\n  url: https://x.vn\nlocalities:\n  - id: son-vi\n"
          "    name: xã Sơn Vi\nstats:\n  date: 2020-08-13\n  values:\n    son-vi: \"12a\"\n    tu-xa: 5\n"
          + _SPOT)


@pytest.mark.parametrize(("script", "communes", "expected"), [
    (_LONG_TITLE, None,
     "3:10: campaign.title: {{campaign.title}} “Cài đặt ứng dụng Bluezone để bảo vệ mình, bảo vệ gia "
     "đình v…” (80 ký tự) quá dài cho ô 'title' của bố cục 'poster-a3' trên ấn phẩm in 'ap-phich' "
     "(dòng 7), nơi in “{{campaign.title}} · {{issuer}} · {{date}}” (cần 2 dòng, ô chứa được 1 dòng ở cỡ "
     "tối thiểu 18 pt); hãy rút gọn còn khoảng 64 ký tự, hoặc dùng bố cục có ô lớn hơn\n"),
    (_SHEET, "Tên xã,Mã\nxã Sơn Vi,son-vi\n",
     "9:12: localities.hotline: không có cột nào có tiêu đề 'Điện thoại' ở dòng 1 của 'xa.csv' "
     "(các cột có: 'Tên xã', 'Mã')\n"),
    (_SHEET, "   \n", "7:9: localities.file: 'xa.csv' đang trống; tệp cần một dòng tiêu đề và mỗi địa "
                      "phương một dòng\n"),
    (_STATS, None,
     "12:5: stats.values.son-vi: “12a” không phải là một con số (hãy viết 8713 hoặc 8.713)\n"
     "{script}:12:5: stats.values.tu-xa: 'tu-xa' không phải là mã (id) của địa phương nào\n"),
], ids=["title-too-long-for-its-box", "sheet-column-missing", "sheet-empty", "stats-not-a-count"])
def test_validate_says_channel_problems_in_vietnamese(tmp_path: Path, script: str, communes: str | None,
                                                      expected: str) -> None:
    path = tmp_path / "kich-ban.yaml"
    path.write_text(script, encoding="utf-8")
    if communes is not None:
        (tmp_path / "xa.csv").write_text(communes, encoding="utf-8")
    shown = run_cli("--lang", "vi", "validate", "kich-ban.yaml", cwd=tmp_path)
    found = f"Tìm thấy {expected.count(chr(10))} lỗi.\n"
    assert shown.stderr == "kich-ban.yaml:" + expected.format(script="kich-ban.yaml") + found
    english = run_cli("validate", "kich-ban.yaml", cwd=tmp_path)
    assert english.returncode == 1 and "Tìm thấy" not in english.stderr and "không" not in english.stderr


# --- The guard: every message a user can see is marked for translation --------------------------
#
# The call shapes through which bzmedia shows text (found by reading how messages are raised):
# the errors and warnings of errors.py, the checking contexts' error/warning/problem/warn helpers,
# click's echo and parameter errors, the exceptions the build turns into messages, ffmpeg.run's
# ``what`` (said inside ffmpeg's own messages), lists of warnings and notes shown after a build,
# and the reason/failure helpers whose return values are put into messages.

_LAST_ARGUMENT = {"BuildError", "CampaignError", "BzmediaError", "warn", "error", "warning", "problem",
                  "bad", "note_message", "echo", "secho", "BadParameter", "UsageError", "ClickException",
                  "__init__"}
"""Calls whose message is the last positional argument (or ``message=``); ``super().__init__(...)``
is an exception class making its own message."""
_SHOWN_LISTS = re.compile(r"(^|\.|_)(warnings|notes|bad|messages|problems)$")
"""``x.append(...)`` onto these lists is shown to the user (joined into a warning or an error).  Facts
written into the kit (the manifest's ``grayscale_fixes``) stay English: a kit is the same bytes
whatever the language of the person who built it."""
_MESSAGE_FUNCTIONS = re.compile(
    r"(reason|problem|failure|too_long|last_line|_message|_text|explain|_warning)$")
"""Functions whose returned text goes into a message."""
_MESSAGE_NAMES = {"why", "reason", "message", "what", "hint", "details", "sentence", "tried", "unknown"}
"""Variables that hold (part of) a message before it is shown."""
_INTERNAL = (  # (file, start of the text): raised for a bug in bzmedia itself, never for the user's input
    ("bzmedia/builder.py", "job "), ("bzmedia/cache.py", "cannot fingerprint"),
    ("bzmedia/campaign/schema.py", "schema supports only"),
    ("bzmedia/tts/pcm.py", "part at "), ("bzmedia/campaign/reference_layouts.py", "built-in layout"),
    ("bzmedia/cache.py", "nothing was written"), ("bzmedia/printing/draw.py", "QR symbol"),
    ("bzmedia/kit/packs.py", "duplicate names"), ("bzmedia/pngfile.py", "PNG row filter"),
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_VIETNAMESE = re.compile(r"[đĐăâêôơưĂÂÊÔƠƯ\u0300-\u0323àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")
_MARKERS = {"_", "ngettext", "N_", "NP_"}


def _call_name(func) -> str:
    import ast

    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _literal_texts(node):
    """The string literals and f-strings that make up ``node`` as shown (not those inside _())."""
    import ast

    if (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr):
        yield node
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            yield from _literal_texts(element)
    elif isinstance(node, ast.BinOp):
        yield from _literal_texts(node.left)
        yield from _literal_texts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literal_texts(node.body)
        yield from _literal_texts(node.orelse)
    elif isinstance(node, ast.BoolOp):  # problems or ["fallback message"]
        for value in node.values:
            yield from _literal_texts(value)
    elif isinstance(node, ast.ListComp):  # [f"unknown locality '{x}'" for x in ...]
        yield from _literal_texts(node.elt)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
            "format", "join", "replace", "strip"):
        yield from _literal_texts(node.func.value)


def _is_words(node) -> bool:
    """English words outside the placeholders: ``f"{where}: {why}"`` only joins messages, a
    single word is a key or a codec name (``'recording'``, ``'utf-8'``), and Vietnamese text is
    the kit's own wording (it stays as it is)."""
    import ast

    text = node.value if isinstance(node, ast.Constant) else "".join(
        part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return " " in text.strip() and bool(_WORD.search(text)) and not _VIETNAMESE.search(text)


def _message_arguments(call) -> list:
    """The arguments of ``call`` that carry a message, by the call shapes above."""
    import ast

    name = _call_name(call.func)
    keywords = [k.value for k in call.keywords if k.arg in ("message", "messages", "what", "outcome")]
    positional = [a for a in call.args if not (isinstance(a, ast.Constant) and isinstance(a.value, bool))]
    if name == "Problem":  # Problem(file, line, col, path, message, ...); *obj.mark() is line and col
        width = sum(2 if isinstance(a, ast.Starred) else 1 for a in call.args[:4])
        index = 4 - (width - min(width, 4)) if any(isinstance(a, ast.Starred) for a in call.args) else 4
        return keywords + call.args[index:index + 1]
    if name == "run" and ast.unparse(call.func) == "ffmpeg.run":
        return keywords + call.args[1:2]
    if name == "append" and isinstance(call.func, ast.Attribute) and _SHOWN_LISTS.search(
            ast.unparse(call.func.value)):
        return list(call.args)
    if name in _LAST_ARGUMENT:
        return keywords + positional[-1:]
    return []


def _unmarked_messages(root: Path) -> list[str]:
    import ast

    found = []
    for path in sorted((root / "bzmedia").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        carriers = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                carriers += _message_arguments(node)
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                carriers += [a for a in node.exc.args if not any(
                    relative == file and isinstance(a, ast.Constant | ast.JoinedStr)
                    and ast.unparse(a).strip("f'\"").startswith(start) for file, start in _INTERNAL)]
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in _MESSAGE_NAMES
                                                    for t in node.targets):
                carriers.append(node.value)
            if isinstance(node, ast.AugAssign) and getattr(node.target, "id", "") in _MESSAGE_NAMES:
                carriers.append(node.value)
            if isinstance(node, ast.FunctionDef) and _MESSAGE_FUNCTIONS.search(node.name):
                carriers += [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]
        for carrier in carriers:
            for text in _literal_texts(carrier):
                if _is_words(text):
                    found.append(f"{relative}:{text.lineno}: {ast.unparse(text)[:80]}")
    return sorted(set(found))


def test_every_message_shown_to_the_user_is_marked_for_translation() -> None:
    """A message added without ``_()`` stays English for Vietnamese users: name each one.  Mark
    it whole, with named placeholders (``_("{path}: cannot read: {reason}").format(...)``)."""
    assert _unmarked_messages(ROOT) == []


def test_the_guard_names_each_unmarked_shape_and_passes_marked_ones(tmp_path: Path) -> None:
    """The scan itself, on a planted module: each call shape it knows, marked and unmarked."""
    package = tmp_path / "bzmedia"
    package.mkdir()
    (package / "planted.py").write_text(
        "def make(ctx, where, exc, what, warnings):\n"
        "    ctx.warn(f'{where}: the logo is blurry')\n"                                   # 2
        "    ctx.warn(f'{where}: ' + _('the logo is blurry'))\n"
        "    ffmpeg.run(['-i', 'x'], f'encoding {what}')\n"                                # 4
        "    warnings.append('the state was ignored')\n"                                   # 5
        "    raise BuildError([f'{where}: {exc}'])\n"
        "    raise EngineError('espeak made no sound', 'phrase of the spot')\n"            # 7 (twice)
        "    raise BuildError([_('cannot read {path}').format(path=where)])\n"
        "    Problem('f.yaml', 1, 2, 'audio.spots', 'unknown key')\n"                      # 9
        "    Problem('f.yaml', 1, 2, 'audio.spots here', _('unknown key'))\n"
        "    why = 'no chart box'\n"                                                       # 11
        "    raise SoundFileError('music_bed', _('silent'))\n"
        "    click.echo(f'{row.engine:<7} {row.voice}')\n"
        "    return 'Thông tin chi tiết: xem tại đây'\n"
        "    raise BuildError(problems or [f'cannot read layout {name}'])\n"              # 15
        "    unknown = [f'unknown locality {x}' for x in where]\n"                        # 16
        "\n"
        "def os_reason(exc):\n"
        "    return f'cannot be read ({exc})'\n",                                          # 19
        encoding="utf-8")
    found = [line.split(": ", 1)[0] for line in _unmarked_messages(tmp_path)]
    assert found == [f"bzmedia/planted.py:{n}" for n in (11, 15, 16, 19, 2, 4, 5, 7, 7, 9)]
