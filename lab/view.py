"""How a view looks: the phone layout, presenter mode and hide flags, as one static style sheet.

- presenter mode (``?presenter=true``, the "Presenter mode" toggle): for a teacher's projector,
  larger text, and the long prose and captions hidden (``PRESENTER_CSS``).
- hide flags (``?hide=workspace,p,q``): links that hide chosen controls for students; a group
  of ``HIDE_GROUPS`` or a single widget key.
- the phone rules (``PHONE_CSS``), always on.

No URL value ever reaches HTML: the only HTML written is this static style sheet, built from
names that passed a whitelist pattern (``KEY_PATTERN``).
"""

from __future__ import annotations

import re

import streamlit as st

#: The URL parameter that lists the hide flags.
HIDE_PARAM = "hide"
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
#: The shape of a widget key: the only names a hide flag (or a reported link parameter) may show.
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,24}$")


def hide_flags(value: str) -> list[str]:
    """The valid names in a ``hide=`` parameter."""
    names = [part.strip().lower() for part in str(value).split(",") if part.strip()]
    return [n for n in names if n in HIDE_GROUPS or KEY_PATTERN.match(n)]


def unknown_hide_flags(value: str) -> list[str]:
    """The names in a ``hide=`` parameter that hide nothing, as a notice may show them."""
    names = [part.strip() for part in str(value).split(",") if part.strip()]
    return [
        "(unreadable)" if not KEY_PATTERN.match(n.lower()) else n
        for n in names
        if n.lower() not in HIDE_GROUPS and not KEY_PATTERN.match(n.lower())
    ]


def hidden_now() -> list[str]:
    """The valid hide flags of the address this run was opened with."""
    return hide_flags(st.query_params.get(HIDE_PARAM, ""))


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
    st.html(style_sheet(hidden_now(), bool(st.session_state.get("presenter", False))))
