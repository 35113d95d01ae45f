"""``slideshow.html``: the slides looping full-screen in any browser, from ``file://``, offline.

One self-contained page beside the images: inline CSS and JS, no external address, no fetch
(browsers refuse ``fetch`` of ``file://`` URLs, so the playlist is written into the page).  The
first slide is in the markup itself, so it shows even before (or without) the script.
"""

from __future__ import annotations

import html
import json

PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
html, body {{ margin: 0; height: 100%; background: #000; overflow: hidden; cursor: none; }}
img.slide {{ position: fixed; inset: 0; width: 100%; height: 100%; object-fit: contain;
  opacity: 0; transition: opacity {fade}s linear; }}
img.slide.shown {{ opacity: 1; }}
#hint {{ position: fixed; left: 1em; top: 1em; font: 16px sans-serif; color: #fff;
  background: rgba(0,0,0,.6); padding: .4em .7em; border-radius: .3em; transition: opacity 1s; }}
</style>
</head>
<body>
<img class="slide shown" id="a" src="{first}" alt="{first_alt}">
<img class="slide" id="b" alt="">
<div id="hint">Nhấn đúp hoặc phím F để toàn màn hình · Double-click or F for full screen</div>
<script>
"use strict";
const slides = {playlist};
const fade = {fade};
const layers = [document.getElementById("a"), document.getElementById("b")];
let current = 0, front = 0;
// Decode every image up front so a slide never appears half-loaded.
slides.forEach(s => {{ const im = new Image(); im.src = s.file; }});
function advance() {{
  current = (current + 1) % slides.length;
  const next = layers[1 - front];
  next.src = slides[current].file;
  next.alt = slides[current].title;
  next.classList.add("shown");
  layers[front].classList.remove("shown");
  front = 1 - front;
  schedule();
}}
// Each slide's time starts as it fades in, so one round lasts as long as loop.mp4.
function schedule() {{ setTimeout(advance, slides[current].seconds * 1000); }}
function fullScreen() {{
  if (!document.fullscreenElement && document.documentElement.requestFullscreen) {{
    document.documentElement.requestFullscreen().catch(() => {{}});
  }}
}}
document.addEventListener("dblclick", fullScreen);
document.addEventListener("keydown", e => {{ if (e.key === "f" || e.key === "F") fullScreen(); }});
setTimeout(() => {{ document.getElementById("hint").style.opacity = 0; }}, 5000);
if (slides.length > 1) schedule();
</script>
</body>
</html>
"""


def slideshow_html(title: str, slides: list[dict], crossfade: float) -> str:
    """The page for ``slides`` (dicts with ``file``, ``seconds``, ``title``), in loop order."""
    playlist = json.dumps(
        [{"file": s["file"], "seconds": s["seconds"], "title": s["title"]} for s in slides],
        ensure_ascii=False)
    # No "<" at all inside the <script>: "</script" would end it early, and "<!--<script" (a slide
    # title, or a commune's name from someone's spreadsheet) puts the parser in a state where the
    # real "</script>" no longer ends it, so the page stops on slide 1.  JSON allows \u escapes.
    playlist = playlist.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return PAGE.format(title=html.escape(title), first=html.escape(slides[0]["file"]),
                       first_alt=html.escape(slides[0]["title"]), playlist=playlist,
                       fade=f"{crossfade:g}")
