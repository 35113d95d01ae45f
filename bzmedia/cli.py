"""bzmedia's command line: parse, call, print.  No logic lives here."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from bzmedia import __version__
from bzmedia.errors import CampaignError, Problem  # the loader itself is imported when needed
from bzmedia.i18n import LANGUAGES, N_, _, decimal, set_language, translate_click
from bzmedia.text.numbers import DIALECTS
from bzmedia.tts import ENGINES

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
translate_click()  # click's own words (Usage:, Options, Error:) follow --lang too


class _TranslatedHelp:
    """Help texts are English msgids, translated when shown: the language is known only once
    ``--lang`` has been read, long after the decorators ran."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        shown = [obj for obj in (self, *self.get_params(ctx)) if getattr(obj, "help", None)]
        saved = [obj.help for obj in shown]
        for obj in shown:
            obj.help = _(obj.help)
        try:
            super().format_help(ctx, formatter)
        finally:
            for obj, text in zip(shown, saved, strict=True):
                obj.help = text

    def get_short_help_str(self, limit: int = 45) -> str:
        saved = self.help
        self.help = _(saved) if saved else saved
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = saved


class _Command(_TranslatedHelp, click.Command):
    """Every command takes ``--lang`` too, so ``bzmedia validate --lang vi x.yaml`` works: the
    option is eager, so the language is set before the command's other options are read."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(click.Option(["--lang"], type=click.Choice(LANGUAGES), is_eager=True,
                                        expose_value=False, callback=_choose_language, help=LANG_HELP))


class _Group(_TranslatedHelp, click.Group):
    command_class = _Command


class _VersionLine(str):
    """Click fills the --version line with ``%`` when it is asked for: translated then, after --lang."""

    def __mod__(self, values):
        return _(str(self)) % values


def _choose_language(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        set_language(value)


LANG_HELP = N_("Language of messages and help: vi (Vietnamese) or en (English); default: "
               "the system's (LANG), or BZMEDIA_LANG.")


@click.group(cls=_Group, context_settings=CONTEXT, help=N_(
    "bzmedia: one campaign script in, a whole media kit out.\n\n"
    "Loudspeaker spots (MP3), print-shop and office PDFs, and looped slides for screens, for "
    "every commune of a campaign. Start with `bzmedia init my-campaign`, then `bzmedia "
    "build`."))
@click.version_option(__version__, "--version", prog_name="bzmedia",
                      message=_VersionLine(N_("%(prog)s, version %(version)s")))
@click.option("--lang", type=click.Choice(LANGUAGES), is_eager=True, expose_value=False,
              callback=_choose_language, help=LANG_HELP)
@click.option("-v", "--verbose", count=True, help=N_("Say more (each file made, timings)."))
@click.option("-q", "--quiet", is_flag=True, help=N_("Say only errors and warnings."))
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    ctx.obj = {"verbosity": -1 if quiet else verbose}


def _say(ctx: click.Context, message: str, level: int = 0) -> None:
    if ctx.obj["verbosity"] >= level:
        click.echo(message)


def _load(path: Path, fit_texts: bool = True, shown: list[str] | None = None):
    """Load and validate a script, printing its warnings to stderr (``fit_texts``: see
    :func:`~bzmedia.campaign.load_campaign`); each line printed is added to ``shown``.

    A script that trips the loader in a way nobody foresaw is still one line naming the file,
    never a traceback (the loader's own tests catch such cases; users should not see them).
    """
    from bzmedia.campaign import load_campaign

    try:
        campaign, warnings = load_campaign(path, fit_texts=fit_texts)
    except CampaignError:
        raise
    except Exception as exc:  # the last line of defence: no input ends in a traceback
        raise CampaignError([Problem(str(path), 1, 1, "file", _unforeseen(exc))]) from exc
    for problem in warnings:
        click.echo(str(problem), err=True)
        if shown is not None:
            shown.append(str(problem))
    return campaign


def _device_folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot be made on Windows: it, or a parent to be made with it, takes a name
    Windows keeps for a device (``init con``, ``build -o nul``); ``None`` when it can."""
    to_make = [each for each in (folder, *folder.parents) if not each.exists()]
    if not to_make:  # the no-op build's case: it must not import the campaign package (40 ms)
        return None
    from bzmedia.campaign.patterns import device_file_problem

    return next((why for each in to_make if (why := device_file_problem(each.name))), None)


@cli.command(help=N_(
    "Create DIRECTORY with an example campaign script to edit.\n\n"
    "The example is the 2020 Bluezone install drive of a district: three communes, four "
    "spots, a leaflet, a poster, a vehicle sticker and six slides; its communes come from the "
    "workbook beside it (xa-phuong.xlsx, read with localities:): fill in your own."))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def init(ctx: click.Context, directory: Path) -> None:
    from bzmedia.resources import example_dir

    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(_("{folder} already exists and is not empty; choose a new folder "
                                     "name").format(folder=directory))
    if why := _device_folder_problem(directory):  # before the copy, which Windows would stop half way
        raise click.ClickException(why)
    from bzmedia.campaign.editor_schema import SCRIPT_KEY, schema_text

    shutil.copytree(example_dir(), directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("minimal.yaml"))
    script = directory / "bluezone-2020.yaml"
    # The examples name the schema in the source tree's docs/; a copy gets its own beside it.
    (directory / SCRIPT_KEY).write_text(schema_text(), encoding="utf-8")
    for each in directory.glob("*.yaml"):  # every example script of the copy (issue 13: dak-nong-2020 too)
        text = each.read_text(encoding="utf-8")
        each.write_text(text.replace(f"$schema=../docs/{SCRIPT_KEY}", f"$schema={SCRIPT_KEY}", 1),
                        encoding="utf-8")
    from bzmedia.campaign.sheets import TEMPLATE_NAME, write_template

    write_template(directory / TEMPLATE_NAME)  # the example's communes workbook, to fill in (localities:)
    _say(ctx, _("Created {script}. Edit it, then run:\n  bzmedia build {script}").format(script=script))


@cli.command(help=N_(
    "Check campaign scripts without building anything.\n\n"
    "Every problem in every file is listed as file:line:col: key.path: message. Exits 1 if "
    "any file has an error (warnings alone exit 0)."))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    from bzmedia.preflight import check_fit

    problems = []
    for path in files:
        try:
            check_fit(_load(path))  # every text fitted to its box, for every locality, as a build would
        except CampaignError as exc:
            problems.extend(exc.problems)
        else:
            _say(ctx, _("{file}: ok").format(file=path))
    if problems:
        raise CampaignError(problems)


def _split_list(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for item in value for part in item.split(",") if part.strip())


@cli.command(help=N_(
    "Build the media kit of campaign script FILE.\n\n"
    "Only what changed since the last build is made again; a second build with nothing "
    "changed does no work."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True,
              help=N_("Folder the kit is written to (as OUTPUT/<campaign-id>/)."))
@click.option("--only", multiple=True, metavar="CHANNELS",
              help=N_("Build only these channels, comma-separated (audio,print...); a name the build "
                   "does not know is refused with the list of channels."))
@click.option("--locality", multiple=True, metavar="ID",
              help=N_("Build only these localities (ids, comma-separated or repeated)."))
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=0), default=0,
              help=N_("Worker processes; 0 (default) uses every core."))
@click.pass_context
def build(ctx: click.Context, file: Path, output: Path, only, locality, workers: int) -> None:
    started = time.monotonic()
    if why := _device_folder_problem(output):
        raise click.BadParameter(why, param_hint="-o")
    only, localities = _split_list(only), _split_list(locality)
    answered, command = _unchanged_since_last_build(ctx, file, output, only, localities, started)
    if answered:
        return
    from bzmedia.build import BuildOptions, channel_names
    from bzmedia.build import build as run_build
    from bzmedia.buildinputs import InputLog
    from bzmedia.errors import BuildError

    channels = channel_names()
    unknown = [name for name in only if name not in channels]
    if unknown:
        raise click.BadParameter(_("unknown channel {names}; choose from {channels}").format(
            names=", ".join(unknown), channels=", ".join(channels)), param_hint="--only")
    from bzmedia.cachedir import default_cache_dir
    from bzmedia.loadcache import remembering_in

    shown: list[str] = []
    cache_dir = default_cache_dir(output)
    with InputLog() as inputs:  # what this build reads: if none of it changes, the next one skips
        with remembering_in(cache_dir / "loaded"):  # checked layouts, kept across builds
            # texts are fitted by the build only if a job draws them
            campaign = _load(file, fit_texts=False, shown=shown)
        options = BuildOptions(output_root=output, only=only, locality=localities, workers=workers,
                               after_success=_recorder(inputs, command, cache_dir, shown))
        show_bar = ctx.obj["verbosity"] >= 0
        try:
            with _Progress(show_bar, ctx.obj["verbosity"] >= 1) as progress:
                report = run_build(campaign, options, progress=progress)
        except BuildError as exc:
            so_far = getattr(exc, "report", None)
            for warning in so_far.warnings if so_far else ():
                click.echo(_("warning: {message}").format(message=warning), err=True)
            for details in exc.details if ctx.obj["verbosity"] >= 1 else ():
                click.echo(details, err=True)  # -v: the traceback of an unexpected failure
            raise
    for warning in report.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    if report.swept is not None and ctx.obj["verbosity"] >= 1:
        click.echo(report.swept.summary(), err=True)
    _say_built(ctx, report.kit_dir, len(report.ran), report.reused, len(report.removed), report.seconds)


def _say_built(ctx: click.Context, kit_dir: Path, made: int, reused: int, removed: int,
               seconds: float) -> None:
    removed_text = _(", {count} removed").format(count=removed) if removed else ""
    _say(ctx, _("{kit}: {made} made, {reused} up to date{removed} in {seconds} s").format(
        kit=kit_dir, made=made, reused=reused, removed=removed_text, seconds=decimal(seconds, 1)))
    page = kit_dir / "index.html"
    if page.is_file():
        _say(ctx, _("Open {page} in a browser to listen, look and download.").format(page=page))


def _recorder(inputs, command: dict, cache_dir: Path, shown: list[str]):
    """What the build calls, inside its lock, once it succeeded: record what it read."""
    def record(report, state) -> None:
        from bzmedia.buildinputs import forget, write_record

        inputs.__exit__()  # what recording reads is not an input
        try:
            write_record(inputs, command, report.kit_dir, cache_dir, state, report.planned, shown)
        except Exception:  # a record is only ever a shortcut: without one the next build plans
            forget(cache_dir, report.kit_dir)
    return record


def _unchanged_since_last_build(ctx: click.Context, file: Path, output: Path, only: tuple[str, ...],
                                localities: tuple[str, ...], started: float) -> tuple[bool, dict]:
    """The no-op shortcut (:mod:`bzmedia.buildinputs`): when nothing the last successful build of
    this same command read has changed, say what a build with nothing to do says, without
    loading the script or planning.  Whether it answered, and the command's identity (as the
    build starts: a build that follows records it)."""
    from bzmedia.buildinputs import command_identity, find_record, still_current
    from bzmedia.cachedir import default_cache_dir
    from bzmedia.errors import BuildError
    from bzmedia.kitlock import KitLock

    cache_dir = default_cache_dir(output)
    command = command_identity(file, output, only, localities)
    found = find_record(output, cache_dir, command)
    if found is None:
        return False, command
    kit_dir, record, raw = found
    try:
        with KitLock(kit_dir / ".bzmedia" / "lock") as lock:  # no build may change it meanwhile
            if lock.took_over or not still_current(kit_dir, record, raw, cache_dir):
                return False, command
    except BuildError:  # locked by a running build: the ordinary path says so
        return False, command
    for line in record["warnings"]:
        click.echo(line, err=True)
    with _Progress(ctx.obj["verbosity"] >= 0, False) as progress:
        progress.planned(record["planned"])
        if progress.bar is not None:
            progress.bar.update(record["planned"])
    _say_built(ctx, kit_dir, 0, record["planned"], 0, time.monotonic() - started)
    return True, command


class _Progress:
    """A progress bar over jobs, on a terminal only (a log gets no stray label); -v names each job made."""

    def __init__(self, enabled: bool, verbose: bool) -> None:
        self.enabled = enabled and click.get_text_stream("stderr").isatty()
        self.verbose = verbose
        self.bar = None

    def __enter__(self):
        return self

    def planned(self, count: int) -> None:
        if not self.enabled or count == 0:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=count, label=_("building"),
                                         file=click.get_text_stream("stderr"))
            self.bar.__enter__()
        else:
            self.bar.length += count

    def finished(self, job, ran: bool) -> None:
        if self.verbose and ran:
            click.echo(_("made {job}").format(job=job.id), err=True)
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@cli.command(help=N_(
    "Serve a built kit read-only over HTTP, for phones and PCs to download from.\n\n"
    "DIRECTORY is the kit folder (output/<campaign-id>); by default the current folder if it "
    "holds index.html, else the one kit under output/. Only files inside the kit are served."))
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help=N_("TCP port to listen on (0 picks a free one)."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Address to listen on; 0.0.0.0 shares the kit with the local network."))
@click.pass_context
def serve(ctx: click.Context, directory: Path | None, port: int, host: str) -> None:
    from bzmedia.kit.serve import KitServeError, serve_kit

    log = (lambda line: click.echo(line, err=True)) if ctx.obj["verbosity"] >= 1 else (lambda _: None)
    try:
        serve_kit(directory, host, port, say=click.echo, log=log)
    except KitServeError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command(help=N_(
    "Write download packs (zip files) of a built kit into KIT_DIR/packs/.\n\n"
    "A build stores no zips (they would repeat every file); `bzmedia serve` makes them on the "
    "fly and this command writes them for sharing from disk or a USB stick. The kit page "
    "links the packs that are there and match the kit."))
@click.argument("kit_dir", metavar="KIT_DIR", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--locality", multiple=True, metavar="ID",
              help=N_("Only these localities (ids, comma-separated or repeated); default: every one."))
@click.option("--audience", default="all", show_default=True, metavar="NAME",
              help=N_("Whose packs: loudspeaker (loa), print shop (in), screens (man-hinh), messages "
                   "(tin-nhan): each channel's pack name; or all."))
@click.option("--whole-kit", is_flag=True, help=N_("Also write the whole kit as one zip."))
@click.pass_context
def pack(ctx: click.Context, kit_dir: Path, locality, audience: str, whole_kit: bool) -> None:
    from bzmedia.kit.fmt import size_vi
    from bzmedia.kit.ondisk import write_packs

    audiences = () if audience == "all" else (audience,)  # () is every pack; a wrong name is refused
    report = write_packs(kit_dir, _split_list(locality), audiences, whole_kit)
    for path, length in report.written:
        _say(ctx, f"{kit_dir / path}: {size_vi(length)}")
    for path in report.removed:
        _say(ctx, _("removed {file}: this kit's pack as an earlier build planned it, which no longer "
                    "matches the kit").format(file=kit_dir / path))
    if not report.written:
        _say(ctx, _("no pack to write: the kit has no files for that choice"))


@cli.command(help=N_(
    "Print TEXT as it will be spoken: numbers, dates, phones and abbreviations in words.\n\n"
    "With TEXT \"-\", read standard input line by line and print one spoken line per input "
    "line."))
@click.argument("text")
@click.option("--dialect", type=click.Choice(DIALECTS), default="north",
              show_default=True, help=N_("Regional number words (north: nghìn, linh; south: ngàn, lẻ)."))
@click.option("--script", "script", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=N_("Campaign script whose pronunciations: map is applied too."))
def normalize(text: str, dialect: str, script: Path | None) -> None:
    from bzmedia.text.speech import normalize_for_speech
    from bzmedia.text.stream import speak_lines

    pronunciations = _pronunciations(script) if script else None
    if text == "-":
        speak_lines(click.get_binary_stream("stdin"), click.get_binary_stream("stdout"),
                    dialect=dialect, pronunciations=pronunciations)
    else:
        click.echo(normalize_for_speech(text, dialect=dialect, pronunciations=pronunciations))


def _pronunciations(script: Path) -> dict[str, str]:
    """The script's ``pronunciations:`` map, showing only the warnings about it (a signage
    warning has nothing to do with how a text is read)."""
    from bzmedia.campaign import load_campaign

    try:
        campaign, warnings = load_campaign(script)
    except CampaignError:
        raise
    except Exception as exc:  # as in _load: one line naming the file, never a traceback
        raise CampaignError([Problem(str(script), 1, 1, "file", _unforeseen(exc))]) from exc
    for problem in warnings:
        if problem.path.startswith("pronunciations"):
            click.echo(str(problem), err=True)
    return campaign.pronunciations


@cli.command(help=N_(
    "Speak TEXT into an MP3 (or WAV) to hear how it will sound on the loudspeakers.\n\n"
    "The text goes through the same normalizer, voice, loudness and export as a spot."))
@click.argument("text")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("File to write, .mp3 or .wav (default: the first words, e.g. xin-chao.mp3)."))
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help=N_("Speech engine (default: the script's voice, else espeak)."))
@click.option("--dialect", type=click.Choice(DIALECTS), default=None,
              help=N_("Regional voice and number words (default: the script's, else north)."))
@click.option("--rate", type=click.FloatRange(0.5, 2.0), default=None,
              help=N_("Speaking speed, 1.0 normal (default: the script's, else 1.0)."))
@click.option("--speaker", type=click.Choice(["female", "male"]), default=None,
              help=N_("edge's voice: female (vi-VN-HoaiMyNeural, default) or male (vi-VN-NamMinhNeural)."))
@click.option("--model", callback=lambda _c, _p, value: _voice_file(value),
              help=N_("Piper voice: a name in the voices folder (vi_VN-vais1000-medium) or an .onnx file."))
@click.option("--script", "script", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=N_("Campaign script whose voice and pronunciations: map are used."))
@click.pass_context
def say(ctx: click.Context, text: str, output: Path | None, engine, dialect, rate, speaker, model,
        script: Path | None) -> None:
    from bzmedia.audio.say import SayError, default_file_name, output_problem, say_request
    from bzmedia.audio.say import say as speak

    campaign = _load(script) if script else None
    request = say_request(campaign, engine, dialect, rate, model, speaker)
    if request.voice.engine == "piper" and not request.voice.model:
        raise click.ClickException(_("piper needs a voice file: pass --model with the .onnx file (e.g. "
                                     "vi_VN-vais1000-medium.onnx, its .onnx.json beside it)"))
    target = output or Path(default_file_name(text))
    if output_problem(target):  # never MP3 data under another format's name
        raise click.BadParameter(output_problem(target), param_hint="-o")
    try:
        said = speak(text, target, request)
    except SayError as exc:
        raise click.ClickException(str(exc)) from exc
    _say(ctx, _("spoken: {text}").format(text=said.spoken), 1)
    _say(ctx, _("{file}: {seconds} s, {lufs} LUFS, true peak {peak} dBTP ({voice})").format(
        file=said.path, seconds=decimal(said.seconds, 1), lufs=decimal(said.lufs, 1),
        peak=decimal(said.true_peak_db, 1), voice=said.voice.describe()))


@cli.command(help=N_(
    "List speech engines and voices, and whether each can speak on this machine.\n\n"
    "Nothing is sent over the network: gtts is listed as \"online\"."))
@click.option("--model", callback=lambda _c, _p, value: _voice_file(value),
              help=N_("Also check this piper voice (a name in the voices folder, or an .onnx file)."))
def voices(model: Path | None) -> None:
    from bzmedia.tts.voices import available_voices

    for row in available_voices(model):
        click.echo(f"{row.engine:<7} {row.voice:<22} {row.dialects:<8} {row.usable}")


@cli.command(help=N_(
    "Write the reference pages generated from the schema (campaign script, print and slide "
    "layouts, with the built-in layouts' boxes) and the editor schema into docs/.\n\n"
    "Run it from the source checkout after changing a field or its docstring; the tests run "
    "`bzmedia docs --check`."))
@click.option("-o", "--output", "docs_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("docs"), show_default=True, help=N_("Folder to write the pages into."))
@click.option("--check", is_flag=True,
              help=N_("Write nothing; exit 1 if a page in the folder differs from what the code says."))
@click.pass_context
def docs(ctx: click.Context, docs_dir: Path, check: bool) -> None:
    from bzmedia.campaign.reference import stale_pages, write_pages

    if check:
        stale = stale_pages(docs_dir)
        if stale:
            raise click.ClickException(_("{pages} in {folder} differ from the schema; run `bzmedia docs` "
                                         "and commit the result").format(pages=", ".join(stale),
                                                                          folder=docs_dir))
        _say(ctx, _("{folder}: up to date").format(folder=docs_dir))
        return
    try:
        written = write_pages(docs_dir)
    except OSError as exc:
        raise click.ClickException(_cannot_write(docs_dir, exc)) from exc
    for path in written:
        _say(ctx, str(path))


@cli.command(help=N_(
    "Print the JSON Schema (draft 2020-12) of a campaign script, for editors.\n\n"
    "Start a script with `# yaml-language-server: $schema=campaign.schema.json` and VS Code's "
    "YAML extension completes keys, explains them and underlines mistakes as you type."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("File to write (default: standard output)."))
def schema(output: Path | None) -> None:
    from bzmedia.campaign.editor_schema import schema_text

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    from bzmedia.cache import atomic_write

    try:
        atomic_write(output, schema_text())
    except OSError as exc:
        raise click.ClickException(_cannot_write(output, exc)) from exc


def _voice_file(value: str | None) -> Path | None:
    """A piper voice named on the command line: a voice in the voices folder, or a file."""
    if value is None:
        return None
    from bzmedia.tts.voices import is_voice_name, resolve_model, voices_dir

    path = resolve_model(Path.cwd(), value)
    if not path.is_file():
        message = (_("no voice file '{name}' in the voices folder {folder}") if is_voice_name(value)
                   else _("no voice file '{name}' there"))
        raise click.BadParameter(message.format(name=value, folder=voices_dir()), param_hint="--model")
    return path


def _unforeseen(exc: Exception) -> str:
    return _("cannot be loaded ({error}); please report this").format(
        error=f"{type(exc).__name__}: {exc}")


def _cannot_write(path: Path, exc: OSError) -> str:
    return _("{path}: cannot write: {reason}").format(path=path, reason=exc.strerror or exc)


def main() -> None:
    """Console-script entry point."""
    import signal

    if hasattr(signal, "SIGTERM"):  # end like Ctrl-C: the state is saved, the lock released, workers end
        signal.signal(signal.SIGTERM, _terminated)
    cli(prog_name="bzmedia")


def _terminated(signum, _frame) -> None:
    raise SystemExit(128 + signum)
