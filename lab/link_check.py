"""Checking the link a session was opened with: say which of its settings were ignored.

Every widget of the lab is bound to the URL (``bind="query-params"``), so the address bar always
holds the whole state of the page, and a link reproduces it. Streamlit drops an invalid value
silently; we say so: when a session opens a link, each parameter is compared with the value the
widget accepted, and the ones that were not taken are listed in one notice and removed from the
address bar (so a copied link is clean).

No URL value ever reaches HTML: the notice is Markdown in which a link's text is shown as inert
inline code.
"""

from __future__ import annotations

import contextlib
import math
import re

import streamlit as st

from lab import state_keys
from lab.view import HIDE_PARAM, KEY_PATTERN, unknown_hide_flags
from lab.workspace import LINK_KEYS, link_problems

#: Parameters the lab reads itself (not widget keys).
RESERVED = {HIDE_PARAM}
MAX_PARAM_LENGTH = 400  # p and q over 10 classes, written exactly, need about 200


def capture_raw_params() -> None:
    """Remember the parameters the session was opened with (first run only)."""
    ss = st.session_state
    if state_keys.RAW_PARAMS not in ss:
        ss[state_keys.RAW_PARAMS] = {
            k: str(v)[:MAX_PARAM_LENGTH] for k, v in st.query_params.to_dict().items()
        }
        ss[state_keys.LINK_CHECKED] = False


def _same(raw: str, value: object) -> bool:
    if isinstance(value, bool):
        return raw.strip().lower() in ({"true", "1"} if value else {"false", "0"})
    if isinstance(value, (int, float)):
        try:
            number = float(raw)
        except ValueError:
            return False
        return math.isfinite(number) and math.isclose(
            number, float(value), rel_tol=1e-9, abs_tol=0.0
        )  # relative: 3e-50 is not 1e-45
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
    for key, value in raw.items():
        if key in LINK_KEYS:  # read by the workspace itself, which reports its own problems
            continue
        shown_key = key if KEY_PATTERN.match(key) else "(unreadable name)"
        shown_value = _inline_code(value if len(value) <= 30 else value[:27] + "...")
        if key in RESERVED:
            continue
        if key not in state:
            problems.append(f"`{shown_key}` is not a setting of this page")
        elif not _same(value, state[key]):
            problems.append(
                f"`{shown_key}` = {shown_value} is not a valid value (kept {_inline_code(repr(state[key]))})"
            )
    return problems


def check_link(slot) -> None:
    """After the first run of a session, say which link parameters were ignored."""
    ss = st.session_state
    if ss.get(state_keys.LINK_CHECKED, True):
        return
    ss[state_keys.LINK_CHECKED] = True
    raw = ss.get(state_keys.RAW_PARAMS, {})
    state = {k: ss[k] for k in ss if isinstance(k, str) and not k.startswith("_")}
    problems = rejected_params(raw, state) + link_problems()
    problems += [f"hide flag `{name}` is unknown" for name in unknown_hide_flags(raw.get(HIDE_PARAM, ""))]
    _drop_unused(raw, state)
    if problems:
        with slot:
            st.warning(
                "Some settings in this link could not be used, so their defaults apply: "
                + "; ".join(problems)
                + ".",
                icon=":material/link_off:",
            )


def _drop_unused(raw: dict[str, str], state: dict[str, object]) -> None:
    """Remove from the address bar the parameters that were not taken, so a copied link is clean.

    Bound widgets already drop their invalid values; the rest (unknown names) we delete.
    """
    for key, value in raw.items():
        if key in RESERVED or key in LINK_KEYS or (key in state and _same(value, state[key])):
            continue
        with contextlib.suppress(Exception):  # a bound key cannot be deleted through st.query_params
            if key in st.query_params:
                del st.query_params[key]
