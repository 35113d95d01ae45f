"""The kit page's inline style and script (no web fonts, no network, works from ``file://``)."""

from __future__ import annotations

PAGE_CSS = """
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
color:#1a1a1a;background:#f3f5f8}
.wrap{max-width:1100px;margin:0 auto;padding:0 16px}
.top{background:var(--primary);color:#fff;padding:20px 0 22px}
.top h1{margin:.1em 0 .3em;font-size:clamp(1.5rem,4.5vw,2.3rem);line-height:1.2}
.top p{margin:.35em 0}
.issuer{text-transform:uppercase;letter-spacing:.04em;font-size:.9rem;opacity:.9}
.summary{max-width:60em}
.url span{word-break:break-all;font-weight:600}
.kitzip{display:inline-block;margin-top:.5em;padding:.55em 1em;border-radius:6px;background:var(--accent);
color:#1a1a1a;font-weight:700;text-decoration:none}
.finder{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #d5dbe3;padding:10px 0;
box-shadow:0 2px 6px rgba(0,0,0,.06)}
.finder label{font-weight:700;margin-right:.5em}
#tim_kiem{width:100%;max-width:32em;font:inherit;padding:.5em .7em;border:2px solid var(--primary);
border-radius:6px}
#so_luong{display:inline-block;margin:.3em .8em;color:#555;font-size:.9rem}
.jump{list-style:none;margin:.3em 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.3em .9em;font-size:.95rem}
a{color:var(--primary)}
.loc{background:#fff;margin:18px 0;padding:4px 16px 16px;border-radius:8px;border:1px solid #dde3ea;
scroll-margin-top:120px}
.loc h2{color:var(--primary);margin:.6em 0 .2em;font-size:1.5rem}
.block{margin-top:14px}
.ranking{background:#fff;margin:18px 0;padding:10px 16px;border-radius:8px;border:1px solid #dde3ea}
.ranking summary{cursor:pointer;font-weight:700;color:var(--primary)}
.ranking table{border-collapse:collapse;margin-top:8px}
.ranking th,.ranking td{padding:.2em .8em;border-bottom:1px solid #e3e7ec;text-align:left}
.ranking .num{text-align:right;font-variant-numeric:tabular-nums}
.block h3{margin:.6em 0 .4em;font-size:1.15rem;border-bottom:3px solid var(--accent);display:inline-block}
.screen h4{margin:.8em 0 .4em}
code{font:.85em ui-monospace,Consolas,monospace;color:#444;word-break:break-all}
.facts{color:#555;font-size:.9rem}
.what{display:block;color:#555;font-size:.9rem}
.spots{list-style:none;padding:0;margin:0;display:grid;gap:10px}
.spot{border:1px solid #e3e7ec;border-radius:6px;padding:8px 10px}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:4px 12px}
audio{width:100%;margin:6px 0}
.dl{font-weight:600;white-space:nowrap}
.aside{margin-left:auto;white-space:nowrap;font-size:.9rem}
.files{padding-left:1.2em;margin:.5em 0}
.files li{margin:.2em 0}
.cards{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
.card{display:flex;gap:10px;border:1px solid #e3e7ec;border-radius:6px;padding:8px}
.card-text{display:flex;flex-direction:column;gap:2px;min-width:0}
.thumb{display:block;flex:none;background:#eef1f5;border:1px solid #d5dbe3}
.thumb img{display:block;width:100%;height:100%;object-fit:contain}
.thumb.doc{width:96px;height:128px}
.slides{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px}
.slides li{display:flex;flex-direction:column;gap:2px}
.slides .thumb{aspect-ratio:16/9}
.portrait .slides{grid-template-columns:repeat(auto-fill,minmax(100px,1fr))}
.portrait .slides .thumb{aspect-ratio:9/16}
video{display:block;width:100%;max-width:480px;margin:10px 0;background:#000}
.portrait video{width:auto;max-width:100%;height:420px}
.packs ul{list-style:none;padding:0;margin:0;display:grid;gap:10px;
grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}
.pack a,.pack.empty{display:block;height:100%;padding:10px 12px;border-radius:6px;text-decoration:none;
color:#1a1a1a}
.pack a{background:#eaf2fb;border:2px solid var(--primary)}
.pack a:hover,.pack a:focus{background:#d8e8f8}
.pack.empty{border:2px dashed #c4ccd6;color:#666}
.pack a:not([href]){background:#f3f5f8;border:2px dashed #c4ccd6;cursor:default}
.kitzip:not([href]){opacity:.8;cursor:default}
.pack-how{font-size:.9rem;color:#555;margin:.5em 0 0}
.top .pack-how{color:#fff;opacity:.9}
.top .pack-how code{color:#fff}
.packs.all-ready .pack-how{display:none}
.msgs{list-style:none;padding:0;margin:0;display:grid;gap:10px}
.msg{border:1px solid #e3e7ec;border-radius:6px;padding:8px 10px}
.msg textarea{display:block;width:100%;margin:6px 0;font:inherit;padding:.4em .5em;border:1px solid #c4ccd6;
border-radius:4px;resize:vertical;background:#fafbfc;field-sizing:content;max-height:30em}
.copy{font:inherit;font-weight:600;padding:.35em .9em;border-radius:6px;border:2px solid var(--primary);
background:var(--primary);color:#fff;cursor:pointer}
.copied{margin-left:.6em;color:#1b7a3a;font-size:.9rem}
.msg-image img{display:block;max-width:min(100%,360px);margin-top:6px;border:1px solid #d5dbe3}
.framed{margin:12px 0}
.framed iframe{display:block;width:100%;max-width:390px;height:600px;margin-top:6px;border:1px solid #c4ccd6;
border-radius:6px;background:#fff}
.pictures{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));
gap:10px;align-items:start}
.pictures li{display:flex;flex-direction:column;gap:2px}
.pictures .thumb img{height:auto;max-height:240px}
#khong_thay,#chon{font-size:1.1rem;padding:20px 0}
footer{color:#666;font-size:.85rem;padding:10px 16px 30px}
@media (max-width:600px){
body{font-size:15px}
.loc{padding:2px 10px 12px;margin:12px 0}
.card{flex-direction:column}
.thumb.doc{width:100%;height:200px}
.jump{display:none}
}
"""
"""Mobile-first enough: one column under 600 px, cards and slides wrap by available width."""

PAGE_JS = r"""
(function () {
  "use strict";
  // Vietnamese without diacritics: đ is its own letter (not d + mark), so it is mapped first.
  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }
  var box = document.getElementById("tim_kiem");
  var count = document.getElementById("so_luong");
  var none = document.getElementById("khong_thay");
  var pick = document.getElementById("chon");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.loc"));
  var jumps = document.querySelectorAll(".jump a");
  var names = sections.map(function (s) { return " " + fold(s.getAttribute("data-name")) + " "; });
  // A province has a hundred communes: past this many, the page shows the one picked (or the
  // ones the typed words match) instead of every commune at once.
  var MANY = 12;
  var communes = sections.filter(function (s) { return !s.classList.contains("shared"); }).length;
  // A hand-typed or cut link (#%E0%A4%A) is no valid escape: read it as it is, rather than
  // throwing and leaving the filter dead.
  function fromHash(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }
  function apply() {
    var words = fold(box.value).split(" ").filter(Boolean);
    var picked = location.hash.indexOf("#q=") === 0 ? "" : fromHash(location.hash.slice(1));
    var one = communes > MANY && !words.length;
    var shown = 0, visible = {}, open = 0;
    sections.forEach(function (section, i) {
      var match = words.every(function (w) { return names[i].indexOf(w) >= 0; });
      section.hidden = !match || (one && section.id !== picked);
      visible[section.id] = match;
      if (match) shown += 1;
      if (!section.hidden) open += 1;
    });
    Array.prototype.forEach.call(jumps, function (a) {
      a.parentNode.hidden = !visible[a.getAttribute("data-for")];
    });
    count.textContent = words.length ? shown + " / " + sections.length + " địa phương"
                                     : sections.length + " địa phương";
    none.hidden = shown > 0;
    none.querySelector("span").textContent = box.value;
    pick.hidden = !(one && open === 0);
  }
  window.addEventListener("hashchange", function () {
    apply();  // the picked commune was hidden when the browser looked for it: scroll now
    var target = document.getElementById(fromHash(location.hash.slice(1)));
    if (target && !target.hidden) { target.scrollIntoView(); }
  });
  // Packs are made on request: a pack is linked only when packs/available.js (written by
  // `bzmedia pack`, or answered by `bzmedia serve`) lists it with the key this page was drawn with,
  // so a stale or missing zip is never offered. A <script> loads from file:// where fetch cannot.
  function showPacks() {
    var have = window.bzmediaPacks || {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-pack]"), function (item) {
      var link = item.querySelector("a[data-href]");
      var ready = have[item.getAttribute("data-pack")] === item.getAttribute("data-key");
      if (ready) { link.setAttribute("href", link.getAttribute("data-href")); }
      item.classList.toggle("ready", ready);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".packs"), function (block) {
      block.classList.toggle("all-ready", !block.querySelector("[data-pack]:not(.ready)"));
    });
  }
  // Copy a message: the Clipboard API where the page may use it, else select the box and
  // execCommand (file:// pages in some browsers have no clipboard API); say which happened.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy");
    if (!button) { return; }
    var item = button.closest("li");
    var text = item.querySelector("textarea");
    var note = item.querySelector(".copied");
    function said(ok) { note.textContent = ok ? "Đã sao chép" : "Hãy nhấn Ctrl+C để sao chép"; }
    function select() {
      text.focus(); text.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      said(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.value).then(function () { said(true); }, select);
    } else { select(); }
  });
  var probe = document.createElement("script");
  probe.src = "packs/available.js";
  probe.onload = probe.onerror = function () { probe.remove(); showPacks(); };
  document.head.appendChild(probe);
  box.addEventListener("input", apply);
  if (location.hash.indexOf("#q=") === 0) {
    box.value = fromHash(location.hash.slice(3));
  }
  apply();
})();
"""
"""The filter: every typed word must occur in the locality's folded name or id."""
