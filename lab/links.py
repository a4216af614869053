"""Shareable links, link checking, presenter mode and hide flags.

Every widget of the lab is bound to the URL (``bind="query-params"``), so the
address bar always holds the whole state of the page. This module adds what a
classroom needs around that:

- ``check_link``: when a session opens a link, compare each parameter with the
  value the widget accepted and list the ones that were ignored (Streamlit drops
  invalid values silently; we say so).
- ``live_link_box``: the exact link of the current view (read from the address bar), to copy.
- presenter mode (``?presenter=true``) and hide flags (``?hide=workspace,p,q``), for a
  teacher's projector and for links that hide chosen controls.

No URL value ever reaches HTML: the only HTML written is a static style sheet
built from names that passed a whitelist pattern.
"""

from __future__ import annotations

import contextlib
import math
import re

import streamlit as st

#: Parameters the lab reads itself (not widget keys).
RESERVED = {"hide"}
#: Groups a hide flag may name, besides single widget keys.
#: "p" and "q" do not hide the bars (the lesson needs them): the editor shows them read-only.
HIDE_GROUPS = {
    "workspace": [".st-key-workspace", ".st-key-pq_box"],
    "p": [],
    "q": [],
    "presets": [".st-key-presets"],
    "names": [".st-key-ws_classes"],
    "share": [".st-key-share"],
    "lesson": [".st-key-lesson_controls"],
}
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,24}$")
MAX_PARAM_LENGTH = 400  # p and q over 10 classes, written exactly, need about 200


def capture_raw_params() -> None:
    """Remember the parameters the session was opened with (first run only)."""
    ss = st.session_state
    if "_raw_params" not in ss:
        ss["_raw_params"] = {k: str(v)[:MAX_PARAM_LENGTH] for k, v in st.query_params.to_dict().items()}
        ss["_link_checked"] = False


def _same(raw: str, value: object) -> bool:
    if isinstance(value, bool):
        return raw.strip().lower() in ({"true", "1"} if value else {"false", "0"})
    if isinstance(value, (int, float)):
        try:
            number = float(raw)
        except ValueError:
            return False
        return math.isfinite(number) and math.isclose(number, float(value), rel_tol=1e-9, abs_tol=0.0)  # relative: 3e-50 is not 1e-45
    return raw == str(value)


def _inline_code(text: str) -> str:
    """Markdown inline code of untrusted text: no backticks, no line breaks, so nothing renders."""
    cleaned = re.sub(r"[`\r\n\t]", "?", text)
    return f"`{cleaned}`" if cleaned.strip() else "(empty)"


def rejected_params(raw: dict[str, str], state: dict[str, object]) -> list[str]:
    """Parameters whose value the app did not take, described for a learner.

    A parameter is taken when a widget with that key now holds the same value.
    """
    problems = []
    from lab.workspace import LINK_KEYS

    for key, value in raw.items():
        if key in LINK_KEYS:  # read by the workspace itself, which reports its own problems
            continue
        shown_key = key if _KEY_PATTERN.match(key) else "(unreadable name)"
        shown_value = _inline_code(value if len(value) <= 30 else value[:27] + "...")
        if key in RESERVED:
            continue
        if key not in state:
            problems.append(f"`{shown_key}` is not a setting of this page")
        elif not _same(value, state[key]):
            problems.append(f"`{shown_key}` = {shown_value} is not a valid value (kept {_inline_code(repr(state[key]))})")
    return problems


def check_link(slot) -> None:
    """After the first run of a session, say which link parameters were ignored."""
    ss = st.session_state
    if ss.get("_link_checked", True):
        return
    ss["_link_checked"] = True
    raw = ss.get("_raw_params", {})
    state = {k: ss[k] for k in ss if isinstance(k, str) and not k.startswith("_")}
    from lab.workspace import link_problems

    problems = rejected_params(raw, state) + link_problems()
    problems += [f"hide flag `{name}` is unknown" for name in unknown_hide_flags(raw.get("hide", ""))]
    _drop_unused(raw, state)
    if problems:
        with slot:
            st.warning(
                "Some settings in this link could not be used, so their defaults apply: "
                + "; ".join(problems) + ".",
                icon=":material/link_off:",
            )


def _drop_unused(raw: dict[str, str], state: dict[str, object]) -> None:
    """Remove from the address bar the parameters that were not taken, so a copied link is clean.

    Bound widgets already drop their invalid values; the rest (unknown names) we delete.
    """
    from lab.workspace import LINK_KEYS

    for key, value in raw.items():
        if key in RESERVED or key in LINK_KEYS or (key in state and _same(value, state[key])):
            continue
        with contextlib.suppress(Exception):  # a bound key cannot be deleted through st.query_params
            if key in st.query_params:
                del st.query_params[key]


#: The share box: the browser's own address, read in the page, with a copy button. Fixed markup
#: (no user input is ever put into it); the address is placed into the input's value, never parsed
#: as HTML. It is read in the browser because lesson controls inside st.fragment change the URL
#: without running app.py, and a fragment cannot write into the sidebar: a link written by the
#: server would go stale after such a change.
LIVE_LINK_HTML = """<!doctype html><meta charset="utf-8">
<style>
  body { margin: 0; font: 13px "Source Code Pro", ui-monospace, monospace; color: #262730; }
  .row { display: flex; gap: 6px; }
  input { flex: 1; min-width: 0; padding: 6px 8px; border: 1px solid #d0d4dc; border-radius: 6px;
          background: #f3f6fa; color: #262730; font: inherit; }
  button { padding: 6px 10px; border: 1px solid #0072B2; border-radius: 6px; background: #fff;
           color: #0072B2; font: 600 13px sans-serif; cursor: pointer; }
</style>
<div class="row">
  <input id="link" readonly aria-label="Link to this exact view">
  <button id="copy" type="button">Copy</button>
</div>
<script>
  const input = document.getElementById("link");
  const button = document.getElementById("copy");
  function show() {
    let url = "";
    try { url = window.parent.location.href; } catch (e) { url = ""; }
    if (input.value !== url) input.value = url;
  }
  show();
  setInterval(show, 300);
  // Copy at once, inside the click (a selected input and execCommand work in a frame that has not
  // been given focus or clipboard permission); the asynchronous Clipboard API only if that fails.
  button.addEventListener("click", async () => {
    show();
    input.focus();
    input.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    if (!ok && navigator.clipboard) {
      try { await navigator.clipboard.writeText(input.value); ok = true; } catch (e) { ok = false; }
    }
    button.textContent = ok ? "Copied" : "Select, then copy";
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
</script>
"""


def live_link_box() -> None:
    """The exact link of the current view, always as the address bar holds it, with a copy button."""
    st.iframe(LIVE_LINK_HTML, height=40)


def hide_flags(value: str) -> list[str]:
    """The valid names in a ``hide=`` parameter."""
    names = [part.strip().lower() for part in str(value).split(",") if part.strip()]
    return [n for n in names if n in HIDE_GROUPS or _KEY_PATTERN.match(n)]


def unknown_hide_flags(value: str) -> list[str]:
    names = [part.strip() for part in str(value).split(",") if part.strip()]
    return ["(unreadable)" if not _KEY_PATTERN.match(n.lower()) else n for n in names
            if n.lower() not in HIDE_GROUPS and not _KEY_PATTERN.match(n.lower())]


#: Always on: a phone (390 px) shows every formula whole. KaTeX draws display maths at 1.21em and
#: never breaks a line, so narrow screens draw it at 0.9em (the widest formulas are written on
#: two lines in the pages); wide tables and code blocks scroll inside their own frames.
PHONE_CSS = (
    "@media (max-width: 640px) {"
    " .katex-display > .katex { font-size: 0.9em; }"
    " }"
    # A frame that scrolls sideways fades out at its right edge until it is scrolled to the end, so
    # a wide table or code block reads as "more to the right", not as cut off. Scroll-driven
    # animation: where the browser lacks it, or the frame does not overflow, nothing changes.
    # "\\3C " is "<" escaped: the HTML sanitizer drops a style element with a literal "<" in it
    " @property --lab-cue { syntax: '\\3C length>'; inherits: false; initial-value: 0px; }"
    " @keyframes lab-cue { from { --lab-cue: 2.5rem; } to { --lab-cue: 0px; } }"
    " @supports (animation-timeline: scroll()) { @media (max-width: 640px) {"
    " [data-testid=stCode] pre, [data-testid=stTable] > div {"
    " animation: lab-cue linear both; animation-timeline: scroll(self inline); }"
    " [data-testid=stDataFrame] { timeline-scope: --lab-table; animation: lab-cue linear both;"
    " animation-timeline: --lab-table; }"
    " [data-testid=stDataFrame] .dvn-scroller { scroll-timeline: --lab-table x; }"
    " [data-testid=stCode] pre, [data-testid=stTable] > div, [data-testid=stDataFrame] {"
    " mask-image: linear-gradient(to right, #000 calc(100% - var(--lab-cue)), transparent); }"
    " } }"
)

#: Prefix of a container key (``st.container(key="prose_...")``) whose text presenter mode hides.
PROSE_PREFIX = "prose_"
#: Prefix of a container key whose formula presenter mode sets beside a control, a little smaller
#: (0.8 of the display size: about 20 px at the presenter root font, still above 18 px).
SIDE_FORMULA = "side_formula"

#: Presenter mode, for a projector at 1280x720: larger text, and the first screen keeps the
#: lesson's control and chart (long prose and captions hidden, a smaller title).
PRESENTER_CSS = (
    # Streamlit sizes in rem: a larger root font scales text, widgets and metrics together.
    "html { font-size: 21px; }"
    " [data-testid=stMain] .block-container { max-width: 100%; padding-top: 3.5rem; }"
    " [data-testid=stMain] [data-testid=stVerticalBlock] { gap: 0.5rem; }"
    " [data-testid=stMain] .katex-display { margin: 0.2em 0; }"
    " [data-testid=stMetricValue] { font-size: 1.75rem; }"
    " [data-testid=stMetricValue] > div { white-space: normal; overflow-wrap: anywhere; }"
    f' [class*="st-key-{PROSE_PREFIX}"] {{ display: none !important; }}'
    " [data-testid=stMain] [data-testid=stCaptionContainer] { display: none; }"
    " [data-testid=stMain] h1 { font-size: 2rem; padding: 0; }"
    f' [class*="st-key-{SIDE_FORMULA}"] .katex-display {{ font-size: 0.8em; margin: 0; }}'
    # On a narrower screen the row wraps rather than cut the formula: its column is at least as wide.
    " @media (min-width: 641px) { [data-testid=stColumn]:has("
    f'> * [class*="st-key-{SIDE_FORMULA}"]) {{ min-width: max-content; }} }}'
)


def style_sheet(hidden: list[str], presenter: bool) -> str:
    """Static CSS for the phone layout, presenter mode and hide flags (names already whitelisted)."""
    rules = [PHONE_CSS]
    selectors = []
    for name in hidden:
        # A lesson control of lab.components.live_chart sits in a container keyed live_<key>.
        selectors += HIDE_GROUPS.get(name, [f".st-key-{name}", f".st-key-live_{name}"])
    if selectors:
        rules.append(", ".join(selectors) + " { display: none !important; }")
    if presenter:
        rules.append(PRESENTER_CSS)
    return "<style>" + " ".join(rules) + "</style>"


def apply_view_options() -> None:
    """Write the presenter/hide style sheet for this run."""
    hidden = hide_flags(st.query_params.get("hide", ""))
    st.html(style_sheet(hidden, bool(st.session_state.get("presenter", False))))
